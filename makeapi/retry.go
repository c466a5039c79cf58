package makeapi

import (
	"context"
	"errors"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Retry defaults. A call makes at most DefaultMaxAttempts attempts and
// waits at most DefaultMaxRetryWait between them in total, and never past
// its context's deadline.
const (
	DefaultMaxAttempts  = 4
	DefaultMaxRetryWait = 30 * time.Second

	// backoffBase is the first backoff wait; each retry doubles it.
	backoffBase = 500 * time.Millisecond
	// backoffMax bounds one backoff wait.
	backoffMax = 8 * time.Second
)

// retryPolicy says which failures a call may be retried after.
type retryPolicy uint8

const (
	// retryIdempotent: the call changes nothing, or sets state to the same
	// value each time, so repeating it is safe after any transient failure:
	// 429, 5xx, a dropped connection, a timed-out attempt.
	retryIdempotent retryPolicy = iota
	// retryRateLimited: the call creates or triggers something, so it is
	// repeated only after a 429, which Make sends before doing any work.
	retryRateLimited
	// retryNever: scenario runs. A repeated run is a second run, and Make
	// exempts /run from the organization request limit, so a 429 there is
	// not the rate limiter's promise that nothing happened.
	retryNever
)

// retryable reports whether a failed attempt may be repeated under p.
// status is the HTTP status of the answer, 0 when no answer came.
func (p retryPolicy) retryable(status int) bool {
	switch p {
	case retryIdempotent:
		return status == 0 || status == http.StatusTooManyRequests || status >= 500
	case retryRateLimited:
		return status == http.StatusTooManyRequests
	}
	return false
}

// retryAfter parses a Retry-After header: delay-seconds or an HTTP date.
// It returns 0 when the header is absent or unusable.
func retryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if secs, err := strconv.ParseFloat(v, 64); err == nil {
		if secs <= 0 || secs > 24*60*60 {
			return 0
		}
		return time.Duration(secs * float64(time.Second))
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := t.Sub(now); d > 0 {
			return d
		}
	}
	return 0
}

// backoff is the wait before retry number n (1 for the first retry):
// exponential, with "equal jitter" so that clients that failed together do
// not retry together, yet never wait less than half the step.
func backoff(n int) time.Duration {
	d := backoffBase << min(n-1, 10)
	d = min(d, backoffMax)
	half := d / 2
	return half + rand.N(half+1)
}

// sleep waits for d or until ctx is done.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return context.Cause(ctx)
	}
}

// ErrTimeout is in the chain of the error returned when one attempt got
// no answer within Options.Timeout (and retries, if any, did not help).
var ErrTimeout = errors.New("no answer from Make in time")
