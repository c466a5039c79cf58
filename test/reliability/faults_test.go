package reliability

import (
	"bytes"
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/makemcp/makemcp/internal/testenv"
	"github.com/makemcp/makemcp/makeapi"
	"github.com/makemcp/makemcp/makeapi/makefake"
)

// The retry policy the bounds below follow (makeapi/retry.go): at most
// makeapi.DefaultMaxAttempts attempts, at most DefaultMaxRetryWait of
// waiting between them, Retry-After obeyed; 5xx, resets and timeouts are
// retried only for calls that are safe to repeat; one attempt waits at
// most makeapi.DefaultTimeout; one refresh at most
// auth.DefaultRefreshTimeout (30 s).
const (
	// backoffBudget is the most the backoff waits of one call add up to
	// when Make gives no Retry-After: 0.5 + 1 + 2 s, with room to spare.
	backoffBudget = 10 * time.Second
	// attemptTimeout is makeapi.DefaultTimeout; refreshTimeout is
	// auth.DefaultRefreshTimeout.
	attemptTimeout = makeapi.DefaultTimeout
	refreshTimeout = 30 * time.Second
	// slack covers starting processes and a loaded machine.
	slack = 5 * time.Second
)

// faultCase is one fault, on a machine of its own.
type faultCase struct {
	name string
	run  func(t *testing.T)
	// long cases wait out a timeout of makemcp's: they start first.
	long bool
}

// TestFaults runs every fault case. The cases run at once (they spend
// most of their time waiting out their fault), each with its own
// makemcp, fake Make, OAuth server and keychain.
func TestFaults(t *testing.T) {
	t.Parallel()
	var cases []faultCase
	cases = append(cases, makeFaults()...)
	cases = append(cases, oauthFaults()...)
	cases = append(cases, keychainFaults()...)
	slices.SortStableFunc(cases, func(a, b faultCase) int {
		switch {
		case a.long == b.long:
			return 0
		case a.long:
			return -1
		}
		return 1
	})
	// t.Run from several goroutines: the cases are not t.Parallel, so
	// -parallel (2 on CI's two cores) does not queue the waits.
	sem := make(chan struct{}, 8)
	var wg sync.WaitGroup
	for _, c := range cases {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			t.Run(c.name, c.run)
		}()
	}
	wg.Wait()
}

// serving is a machine logged in (file store, long-lived tokens) with
// serve running and one call made, and the credential as stored then.
func serving(t *testing.T, o machineOptions) (*machine, *served, []byte) {
	t.Helper()
	m := newMachine(t, o)
	m.login()
	s := m.serve(nil, "--toolsets", "all")
	s.ok("users_me", nil)
	return m, s, m.Stored("default")
}

// unchanged checks that the stored credential is byte for byte what it
// was.
func (m *machine) unchanged(before []byte) {
	m.T.Helper()
	now := m.Stored("default")
	if now == nil {
		m.T.Fatal("the stored credential is gone")
	}
	if !bytes.Equal(now, before) {
		m.T.Errorf("the stored credential changed:\nbefore %d bytes\nafter  %d bytes", len(before), len(now))
	}
}

const scenarios = "/api/v2/scenarios"

