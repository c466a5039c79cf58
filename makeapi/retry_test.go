package makeapi_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/makemcp/makemcp/makeapi"
	"github.com/makemcp/makemcp/makeapi/makefake"
)

// These tests run in synctest bubbles against the fake in process: every
// wait (Retry-After, backoff, slow answers) passes on the bubble's clock,
// so the tests take no real time and can check waits exactly.

const scenarioPath = "/api/v2/scenarios/5001"

func TestRetryAfterSecondsIsWaitedThenRetried(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFake(t, makefake.Options{})
		f.Inject(makefake.Fault{Method: "GET", Path: scenarioPath, Count: 2, Status: 429, RetryAfter: "7"})
		c := inProcess(t, f)
		start := time.Now()
		s, err := c.GetScenario(t.Context(), 5001)
		if err != nil {
			t.Fatal(err)
		}
		if s.Name != "Greet a customer" {
			t.Fatalf("got scenario %q", s.Name)
		}
		if waited := time.Since(start); waited != 14*time.Second {
			t.Fatalf("waited %v, want 2 × Retry-After 7s", waited)
		}
		if n := f.Count("GET", scenarioPath); n != 3 {
			t.Fatalf("%d requests, want 3", n)
		}
	})
}

func TestRetryAfterHTTPDateIsWaited(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFake(t, makefake.Options{})
		at := time.Now().Add(12 * time.Second).UTC().Format(http.TimeFormat)
		f.Inject(makefake.Fault{Method: "GET", Path: scenarioPath, Count: 1, Status: 429, RetryAfter: at})
		c := inProcess(t, f)
		start := time.Now()
		if _, err := c.GetScenario(t.Context(), 5001); err != nil {
			t.Fatal(err)
		}
		if waited := time.Since(start); waited != 12*time.Second {
			t.Fatalf("waited %v, want until the Retry-After date, 12s", waited)
		}
	})
}

func TestRateLimitWithoutRetryAfterBacksOff(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFake(t, makefake.Options{})
		f.Inject(makefake.Fault{Method: "GET", Path: scenarioPath, Count: 3, Status: 429})
		c := inProcess(t, f)
		start := time.Now()
		if _, err := c.GetScenario(t.Context(), 5001); err != nil {
			t.Fatal(err)
		}
		// Three jittered waits: [250ms,500ms] + [500ms,1s] + [1s,2s].
		waited := time.Since(start)
		if waited < 1750*time.Millisecond || waited > 3500*time.Millisecond {
			t.Fatalf("waited %v, want exponential backoff between 1.75s and 3.5s", waited)
		}
		if n := f.Count("GET", scenarioPath); n != 4 {
			t.Fatalf("%d requests, want 4", n)
		}
	})
}

func TestAttemptsAreBounded(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFake(t, makefake.Options{})
		f.Inject(makefake.Fault{Method: "GET", Path: scenarioPath, Status: 503})
		c := inProcess(t, f, func(o *makeapi.Options) { o.MaxAttempts = 3 })
		_, err := c.GetScenario(t.Context(), 5001)
		var apiErr *makeapi.Error
		if !errors.As(err, &apiErr) || apiErr.Status != 503 {
			t.Fatalf("err = %v, want the last 503", err)
		}
		if n := f.Count("GET", scenarioPath); n != 3 {
			t.Fatalf("%d requests, want MaxAttempts = 3", n)
		}
	})
}

func TestTotalWaitIsBounded(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFake(t, makefake.Options{})
		f.Inject(makefake.Fault{Method: "GET", Path: scenarioPath, Status: 429, RetryAfter: "20"})
		c := inProcess(t, f, func(o *makeapi.Options) { o.MaxRetryWait = 30 * time.Second })
		start := time.Now()
		_, err := c.GetScenario(t.Context(), 5001)
		if !makeapi.IsRateLimited(err) {
			t.Fatalf("err = %v, want a 429", err)
		}
		// One 20 s wait fits the 30 s budget; a second would not, so the
		// client gives up instead of starting it.
		if waited := time.Since(start); waited != 20*time.Second {
			t.Fatalf("waited %v, want 20s", waited)
		}
		var apiErr *makeapi.Error
		if errors.As(err, &apiErr); apiErr.RetryAfter != 20*time.Second {
			t.Fatalf("RetryAfter = %v, want 20s so the caller knows when to come back", apiErr.RetryAfter)
		}
	})
}

func TestWaitNeverOutlivesTheDeadline(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFake(t, makefake.Options{})
		f.Inject(makefake.Fault{Method: "GET", Path: scenarioPath, Status: 429, RetryAfter: "10"})
		c := inProcess(t, f)
		ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
		defer cancel()
		start := time.Now()
		_, err := c.GetScenario(ctx, 5001)
		if !makeapi.IsRateLimited(err) {
			t.Fatalf("err = %v, want the 429 at once", err)
		}
		if waited := time.Since(start); waited != 0 {
			t.Fatalf("waited %v for a retry that could not happen before the deadline", waited)
		}
	})
}

func TestCancelStopsTheRetryLoopAtOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFake(t, makefake.Options{})
		f.Inject(makefake.Fault{Method: "GET", Path: scenarioPath, Status: 429, RetryAfter: "25"})
		c := inProcess(t, f)
		ctx, cancel := context.WithCancel(t.Context())
		time.AfterFunc(3*time.Second, cancel)
		start := time.Now()
		_, err := c.GetScenario(ctx, 5001)
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v, want context.Canceled", err)
		}
		if waited := time.Since(start); waited != 3*time.Second {
			t.Fatalf("returned after %v, want at the cancel, 3s", waited)
		}
		if n := f.Count("GET", scenarioPath); n != 1 {
			t.Fatalf("%d requests, want 1", n)
		}
	})
}

func TestServerErrorOnGetIsRetried(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFake(t, makefake.Options{})
		f.Inject(makefake.Fault{Method: "GET", Path: scenarioPath, Count: 1, Status: 502})
		f.Inject(makefake.Fault{Method: "GET", Path: scenarioPath, Count: 1, Reset: true})
		c := inProcess(t, f)
		if _, err := c.GetScenario(t.Context(), 5001); err != nil {
			t.Fatalf("GET after a 502 and a dropped connection: %v", err)
		}
		if n := f.Count("GET", scenarioPath); n != 3 {
			t.Fatalf("%d requests, want 3", n)
		}
	})
}

func TestScenarioRunIsNeverRetried(t *testing.T) {
	for _, fault := range []makefake.Fault{
		{Status: 500},
		{Status: 503, RetryAfter: "1"},
		{Status: 429, RetryAfter: "1"},
		{Reset: true},
	} {
		synctest.Test(t, func(t *testing.T) {
			f := newFake(t, makefake.Options{})
			fault.Method, fault.Path, fault.Count = "POST", scenarioPath+"/run", 1
			f.Inject(fault)
			c := inProcess(t, f)
			_, err := c.RunScenario(t.Context(), 5001, makeapi.RunRequest{Data: json.RawMessage(`{"name":"Ada"}`), Responsive: true})
			if err == nil {
				t.Fatalf("run with fault %+v succeeded", fault)
			}
			if n := f.Count("POST", scenarioPath+"/run"); n != 1 {
				t.Fatalf("fault %+v: %d run requests, want exactly 1", fault, n)
			}
		})
	}
}

func TestCreateIsRetriedOnlyAfterRateLimit(t *testing.T) {
	create := func(c *makeapi.Client, ctx context.Context) error {
		_, err := c.Do(ctx, makeapi.Request{Method: "POST", Path: "/hooks?useDefaults=requiredOnly", Effect: makeapi.Creates,
			Body: json.RawMessage(`{"name": "Orders", "teamId": 3001, "typeName": "gateway-webhook"}`), Answer: "hook"})
		return err
	}
	synctest.Test(t, func(t *testing.T) {
		f := newFake(t, makefake.Options{})
		f.Inject(makefake.Fault{Method: "POST", Path: "/api/v2/hooks", Count: 1, Status: 429})
		if err := create(inProcess(t, f), t.Context()); err != nil {
			t.Fatalf("create after a 429: %v", err)
		}
		if n := f.Count("POST", "/api/v2/hooks"); n != 2 {
			t.Fatalf("%d create requests after a 429, want 2", n)
		}
	})
	synctest.Test(t, func(t *testing.T) {
		f := newFake(t, makefake.Options{})
		f.Inject(makefake.Fault{Method: "POST", Path: "/api/v2/hooks", Count: 1, Status: 500})
		err := create(inProcess(t, f), t.Context())
		if errorsStatus(err) != 500 {
			t.Fatalf("create after a 500 = %v, want the 500", err)
		}
		if n := f.Count("POST", "/api/v2/hooks"); n != 1 {
			t.Fatalf("%d create requests after a 500, want 1: a retry could create the hook twice", n)
		}
	})
}

func errorsStatus(err error) int {
	var e *makeapi.Error
	if errors.As(err, &e) {
		return e.Status
	}
	return 0
}

