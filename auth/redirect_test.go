package auth

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/makemcp/makemcp/keychain"
)

// redirectingIssuer is an issuer whose token and revocation endpoints
// answer every request with a redirect to another server, which records
// what reaches it. No real OAuth server does this; a hostile or
// misconfigured one (or a proxy in front of it) may.
type redirectingIssuer struct {
	URL string

	mu       sync.Mutex
	received []string // what reached the other server: method, path, body
}

func startRedirectingIssuer(t *testing.T, status int) *redirectingIssuer {
	t.Helper()
	ri := &redirectingIssuer{}
	elsewhere := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		ri.mu.Lock()
		ri.received = append(ri.received, r.Method+" "+r.URL.Path+" "+string(b))
		ri.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"access_token":"stolen","token_type":"Bearer","expires_in":3600}`))
	}))
	t.Cleanup(elsewhere.Close)
	var issuer *httptest.Server
	issuer = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/.well-known/openid-configuration":
			json.NewEncoder(w).Encode(map[string]string{
				"issuer": issuer.URL, "authorization_endpoint": issuer.URL + "/authorize",
				"token_endpoint": issuer.URL + "/token", "revocation_endpoint": issuer.URL + "/revoke",
			})
		default:
			http.Redirect(w, r, elsewhere.URL+r.URL.Path, status)
		}
	}))
	t.Cleanup(issuer.Close)
	ri.URL = issuer.URL
	return ri
}

func (ri *redirectingIssuer) checkNothingFollowed(t *testing.T) {
	t.Helper()
	ri.mu.Lock()
	defer ri.mu.Unlock()
	if len(ri.received) > 0 {
		t.Fatalf("the redirect was followed: the other server received %q", ri.received)
	}
}

func TestTokenRequestsFollowNoRedirect(t *testing.T) {
	for _, status := range []int{http.StatusTemporaryRedirect, http.StatusPermanentRedirect, http.StatusFound} {
		t.Run(http.StatusText(status), func(t *testing.T) {
			t.Run("revoke", func(t *testing.T) {
				ri := startRedirectingIssuer(t, status)
				err := Revoke(t.Context(), nil, &keychain.Credential{Kind: keychain.OAuth, Issuer: ri.URL,
					ClientID: "c", ClientSecret: "client-secret", AccessToken: "a", RefreshToken: "refresh-secret"})
				if err == nil || !strings.Contains(err.Error(), "follows no redirect") || strings.Contains(err.Error(), "secret") {
					t.Fatalf("err = %v, want the redirect refused, without a secret", err)
				}
				ri.checkNothingFollowed(t)
			})
			t.Run("refresh", func(t *testing.T) {
				ri := startRedirectingIssuer(t, status)
				store := newMemStore()
				store.put("p", keychain.Credential{Kind: keychain.OAuth, Issuer: ri.URL, ClientID: "c", ClientSecret: "client-secret",
					AccessToken: "a", RefreshToken: "refresh-secret", Expiry: time.Now().Add(-time.Minute)})
				src := NewSource(SourceOptions{Store: store, Profile: "p"})
				if tok, err := src.Token(t.Context()); err == nil {
					t.Fatalf("refresh through a redirect gave token %q", tok.AccessToken)
				}
				ri.checkNothingFollowed(t)
			})
			t.Run("code exchange", func(t *testing.T) {
				ri := startRedirectingIssuer(t, status)
				_, err := Login(t.Context(), LoginOptions{Issuer: ri.URL, ClientID: "c", ClientSecret: "client-secret",
					Scopes: testScopes, Port: 0, Stderr: io.Discard, Timeout: 30 * time.Second,
					OpenBrowser: func(authURL string) error {
						// The browser comes back with a code at once.
						u, _ := url.Parse(authURL)
						q := u.Query()
						getPage(t, q.Get("redirect_uri")+"?code=the-code&state="+url.QueryEscape(q.Get("state")))
						return nil
					}})
				if err == nil || !strings.Contains(err.Error(), "follows no redirect") {
					t.Fatalf("err = %v, want the redirect refused", err)
				}
				ri.checkNothingFollowed(t)
			})
		})
	}
}
