package testenv

import (
	"time"

	"golang.org/x/sys/unix"
)

// TypeWhenEchoOff types text once the terminal no longer echoes, as a
// person pastes a secret when asked for it.
func (term *Terminal) TypeWhenEchoOff(text string) {
	term.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		tio, err := unix.IoctlGetTermios(int(term.PTY.Fd()), unix.TCGETS)
		if err != nil {
			term.t.Fatal(err)
		}
		if tio.Lflag&unix.ECHO == 0 {
			break
		}
		if time.Now().After(deadline) {
			term.t.Fatalf("the terminal still echoes after 30 s; makemcp showed:\n%q", term.Shown())
		}
		time.Sleep(10 * time.Millisecond)
	}
	term.Type(text)
}
