package e2e

import (
	"encoding/json"
	"net/http"
	"net/url"
	"time"
)

// Asking the OAuth server, as its admin would, about the tokens it
// issued, and acting on them as another client would.

// tokenState is what the OAuth server says of a token.
type tokenState struct {
	Kind   string `json:"kind"`   // access, refresh or unknown
	Status string `json:"status"` // active, used, revoked, expired or unknown
}

// tokenStatus asks the OAuth server's admin endpoint about a token. It
// does not end the test, so the fake Make may call it.
func tokenStatus(issuer, token string) (tokenState, error) {
	var st tokenState
	resp, err := httpClient.PostForm(issuer+"/_admin/token-status", url.Values{"token": {token}})
	if err != nil {
		return st, err
	}
	defer resp.Body.Close()
	err = json.NewDecoder(resp.Body).Decode(&st)
	return st, err
}

func (m *machine) tokenStatus(token string) tokenState {
	m.t.Helper()
	st, err := tokenStatus(m.oauth.URL, token)
	if err != nil {
		m.t.Fatal(err)
	}
	return st
}

// waitExpired waits until the OAuth server counts the access token as
// expired (the tests use lifetimes of a few seconds).
func (m *machine) waitExpired(accessToken string) {
	m.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for m.tokenStatus(accessToken).Status != "expired" {
		if time.Now().After(deadline) {
			m.t.Fatalf("the access token is still %q after 30 s", m.tokenStatus(accessToken).Status)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// refreshAt posts a refresh grant to the OAuth server as a client would,
// and returns the HTTP status and OAuth error code.
func (m *machine) refreshAt(refreshToken string) (int, string) {
	m.t.Helper()
	form := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {refreshToken}, "client_id": {m.oauth.ClientID}}
	if m.oauth.ClientSecret != "" {
		form.Set("client_secret", m.oauth.ClientSecret)
	}
	resp, err := httpClient.PostForm(m.oauth.URL+"/token", form)
	if err != nil {
		m.t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct {
		Error string `json:"error"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&body)
	return resp.StatusCode, body.Error
}

// revokeAt revokes a token at the OAuth server (RFC 7009), as an admin
// or another device would.
func (m *machine) revokeAt(token string) {
	m.t.Helper()
	form := url.Values{"token": {token}, "client_id": {m.oauth.ClientID}}
	if m.oauth.ClientSecret != "" {
		form.Set("client_secret", m.oauth.ClientSecret)
	}
	resp, err := httpClient.PostForm(m.oauth.URL+"/revoke", form)
	if err != nil {
		m.t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		m.t.Fatalf("revoke: %s", resp.Status)
	}
}

// oauthArgs are the login flags for the machine's OAuth server.
func (m *machine) oauthArgs() []string {
	return []string{"--issuer", m.oauth.URL, "--client-id", m.oauth.ClientID, "--zone", m.zone(), "--port", "0"}
}
