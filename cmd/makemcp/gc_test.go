package main

import (
	"context"
	"runtime/debug"
	"testing"
	"testing/synctest"
	"time"
)

func gcPercent() int {
	p := debug.SetGCPercent(100)
	debug.SetGCPercent(p)
	return p
}

func TestStartupGCPercent(t *testing.T) {
	before := gcPercent()
	restore := relaxGCForStartup(func(string) string { return "" })
	if got := gcPercent(); got != startupGCPercent {
		t.Errorf("GOGC while starting = %d, want %d", got, startupGCPercent)
	}
	restore()
	restore()
	if got := gcPercent(); got != before {
		t.Errorf("GOGC after start-up = %d, want %d again", got, before)
	}

	// A GOGC the user chose stays.
	restore = relaxGCForStartup(func(k string) string {
		if k == "GOGC" {
			return "50"
		}
		return ""
	})
	if got := gcPercent(); got != before {
		t.Errorf("GOGC with the variable set = %d, want it untouched (%d)", got, before)
	}
	restore()
}

func TestStartupEnds(t *testing.T) {
	for _, tc := range []struct {
		name   string
		list   bool // the client lists the tools at once
		cancel bool // serve ends at once
		want   time.Duration
	}{
		{"after the first tools/list", true, false, settleAfter},
		{"without a tools/list", false, false, maxStartup},
		{"when serve ends", false, true, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				ctx, cancel := context.WithCancel(t.Context())
				defer cancel()
				listed := make(chan struct{})
				if tc.list {
					close(listed)
				}
				if tc.cancel {
					cancel()
				}
				start := time.Now()
				var took time.Duration
				afterStartup(ctx, listed, func() { took = time.Since(start) })
				if took != tc.want {
					t.Errorf("start-up ended after %v, want %v", took, tc.want)
				}
			})
		})
	}
}
