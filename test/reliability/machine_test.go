package reliability

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/makemcp/makemcp/internal/testenv"
)

// machine is one user's computer for one test: a config folder, the
// environment makemcp runs in, the OAuth server behind its proxy, the
// fake Make, maybe an OS keychain, and a leak check over everything
// makemcp printed or left in the config folder.
type machine struct {
	t     *testing.T
	bin   string
	dir   string // MAKEMCP_CONFIG_DIR
	logs  string // serve's log files
	env   []string
	leaks *testenv.LeakCheck
	oauth *testenv.OAuthServer
	proxy *oauthProxy
	make  *fakeMake
	// keyring is the Secret Service makemcp stores in; nil: the file
	// store (--insecure-storage).
	keyring *testenv.RestartableSecretService
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
	m := &machine{t: t, bin: testenv.Makemcp(t), dir: t.TempDir(), logs: t.TempDir()}
	// Registered after TempDir, so it runs before the folders go.
	m.leaks = testenv.NewLeakCheck(t, m.dir, m.logs)
	m.leaks.Secret(clientSecret)
	// Runs before the leak check (cleanups run last first): the check
	// must have had tokens to look for and outputs to look in.
	t.Cleanup(func() {
		if secrets, outputs := m.leaks.Counts(); !t.Failed() && (secrets < 3 || outputs < 2) {
			t.Errorf("the leak check holds only %d secrets and %d outputs", secrets, outputs)
		}
	})
	m.oauth = testenv.StartOAuthServer(t, testenv.OAuthServerOptions{ClientSecret: clientSecret, AccessTTL: o.accessTTL, Refresh: "rotate"})
	m.proxy = startOAuthProxy(t, m.oauth.URL, m.leaks)
	m.make = startMake(t, m.oauth, m.leaks)
	// Debug logs are where a careless line would show a token first.
	// The fake Make's zone is saved in config.json at login, and a zone
	// read from there must be Make's own or allowed.
	m.env = append(testenv.ChildEnv(), "MAKEMCP_CONFIG_DIR="+m.dir, "MAKEMCP_LOG_LEVEL=debug", "MAKEMCP_ALLOWED_HOSTS=127.0.0.1")
	if o.keychain {
		testenv.LookPath(t, "secret-tool") // reads the keychain as a user would
		m.keyring = testenv.StartRestartableSecretService(t)
		m.env = append(m.env, "DBUS_SESSION_BUS_ADDRESS="+m.keyring.BusAddress)
	}
	return m
}

// result is how one makemcp run ended.
type result struct {
	args           []string
	stdout, stderr string
	code           int
}

func (r result) String() string {
	return fmt.Sprintf("makemcp %s: exit %d\nstdout: %s\nstderr: %s", strings.Join(r.args, " "), r.code, r.stdout, r.stderr)
}

// run runs makemcp to its end and hands its outputs to the leak check.
// It does not end the test, so goroutines may call it.
func (m *machine) run(env []string, args ...string) (result, error) {
	var r result
	var err error
	r.args = args
	r.stdout, r.stderr, r.code, err = testenv.Run(m.bin, append(slices.Clone(m.env), env...), "", args...)
	m.record(r)
	if err != nil {
		return r, fmt.Errorf("%v:\n%s", err, r)
	}
	return r, nil
}

// record hands a run's outputs to the leak check.
func (m *machine) record(r result) { m.leaks.Run(r.args, r.stdout, r.stderr) }

// login logs the default profile in through the OAuth proxy, storing
// the credential in the keychain or, without one, in the file store.
func (m *machine) login() {
	m.t.Helper()
	args := []string{"--issuer", m.proxy.URL, "--client-id", m.oauth.ClientID, "--zone", m.make.URL, "--port", "0"}
	if m.keyring == nil {
		args = append(args, "--insecure-storage")
	}
	env := append(slices.Clone(m.env), "MAKEMCP_CLIENT_SECRET="+clientSecret)
	stdout, stderr, code, err := testenv.LoginNoBrowser(m.bin, env, m.proxy.URL, args...)
	r := result{args: append([]string{"login", "--no-browser"}, args...), stdout: stdout, stderr: stderr, code: code}
	m.record(r)
	if err != nil || r.code != 0 {
		m.t.Fatalf("login (%v):\n%s", err, r)
	}
}

