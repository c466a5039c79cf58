package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"sync"
	"syscall"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// commandTransport runs a server as mcp.CommandTransport does (stdio
// pipes; closing stdin, then SIGTERM, then SIGKILL ends it), and notes
// when each line of the server's output arrived: the moment an answer
// was all on the pipe, before the client decoded it. What a client does
// with an answer after that is the client's cost, and it differs from
// one MCP host to the next.
type commandTransport struct {
	cmd            *exec.Cmd
	terminateAfter time.Duration
	lines          *lineClock
}

func (t *commandTransport) Connect(ctx context.Context) (mcp.Connection, error) {
	stdout, err := t.cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	stdin, err := t.cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	if err := t.cmd.Start(); err != nil {
		return nil, err
	}
	t.lines.r = stdout
	return (&mcp.IOTransport{
		Reader: io.NopCloser(t.lines),
		Writer: &serverInput{stdin: stdin, cmd: t.cmd, terminateAfter: t.terminateAfter},
	}).Connect(ctx)
}

// lineClock reads the server's output and notes when each newline, the
// end of a JSON-RPC message, arrived.
type lineClock struct {
	r io.Reader

	mu   sync.Mutex
	ends []time.Time // not yet taken by next
}

func (l *lineClock) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	if k := bytes.Count(p[:n], []byte{'\n'}); k > 0 {
		now := time.Now()
		l.mu.Lock()
		for range k {
			l.ends = append(l.ends, now)
		}
		l.mu.Unlock()
	}
	return n, err
}

// next is when the oldest message not yet taken arrived; messages are
// taken in the order the client decodes them, one per line.
func (l *lineClock) next() time.Time {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.ends) == 0 {
		return time.Now()
	}
	t := l.ends[0]
	l.ends = l.ends[1:]
	return t
}

// serverInput is the server's stdin; closing it ends the server as the
// MCP spec asks a client to.
type serverInput struct {
	stdin          io.WriteCloser
	cmd            *exec.Cmd
	terminateAfter time.Duration
}

func (s *serverInput) Write(p []byte) (int, error) { return s.stdin.Write(p) }

func (s *serverInput) Close() error {
	if err := s.stdin.Close(); err != nil {
		return fmt.Errorf("closing stdin: %v", err)
	}
	done := make(chan error, 1)
	go func() { done <- s.cmd.Wait() }()
	for _, sig := range []syscall.Signal{0, syscall.SIGTERM, syscall.SIGKILL} {
		if sig != 0 {
			_ = s.cmd.Process.Signal(sig)
		}
		select {
		case err := <-done:
			return err
		case <-time.After(s.terminateAfter):
		}
	}
	return errors.New("the server did not exit after SIGKILL")
}