func makeFaults() []faultCase {
	// recovers checks what every Make fault case ends with: serve is up,
	// the call works once the fault is cleared, the credential is as it
	// was.
	recovers := func(m *machine, s *served, before []byte, tool string, args any) {
		m.T.Helper()
		s.alive()
		m.Make.ClearFaults()
		m.Make.SetSlowBody(nil)
		s.ok(tool, args)
		m.unchanged(before)
	}
	attempts := func(m *machine, method, path string, want int) {
		m.T.Helper()
		if got := m.Make.Count(method, path); got != want {
			m.T.Errorf("Make received %d %s %s, want %d", got, method, path, want)
		}
	}
	create := map[string]any{"scheduling": map[string]any{"type": "on-demand"}, "blueprint": map[string]any{"name": "Reliability", "flow": []any{}}}
	return []faultCase{
		{name: "make/429 burst within the retry budget", run: func(t *testing.T) {
			m, s, before := serving(t, machineOptions{})
			m.Make.ResetRequests()
			m.Make.Inject(makefake.Fault{Method: "GET", Path: scenarios, Count: 2, Status: 429, RetryAfter: "1"})
			s.ok("scenarios_list", nil)
			attempts(m, "GET", scenarios, 3)
			recovers(m, s, before, "scenarios_list", nil)
		}},
		{name: "make/429 burst longer than the retry budget", run: func(t *testing.T) {
			m, s, before := serving(t, machineOptions{})
			m.Make.ResetRequests()
			m.Make.Inject(makefake.Fault{Method: "GET", Path: scenarios, Status: 429, RetryAfter: "1"})
			s.fails("scenarios_list", nil, 3*time.Second+backoffBudget, "429", "try again")
			attempts(m, "GET", scenarios, makeapi.DefaultMaxAttempts)
			recovers(m, s, before, "scenarios_list", nil)
		}},
		{name: "make/429 asking for a wait beyond the budget", run: func(t *testing.T) {
			m, s, before := serving(t, machineOptions{})
			m.Make.ResetRequests()
			m.Make.Inject(makefake.Fault{Method: "GET", Path: scenarios, Status: 429, RetryAfter: "120"})
			s.fails("scenarios_list", nil, slack, "429", "try again")
			attempts(m, "GET", scenarios, 1) // no wait it cannot finish is started
			recovers(m, s, before, "scenarios_list", nil)
		}},
		// A 429 whose body is not Make's (a gateway's page) must still tell
		// the model to wait, and for how long when the answer said.
		{name: "make/429 from a gateway names the wait", run: func(t *testing.T) {
			m, s, before := serving(t, machineOptions{})
			m.Make.Inject(makefake.Fault{Method: "GET", Path: scenarios, Status: 429, RetryAfter: "120",
				Body: []byte("<html><body>Too Many Requests</body></html>"), ContentType: "text/html"})
			s.fails("scenarios_list", nil, slack, "429", "wait")
			recovers(m, s, before, "scenarios_list", nil)
		}},
		{name: "make/5xx on every attempt", run: func(t *testing.T) {
			m, s, before := serving(t, machineOptions{})
			m.Make.ResetRequests()
			m.Make.Inject(makefake.Fault{Method: "GET", Path: scenarios, Status: 500})
			s.fails("scenarios_list", nil, backoffBudget, "Make API", "500")
			attempts(m, "GET", scenarios, makeapi.DefaultMaxAttempts)
			recovers(m, s, before, "scenarios_list", nil)
		}},
		{name: "make/5xx burst", run: func(t *testing.T) {
			m, s, before := serving(t, machineOptions{})
			m.Make.ResetRequests()
			m.Make.Inject(makefake.Fault{Method: "GET", Path: scenarios, Count: 2, Status: 503})
			s.ok("scenarios_list", nil)
			attempts(m, "GET", scenarios, 3)
			recovers(m, s, before, "scenarios_list", nil)
		}},
		{name: "make/5xx on a creation is not repeated", run: func(t *testing.T) {
			m, s, before := serving(t, machineOptions{})
			m.Make.ResetRequests()
			m.Make.Inject(makefake.Fault{Method: "POST", Path: scenarios, Status: 502})
			s.fails("scenarios_create", create, slack, "Make API", "502")
			attempts(m, "POST", scenarios, 1)
			recovers(m, s, before, "scenarios_create", create)
		}},
		{name: "make/connection reset on every attempt", run: func(t *testing.T) {
			m, s, before := serving(t, machineOptions{})
			m.Make.ResetRequests()
			m.Make.Inject(makefake.Fault{Method: "GET", Path: scenarios, Reset: true})
			s.fails("scenarios_list", nil, backoffBudget, "Make API")
			// Go's transport may resend a GET once by itself when a reused
			// connection dies before any answer.
			if n := m.Make.Count("GET", scenarios); n < makeapi.DefaultMaxAttempts || n > 2*makeapi.DefaultMaxAttempts {
				t.Errorf("Make received %d GET %s, want %d attempts", n, scenarios, makeapi.DefaultMaxAttempts)
			}
			recovers(m, s, before, "scenarios_list", nil)
		}},
		{name: "make/one connection reset", run: func(t *testing.T) {
			m, s, before := serving(t, machineOptions{})
			m.Make.Inject(makefake.Fault{Method: "GET", Path: scenarios, Count: 1, Reset: true})
			s.ok("scenarios_list", nil)
			recovers(m, s, before, "scenarios_list", nil)
		}},
		{name: "make/malformed JSON", run: func(t *testing.T) {
			m, s, before := serving(t, machineOptions{})
			m.Make.ResetRequests()
			m.Make.Inject(makefake.Fault{Method: "GET", Path: scenarios, MalformedJSON: true})
			s.fails("scenarios_list", nil, slack, "Make API", "malformed JSON")
			attempts(m, "GET", scenarios, 1)
			recovers(m, s, before, "scenarios_list", nil)
		}},
		{name: "make/slow answer", run: func(t *testing.T) {
			m, s, before := serving(t, machineOptions{})
			m.Make.Inject(makefake.Fault{Method: "GET", Path: scenarios, Count: 1, Delay: 2 * time.Second})
			s.ok("scenarios_list", nil)
			recovers(m, s, before, "scenarios_list", nil)
		}},
		{name: "make/slow body", run: func(t *testing.T) {
			m, s, before := serving(t, machineOptions{})
			m.Make.SetSlowBody(&testenv.SlowBody{Method: "GET", Path: scenarios, Every: 100 * time.Millisecond})
			s.ok("scenarios_list", nil)
			recovers(m, s, before, "scenarios_list", nil)
		}},
		{name: "make/body stalls on a creation", long: true, run: func(t *testing.T) {
			m, s, before := serving(t, machineOptions{})
			m.Make.ResetRequests()
			m.Make.SetSlowBody(&testenv.SlowBody{Method: "POST", Path: scenarios, Every: 10 * time.Millisecond, Stall: true})
			s.fails("scenarios_create", create, attemptTimeout+slack, "Make API", "no answer within")
			attempts(m, "POST", scenarios, 1)
			recovers(m, s, before, "scenarios_create", create)
		}},
		{name: "make/host cancels a slow call", run: func(t *testing.T) {
			m, s, before := serving(t, machineOptions{})
			m.Make.Inject(makefake.Fault{Method: "GET", Path: scenarios, Delay: time.Minute})
			ctx, cancel := context.WithTimeout(context.Background(), time.Second)
			_, err := s.cs.CallTool(ctx, mcpCall("scenarios_list"))
			cancel()
			if err == nil {
				t.Fatal("the cancelled call returned a result")
			}
			m.Make.WaitAbandoned(t, "GET "+scenarios, 10*time.Second)
			recovers(m, s, before, "scenarios_list", nil)
		}},
	}
}

