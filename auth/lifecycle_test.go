package auth

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/makemcp/makemcp/internal/testenv"
	"github.com/makemcp/makemcp/keychain"
	"github.com/makemcp/makemcp/makeapi"
	"github.com/makemcp/makemcp/makeapi/makefake"
)

// forward passes a token request on to the real OAuth server and its
// answer back, after hold (which may block) has returned.
func forward(t *testing.T, srv *testenv.OAuthServer, hold func()) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		resp, err := http.PostForm(srv.URL+"/token", r.PostForm)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		defer resp.Body.Close()
		var body json.RawMessage
		json.NewDecoder(resp.Body).Decode(&body)
		// The server has acted (rotated the refresh token); the answer
		// waits.
		hold()
		w.Header().Set("Content-Type", resp.Header.Get("Content-Type"))
		w.WriteHeader(resp.StatusCode)
		w.Write(body)
	}
}

// A logout or a new login in another process while a refresh is under
// way: both take the profile's lock, so the refresh finishes (and saves)
// first, and what they do is what stays. Before, the refresh saved the
// old session back over the logout or the new login.
func TestRefreshDoesNotOverwriteLogoutOrLogin(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		change func(ctx context.Context, store keychain.Store, profile string) error
		check  func(t *testing.T, store keychain.Store, profile string)
	}{
		{"logout", func(ctx context.Context, store keychain.Store, profile string) error {
			return store.Delete(ctx, profile)
		}, func(t *testing.T, store keychain.Store, profile string) {
			if _, err := store.Load(context.Background(), profile); !errors.Is(err, keychain.ErrNotFound) {
				t.Errorf("after logout the store holds a credential again (%v)", err)
			}
		}},
		{"login", func(ctx context.Context, store keychain.Store, profile string) error {
			return store.Save(ctx, profile, &keychain.Credential{Kind: keychain.APIToken, AccessToken: "new-login-api-token"})
		}, func(t *testing.T, store keychain.Store, profile string) {
			if c := load(t, store, profile); c.AccessToken != "new-login-api-token" {
				t.Errorf("the new login was overwritten by the old session")
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			stores(t, func(t *testing.T, store keychain.Store) {
				srv := testenv.StartOAuthServer(t, testenv.OAuthServerOptions{})
				cred := login(t, srv)
				arrived, release := make(chan struct{}), make(chan struct{})
				proxy := flakyIssuer(t, forward(t, srv, func() { close(arrived); <-release }))
				c := *expired(cred)
				c.Issuer = proxy.URL
				profile := testProfile(t)
				save(t, store, profile, &c)
				src := NewSource(SourceOptions{Store: store, Profile: profile})

				refreshed := make(chan error, 1)
				go func() {
					_, err := src.Token(context.Background())
					refreshed <- err
				}()
				<-arrived
				// The other process, as login and logout do it: under
				// the profile's lock in the store.
				changed := make(chan error, 1)
				go func() {
					unlock, err := keychain.Lock(context.Background(), store, profile)
					if err != nil {
						changed <- err
						return
					}
					defer unlock()
					changed <- tc.change(context.Background(), store, profile)
				}()
				time.Sleep(200 * time.Millisecond) // let it reach the lock
				close(release)
				if err := <-refreshed; err != nil {
					t.Fatalf("the refresh: %v", err)
				}
				if err := <-changed; err != nil {
					t.Fatal(err)
				}
				tc.check(t, store, profile)
				// And a refresh that starts now finds the change.
				src.Invalidate("")
				if tc.name == "logout" {
					if _, err := NewSource(SourceOptions{Store: store, Profile: profile}).Token(context.Background()); !errors.Is(err, ErrNotLoggedIn) {
						t.Errorf("a new process after logout: %v, want ErrNotLoggedIn", err)
					}
				}
			})
		})
	}
}

