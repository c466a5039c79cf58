package e2e

import (
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/makemcp/makemcp/internal/testenv"
	"github.com/makemcp/makemcp/makeapi/makefake"
)

// A person logs in at a shell: makemcp opens real Chromium at a real
// OAuth server, stores the credential in a real gnome-keyring, and the
// fake Make accepts the token while the OAuth server says it is live.

const clientSecret = "e2e-confidential-client-secret-0123456789"

// confidential is an OAuth server that knows makemcp as a confidential
// client with rotating refresh tokens, and the environment that gives
// login the secret.
func confidential(ttl time.Duration) (*testenv.OAuthServerOptions, []string) {
	return &testenv.OAuthServerOptions{ClientSecret: clientSecret, AccessTTL: ttl, Refresh: "rotate"},
		[]string{"MAKEMCP_CLIENT_SECRET=" + clientSecret}
}

// checkStatus checks `status --json` against its documented shape (docs/auth.md): exactly these
// keys, with these values, and expiresAt within [from, to] for OAuth.
func (m *machine) checkStatus(auth, storage string, refreshable bool, from, to time.Time) {
	m.T.Helper()
	got, r := m.statusJSON()
	if r.Code != 0 {
		m.T.Fatalf("status --json: %s", r)
	}
	if auth == "oauth" {
		s, _ := got["expiresAt"].(string)
		exp, err := time.Parse(time.RFC3339, s)
		if err != nil || exp.Before(from.Add(-time.Second)) || exp.After(to.Add(time.Second)) {
			m.T.Errorf("expiresAt = %q, want RFC 3339 between %s and %s", s, from.Format(time.RFC3339), to.Format(time.RFC3339))
		}
		delete(got, "expiresAt")
	}
	want := map[string]any{
		"loggedIn": true, "profile": "default", "auth": auth, "storage": storage, "zone": m.host(),
		"user":          map[string]any{"id": 1001.0, "name": "Dana Demo", "email": "dana@example.com"},
		"organizations": []any{map[string]any{"id": 2001.0, "name": "Acme Sandbox", "zone": m.host()}},
		"scopes":        anySlice(makefake.AllScopes),
		"toolsLeftOut":  map[string]any{},
		"refreshable":   refreshable,
	}
	if !reflect.DeepEqual(got, want) {
		g, _ := json.MarshalIndent(got, "", "  ")
		w, _ := json.MarshalIndent(want, "", "  ")
		m.T.Errorf("status --json (expiresAt aside):\n got %s\nwant %s", g, w)
	}
}

func anySlice(s []string) []any {
	out := make([]any, len(s))
	for i, v := range s {
		out[i] = v
	}
	return out
}

