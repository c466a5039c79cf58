package reliability

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/makemcp/makemcp/internal/testenv"
)

func TestMain(m *testing.M) { testenv.Main(m) }

// machine is one user's computer for one test (testenv.Machine: a config
// folder, makemcp's environment, the fake Make, the OAuth server, maybe
// an OS keychain, and a leak check over everything makemcp printed or
// left behind), with the OAuth server behind a proxy that can fail it,
// and serve's log folder.
type machine struct {
	*testenv.Machine
	logs  string // serve's log files
	proxy *oauthProxy
}

type machineOptions struct {
	// accessTTL is the access tokens' lifetime (default 1 h).
	accessTTL time.Duration
	// keychain stores the credential in a private gnome-keyring instead
	// of the file store.
	keychain bool
}

// clientSecret makes makemcp a confidential client, as with Make, which
// gives refresh tokens to confidential clients.
const clientSecret = "reliability-confidential-client-secret-0123456789"

func newMachine(t *testing.T, o machineOptions) *machine {
	t.Helper()
	logs := t.TempDir()
	m := &machine{logs: logs, Machine: testenv.NewMachine(t, testenv.MachineOptions{
		Keychain: o.keychain,
		OAuth:    &testenv.OAuthServerOptions{ClientSecret: clientSecret, AccessTTL: o.accessTTL, Refresh: "rotate"},
		// Debug logs are where a careless line would show a token first.
		Env:        []string{"MAKEMCP_LOG_LEVEL=debug"},
		SearchDirs: []string{logs},
		// The client secret and the demo token, and an access and a
		// refresh token at least; a run's stdout and stderr.
		MinSecrets: 4,
		MinOutputs: 2,
	})}
	m.proxy = startOAuthProxy(t, m.OAuth.URL, m.Leaks)
	return m
}

// run runs makemcp to its end with the machine's environment and extra,
// and hands its outputs to the leak check. It does not end the test, so
// goroutines may call it.
func (m *machine) run(extra []string, args ...string) (testenv.Result, error) {
	return m.Run(extra, "", args...)
}

// login logs the default profile in through the OAuth proxy, storing
// the credential in the keychain or, without one, in the file store.
func (m *machine) login() {
	m.T.Helper()
	args := []string{"--issuer", m.proxy.URL, "--client-id", m.OAuth.ClientID, "--zone", m.Make.Zone(), "--port", "0"}
	if m.Keyring == nil {
		args = append(args, "--insecure-storage")
	}
	r, err := m.LoginNoBrowser(m.proxy.URL, []string{"MAKEMCP_CLIENT_SECRET=" + clientSecret}, args...)
	if err != nil || r.Code != 0 {
		m.T.Fatalf("login (%v):\n%s", err, r)
	}
}

// rotatedFrom checks that the stored credential is the correctly rotated
// successor of old: live tokens the server issued, old's refresh token
// spent, the issuer, client, secret and zone as they were. (The scopes
// may change: a token answer lists the scopes granted now.)
func (m *machine) rotatedFrom(old *testenv.StoredCredential) *testenv.StoredCredential {
	m.T.Helper()
	now := m.Credential("default")
	if now.RefreshToken == old.RefreshToken || now.AccessToken == old.AccessToken {
		m.T.Fatalf("the stored credential was not rotated")
	}
	if st := m.OAuth.TokenStatus(m.T, now.RefreshToken); st != (testenv.TokenState{Kind: "refresh", Status: "active"}) {
		m.T.Errorf("the stored refresh token is %+v, want an active refresh token", st)
	}
	if st := m.OAuth.TokenStatus(m.T, now.AccessToken); st != (testenv.TokenState{Kind: "access", Status: "active"}) {
		m.T.Errorf("the stored access token is %+v, want an active access token", st)
	}
	if st := m.OAuth.TokenStatus(m.T, old.RefreshToken); st.Status != "used" {
		m.T.Errorf("the previous refresh token is %+v, want used", st)
	}
	same := *now
	same.AccessToken, same.RefreshToken, same.Expiry, same.Scopes = old.AccessToken, old.RefreshToken, old.Expiry, old.Scopes
	a, _ := json.Marshal(same)
	b, _ := json.Marshal(old)
	if !bytes.Equal(a, b) {
		m.T.Errorf("the refresh changed more than the tokens:\nbefore %s\nafter  %s", b, a)
	}
	return now
}
