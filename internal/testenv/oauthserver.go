package testenv

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// OAuthServerOptions configure StartOAuthServer. Zero values are the
// defaults of test/oauth-server.mjs.
type OAuthServerOptions struct {
	// ClientID is the only client the server knows (default "makemcp-test").
	ClientID string
	// ClientSecret makes the client confidential: every token and revoke
	// request must carry it as client_secret_post.
	ClientSecret string
	// AccessTTL is the access tokens' lifetime (default 1 h; whole seconds).
	AccessTTL time.Duration
	// Refresh is "rotate" (default: single-use refresh tokens, a new one
	// on every refresh), "keep" (refresh answers carry no refresh token
	// and the old one stays valid) or "none" (no refresh tokens at all).
	Refresh string
	// Deny answers every authorization request with access_denied.
	Deny bool
}

// OAuthServer is a running test/oauth-server.mjs: oauth2-mock-server
// made strict (single-use PKCE-bound codes, rotated single-use refresh
// tokens, real revocation).
type OAuthServer struct {
	// URL is the issuer; its endpoints are discovered from
	// URL/.well-known/openid-configuration.
	URL          string
	ClientID     string
	ClientSecret string

	cmd    *exec.Cmd
	stdin  io.Closer
	stderr *LockedBuffer
}

// OAuthStats are the server's counters.
type OAuthStats struct {
	Authorizations    int `json:"authorizations"`
	CodeExchanges     int `json:"codeExchanges"`
	Refreshes         int `json:"refreshes"`
	RefreshesRejected int `json:"refreshesRejected"`
	TokenRejected     int `json:"tokenRejected"`
	Revocations       int `json:"revocations"`
	Userinfo          int `json:"userinfo"`
}

// StartOAuthServer starts test/oauth-server.mjs on a free loopback port
// and stops it when the test ends. Without Node or the npm packages it
// ends the test through Missing.
func StartOAuthServer(t testing.TB, opts OAuthServerOptions) *OAuthServer {
	t.Helper()
	NodeModules(t)
	s, err := LaunchOAuthServer(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		s.Stop()
		if t.Failed() && s.stderr.Len() > 0 {
			t.Logf("oauth-server.mjs stderr:\n%s", s.stderr.String())
		}
	})
	return s
}

// LaunchOAuthServer starts test/oauth-server.mjs, as StartOAuthServer does,
// for a program that is not a test (the benchmark); Stop ends it.
func LaunchOAuthServer(opts OAuthServerOptions) (*OAuthServer, error) {
	if opts.ClientID == "" {
		opts.ClientID = "makemcp-test"
	}
	args := []string{TestScript("oauth-server.mjs"), "--watch-stdin", "--client-id", opts.ClientID}
	if opts.ClientSecret != "" {
		args = append(args, "--client-secret", opts.ClientSecret)
	}
	if opts.AccessTTL > 0 {
		args = append(args, "--access-ttl", strconv.Itoa(int(opts.AccessTTL/time.Second)))
	}
	if opts.Refresh != "" {
		args = append(args, "--refresh", opts.Refresh)
	}
	if opts.Deny {
		args = append(args, "--deny")
	}
	cmd := exec.Command("node", args...)
	cmd.Dir = filepath.Join(RepoRoot(), "test")
	s := &OAuthServer{ClientID: opts.ClientID, ClientSecret: opts.ClientSecret, cmd: cmd, stderr: &LockedBuffer{Max: 1 << 20}}
	cmd.Stderr = s.stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	s.stdin = stdin
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start oauth-server.mjs: %w", err)
	}
	line := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		if sc.Scan() {
			line <- sc.Text()
		}
		close(line)
		_, _ = io.Copy(io.Discard, stdout)
	}()
	select {
	case u, ok := <-line:
		if !ok || !strings.HasPrefix(u, "http://127.0.0.1:") {
			s.Stop()
			return nil, fmt.Errorf("oauth-server.mjs did not start: %q\n%s", u, s.stderr.String())
		}
		s.URL = u
		return s, nil
	case <-time.After(30 * time.Second):
		s.Stop()
		return nil, fmt.Errorf("oauth-server.mjs did not print its URL within 30 s\n%s", s.stderr.String())
	}
}

// Stop closes the server's stdin, on which it exits (--watch-stdin), and
// kills it if it has not within 5 s.
func (s *OAuthServer) Stop() {
	_ = s.stdin.Close()
	done := make(chan struct{})
	go func() { _ = s.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		_ = s.cmd.Process.Kill()
		<-done
	}
}

