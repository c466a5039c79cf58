package e2e

import (
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/makemcp/makemcp/internal/testenv"
)

// The token lifecycle through the binary: refresh of an expired access
// token, several processes refreshing at once, a refresh token revoked
// at the server, and logout.

// shortTTL is the access tokens' lifetime where a test waits for one to
// expire: long enough for login to use its token, short enough to wait.
const shortTTL = 3 * time.Second

// loggedIn returns a machine logged in through a confidential client
// with rotating refresh tokens. Only login sees MAKEMCP_CLIENT_SECRET: the
// later commands refresh with what the credential carries, as a serve
// started by an MCP host would.
func loggedIn(t *testing.T, ttl time.Duration) *machine {
	t.Helper()
	opts, env := confidential(ttl)
	m := newMachine(t, machineOptions{keychain: true, oauth: opts})
	if r := m.loginNoBrowser(env, m.oauthArgs()...); r.Code != 0 {
		t.Fatalf("login: %s", r)
	}
	return m
}

func TestTokenRefreshesExpiredToken(t *testing.T) {
	t.Parallel()
	m := loggedIn(t, shortTTL)
	old := m.Credential("default")
	m.OAuth.WaitExpired(m.T, old.AccessToken)
	if code := m.acceptedByMake("Bearer", old.AccessToken); code != http.StatusUnauthorized {
		t.Fatalf("Make answers an expired token with %d, want 401", code)
	}
	before := m.OAuth.Stats(t)

	tok := strings.TrimSpace(m.ok("", "token").Stdout)
	if tok == old.AccessToken {
		t.Fatal("makemcp token printed the expired token")
	}
	if code := m.acceptedByMake("Bearer", tok); code != http.StatusOK {
		t.Errorf("Make answers the refreshed token with %d", code)
	}
	if st := m.OAuth.TokenStatus(m.T, tok); st != (testenv.TokenState{Kind: "access", Status: "active"}) {
		t.Errorf("makemcp token printed a token the OAuth server calls %+v", st)
	}
	if st := m.OAuth.Stats(t); st.Refreshes-before.Refreshes != 1 || st.RefreshesRejected != 0 {
		t.Errorf("OAuth server counted %d refreshes (%d rejected), want 1", st.Refreshes-before.Refreshes, st.RefreshesRejected)
	}
	// Persisted: the keychain holds the new tokens, and the old refresh
	// token is spent.
	now := m.Credential("default")
	if now.AccessToken != tok || now.RefreshToken == old.RefreshToken || now.RefreshToken == "" {
		t.Error("the keychain does not hold the refreshed access and refresh tokens")
	}
	if st := m.OAuth.TokenStatus(m.T, now.RefreshToken); st != (testenv.TokenState{Kind: "refresh", Status: "active"}) {
		t.Errorf("the stored refresh token is %+v", st)
	}
	if st := m.OAuth.TokenStatus(m.T, old.RefreshToken); st.Status != "used" {
		t.Errorf("the old refresh token is %+v, want used", st)
	}
	if code, oauthErr := m.refreshAt(old.RefreshToken); code != http.StatusBadRequest || oauthErr != "invalid_grant" {
		t.Errorf("refreshing with the old refresh token: %d %s, want 400 invalid_grant", code, oauthErr)
	}
}

