//go:build !windows

// These tests need the Secret Service and stop a process with SIGSTOP.

package main

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/makemcp/makemcp/internal/config"
	"github.com/makemcp/makemcp/internal/testenv"
	"github.com/makemcp/makemcp/keychain"
	"github.com/makemcp/makemcp/makeapi/makefake"
	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// desk is one user's machine for the credential lifecycle tests, which
// run makemcp processes with several config folders over one keychain:
// testenv's machine (the built binary, a private gnome-keyring, the OAuth
// server and the fake Make, which accepts the access tokens the OAuth
// server calls live), with a config folder chosen for each run.
type desk struct{ *testenv.Machine }

func newDesk(t *testing.T, o testenv.OAuthServerOptions) *desk {
	t.Helper()
	// The keychain's lock files are the user's: one folder for this
	// desk's processes, whatever their config folders.
	return &desk{testenv.NewMachine(t, testenv.MachineOptions{Keychain: true, OAuth: &o,
		Env: []string{"XDG_CACHE_HOME=" + t.TempDir()}})}
}

// run runs makemcp with the config folder dir.
func (d *desk) run(dir, stdin string, args ...string) result {
	d.T.Helper()
	r, err := d.Run([]string{"MAKEMCP_CONFIG_DIR=" + dir}, stdin, args...)
	if err != nil {
		d.T.Fatal(err)
	}
	return result{r.Stdout, r.Stderr, r.Code}
}

// login logs the default profile in through the OAuth server.
func (d *desk) login(dir string, args ...string) {
	d.T.Helper()
	args = append([]string{"--issuer", d.OAuth.URL, "--client-id", d.OAuth.ClientID, "--zone", d.Make.Zone(), "--port", "0"}, args...)
	r, err := d.LoginNoBrowser(d.OAuth.URL, []string{"MAKEMCP_CONFIG_DIR=" + dir}, args...)
	if err != nil || r.Code != 0 {
		d.T.Fatalf("login %v: %v\n%s", args, err, r)
	}
}

// keychainCredential reads the default profile's credential from the
// keychain, as a user would.
func (d *desk) keychainCredential() *testenv.StoredCredential {
	d.T.Helper()
	c, err := d.KeychainCredential("default")
	if err != nil || c == nil {
		d.T.Fatalf("no credential in the keychain: %v (items %v)", err, d.KeychainAccounts())
	}
	d.NoteCredential(c)
	return c
}

func TestMain(m *testing.M) {
	testenv.Main(m) // removes the binary testenv.Makemcp built
}

// fileCredential reads the --insecure-storage credential of the default
// profile in dir; nil when there is none.
func fileCredential(t *testing.T, dir string) *testenv.StoredCredential {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, "credentials", "default.json"))
	if err != nil {
		return nil
	}
	var c testenv.StoredCredential
	if err := json.Unmarshal(data, &c); err != nil {
		t.Fatal(err)
	}
	return &c
}