// expiring is a machine with serve running whose access token expired
// after one call, so the next call must refresh; and the credential as
// stored then.
func expiring(t *testing.T, o machineOptions) (*machine, *served, *testenv.StoredCredential, []byte) {
	t.Helper()
	o.accessTTL = 2 * time.Second
	m := newMachine(t, o)
	m.login()
	s := m.serve(nil)
	s.ok("users_me", nil)
	old, raw := m.Credential("default"), m.Stored("default")
	m.OAuth.WaitExpired(m.T, old.AccessToken)
	return m, s, old, raw
}

func oauthFaults() []faultCase {
	return []faultCase{
		{name: "oauth/server down", run: func(t *testing.T) {
			m, s, old, before := expiring(t, machineOptions{})
			m.proxy.down()
			s.fails("users_me", nil, slack, "could not refresh the access token", "will retry")
			s.alive()
			m.unchanged(before)
			m.proxy.up(t)
			s.ok("users_me", nil)
			m.rotatedFrom(old)
		}},
		{name: "oauth/server answers 503", run: func(t *testing.T) {
			m, s, old, before := expiring(t, machineOptions{})
			m.proxy.setFault(tokenUnavailable)
			s.fails("users_me", nil, slack, "could not refresh the access token", "temporarily_unavailable")
			s.alive()
			m.unchanged(before)
			m.proxy.setFault(passThrough)
			s.ok("users_me", nil)
			m.rotatedFrom(old)
		}},
		{name: "oauth/server never answers", long: true, run: func(t *testing.T) {
			m, s, old, before := expiring(t, machineOptions{})
			m.proxy.setFault(tokenHangs)
			s.fails("users_me", nil, refreshTimeout+slack, "could not refresh the access token")
			s.alive()
			m.unchanged(before)
			m.proxy.setFault(passThrough)
			s.ok("users_me", nil)
			m.rotatedFrom(old)
		}},
		{name: "oauth/invalid_grant", run: func(t *testing.T) {
			m, s, old, _ := expiring(t, machineOptions{})
			m.OAuth.Revoke(t, old.RefreshToken)
			s.fails("users_me", nil, slack, "session expired", "makemcp login")
			s.alive()
			// The credential stays: it names the account to log in to
			// again. Its tokens are as they were; only the refusal is
			// recorded with them, so that no process sends the refused
			// refresh token again.
			if now := m.Credential("default"); now.AccessToken != old.AccessToken || now.RefreshToken != old.RefreshToken || !now.RefreshRejected {
				t.Error("after invalid_grant the stored credential is not the same tokens marked refreshRejected")
			}
			refreshes := m.proxy.answeredRefreshes()
			s.fails("users_me", nil, slack, "session expired")
			if m.proxy.answeredRefreshes() != refreshes {
				t.Error("serve asked the OAuth server again with a refresh token it had refused")
			}
			// Logging in again, in another process, clears it for the
			// running serve.
			m.login()
			s.ok("users_me", nil)
			now := m.Credential("default")
			if st := m.OAuth.TokenStatus(m.T, now.RefreshToken); st.Status != "active" {
				t.Errorf("after the new login the stored refresh token is %+v", st)
			}
		}},
	}
}

