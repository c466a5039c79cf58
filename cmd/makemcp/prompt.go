package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"golang.org/x/term"
)

// prompter asks the person at the terminal. Commands hold one only when
// standard input is a terminal; a script gets no questions.
type prompter interface {
	// Secret reads an answer without echo, such as a pasted token.
	Secret(ctx context.Context, question string) (string, error)
	// Line reads an answer the person sees as they type it.
	Line(ctx context.Context, question string) (string, error)
}

// maxAnswer bounds an answer typed or pasted at a prompt.
const maxAnswer = 64 << 10

// terminalPrompter asks on the terminal in, writing the questions to out.
type terminalPrompter struct {
	in  *os.File
	out io.Writer
}

// newPrompter returns a prompter on the streams, or nil when standard
// input is not a terminal.
func newPrompter(streams ioStreams) prompter {
	f, ok := streams.In.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return nil
	}
	return &terminalPrompter{in: f, out: streams.Err}
}

func (p *terminalPrompter) Secret(ctx context.Context, question string) (string, error) {
	answer, err := p.ask(ctx, question, func() ([]byte, error) { return term.ReadPassword(int(p.in.Fd())) })
	// The person's Enter was not echoed: end the line for them.
	fmt.Fprintln(p.out)
	return answer, err
}

func (p *terminalPrompter) Line(ctx context.Context, question string) (string, error) {
	return p.ask(ctx, question, p.readLine)
}

// ask writes the question and waits for read, or for ctx to end: an
// interrupt or the command's timeout ends the wait, and the terminal gets
// back the mode it had (ReadPassword turns echo off while it reads).
func (p *terminalPrompter) ask(ctx context.Context, question string, read func() ([]byte, error)) (string, error) {
	fd := int(p.in.Fd())
	state, _ := term.GetState(fd)
	fmt.Fprint(p.out, question)
	type answer struct {
		b   []byte
		err error
	}
	answered := make(chan answer, 1)
	go func() {
		b, err := read()
		answered <- answer{b, err}
	}()
	select {
	case a := <-answered:
		return string(a.b), a.err
	case <-ctx.Done():
		if state != nil {
			term.Restore(fd, state)
		}
		// The read goes on until the program ends, which is next.
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return "", errors.New("no answer in time (--timeout)")
		}
		return "", context.Cause(ctx)
	}
}

// readLine reads one line, a byte at a time so that nothing after it is
// taken from the terminal.
func (p *terminalPrompter) readLine() ([]byte, error) {
	var line []byte
	b := make([]byte, 1)
	for len(line) < maxAnswer {
		n, err := p.in.Read(b)
		if n == 1 {
			if b[0] == '\n' {
				return line, nil
			}
			line = append(line, b[0])
		}
		if err != nil {
			if errors.Is(err, io.EOF) {
				return line, nil
			}
			return line, err
		}
	}
	return line, nil
}