// Switching storage leaves no working secret behind: a login into the
// keychain removes the --insecure-storage file, a login into the file
// removes the keychain items, and logout revokes and deletes what it
// finds in every store, even a file an older makemcp left behind.
func TestStorageSwitchLeavesNoSecret(t *testing.T) {
	t.Parallel()
	d := newDesk(t, testenv.OAuthServerOptions{})
	dir := t.TempDir()
	live := func(c *testenv.StoredCredential) bool {
		return d.OAuth.TokenStatus(t, c.RefreshToken).Status == "active" || d.OAuth.Userinfo(t, c.AccessToken) == http.StatusOK
	}

	d.login(dir, "--insecure-storage")
	inFile := fileCredential(t, dir)
	leftover, err := os.ReadFile(filepath.Join(dir, "credentials", "default.json"))
	if inFile == nil || err != nil {
		t.Fatalf("login --insecure-storage stored no file: %v", err)
	}
	d.login(dir)
	if c := fileCredential(t, dir); c != nil {
		t.Errorf("after a login into the keychain, the --insecure-storage file still holds a credential (live at the issuer: %t)", live(c))
	}
	inKeychain := d.keychainCredential()

	// Back to the file: the keychain items go.
	d.login(dir, "--insecure-storage")
	if items := d.KeychainAccounts(); len(items) != 0 {
		t.Errorf("after a login into the file store, the keychain holds %v", items)
	}
	inFile2 := fileCredential(t, dir)

	// An older makemcp left a copy in the keychain's place and the
	// first file: logout revokes every token it finds, everywhere.
	d.login(dir)
	inKeychain2 := d.keychainCredential()
	if err := os.WriteFile(filepath.Join(dir, "credentials", "default.json"), leftover, 0o600); err != nil {
		t.Fatal(err)
	}
	r := d.run(dir, "", "logout")
	if r.code != 0 || !strings.Contains(r.stderr, `Logged out of profile "default"`) {
		t.Fatalf("logout: %+v", r)
	}
	if c := fileCredential(t, dir); c != nil {
		t.Error("logout left the credential file")
	}
	if items := d.KeychainAccounts(); len(items) != 0 {
		t.Errorf("logout left keychain items %v", items)
	}
	// What logout found: the leftover file and the keychain's. (The
	// credentials a login replaced were deleted then, and are stored
	// nowhere.)
	for name, c := range map[string]*testenv.StoredCredential{"the leftover file's": inFile, "the keychain's": inKeychain2} {
		if live(c) {
			t.Errorf("%s credential is still live at the issuer after logout", name)
		}
	}
	if inKeychain.AccessToken == inKeychain2.AccessToken || inFile2.AccessToken == inFile.AccessToken {
		t.Error("the logins did not store new credentials")
	}
}

// Two MCP hosts with different config folders share one keychain item:
// its refresh lock is the keychain's, so one process refreshes and the
// others use its token. With the lock in each config folder, both
// folders refreshed and one of them spent a dead refresh token.
func TestRefreshLockIsTheKeychains(t *testing.T) {
	t.Parallel()
	d := newDesk(t, testenv.OAuthServerOptions{AccessTTL: 2 * time.Second})
	dirs := []string{t.TempDir(), t.TempDir()}
	d.login(dirs[0])
	old := d.keychainCredential()
	d.OAuth.WaitExpired(t, old.AccessToken)

	const processes = 6
	results := make([]result, processes)
	var wg sync.WaitGroup
	for i := range processes {
		wg.Go(func() {
			r, err := d.Run([]string{"MAKEMCP_CONFIG_DIR=" + dirs[i%2]}, "", "token")
			if err != nil {
				r.Stderr += err.Error()
			}
			results[i] = result{r.Stdout, r.Stderr, r.Code}
		})
	}
	wg.Wait()
	for i, r := range results {
		if r.code != 0 || r.stdout != results[0].stdout {
			t.Errorf("process %d (config folder %d): %+v; want the same new token as process 1", i+1, i%2+1, r)
		}
	}
	if st := d.OAuth.Stats(t); st.Refreshes != 1 || st.RefreshesRejected != 0 {
		t.Errorf("stats %+v: want one refresh for all processes", st)
	}
}

// login --timeout bounds the whole login, keychain calls included: a
// keychain that never answers fails the login when the time is up, not
// after the 30 s each keychain call may take.
func TestLoginTimeoutOnFrozenKeychain(t *testing.T) {
	t.Parallel()
	bin := testenv.Makemcp(t)
	keys := testenv.StartSecretService(t)
	if err := keys.Daemon.Signal(syscall.SIGSTOP); err != nil {
		t.Fatal(err)
	}
	env := append(testenv.ChildEnv(), "DBUS_SESSION_BUS_ADDRESS="+keys.BusAddress, "MAKEMCP_CONFIG_DIR="+t.TempDir(),
		"XDG_CACHE_HOME="+t.TempDir(), "MAKEMCP_ZONE=http://127.0.0.1:9")
	start := time.Now()
	_, stderr, code, err := testenv.Run(bin, env, makefake.DemoToken+"\n", "login", "--with-token", "--timeout", "3s")
	took := time.Since(start)
	if err != nil {
		t.Fatal(err)
	}
	if took > 15*time.Second {
		t.Errorf("login --timeout 3s took %s on a frozen keychain", took.Round(time.Second))
	}
	if code != 1 || !strings.Contains(stderr, "keychain") || strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
		t.Errorf("exit %d, stderr %q: want one line about the keychain", code, stderr)
	}
}