// acceptedByMake reports the status Make (the fake) answers GET /users/me
// with for an access token.
func (m *machine) acceptedByMake(scheme, token string) int {
	m.T.Helper()
	req, _ := http.NewRequest(http.MethodGet, m.Make.URL()+"/api/v2/users/me", nil)
	req.Header.Set("Authorization", scheme+" "+token)
	resp, err := httpClient.Do(req)
	if err != nil {
		m.T.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// checkUsersMe runs `makemcp tools call users_me` and checks it reached
// Make as the logged-in user.
func (m *machine) checkUsersMe(authUsed string) {
	m.T.Helper()
	r := m.ok("", "tools", "call", "users_me")
	var me struct {
		User     struct{ Email string }
		AuthUsed string
	}
	if err := json.Unmarshal([]byte(r.Stdout), &me); err != nil || me.User.Email != "dana@example.com" || me.AuthUsed != authUsed {
		m.T.Errorf("tools call users_me = %+v (%v), want Dana Demo over %s\n%s", me, err, authUsed, r)
	}
}

func TestLoginInBrowser(t *testing.T) {
	// Not parallel: the browser shim goes first on PATH (t.Setenv).
	cases := []struct {
		name        string
		secret      bool
		refreshable bool
	}{
		// Like Make's public clients: no refresh token.
		{"public client", false, false},
		{"confidential client", true, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			browser := testenv.Browser(t)
			opts := &testenv.OAuthServerOptions{Refresh: "none"}
			var env []string
			if c.secret {
				opts, env = confidential(0)
			}
			m := newMachine(t, machineOptions{keychain: true, oauth: opts, env: env})

			before := time.Now()
			r := m.ok("", append([]string{"login"}, m.oauthArgs()...)...)
			after := time.Now()
			page := browser.WaitPage(t, 1)[0]
			if !strings.Contains(page, "You are logged in to Make") {
				t.Errorf("Chromium ended on a page that does not say the login worked:\n%.500s", page)
			}
			if st := m.OAuth.Stats(t); st.Authorizations != 1 || st.CodeExchanges != 1 || st.TokenRejected != 0 {
				t.Errorf("OAuth server saw %+v, want one authorization and one code exchange", st)
			}
			if want := "Logged in to " + m.host() + " as Dana Demo (dana@example.com)"; !strings.Contains(r.Stderr, want) {
				t.Errorf("login does not say who logged in (%q):\n%s", want, r)
			}
			if !strings.Contains(r.Stderr, m.OAuth.URL+"/authorize?") {
				t.Errorf("login did not print the URL to stderr as well:\n%s", r)
			}
			if r.Stdout != "" {
				t.Errorf("login wrote to stdout: %q", r.Stdout)
			}

			m.checkStatus("oauth", "keychain", c.refreshable, before.Add(time.Hour), after.Add(time.Hour))
			if items := m.KeychainAccounts(); len(items) == 0 || items[0] != "default" {
				t.Errorf("secret-tool search --all service makemcp shows accounts %v, want the profile default", items)
			}
			cred := m.Credential("default")
			if (cred.RefreshToken != "") != c.refreshable {
				t.Errorf("stored refresh token present = %v, want %v", cred.RefreshToken != "", c.refreshable)
			}
			if c.refreshable {
				if st := m.OAuth.TokenStatus(m.T, cred.RefreshToken); st != (testenv.TokenState{Kind: "refresh", Status: "active"}) {
					t.Errorf("the stored refresh token is %+v at the OAuth server", st)
				}
			}

			tok := strings.TrimSpace(m.ok("", "token").Stdout)
			if st := m.OAuth.TokenStatus(m.T, tok); st != (testenv.TokenState{Kind: "access", Status: "active"}) {
				t.Errorf("makemcp token printed a token the OAuth server calls %+v", st)
			}
			if code := m.acceptedByMake("Bearer", tok); code != http.StatusOK {
				t.Errorf("Make answers the printed token with %d", code)
			}
			m.checkUsersMe("oauth")
		})
	}
}

func TestLoginNoBrowser(t *testing.T) {
	t.Parallel()
	// A browser that records being opened: --no-browser must not open it.
	shim := t.TempDir()
	opened := filepath.Join(shim, "opened")
	script := "#!/bin/sh\necho \"$@\" >> " + opened + "\n"
	for _, name := range []string{"xdg-open", "x-www-browser", "www-browser"} {
		if err := os.WriteFile(filepath.Join(shim, name), []byte(script), 0o700); err != nil {
			t.Fatal(err)
		}
	}
	m := newMachine(t, machineOptions{keychain: true, oauth: &testenv.OAuthServerOptions{Refresh: "none"},
		env: []string{"PATH=" + shim + string(os.PathListSeparator) + os.Getenv("PATH")}})
	r := m.loginNoBrowser(nil, m.oauthArgs()...)
	if r.Code != 0 {
		t.Fatalf("login --no-browser: %s", r)
	}
	if r.Stdout != "" {
		t.Errorf("login --no-browser wrote to stdout: %q", r.Stdout)
	}
	var authURL *url.URL
	for _, line := range strings.Split(r.Stderr, "\n") {
		if u, err := url.Parse(strings.TrimSpace(line)); err == nil && strings.HasPrefix(line, "    "+m.OAuth.URL) {
			authURL = u
		}
	}
	if authURL == nil {
		t.Fatalf("no authorization URL on a line of its own on stderr:\n%s", r.Stderr)
	}
	q := authURL.Query()
	redirect, _ := url.Parse(q.Get("redirect_uri"))
	if q.Get("code_challenge_method") != "S256" || q.Get("code_challenge") == "" || q.Get("state") == "" ||
		redirect == nil || redirect.Hostname() != "127.0.0.1" || redirect.Path != "/callback" {
		t.Errorf("authorization URL %s lacks PKCE S256, state or the loopback redirect", authURL)
	}
	if data, err := os.ReadFile(opened); err == nil {
		t.Errorf("login --no-browser opened a browser: %s", data)
	}
	if !strings.Contains(r.Stderr, "Logged in to "+m.host()) {
		t.Errorf("login --no-browser did not finish:\n%s", r)
	}
	if items := m.KeychainAccounts(); len(items) == 0 {
		t.Error("login --no-browser stored nothing in the keychain")
	}
}

func TestLoginWithToken(t *testing.T) {
	t.Parallel()

	t.Run("good token", func(t *testing.T) {
		t.Parallel()
		m := newMachine(t, machineOptions{keychain: true})
		m.Leaks.Secret(makefake.DemoToken)
		r := m.ok(makefake.DemoToken+"\n", "login", "--with-token", "--zone", m.zone())
		if !strings.Contains(r.Stderr, "Logged in to "+m.host()+" as Dana Demo") {
			t.Errorf("login --with-token does not say who logged in:\n%s", r)
		}
		m.checkStatus("api-token", "keychain", false, time.Time{}, time.Time{})
		if c := m.Credential("default"); c.Kind != "api-token" || c.AccessToken != makefake.DemoToken {
			t.Errorf("the keychain holds a %s credential, want the API token", c.Kind)
		}
		if tok := strings.TrimSpace(m.ok("", "token").Stdout); tok != makefake.DemoToken {
			t.Error("makemcp token does not print the stored API token")
		}
		m.checkUsersMe("token")
	})

	t.Run("bad token", func(t *testing.T) {
		t.Parallel()
		m := newMachine(t, machineOptions{keychain: true})
		bad := "0badc0de-0000-4000-8000-000000000000"
		m.Leaks.Secret(bad)
		r := m.run(bad+"\n", "login", "--with-token", "--zone", m.zone())
		oneErrorLine(t, r, "Make refused this API token")
		if items := m.KeychainAccounts(); len(items) != 0 {
			t.Errorf("a refused token was stored: keychain items %v", items)
		}
		if p := m.configProfiles(); len(p) != 0 {
			t.Errorf("a refused token left profiles %v in config.json", p)
		}
		if r := m.run("", "status", "--json"); r.Code != 1 || strings.TrimSpace(r.Stdout) != `{"loggedIn": false}` {
			t.Errorf("status after a refused token: %s", r)
		}
	})

	t.Run("token as an argument", func(t *testing.T) {
		t.Parallel()
		m := newMachine(t, machineOptions{keychain: true})
		m.Leaks.Secret(makefake.DemoToken)
		for _, args := range [][]string{
			{"login", "--with-token", makefake.DemoToken},
			{"login", "--token", makefake.DemoToken},
			{"login", "--with-token=" + makefake.DemoToken},
		} {
			r := m.run("", append(args, "--zone", m.zone())...)
			if r.Code == 0 {
				t.Errorf("makemcp %s succeeded: a token must come on stdin", strings.Join(args, " "))
			}
		}
		if items := m.KeychainAccounts(); len(items) != 0 {
			t.Errorf("a token given as an argument was stored: %v", items)
		}
	})
}

func TestLoginWithoutKeychain(t *testing.T) {
	t.Parallel()
	if _, err := os.Stat("/run/user/" + strconv.Itoa(os.Getuid()) + "/bus"); err == nil {
		testenv.Missing(t, "a machine without a D-Bus session", "/run/user/<uid>/bus exists, so makemcp would find a session bus")
	}
	opts, env := confidential(0)
	m := newMachine(t, machineOptions{keychain: false, oauth: opts, env: env})
	r := m.loginNoBrowser(nil, m.oauthArgs()...)
	endsWithErrorLine(t, r, "--insecure-storage")
	if p := m.configProfiles(); len(p) != 0 {
		t.Errorf("a login that stored nothing left profiles %v in config.json", p)
	}

	before := time.Now()
	r = m.loginNoBrowser(nil, append(m.oauthArgs(), "--insecure-storage")...)
	if r.Code != 0 {
		t.Fatalf("login --insecure-storage: %s", r)
	}
	after := time.Now()
	if !strings.Contains(r.Stderr, "Warning: the credential is in a plain file") {
		t.Errorf("login --insecure-storage does not warn about the plain file:\n%s", r)
	}
	m.checkStatus("oauth", "file", true, before.Add(time.Hour), after.Add(time.Hour))
	fi, err := os.Stat(m.CredentialFile("default"))
	if err != nil {
		t.Fatalf("no credential file: %v", err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("credential file mode %v, want 0600", fi.Mode().Perm())
	}
	if di, err := os.Stat(filepath.Dir(m.CredentialFile("default"))); err != nil || di.Mode().Perm()&0o077 != 0 {
		t.Errorf("credential folder mode %v (%v), want no access for others", di.Mode().Perm(), err)
	}
	c, _ := m.FileCredential("default")
	if c == nil || c.RefreshToken == "" {
		t.Fatal("the credential file holds no refresh token")
	}
	tok := strings.TrimSpace(m.ok("", "token").Stdout)
	if code := m.acceptedByMake("Bearer", tok); code != http.StatusOK {
		t.Errorf("Make answers the token from the file store with %d", code)
	}
}

func TestEnvToken(t *testing.T) {
	t.Parallel()
	m := newMachine(t, machineOptions{keychain: true})
	m.Leaks.Secret(makefake.DemoToken)
	m.Env = append(m.Env, "MAKE_API_TOKEN="+makefake.DemoToken, "MAKEMCP_ZONE="+m.zone())
	m.checkStatus("api-token", "env", false, time.Time{}, time.Time{})
	if tok := strings.TrimSpace(m.ok("", "token").Stdout); tok != makefake.DemoToken {
		t.Error("makemcp token does not print MAKE_API_TOKEN")
	}
	m.checkUsersMe("token")
	if items := m.KeychainAccounts(); len(items) != 0 {
		t.Errorf("MAKE_API_TOKEN was written to the keychain: %v", items)
	}
}
