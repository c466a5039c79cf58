package auth

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/makemcp/makemcp/internal/testenv"
	"github.com/makemcp/makemcp/keychain"
)

// The rotation race runs this test binary again as child processes; the
// environment variables below tell a child what to do.
const (
	childEnv        = "MAKEMCP_AUTH_TEST_CHILD"
	childStoreEnv   = "MAKEMCP_AUTH_TEST_STORE" // "keychain" or a file store folder
	childProfileEnv = "MAKEMCP_AUTH_TEST_PROFILE"
)

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) == "token" {
		os.Exit(tokenChild())
	}
	os.Exit(m.Run())
}

type childResult struct {
	AccessToken string `json:"accessToken"`
	Error       string `json:"error"`
}

// tokenChild is one makemcp process: it waits until the parent closes
// its stdin (so that all children start together), asks a Source for a
// token, and prints the outcome as JSON.
func tokenChild() int {
	var store keychain.Store = keychain.NewKeyring(20 * time.Second)
	if dir := os.Getenv(childStoreEnv); dir != "keychain" {
		store = keychain.NewFile(dir)
	}
	_, _ = io.Copy(io.Discard, os.Stdin)
	src := NewSource(SourceOptions{Store: store, Profile: os.Getenv(childProfileEnv)})
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var r childResult
	if tok, err := src.Token(ctx); err != nil {
		r.Error = err.Error()
	} else {
		r.AccessToken = tok.AccessToken
	}
	_ = json.NewEncoder(os.Stdout).Encode(r)
	return 0
}

// TestRotationRace starts four processes that share one profile whose
// access token expired, against a server that rotates single-use refresh
// tokens: exactly one refresh request must reach the server, every
// process must get the new token, and the store must hold the live
// refresh token.
func TestRotationRace(t *testing.T) {
	t.Parallel()
	t.Run("file", func(t *testing.T) {
		dir := t.TempDir()
		rotationRace(t, keychain.NewFile(dir), dir)
	})
	t.Run("keychain", func(t *testing.T) {
		rotationRace(t, keyringStore(t), "keychain")
	})
}

func rotationRace(t *testing.T, store keychain.Store, storeArg string) {
	srv := testenv.StartOAuthServer(t, testenv.OAuthServerOptions{ClientSecret: "race-secret"})
	cred := login(t, srv)
	profile := testProfile(t)
	save(t, store, profile, expired(cred))

	const processes = 4
	type child struct {
		cmd   *exec.Cmd
		stdin io.WriteCloser
		out   bytes.Buffer
		err   bytes.Buffer
	}
	children := make([]*child, processes)
	for i := range children {
		c := &child{cmd: exec.Command(os.Args[0], "-test.run=^$")}
		c.cmd.Env = append(os.Environ(),
			childEnv+"=token", childStoreEnv+"="+storeArg, childProfileEnv+"="+profile)
		c.cmd.Stdout, c.cmd.Stderr = &c.out, &c.err
		var err error
		if c.stdin, err = c.cmd.StdinPipe(); err != nil {
			t.Fatal(err)
		}
		if err := c.cmd.Start(); err != nil {
			t.Fatal(err)
		}
		children[i] = c
	}
	for _, c := range children {
		c.stdin.Close() // go
	}
	tokens := map[string]int{}
	for i, c := range children {
		if err := c.cmd.Wait(); err != nil {
			t.Fatalf("child %d: %v\n%s", i, err, c.err.String())
		}
		var r childResult
		if err := json.Unmarshal(c.out.Bytes(), &r); err != nil {
			t.Fatalf("child %d printed %q: %v\n%s", i, c.out.String(), err, c.err.String())
		}
		if r.Error != "" {
			t.Errorf("child %d failed: %s", i, r.Error)
			continue
		}
		tokens[r.AccessToken]++
	}
	if t.Failed() {
		return
	}

	st := srv.Stats(t)
	if st.Refreshes != 1 {
		t.Errorf("%d processes made %d refresh requests, want exactly 1", processes, st.Refreshes)
	}
	if len(tokens) != 1 {
		t.Errorf("the processes got %d different access tokens, want 1", len(tokens))
	}
	stored := load(t, store, profile)
	if tokens[stored.AccessToken] != processes {
		t.Errorf("the stored access token is not the one all processes got")
	}
	if got := srv.Userinfo(t, stored.AccessToken); got != http.StatusOK {
		t.Errorf("the issuer refuses the shared access token: %d", got)
	}
	if got := srv.TokenStatus(t, stored.RefreshToken).Status; got != "active" {
		t.Errorf("the stored refresh token is %q at the issuer, want active (the newest)", got)
	}
	// The old refresh token is spent: the server refuses it.
	if got := srv.TokenStatus(t, cred.RefreshToken).Status; got != "used" {
		t.Errorf("the old refresh token is %q at the issuer, want used", got)
	}
	stale := NewSource(SourceOptions{Store: staleStore{cred: expired(cred)}, Profile: profile})
	if _, err := stale.Token(context.Background()); err == nil || err.Error() != ErrSessionExpired.Error() {
		t.Errorf("refresh with the old refresh token: %v, want the issuer to refuse it", err)
	}
}

// staleStore always returns the same credential and stores nothing.
type staleStore struct{ cred *keychain.Credential }

func (s staleStore) Name() string { return "stale" }
func (s staleStore) Load(context.Context, string) (*keychain.Credential, error) {
	c := *s.cred
	return &c, nil
}
func (s staleStore) Save(context.Context, string, *keychain.Credential) error {
	return fmt.Errorf("stale store: %w", keychain.ErrReadOnly)
}
func (s staleStore) Delete(context.Context, string) error { return nil }

// TestSourceKeychainUnavailable runs a process whose session bus is not
// there (the bus connection is per process, so not this one): the
// keychain's own one-line error, with its --insecure-storage hint,
// reaches the caller of Token.
func TestSourceKeychainUnavailable(t *testing.T) {
	t.Parallel()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"=token", childStoreEnv+"=keychain", childProfileEnv+"=p",
		"DBUS_SESSION_BUS_ADDRESS=unix:path="+t.TempDir()+"/no-bus")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("child: %v", err)
	}
	var r childResult
	if err := json.Unmarshal(out, &r); err != nil {
		t.Fatalf("child printed %q: %v", out, err)
	}
	if !strings.Contains(r.Error, "OS keychain unavailable") || !strings.Contains(r.Error, "--insecure-storage") || strings.Contains(r.Error, "\n") {
		t.Fatalf("error %q: want the keychain's one-line hint", r.Error)
	}
}