// After the issuer refused the refresh token, status --json says the
// credential is not refreshable, in any later process.
func TestStatusAfterRefusedRefresh(t *testing.T) {
	t.Parallel()
	d := newDesk(t, testenv.OAuthServerOptions{AccessTTL: 2 * time.Second})
	dir := t.TempDir()
	d.login(dir)
	cred := d.keychainCredential()
	d.OAuth.Revoke(t, cred.RefreshToken)
	d.OAuth.WaitExpired(t, cred.AccessToken)
	if r := d.run(dir, "", "token"); r.code != 1 || !strings.Contains(r.stderr, "session expired") {
		t.Fatalf("token with a revoked refresh token: %+v", r)
	}
	r := d.run(dir, "", "status", "--json")
	var st map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &st); err != nil {
		t.Fatalf("status --json: %v\n%+v", err, r)
	}
	if st["refreshable"] != false {
		t.Errorf("status --json says refreshable %v after the issuer refused the refresh token", st["refreshable"])
	}
	if r := d.run(dir, "", "token"); r.code != 1 || d.OAuth.Stats(t).Refreshes != 1 {
		t.Errorf("a second process sent the refused refresh token again (%d refreshes): %+v", d.OAuth.Stats(t).Refreshes, r)
	}
}

// serve answers the MCP handshake from the stored credential, without
// waiting on the issuer, even when the token is due for a refresh and the
// issuer does not answer at all.
func TestServeInitializeWithIssuerUnreachable(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var conns []net.Conn
	var mu sync.Mutex
	go func() {
		for {
			c, err := ln.Accept() // and never answer
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	})
	dir := t.TempDir()
	cred := &keychain.Credential{Kind: keychain.OAuth, AccessToken: "at", RefreshToken: "rt", ClientID: "c",
		Issuer: "http://" + ln.Addr().String(), Expiry: time.Now().Add(-time.Minute), Scopes: []string{"scenarios:read"}}
	if err := keychain.NewFile(dir).Save(t.Context(), "default", cred); err != nil {
		t.Fatal(err)
	}
	file := &config.File{Profiles: map[string]config.Profile{"default": {Storage: storageFile, Zone: "http://127.0.0.1:9"}}}
	if err := file.Save(dir); err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	// The zone comes from config.json, so it must be allowed by name.
	env := map[string]string{"MAKEMCP_CONFIG_DIR": dir, "MAKEMCP_LOG_LEVEL": "error", "MAKEMCP_ALLOWED_HOSTS": "127.0.0.1"}
	f := newFactory(ioStreams{In: strings.NewReader(""), Out: &strings.Builder{}, Err: &strings.Builder{}}, func(k string) string { return env[k] })
	if err := f.resolve(newServeCmd(f), &globalFlags{}); err != nil {
		t.Fatal(err)
	}
	o := newServerOptions(f)
	started := make(chan error, 1)
	clientEnd, serverEnd := mcp.NewInMemoryTransports()
	go func() {
		srv, cleanup, err := newServer(ctx, &o)
		started <- err
		if err != nil {
			return
		}
		defer cleanup()
		_ = srv.Run(ctx, serverEnd)
	}()
	client := mcp.NewClient(&mcp.Implementation{Name: "test", Version: "1"}, nil)
	cs, err := client.Connect(ctx, clientEnd, nil)
	if err != nil {
		t.Fatalf("initialize with the issuer unreachable: %v", err)
	}
	defer cs.Close()
	if err := <-started; err != nil {
		t.Fatal(err)
	}
	if cs.InitializeResult() == nil {
		t.Fatal("no initialize result")
	}
}
