package main

import (
	"context"
	"errors"
	"io"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer a test reads while makemcp writes it.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// waitFor waits until b holds want.
func waitFor(t *testing.T, b *syncBuffer, want string) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !strings.Contains(b.String(), want); {
		if time.Now().After(deadline) {
			t.Fatalf("no %q within 10 s in:\n%s", want, b)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// A signal is how hosts stop serve: it is logged as a stop, not an error.
func TestServeStopsOnSignalWithoutError(t *testing.T) {
	in, feed := io.Pipe()
	defer feed.Close()
	var out, errOut syncBuffer
	env := map[string]string{"MAKEMCP_CONFIG_DIR": t.TempDir()}
	f := newFactory(ioStreams{In: in, Out: &out, Err: &errOut}, func(k string) string { return env[k] })
	ctx, stop := context.WithCancelCause(context.Background())
	code := make(chan int, 1)
	go func() { code <- Main(ctx, f, []string{"serve", "--demo"}) }()
	go io.WriteString(feed, "hello\n"+`{"jsonrpc":"2.0","id":1,"method":"ping"}`+"\n")
	waitFor(t, &out, `"id":1,"result"`)
	stop(errors.New("terminated signal received"))
	select {
	case c := <-code:
		if c != 0 {
			t.Errorf("serve exited %d after a signal, want 0", c)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop within 10 s of the signal")
	}
	logs := errOut.String()
	if strings.Contains(logs, "level=ERROR") || !strings.Contains(logs, `level=INFO msg=stopping reason="terminated signal received"`) {
		t.Errorf("serve logged, for a signal:\n%s\nwant an info line that says it is stopping and why, and no error", logs)
	}
	if n := strings.Count(logs, "level=WARN"); n != 1 || !strings.Contains(logs, "code=-32700") {
		t.Errorf("want one warning for the bad line, got:\n%s", logs)
	}
}