// The issuer rotated the refresh token, but the store refused the new
// credential (a read-only folder, a full disk): the process goes on with
// the new one, and its next refresh spends the new refresh token, not the
// spent one the store still holds.
func TestRefreshAfterFailedSaveUsesNewestToken(t *testing.T) {
	t.Parallel()
	srv := testenv.StartOAuthServer(t, testenv.OAuthServerOptions{})
	cred := login(t, srv)
	store := newMemStore()
	store.put("p", *cred)
	store.saveErr = errors.New("read-only file system")
	clk := newClock(time.Now())
	src := NewSource(SourceOptions{Store: store, Profile: "p", Now: clk.now})

	clk.set(cred.Expiry.Add(-time.Second))
	first, err := src.Token(context.Background())
	if err != nil || first.AccessToken == cred.AccessToken {
		t.Fatalf("first refresh: %v", err)
	}
	if st := srv.TokenStatus(t, cred.RefreshToken).Status; st != "used" {
		t.Fatalf("the stored refresh token is %q at the issuer, want used", st)
	}
	// An hour later, the next refresh.
	clk.set(cred.Expiry.Add(time.Hour))
	second, err := src.Token(context.Background())
	if err != nil {
		t.Fatalf("the refresh after a failed save: %v", err)
	}
	if second.AccessToken == first.AccessToken || srv.Userinfo(t, second.AccessToken) != http.StatusOK {
		t.Error("the second refresh did not give a new live token")
	}
	if st := srv.Stats(t); st.Refreshes != 2 || st.RefreshesRejected != 0 {
		t.Errorf("stats %+v: want two accepted refreshes", st)
	}
	// Once the store works again, the newest credential is saved.
	store.mu.Lock()
	store.saveErr = nil
	store.mu.Unlock()
	clk.set(cred.Expiry.Add(2 * time.Hour))
	third, err := src.Token(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if stored, _ := store.get("p"); stored.AccessToken != third.AccessToken || srv.TokenStatus(t, stored.RefreshToken).Status != "active" {
		t.Error("the store does not hold the live credential once it can")
	}
}

// Make answers 401 to every token (an account that lost API access, say):
// five calls refresh once, not five times, and say that Make refused
// the refreshed token too.
func TestUnauthorizedRefreshesOncePerToken(t *testing.T) {
	t.Parallel()
	srv := testenv.StartOAuthServer(t, testenv.OAuthServerOptions{})
	cred := login(t, srv)
	store := newMemStore()
	store.put("p", *cred)
	src := NewSource(SourceOptions{Store: store, Profile: "p"})
	refused := func(string) ([]string, error) { return nil, errors.New("no API access") }
	fake, err := makefake.New(makefake.Options{Seed: makefake.Demo, VerifyBearer: refused})
	if err != nil {
		t.Fatal(err)
	}
	fake.Start()
	t.Cleanup(fake.Close)
	client, err := makeapi.New(makeapi.Options{Zone: fake.Zone(), AllowedHosts: []string{fake.Zone()}, Tokens: src, MaxAttempts: 1})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 5 {
		_, err := client.Me(context.Background())
		if !makeapi.IsUnauthorized(err) || !errors.Is(err, ErrTokenRefused) || !strings.Contains(err.Error(), "right after it was refreshed") {
			t.Fatalf("call %d: %v, want the 401 saying the refreshed token was refused too", i+1, err)
		}
	}
	if st := srv.Stats(t); st.Refreshes != 1 {
		t.Errorf("five calls refused by Make made %d refreshes, want 1", st.Refreshes)
	}
	// A new login in another process is picked up at the next call.
	store.put("p", keychain.Credential{Kind: keychain.APIToken, AccessToken: makefake.DemoToken})
	if _, err := client.Me(context.Background()); err != nil {
		t.Errorf("after a new login: %v", err)
	}
}

// The issuer rotated the refresh token but answered after makemcp had
// stopped waiting: the first error says that may have happened and what
// to do, and the next attempt, refused, says that it did.
func TestSlowTokenAnswer(t *testing.T) {
	t.Parallel()
	srv := testenv.StartOAuthServer(t, testenv.OAuthServerOptions{})
	cred := login(t, srv)
	var answered atomic.Int32
	proxy := flakyIssuer(t, forward(t, srv, func() {
		if answered.Add(1) == 1 {
			time.Sleep(2 * time.Second) // only the first answer is late
		}
	}))
	c := *expired(cred)
	c.Issuer = proxy.URL
	store := newMemStore()
	store.put("p", c)
	src := NewSource(SourceOptions{Store: store, Profile: "p", RefreshTimeout: time.Second, HTTPClient: &http.Client{}})

	_, err := src.Token(context.Background())
	if !errors.Is(err, ErrRefreshFailed) {
		t.Fatalf("err = %v, want ErrRefreshFailed", err)
	}
	for _, want := range []string{"did not answer", "within 1s", "may have rotated the refresh token", "run makemcp login"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("first error %q does not say %q", err, want)
		}
	}
	if st := srv.TokenStatus(t, cred.RefreshToken).Status; st != "used" {
		t.Fatalf("the refresh token is %q at the issuer: the proxy did not let the refresh through", st)
	}
	_, err = src.Token(context.Background())
	if !errors.Is(err, ErrSessionExpired) || !strings.Contains(err.Error(), "answer did not come within 1s") || !strings.Contains(err.Error(), "run makemcp login") {
		t.Fatalf("second error %v: want the session expired, because of the late answer", err)
	}
}

// The issuer refused the refresh token: another process (a new Source
// over the same store) does not send it again, and the stored credential
// says it is not refreshable.
func TestRefusedRefreshTokenIsRememberedAcrossProcesses(t *testing.T) {
	t.Parallel()
	stores(t, func(t *testing.T, store keychain.Store) {
		srv := testenv.StartOAuthServer(t, testenv.OAuthServerOptions{})
		cred := login(t, srv)
		srv.Revoke(t, cred.RefreshToken)
		profile := testProfile(t)
		save(t, store, profile, expired(cred))
		for i := range 3 {
			_, err := NewSource(SourceOptions{Store: store, Profile: profile}).Token(context.Background())
			if !errors.Is(err, ErrSessionExpired) {
				t.Fatalf("process %d: %v, want ErrSessionExpired", i+1, err)
			}
		}
		if st := srv.Stats(t); st.Refreshes != 1 {
			t.Errorf("three processes sent the refused refresh token %d times, want 1", st.Refreshes)
		}
		stored := load(t, store, profile)
		if stored.Refreshable() || stored.RefreshToken != cred.RefreshToken || stored.AccessToken != cred.AccessToken {
			t.Errorf("stored %v: want the same tokens, marked not refreshable", stored)
		}
	})
}
