package testenv

import (
	"bytes"
	"sync"
)

// LockedBuffer collects a child process's output while a test or the
// benchmark reads it.
type LockedBuffer struct {
	// Max, if positive, is how many bytes are kept: the first ones, the
	// rest being noise by then.
	Max int

	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *LockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.Max > 0 && b.buf.Len() > b.Max {
		return len(p), nil
	}
	return b.buf.Write(p)
}

// Len is how many bytes the buffer holds.
func (b *LockedBuffer) Len() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Len()
}

func (b *LockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
