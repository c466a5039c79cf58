package main

import (
	"context"
	"runtime/debug"
	"sync"
	"time"
)

// startupGCPercent is the collector's GOGC while serve starts. Start-up
// allocates a few megabytes that are garbage at once (the system's root
// certificates, the SDK's checks of each tool's schema, the first answers
// from Make); at the default of 100 the collector ran two to four times
// before the first tools/list, a tenth of a cold start on two cores. At
// 400 the first collection waits for 16 MB of heap.
const startupGCPercent = 400

// relaxGCForStartup raises GOGC for start-up and returns the function
// that puts it back (safe to call more than once). A GOGC the user set is
// left alone.
func relaxGCForStartup(getenv func(string) string) (restore func()) {
	if getenv("GOGC") != "" {
		return func() {}
	}
	prev := debug.SetGCPercent(startupGCPercent)
	return sync.OnceFunc(func() { debug.SetGCPercent(prev) })
}

// Start-up ends a moment after the client's first tools/list (listed is
// closed): late enough that the collector does not run while the answer
// is written (a few milliseconds, even with hundreds of tools), early
// enough that a client calling tools at once does not grow the heap
// (peak RSS after 1,000 back-to-back calls went from 24 to 34 MB when
// this was a second). A client that never lists the tools ends it after
// maxStartup.
const (
	settleAfter = 100 * time.Millisecond
	maxStartup  = 10 * time.Second
)

// afterStartup calls f when start-up is over, or when ctx ends.
func afterStartup(ctx context.Context, listed <-chan struct{}, f func()) {
	defer f()
	limit := time.NewTimer(maxStartup)
	defer limit.Stop()
	select {
	case <-listed:
	case <-limit.C:
		return
	case <-ctx.Done():
		return
	}
	settle := time.NewTimer(settleAfter)
	defer settle.Stop()
	select {
	case <-settle.C:
	case <-ctx.Done():
	}
}
