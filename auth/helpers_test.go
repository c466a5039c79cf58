package auth

import (
	"bufio"
	"context"
	"crypto/rand"
	"errors"
	"io"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/makemcp/makemcp/internal/testenv"
	"github.com/makemcp/makemcp/keychain"
)

// keyringStore is the real OS keychain (gnome-keyring under
// ./scripts/test), or ends the test through testenv.Missing.
func keyringStore(t testing.TB) keychain.Store {
	t.Helper()
	k := keychain.NewKeyring(10 * time.Second)
	_, err := k.Load(context.Background(), testProfile(t))
	if errors.Is(err, keychain.ErrUnavailable) {
		testenv.Missing(t, "Secret Service", err.Error()+" (run ./scripts/test ./auth/...)")
	}
	if err != nil && !errors.Is(err, keychain.ErrNotFound) {
		t.Fatalf("probe the keychain: %v", err)
	}
	return k
}

// testProfile is a profile name no other test (or test binary) uses, so
// tests can share one keychain; its credential is deleted at the end.
var profiles sync.Map

func testProfile(t testing.TB) string {
	t.Helper()
	if p, ok := profiles.Load(t.Name()); ok {
		return p.(string)
	}
	p := "auth-test-" + strings.ToLower(rand.Text()[:12])
	profiles.Store(t.Name(), p)
	t.Cleanup(func() {
		_ = keychain.NewKeyring(5*time.Second).Delete(context.Background(), p)
		profiles.Delete(t.Name())
	})
	return p
}

// stores runs f against the in-memory store and, where a Secret Service
// is reachable, the real keychain.
func stores(t *testing.T, f func(t *testing.T, store keychain.Store)) {
	t.Run("memory", func(t *testing.T) { f(t, newMemStore()) })
	t.Run("keychain", func(t *testing.T) { f(t, keyringStore(t)) })
}

// testScopes are what tests ask for when the scopes do not matter.
var testScopes = []string{"openid", "scenarios:read", "scenarios:write", "teams:read"}

// login runs a real Login against the strict oauth2-mock-server, with a
// plain HTTP client in place of the browser (that server has no login
// page: its /authorize redirects straight back).
func login(t testing.TB, srv *testenv.OAuthServer, scopes ...string) *keychain.Credential {
	t.Helper()
	if len(scopes) == 0 {
		scopes = testScopes
	}
	cred, err := Login(context.Background(), LoginOptions{
		Issuer:       srv.URL,
		ClientID:     srv.ClientID,
		ClientSecret: srv.ClientSecret,
		Scopes:       scopes,
		Port:         0,
		OpenBrowser:  srv.Authorize,
		Stderr:       io.Discard,
	})
	if err != nil {
		t.Fatalf("login: %v", err)
	}
	return cred
}

// expired returns a copy of cred whose access token expired a minute
// ago, as a credential looks after an hour in the keychain.
func expired(cred *keychain.Credential) *keychain.Credential {
	c := *cred
	c.IssuedAt = time.Now().Add(-61 * time.Minute)
	c.Expiry = time.Now().Add(-time.Minute)
	return &c
}

func save(t testing.TB, store keychain.Store, profile string, cred *keychain.Credential) {
	t.Helper()
	if err := store.Save(context.Background(), profile, cred); err != nil {
		t.Fatalf("save: %v", err)
	}
}

func load(t testing.TB, store keychain.Store, profile string) *keychain.Credential {
	t.Helper()
	c, err := store.Load(context.Background(), profile)
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	return c
}

// sameCredential compares credentials as stored: times by instant.
func sameCredential(a, b *keychain.Credential) bool {
	x, y := *a, *b
	if !x.Expiry.Equal(y.Expiry) || !x.IssuedAt.Equal(y.IssuedAt) {
		return false
	}
	x.Expiry, y.Expiry, x.IssuedAt, y.IssuedAt = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	return reflect.DeepEqual(x, y)
}

// urlWriter passes Login's progress through and hands over the first
// line that holds a URL, as a person reads it off the terminal.
type urlWriter struct {
	mu   sync.Mutex
	buf  strings.Builder
	urls chan string
	sent bool
}

func newURLWriter() *urlWriter { return &urlWriter{urls: make(chan string, 1)} }

func (w *urlWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	if !w.sent {
		s := bufio.NewScanner(strings.NewReader(w.buf.String()))
		for s.Scan() {
			if line := strings.TrimSpace(s.Text()); strings.HasPrefix(line, "http") {
				w.urls <- line
				w.sent = true
				break
			}
		}
	}
	return len(p), nil
}

func (w *urlWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}
