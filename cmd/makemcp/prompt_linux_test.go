package main

import (
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/creack/pty"
	"golang.org/x/sys/unix"
)

// A typed line is read up to its end and no further; a question whose
// wait ends (an interrupt, --timeout) gives the terminal back its echo,
// which reading a secret turned off. (The program ends right after such
// a wait, and the read abandoned with it.)
func TestPrompterOnATerminal(t *testing.T) {
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Skipf("no pseudo-terminal here: %v", err)
	}
	defer ptmx.Close()
	defer tty.Close()
	go io.Copy(io.Discard, ptmx)
	echo := func() bool {
		tio, err := unix.IoctlGetTermios(int(tty.Fd()), unix.TCGETS)
		if err != nil {
			t.Fatal(err)
		}
		return tio.Lflag&unix.ECHO != 0
	}
	if !echo() {
		t.Fatal("the terminal does not echo to begin with")
	}
	p := newPrompter(ioStreams{In: tty, Err: io.Discard})
	if p == nil {
		t.Fatal("no prompter on a terminal")
	}

	// A typed line is read up to its end, and no further.
	io.WriteString(ptmx, "3001\rnext\r")
	if got, err := p.Line(t.Context(), "Team: "); err != nil || got != "3001" {
		t.Errorf("Line = %q, %v; want 3001", got, err)
	}
	if got, err := p.Line(t.Context(), "Again: "); err != nil || got != "next" {
		t.Errorf("the second Line = %q, %v; want next", got, err)
	}

	ctx, cancel := context.WithTimeout(t.Context(), 300*time.Millisecond)
	defer cancel()
	done := make(chan error, 1)
	go func() {
		_, err := p.Secret(ctx, "Paste: ")
		done <- err
	}()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "--timeout") {
			t.Errorf("err = %v, want one naming --timeout", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the question outlived its context")
	}
	if !echo() {
		t.Error("the terminal was left without echo")
	}

	if newPrompter(ioStreams{In: strings.NewReader("")}) != nil {
		t.Error("a prompter on a pipe")
	}
}
