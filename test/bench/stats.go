package main

import (
	"fmt"
	"math"
	"slices"
	"time"
)

// samples are measured durations.
type samples []time.Duration

// percentile is the nearest-rank percentile: the smallest sample that at
// least p percent of the samples do not exceed.
func (s samples) percentile(p float64) time.Duration {
	if len(s) == 0 {
		return 0
	}
	sorted := slices.Clone(s)
	slices.Sort(sorted)
	rank := int(math.Ceil(p / 100 * float64(len(sorted))))
	return sorted[max(rank, 1)-1]
}

func (s samples) median() time.Duration { return s.percentile(50) }
func (s samples) p95() time.Duration    { return s.percentile(95) }

// summary reads "median X, p95 Y (n=N)".
func (s samples) summary() string {
	return fmt.Sprintf("median %s, p95 %s (n=%d)", ms(s.median()), ms(s.p95()), len(s))
}

// ms formats a duration in milliseconds, with the precision it needs.
func ms(d time.Duration) string {
	v := float64(d) / float64(time.Millisecond)
	switch {
	case v < 1:
		return fmt.Sprintf("%.3f ms", v)
	case v < 100:
		return fmt.Sprintf("%.1f ms", v)
	}
	return fmt.Sprintf("%.0f ms", v)
}

// kb formats a byte count as kilobytes (1 KB = 1,000 bytes) and bytes.
func kb(n int) string {
	return fmt.Sprintf("%.1f KB (%d B)", float64(n)/1000, n)
}

// mb formats a size in kibibytes, as /proc reports it, in megabytes.
func mb(kib int) string {
	return fmt.Sprintf("%.1f MB", float64(kib)*1024/1e6)
}