// Stats returns the server's counters.
func (s *OAuthServer) Stats(t testing.TB) OAuthStats {
	t.Helper()
	var st OAuthStats
	s.getJSON(t, http.MethodGet, "/_admin/stats", nil, &st)
	return st
}

// ReadStats returns the server's counters, for a program that is not a
// test.
func (s *OAuthServer) ReadStats() (OAuthStats, error) {
	var st OAuthStats
	err := s.fetchJSON(http.MethodGet, "/_admin/stats", nil, &st)
	return st, err
}

// TokenStatus says what the server thinks of a token: its kind, and
// "active", "used" (a spent refresh token), "revoked", "expired" or
// "unknown".
func (s *OAuthServer) TokenStatus(t testing.TB, token string) TokenState {
	t.Helper()
	st, err := s.State(token)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// Userinfo calls the userinfo endpoint with the access token and returns
// the HTTP status: 200 for a live token, 401 otherwise.
func (s *OAuthServer) Userinfo(t testing.TB, accessToken string) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, s.URL+"/userinfo", nil)
	req.Header.Set("Authorization", "Bearer "+accessToken)
	resp, err := httpClient.Do(req)
	if err != nil {
		t.Fatalf("userinfo: %v", err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// Authorize plays a browser that the server needs no login page for:
// it follows the authorization URL to the redirect URI. It suits
// auth.LoginOptions.OpenBrowser where Chromium is not the point.
func (s *OAuthServer) Authorize(authURL string) error { return Follow(authURL) }

// Follow opens a URL as a browser would, following redirects to the end,
// and says what answered if the end is not 200 OK.
func Follow(u string) error {
	resp, err := httpClient.Get(u)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s answered %s: %.300s", resp.Request.URL, resp.Status, body)
	}
	return nil
}

// Revoke revokes a token (RFC 7009) as the server's client, as an admin
// or another device would.
func (s *OAuthServer) Revoke(t testing.TB, token string) {
	t.Helper()
	form := url.Values{"token": {token}, "client_id": {s.ClientID}}
	if s.ClientSecret != "" {
		form.Set("client_secret", s.ClientSecret)
	}
	resp, err := httpClient.PostForm(s.URL+"/revoke", form)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("revoke: %s", resp.Status)
	}
}

func (s *OAuthServer) getJSON(t testing.TB, method, path string, form url.Values, v any) {
	t.Helper()
	if err := s.fetchJSON(method, path, form, v); err != nil {
		t.Fatal(err)
	}
}

func (s *OAuthServer) fetchJSON(method, path string, form url.Values, v any) error {
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, _ := http.NewRequest(method, s.URL+path, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := httpClient.Do(req)
	if err != nil {
		return fmt.Errorf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		return fmt.Errorf("%s %s: %v", method, path, err)
	}
	return nil
}

// httpClient bounds every request the launchers make.
var httpClient = &http.Client{Timeout: 30 * time.Second}

// TokenState is what the server says of a token.
type TokenState struct {
	Kind   string `json:"kind"`   // access, refresh or unknown
	Status string `json:"status"` // active, used, revoked, expired or unknown
}

// State asks the server about a token. It does not end the test, so that
// a fake Make's handler may call it.
func (s *OAuthServer) State(token string) (TokenState, error) {
	var st TokenState
	err := s.fetchJSON(http.MethodPost, "/_admin/token-status", url.Values{"token": {token}}, &st)
	return st, err
}

// AcceptsAccessToken is a fake Make's check of a Bearer token, as Make
// checks its own: nil while the server calls token a live access token,
// so expired and revoked tokens get 401.
func (s *OAuthServer) AcceptsAccessToken(token string) error {
	st, err := s.State(token)
	if err != nil {
		return err
	}
	if st.Kind != "access" || st.Status != "active" {
		return fmt.Errorf("%s %s token", st.Status, st.Kind)
	}
	return nil
}

// WaitExpired waits until the server counts the access token as expired
// (tests use lifetimes of a few seconds).
func (s *OAuthServer) WaitExpired(t testing.TB, accessToken string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		st, err := s.State(accessToken)
		if err != nil {
			t.Fatal(err)
		}
		if st.Status == "expired" {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the access token is still %q after 30 s", st.Status)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
