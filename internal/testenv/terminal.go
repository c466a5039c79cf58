//go:build unix

package testenv

import (
	"errors"
	"io"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"
)

// Terminal is makemcp running on a pseudo-terminal, as a person at a
// shell runs it, and everything it showed there.
type Terminal struct {
	t testing.TB
	// PTY is the terminal's side a person types into and reads.
	PTY    *os.File
	cmd    *exec.Cmd
	mu     sync.Mutex
	screen strings.Builder
	exited chan struct{}
}

// OnTerminal starts makemcp with args and the machine's environment plus
// extra on a pseudo-terminal of 24 rows and cols columns; the test is
// skipped where there are none. When the test ends makemcp is killed if
// it still runs, and what it showed goes to the leak check.
func (m *Machine) OnTerminal(cols uint16, extra []string, args ...string) *Terminal {
	m.T.Helper()
	cmd := exec.Command(m.Bin, args...)
	cmd.Env = append(slices.Clone(m.Env), extra...)
	f, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 24, Cols: cols})
	if err != nil {
		m.T.Skipf("no pseudo-terminal here: %v", err)
	}
	term := &Terminal{t: m.T, PTY: f, cmd: cmd, exited: make(chan struct{})}
	go func() {
		buf := make([]byte, 4096)
		for {
			n, err := f.Read(buf)
			term.mu.Lock()
			term.screen.Write(buf[:n])
			term.mu.Unlock()
			if err != nil {
				break
			}
		}
		cmd.Wait()
		close(term.exited)
	}()
	m.T.Cleanup(func() {
		cmd.Process.Kill()
		<-term.exited
		f.Close()
		m.Leaks.Output("makemcp "+strings.Join(args, " ")+" (terminal)", term.Shown())
	})
	return term
}

// Shown is everything makemcp showed so far, as the terminal got it
// (lines end in \r\n).
func (term *Terminal) Shown() string {
	term.mu.Lock()
	defer term.mu.Unlock()
	return term.screen.String()
}

// WaitFor waits until the terminal shows what matches re.
func (term *Terminal) WaitFor(re *regexp.Regexp, within time.Duration) {
	term.t.Helper()
	deadline := time.After(within)
	for !re.MatchString(term.Shown()) {
		select {
		case <-deadline:
			term.t.Fatalf("the terminal did not show %s within %s:\n%q", re, within, term.Shown())
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// Type types text, as is: "\r" is the Enter key.
func (term *Terminal) Type(text string) {
	term.t.Helper()
	if _, err := io.WriteString(term.PTY, text); err != nil {
		term.t.Fatal(err)
	}
}

// Wait waits for makemcp to exit, at most a minute, and returns its exit
// status.
func (term *Terminal) Wait() int {
	term.t.Helper()
	select {
	case <-term.exited:
	case <-time.After(60 * time.Second):
		term.t.Fatalf("makemcp did not exit within 60 s:\n%q", term.Shown())
	}
	var exit *exec.ExitError
	if err := term.cmd.Wait(); errors.As(err, &exit) {
		return exit.ExitCode()
	}
	return term.cmd.ProcessState.ExitCode()
}
