package e2e

import (
	"encoding/json"
	"net/url"
)

// Asking the OAuth server, as its admin would, about the tokens it
// issued, and acting on them as another client would.

// refreshAt posts a refresh grant to the OAuth server as a client would,
// and returns the HTTP status and OAuth error code.
func (m *machine) refreshAt(refreshToken string) (int, string) {
	m.T.Helper()
	form := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {refreshToken}, "client_id": {m.OAuth.ClientID}}
	if m.OAuth.ClientSecret != "" {
		form.Set("client_secret", m.OAuth.ClientSecret)
	}
	resp, err := httpClient.PostForm(m.OAuth.URL+"/token", form)
	if err != nil {
		m.T.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct {
		Error string `json:"error"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&body)
	return resp.StatusCode, body.Error
}

// oauthArgs are the login flags for the machine's OAuth server.
func (m *machine) oauthArgs() []string {
	return []string{"--issuer", m.OAuth.URL, "--client-id", m.OAuth.ClientID, "--zone", m.zone(), "--port", "0"}
}