func TestTokenRefreshRace(t *testing.T) {
	t.Parallel()
	m := loggedIn(t, shortTTL)
	old := m.Credential("default")
	m.OAuth.WaitExpired(m.T, old.AccessToken)
	before := m.OAuth.Stats(t)

	const n = 4
	results := make([]testenv.Result, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i], errs[i] = m.runEnv(nil, "", "token")
		}()
	}
	wg.Wait()

	for i, r := range results {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		tok := strings.TrimSpace(r.Stdout)
		if r.Code != 0 || tok == "" || tok == old.AccessToken {
			t.Errorf("process %d of %d: %s", i+1, n, r)
			continue
		}
		if st := m.OAuth.TokenStatus(m.T, tok); st != (testenv.TokenState{Kind: "access", Status: "active"}) {
			t.Errorf("process %d printed a token the OAuth server calls %+v", i+1, st)
		}
	}
	st := m.OAuth.Stats(t)
	if got := st.Refreshes - before.Refreshes; got != 1 || st.RefreshesRejected != before.RefreshesRejected {
		t.Errorf("%d concurrent makemcp token made %d refreshes (%d rejected), want exactly 1",
			n, got, st.RefreshesRejected-before.RefreshesRejected)
	}
	if now := m.Credential("default"); m.OAuth.TokenStatus(m.T, now.RefreshToken).Status != "active" {
		t.Error("after the race the keychain holds a refresh token that is not active")
	}
}

func TestTokenRevokedRefreshToken(t *testing.T) {
	t.Parallel()
	m := loggedIn(t, shortTTL)
	cred := m.Credential("default")
	m.OAuth.Revoke(m.T, cred.RefreshToken)
	m.OAuth.WaitExpired(m.T, cred.AccessToken)

	r := m.run("", "token")
	oneErrorLine(t, r, "Error: session expired: run makemcp login")
	if r.Stdout != "" {
		t.Errorf("token printed %q on stdout", r.Stdout)
	}
	// The credential stays: deleting it would hide which account to log
	// in to again, and a refresh that failed for a passing reason must
	// not log the user out.
	if now := m.Credential("default"); now.RefreshToken != cred.RefreshToken {
		t.Error("the stored credential changed after a failed refresh")
	}
	if got, r := m.statusJSON(); r.Code != 0 || got["loggedIn"] != true {
		t.Errorf("status after the refresh failed: %s", r)
	}
}

func TestLogout(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		opts    *testenv.OAuthServerOptions
		env     []string
		revoked func(*testenv.StoredCredential) string // the token logout revokes
	}{
		{"public client", &testenv.OAuthServerOptions{Refresh: "none"}, nil,
			func(c *testenv.StoredCredential) string { return c.AccessToken }},
		{"confidential client", &testenv.OAuthServerOptions{ClientSecret: clientSecret}, []string{"MAKEMCP_CLIENT_SECRET=" + clientSecret},
			func(c *testenv.StoredCredential) string { return c.RefreshToken }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			m := newMachine(t, machineOptions{keychain: true, oauth: c.opts})
			if r := m.loginNoBrowser(c.env, m.oauthArgs()...); r.Code != 0 {
				t.Fatalf("login: %s", r)
			}
			cred := m.Credential("default")

			r := m.ok("", "logout")
			if !strings.Contains(r.Stderr, "Revoked the token") || !strings.Contains(r.Stderr, `Logged out of profile "default"`) {
				t.Errorf("logout does not say it revoked and logged out:\n%s", r)
			}
			if st := m.OAuth.TokenStatus(m.T, c.revoked(cred)); st.Status != "revoked" {
				t.Errorf("after logout the OAuth server calls the token %+v, want revoked", st)
			}
			if items := m.KeychainAccounts(); len(items) != 0 {
				t.Errorf("logout left keychain items %v", items)
			}
			if p := m.configProfiles(); len(p) != 0 {
				t.Errorf("logout left profiles %v in config.json", p)
			}
			r = m.run("", "status", "--json")
			if r.Code != 1 || strings.TrimSpace(r.Stdout) != `{"loggedIn": false}` {
				t.Errorf("status --json after logout: %s", r)
			}
			r = m.run("", "status")
			if r.Code != 1 || !strings.Contains(r.Stderr, "makemcp login") {
				t.Errorf("status after logout: %s", r)
			}
			r = m.run("", "token")
			if r.Code != 1 || r.Stdout != "" || !strings.Contains(r.Stderr, "run makemcp login") {
				t.Errorf("token after logout: %s", r)
			}
		})
	}
}