// storedCredential is the part of a stored credential tests look at.
type storedCredential struct {
	Kind         string    `json:"kind"`
	AccessToken  string    `json:"accessToken"`
	RefreshToken string    `json:"refreshToken"`
	ClientSecret string    `json:"clientSecret"`
	Expiry       time.Time `json:"expiry"`
	Issuer       string    `json:"issuer"`
	ClientID     string    `json:"clientId"`
	Zone         string    `json:"zone"`
	Scopes       []string  `json:"scopes"`
	// RefreshRejected: the issuer refused the refresh token.
	RefreshRejected bool `json:"refreshRejected"`
}

// stored returns the default profile's credential as stored, byte for
// byte (the keychain's items put together as package keychain documents
// them), or nil when there is none. It reads the keychain with
// secret-tool, as a user would.
func (m *machine) stored() []byte {
	m.t.Helper()
	if m.keyring == nil {
		data, err := os.ReadFile(filepath.Join(m.dir, "credentials", "default.json"))
		if errors.Is(err, os.ErrNotExist) {
			return nil
		}
		if err != nil {
			m.t.Fatal(err)
		}
		return data
	}
	head, ok := m.secretTool("default")
	if !ok {
		return nil
	}
	line, data, found := strings.Cut(head, "\n")
	var h struct {
		Slot  string `json:"slot"`
		Parts int    `json:"parts"`
	}
	if !found || json.Unmarshal([]byte(line), &h) != nil {
		m.t.Fatalf("the keychain item has no header line")
	}
	for i := 2; i <= h.Parts; i++ {
		part, ok := m.secretTool("default#" + h.Slot + strconv.Itoa(i))
		if !ok {
			m.t.Fatalf("keychain item part %d of %d is missing", i, h.Parts)
		}
		data += part
	}
	return []byte(data)
}

func (m *machine) secretTool(account string) (string, bool) {
	m.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "secret-tool", "lookup", "service", "makemcp", "username", account)
	cmd.Env = append(testenv.ChildEnv(), "DBUS_SESSION_BUS_ADDRESS="+m.keyring.BusAddress)
	out, err := cmd.Output()
	if ctx.Err() != nil {
		m.t.Fatalf("secret-tool lookup did not answer within 10 s")
	}
	return string(out), err == nil
}

// credential parses the stored credential; the test fails without one.
func (m *machine) credential() (*storedCredential, []byte) {
	m.t.Helper()
	raw := m.stored()
	if raw == nil {
		m.t.Fatal("no stored credential")
	}
	var c storedCredential
	if err := json.Unmarshal(raw, &c); err != nil {
		m.t.Fatalf("the stored credential is not JSON: %v", err)
	}
	m.leaks.Secret(c.AccessToken)
	m.leaks.Secret(c.RefreshToken)
	return &c, raw
}

// rotatedFrom checks that the stored credential is the correctly rotated
// successor of old: live tokens the server issued, old's refresh token
// spent, the issuer, client, secret and zone as they were. (The scopes
// may change: a token answer lists the scopes granted now.)
func (m *machine) rotatedFrom(old *storedCredential) *storedCredential {
	m.t.Helper()
	now, _ := m.credential()
	if now.RefreshToken == old.RefreshToken || now.AccessToken == old.AccessToken {
		m.t.Fatalf("the stored credential was not rotated")
	}
	if st := m.oauth.TokenStatus(m.t, now.RefreshToken); st != (testenv.TokenState{Kind: "refresh", Status: "active"}) {
		m.t.Errorf("the stored refresh token is %+v, want an active refresh token", st)
	}
	if st := m.oauth.TokenStatus(m.t, now.AccessToken); st != (testenv.TokenState{Kind: "access", Status: "active"}) {
		m.t.Errorf("the stored access token is %+v, want an active access token", st)
	}
	if st := m.oauth.TokenStatus(m.t, old.RefreshToken); st.Status != "used" {
		m.t.Errorf("the previous refresh token is %+v, want used", st)
	}
	same := *now
	same.AccessToken, same.RefreshToken, same.Expiry, same.Scopes = old.AccessToken, old.RefreshToken, old.Expiry, old.Scopes
	a, _ := json.Marshal(same)
	b, _ := json.Marshal(old)
	if !bytes.Equal(a, b) {
		m.t.Errorf("the refresh changed more than the tokens:\nbefore %s\nafter  %s", b, a)
	}
	return now
}