func keychainFaults() []faultCase {
	return []faultCase{
		{name: "keychain/locked at start", run: func(t *testing.T) {
			m := newMachine(t, machineOptions{keychain: true})
			m.login()
			before := m.Stored("default")
			m.Keyring.Lock(t)
			s := m.serve(nil)
			s.fails("users_me", nil, slack, "keychain", "locked", "--insecure-storage")
			s.alive()
			m.Keyring.Unlock(t)
			s.ok("users_me", nil)
			m.unchanged(before)
		}},
		{name: "keychain/locked when a refresh is due", run: func(t *testing.T) {
			m, s, old, before := expiring(t, machineOptions{keychain: true})
			m.Keyring.Lock(t)
			// Whether makemcp meets the expired token itself (a refresh) or
			// through Make's 401 (a reload), it must say what to do.
			s.fails("users_me", nil, slack, "keychain", "locked", "--insecure-storage")
			s.alive()
			m.Keyring.Unlock(t)
			m.unchanged(before)
			s.ok("users_me", nil)
			m.rotatedFrom(old)
		}},
		{name: "keychain/Secret Service gone", run: func(t *testing.T) {
			m := newMachine(t, machineOptions{keychain: true})
			m.login()
			before := m.Stored("default")
			m.Keyring.Kill(t)
			s := m.serve(nil)
			s.fails("users_me", nil, slack, "keychain", "Secret Service", "--insecure-storage")
			s.alive()
			m.Keyring.Start(t)
			s.ok("users_me", nil)
			m.unchanged(before)
		}},
		{name: "keychain/Secret Service gone when a refresh is due", run: func(t *testing.T) {
			m, s, old, before := expiring(t, machineOptions{keychain: true})
			m.Keyring.Kill(t)
			s.fails("users_me", nil, slack, "keychain", "Secret Service", "--insecure-storage")
			s.alive()
			m.Keyring.Start(t)
			m.unchanged(before)
			s.ok("users_me", nil)
			m.rotatedFrom(old)
		}},
		{name: "keychain/no D-Bus session", run: func(t *testing.T) {
			m := newMachine(t, machineOptions{keychain: true})
			m.login()
			before := m.Stored("default")
			// Without a session bus the keychain cannot come back in this
			// process: the error must say what to do instead.
			s := m.serve([]string{"DBUS_SESSION_BUS_ADDRESS="})
			s.fails("users_me", nil, slack, "keychain", "D-Bus", "--insecure-storage")
			s.alive()
			s.fails("users_me", nil, slack, "--insecure-storage")
			m.unchanged(before)
		}},
	}
}
