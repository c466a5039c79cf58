package e2e

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"time"

	"github.com/makemcp/makemcp/makeapi/makefake"
)

// The fake Make the tests' makemcp talks to.

// startMake starts the fake Make with the demo account over plain http.
// With an OAuth server, it accepts a Bearer token while that server says
// the token is a live access token, as Make does with its own: expired
// and revoked tokens get 401.
//
// The fake is served through a handler that notes every request whose
// client went away before the answer: a tool call makemcp cancelled.
func (m *machine) startMake() {
	m.t.Helper()
	opts := makefake.Options{Seed: makefake.Demo}
	if m.oauth != nil {
		opts.VerifyBearer = func(token string) ([]string, error) {
			m.leaks.Secret(token)
			if err := m.oauth.AcceptsAccessToken(token); err != nil {
				return nil, err
			}
			return makefake.AllScopes, nil
		}
	}
	fake, err := makefake.New(opts)
	if err != nil {
		m.t.Fatal(err)
	}
	m.fake = fake
	m.abandoned = &lockedLines{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fake.ServeHTTP(w, r)
		if r.Context().Err() != nil {
			m.abandoned.add(r.Method + " " + r.URL.Path)
		}
	}))
	m.makeURL = srv.URL
	m.t.Cleanup(func() {
		srv.CloseClientConnections()
		srv.Close()
	})
}

// zone is the fake Make's zone as --zone takes it, and host what makemcp
// reports as its zone.
func (m *machine) zone() string { return m.makeURL }
func (m *machine) host() string { return strings.TrimPrefix(m.makeURL, "http://") }

// waitReceived waits until Make has received a request.
func (m *machine) waitReceived(method, path string) {
	m.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for m.fake.Count(method, path) == 0 {
		if time.Now().After(deadline) {
			m.t.Fatalf("Make did not receive %s %s within 30 s", method, path)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// waitAbandoned waits until Make saw the client of a request go away
// before its answer, and fails the test if that does not happen within
// the hang guard.
func (m *machine) waitAbandoned(request string) {
	m.t.Helper()
	deadline := time.Now().Add(exitGuard)
	for !slices.Contains(m.abandoned.all(), request) {
		if time.Now().After(deadline) {
			m.t.Fatalf("Make is still serving %s: the call was not cancelled (abandoned: %v)", request, m.abandoned.all())
		}
		time.Sleep(20 * time.Millisecond)
	}
}