func TestSlowAnswerTimesOutAndIsRetried(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFake(t, makefake.Options{})
		f.Inject(makefake.Fault{Method: "GET", Path: scenarioPath, Count: 1, Delay: 10 * time.Minute})
		c := inProcess(t, f, func(o *makeapi.Options) { o.Timeout = 2 * time.Second })
		start := time.Now()
		if _, err := c.GetScenario(t.Context(), 5001); err != nil {
			t.Fatal(err)
		}
		if waited := time.Since(start); waited < 2*time.Second || waited > 3*time.Second {
			t.Fatalf("took %v, want the 2s timeout plus one backoff", waited)
		}
	})
	synctest.Test(t, func(t *testing.T) {
		f := newFake(t, makefake.Options{})
		f.Inject(makefake.Fault{Method: "GET", Path: scenarioPath, Delay: 10 * time.Minute})
		c := inProcess(t, f, func(o *makeapi.Options) { o.Timeout = 2 * time.Second; o.MaxAttempts = 2 })
		_, err := c.GetScenario(t.Context(), 5001)
		if !errors.Is(err, makeapi.ErrTimeout) || errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("err = %v, want ErrTimeout and not the caller's deadline", err)
		}
		if !strings.Contains(err.Error(), "no answer within 2s") {
			t.Fatalf("err = %q, want it to say how long it waited", err)
		}
	})
}

func TestTokenErrorsAreReturnedWrappedAndNotRetried(t *testing.T) {
	errExpired := errors.New("session expired: run `makemcp login`")
	f := newFake(t, makefake.Options{})
	ts := &tokens{err: errExpired}
	c := inProcess(t, f, func(o *makeapi.Options) { o.Tokens = ts })
	_, err := c.GetScenario(t.Context(), 5001)
	if !errors.Is(err, errExpired) {
		t.Fatalf("err = %v, want the token source's error in the chain", err)
	}
	if !strings.Contains(err.Error(), "session expired: run `makemcp login`") {
		t.Fatalf("err = %q lost the token source's message", err)
	}
	if n := ts.calls.Load(); n != 1 {
		t.Fatalf("token source asked %d times, want 1 (no retries)", n)
	}
	if n := len(f.Requests()); n != 0 {
		t.Fatalf("%d requests sent without a credential", n)
	}
}

func TestTokenIsFetchedForEveryAttempt(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFake(t, makefake.Options{})
		f.Inject(makefake.Fault{Method: "GET", Path: scenarioPath, Count: 2, Status: 503})
		ts := demoTokens()
		c := inProcess(t, f, func(o *makeapi.Options) { o.Tokens = ts })
		if _, err := c.GetScenario(t.Context(), 5001); err != nil {
			t.Fatal(err)
		}
		if n := ts.calls.Load(); n != 3 {
			t.Fatalf("token source asked %d times for 3 attempts, want 3 so that a refreshed token is used at once", n)
		}
	})
}

// A Make that never answers: the whole call, retries included, ends
// before an MCP host's 60 s tool timeout, and says Make did not answer.
func TestWholeCallIsBounded(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFake(t, makefake.Options{})
		f.Inject(makefake.Fault{Method: "GET", Path: scenarioPath, Delay: time.Hour})
		c := inProcess(t, f)
		start := time.Now()
		_, err := c.GetScenario(t.Context(), 5001)
		if took := time.Since(start); took != makeapi.DefaultCallTimeout {
			t.Fatalf("took %v, want the call bound, %v", took, makeapi.DefaultCallTimeout)
		}
		if makeapi.DefaultCallTimeout >= 60*time.Second {
			t.Fatalf("DefaultCallTimeout %v is not below an MCP host's 60 s", makeapi.DefaultCallTimeout)
		}
		if !errors.Is(err, makeapi.ErrTimeout) || !strings.Contains(err.Error(), "Make did not answer within 45s") {
			t.Fatalf("err = %v, want ErrTimeout saying Make did not answer", err)
		}
		if n := f.Count("GET", scenarioPath); n != 2 {
			t.Fatalf("%d attempts, want 2 (30 s, then what is left)", n)
		}
	})
}

// A responsive run waits for the run, as long as Make holds it, even
// past the call bound.
func TestRunIsNotBoundedByTheCallTimeout(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFake(t, makefake.Options{})
		f.Inject(makefake.Fault{Method: "POST", Path: scenarioPath + "/run", Count: 1, Delay: 50 * time.Second})
		c := inProcess(t, f)
		if _, err := c.RunScenario(t.Context(), 5001, makeapi.RunRequest{Data: json.RawMessage(`{"name":"Ada"}`), Responsive: true}); err != nil {
			t.Fatalf("a run answered after 50 s: %v", err)
		}
	})
}

func TestCallTimeoutOption(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFake(t, makefake.Options{})
		f.Inject(makefake.Fault{Method: "GET", Path: scenarioPath, Status: 503})
		c := inProcess(t, f, func(o *makeapi.Options) { o.CallTimeout = 2 * time.Second })
		start := time.Now()
		_, err := c.GetScenario(t.Context(), 5001)
		if errorsStatus(err) != 503 {
			t.Fatalf("err = %v, want the last 503: retries stop before the bound", err)
		}
		if took := time.Since(start); took > 2*time.Second {
			t.Fatalf("took %v, past the 2s bound", took)
		}
	})
}
