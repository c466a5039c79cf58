package auth

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/makemcp/makemcp/internal/testenv"
	"github.com/makemcp/makemcp/keychain"
	"github.com/makemcp/makemcp/makeapi"
)

// Source is what makeapi asks for a token before each request.
var _ makeapi.TokenSource = (*Source)(nil)

func TestRefreshAt(t *testing.T) {
	at := time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name     string
		lifetime time.Duration // 0: IssuedAt unknown
		want     time.Duration // before expiry
	}{
		{"one hour: 60 s cap", time.Hour, time.Minute},
		{"ten minutes: exactly 60 s", 10 * time.Minute, time.Minute},
		{"five minutes: a tenth", 5 * time.Minute, 30 * time.Second},
		{"ten seconds: a tenth", 10 * time.Second, time.Second},
		{"unknown lifetime: 60 s", 0, time.Minute},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &keychain.Credential{Expiry: at}
			if tt.lifetime > 0 {
				c.IssuedAt = at.Add(-tt.lifetime)
			}
			if got := at.Sub(RefreshAt(c)); got != tt.want {
				t.Errorf("refreshes %v before expiry, want %v", got, tt.want)
			}
		})
	}
}

// clock is a settable time for tests.
type clock struct{ t atomic.Pointer[time.Time] }

func newClock(t time.Time) *clock { c := &clock{}; c.set(t); return c }
func (c *clock) now() time.Time   { return *c.t.Load() }
func (c *clock) set(t time.Time)  { c.t.Store(&t) }

// noRequests is an HTTP client that fails the test on any request.
func noRequests(t *testing.T) *http.Client { return &http.Client{Transport: noNetwork{t}} }

func freshCredential(now time.Time) keychain.Credential {
	return keychain.Credential{
		Kind: keychain.OAuth, AccessToken: "at-1", RefreshToken: "rt-1", TokenType: "Bearer",
		IssuedAt: now, Expiry: now.Add(time.Hour), Issuer: "https://issuer.invalid", ClientID: "c",
	}
}

func TestSourceNotLoggedIn(t *testing.T) {
	src := NewSource(SourceOptions{Store: newMemStore(), Profile: "p", HTTPClient: noRequests(t)})
	_, err := src.Token(context.Background())
	if !errors.Is(err, ErrNotLoggedIn) || err.Error() != "not logged in: run makemcp login (or set MAKE_API_TOKEN)" {
		t.Fatalf("err = %v", err)
	}
}

func TestSourceAPIToken(t *testing.T) {
	src := NewSource(SourceOptions{Store: keychain.NewEnv("0b5e-api-token"), Profile: "default", HTTPClient: noRequests(t)})
	tok, err := src.Token(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if tok.AccessToken != "0b5e-api-token" || tok.TokenType != "Token" || !tok.Expiry.IsZero() {
		t.Errorf("token %q type %q expiry %v", tok.AccessToken, tok.TokenType, tok.Expiry)
	}
}

func TestSourceHotPathTouchesNothing(t *testing.T) {
	now := time.Now()
	store := newMemStore()
	store.put("p", freshCredential(now))
	src := NewSource(SourceOptions{Store: store, Profile: "p", HTTPClient: noRequests(t), Now: newClock(now).now})
	for range 1000 {
		tok, err := src.Token(context.Background())
		if err != nil || tok.AccessToken != "at-1" || tok.TokenType != "Bearer" {
			t.Fatalf("Token = %v, %v", tok, err)
		}
	}
	if loads, saves := store.counts(); loads != 1 || saves != 0 {
		t.Errorf("%d loads and %d saves for 1000 calls with a valid token, want 1 and 0", loads, saves)
	}
	if n := store.lockCount(); n != 0 {
		t.Errorf("a valid token took the profile lock %d times", n)
	}
}

func BenchmarkSourceTokenValid(b *testing.B) {
	now := time.Now()
	store := newMemStore()
	store.put("p", freshCredential(now))
	src := NewSource(SourceOptions{Store: store, Profile: "p"})
	ctx := context.Background()
	if _, err := src.Token(ctx); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := src.Token(ctx); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func TestSourceRefreshesExpiredToken(t *testing.T) {
	t.Parallel()
	stores(t, func(t *testing.T, store keychain.Store) {
		srv := testenv.StartOAuthServer(t, testenv.OAuthServerOptions{ClientSecret: "s3"})
		cred := login(t, srv, "openid", "scenarios:read")
		profile := testProfile(t)
		save(t, store, profile, expired(cred))

		src := NewSource(SourceOptions{Store: store, Profile: profile})
		tok, err := src.Token(context.Background())
		if err != nil {
			t.Fatalf("Token: %v", err)
		}
		if tok.AccessToken == cred.AccessToken || tok.TokenType != "Bearer" {
			t.Fatalf("got the old token (or type %q)", tok.TokenType)
		}
		if got := srv.Userinfo(t, tok.AccessToken); got != http.StatusOK {
			t.Errorf("the refreshed token is refused by the issuer: %d", got)
		}
		stored := load(t, store, profile)
		if stored.AccessToken != tok.AccessToken || stored.RefreshToken == cred.RefreshToken || stored.RefreshToken == "" {
			t.Errorf("the rotated credential was not saved")
		}
		if stored.ClientSecret != "s3" || stored.Issuer != srv.URL || stored.ClientID != srv.ClientID {
			t.Errorf("the refresh lost the client: %v", stored)
		}
		if !stored.Expiry.After(time.Now().Add(50*time.Minute)) || stored.Expiry.Sub(stored.IssuedAt).Round(time.Second) != time.Hour {
			t.Errorf("expiry %v issued %v: want a fresh one-hour token", stored.Expiry, stored.IssuedAt)
		}
		if got := srv.TokenStatus(t, cred.RefreshToken).Status; got != "used" {
			t.Errorf("the old refresh token is %q at the issuer, want used", got)
		}
		if got := srv.TokenStatus(t, stored.RefreshToken).Status; got != "active" {
			t.Errorf("the stored refresh token is %q at the issuer, want active", got)
		}
		// Fresh now: no second refresh.
		if _, err := src.Token(context.Background()); err != nil {
			t.Fatal(err)
		}
		if st := srv.Stats(t); st.Refreshes != 1 {
			t.Errorf("%d refresh requests, want 1", st.Refreshes)
		}
	})
}

func TestSourceSingleflight(t *testing.T) {
	t.Parallel()
	srv := testenv.StartOAuthServer(t, testenv.OAuthServerOptions{})
	cred := login(t, srv)
	store := newMemStore()
	store.put("p", *expired(cred))
	src := NewSource(SourceOptions{Store: store, Profile: "p"})

	const calls = 100
	var wg sync.WaitGroup
	tokens := make([]string, calls)
	errs := make([]error, calls)
	start := make(chan struct{})
	for i := range calls {
		wg.Go(func() {
			<-start
			tok, err := src.Token(context.Background())
			errs[i] = err
			if tok != nil {
				tokens[i] = tok.AccessToken
			}
		})
	}
	close(start)
	wg.Wait()
	for i := range calls {
		if errs[i] != nil || tokens[i] != tokens[0] || tokens[i] == cred.AccessToken {
			t.Fatalf("call %d: err %v, same token as call 0: %t", i, errs[i], tokens[i] == tokens[0])
		}
	}
	if st := srv.Stats(t); st.Refreshes != 1 {
		t.Errorf("%d concurrent calls made %d refresh requests, want 1", calls, st.Refreshes)
	}
	// One flight: one read to learn the credential, one under the lock.
	if loads, saves := store.counts(); loads != 2 || saves != 1 {
		t.Errorf("%d loads and %d saves, want 2 and 1", loads, saves)
	}
}

func TestSourceUsesTokenAnotherProcessRefreshed(t *testing.T) {
	clk := newClock(time.Now())
	store := newMemStore()
	store.put("p", freshCredential(clk.now()))
	src := NewSource(SourceOptions{Store: store, Profile: "p", HTTPClient: noRequests(t), Now: clk.now})
	if _, err := src.Token(context.Background()); err != nil {
		t.Fatal(err)
	}
	// An hour later, another process has refreshed and saved.
	clk.set(clk.now().Add(time.Hour))
	other := freshCredential(clk.now())
	other.AccessToken, other.RefreshToken = "at-2", "rt-2"
	store.put("p", other)
	tok, err := src.Token(context.Background())
	if err != nil || tok.AccessToken != "at-2" {
		t.Fatalf("Token = %v, %v: want the other process's token without a request", tok, err)
	}
}

func TestSourceRefreshWithoutNewRefreshTokenKeepsOld(t *testing.T) {
	t.Parallel()
	srv := testenv.StartOAuthServer(t, testenv.OAuthServerOptions{Refresh: "keep"})
	cred := login(t, srv)
	store := newMemStore()
	store.put("p", *cred)
	for i := range 2 {
		last, _ := store.get("p")
		store.put("p", *expired(&last))
		tok, err := NewSource(SourceOptions{Store: store, Profile: "p"}).Token(context.Background())
		if err != nil {
			t.Fatalf("refresh %d: %v", i+1, err)
		}
		stored, _ := store.get("p")
		if stored.AccessToken != tok.AccessToken || stored.RefreshToken != cred.RefreshToken {
			t.Fatalf("refresh %d: the refresh token changed or the new access token was not saved", i+1)
		}
	}
	if st := srv.Stats(t); st.Refreshes != 2 || st.RefreshesRejected != 0 {
		t.Errorf("stats %+v: want two accepted refreshes with the same refresh token", st)
	}
}

func TestSourceWithoutRefreshToken(t *testing.T) {
	t.Parallel()
	srv := testenv.StartOAuthServer(t, testenv.OAuthServerOptions{Refresh: "none"})
	cred := login(t, srv)
	if cred.RefreshToken != "" {
		t.Fatal("the server issued a refresh token")
	}
	store := newMemStore()
	store.put("p", *cred)
	clk := newClock(time.Now())
	src := NewSource(SourceOptions{Store: store, Profile: "p", Now: clk.now})

	// Works until it expires, even inside the refresh margin.
	clk.set(cred.Expiry.Add(-time.Second))
	if tok, err := src.Token(context.Background()); err != nil || tok.AccessToken != cred.AccessToken {
		t.Fatalf("a second before expiry: %v", err)
	}
	clk.set(cred.Expiry.Add(time.Second))
	for range 3 {
		_, err := src.Token(context.Background())
		if !errors.Is(err, ErrSessionExpired) || err.Error() != "session expired: run makemcp login" {
			t.Fatalf("after expiry: %v", err)
		}
	}
	if _, ok := store.get("p"); !ok {
		t.Error("the credential was deleted")
	}
	if st := srv.Stats(t); st.Refreshes != 0 {
		t.Errorf("%d refresh requests without a refresh token", st.Refreshes)
	}
}

func TestSourceRevokedRefreshToken(t *testing.T) {
	t.Parallel()
	stores(t, func(t *testing.T, store keychain.Store) {
		srv := testenv.StartOAuthServer(t, testenv.OAuthServerOptions{})
		cred := login(t, srv)
		if err := Revoke(context.Background(), nil, cred); err != nil {
			t.Fatal(err)
		}
		profile := testProfile(t)
		save(t, store, profile, expired(cred))
		src := NewSource(SourceOptions{Store: store, Profile: profile})
		for range 2 {
			_, err := src.Token(context.Background())
			if !errors.Is(err, ErrSessionExpired) || err.Error() != "session expired: run makemcp login" {
				t.Fatalf("err = %v", err)
			}
		}
		if st := srv.Stats(t); st.Refreshes != 1 {
			t.Errorf("%d refresh requests, want 1: a refused refresh token is not sent again", st.Refreshes)
		}
		if got := load(t, store, profile); got.RefreshToken != cred.RefreshToken || got.AccessToken != cred.AccessToken {
			t.Error("the stored credential changed after a refused refresh")
		}
	})
}

// flakyIssuer is an issuer whose token endpoint fails as the test says:
// the failures a real server cannot be asked for.
func flakyIssuer(t *testing.T, token http.HandlerFunc) *httptest.Server {
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/.well-known/openid-configuration":
			json.NewEncoder(w).Encode(map[string]string{
				"issuer": srv.URL, "authorization_endpoint": srv.URL + "/authorize", "token_endpoint": srv.URL + "/token",
			})
		case "/token":
			token(w, r)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestSourceTransientFailures(t *testing.T) {
	t.Parallel()
	closedPort := func() string {
		ln, _ := net.Listen("tcp", "127.0.0.1:0")
		defer ln.Close()
		return ln.Addr().String()
	}()
	tests := []struct {
		name  string
		token http.HandlerFunc
	}{
		{"503", func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, `{"error":"temporarily_unavailable"}`, http.StatusServiceUnavailable)
		}},
		{"500 with html", func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "<html>oops "+r.FormValue("refresh_token")+"</html>", http.StatusInternalServerError)
		}},
		{"429", func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, `{"error":"slow_down"}`, http.StatusTooManyRequests)
		}},
		{"connection dropped", func(w http.ResponseWriter, r *http.Request) {
			conn, _, _ := w.(http.Hijacker).Hijack()
			conn.Close()
		}},
		{"network", func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "http://"+closedPort+"/token", http.StatusTemporaryRedirect)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			issuer := flakyIssuer(t, tt.token)
			clk := newClock(time.Now())
			cred := freshCredential(clk.now())
			cred.Issuer, cred.RefreshToken = issuer.URL, "secret-refresh-token"
			store := newMemStore()
			store.put("p", cred)
			src := NewSource(SourceOptions{Store: store, Profile: "p", Now: clk.now})

			// Inside the refresh margin the old token still works.
			clk.set(cred.Expiry.Add(-30 * time.Second))
			if tok, err := src.Token(context.Background()); err != nil || tok.AccessToken != cred.AccessToken {
				t.Fatalf("a still-valid token after a failed refresh: %v", err)
			}
			// After expiry the call fails, saying it will retry.
			clk.set(cred.Expiry.Add(time.Second))
			_, err := src.Token(context.Background())
			if !errors.Is(err, ErrRefreshFailed) || errors.Is(err, ErrSessionExpired) {
				t.Fatalf("err = %v, want ErrRefreshFailed", err)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "could not refresh the access token (will retry on the next call): ") ||
				strings.Contains(msg, "\n") || strings.Contains(msg, "secret-refresh-token") {
				t.Errorf("message %q: want one line that says it retries, without the token", msg)
			}
			stored, _ := store.get("p")
			if !sameCredential(&stored, &cred) {
				t.Error("a transient failure changed the stored credential")
			}
			if _, saves := store.counts(); saves != 0 {
				t.Errorf("%d saves after failures", saves)
			}
		})
	}
}

func TestSourceRejectedRefreshKeepsCredential(t *testing.T) {
	issuer := flakyIssuer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		w.Write([]byte(`{"error":"invalid_client","error_description":"client disabled"}`))
	})
	now := time.Now()
	cred := freshCredential(now.Add(-2 * time.Hour))
	cred.Issuer = issuer.URL
	store := newMemStore()
	store.put("p", cred)
	_, err := NewSource(SourceOptions{Store: store, Profile: "p"}).Token(context.Background())
	if !errors.Is(err, ErrSessionExpired) || !strings.Contains(err.Error(), "invalid_client: client disabled") {
		t.Fatalf("err = %v", err)
	}
	if _, ok := store.get("p"); !ok {
		t.Error("the credential was deleted")
	}
}

func TestSourceInvalidate(t *testing.T) {
	t.Parallel()
	t.Run("store has another token", func(t *testing.T) {
		now := time.Now()
		store := newMemStore()
		store.put("p", freshCredential(now))
		src := NewSource(SourceOptions{Store: store, Profile: "p", HTTPClient: noRequests(t)})
		tok, _ := src.Token(context.Background())
		other := freshCredential(now)
		other.AccessToken = "at-2"
		store.put("p", other)
		// Still cached: the store is not read on the hot path.
		if tok, _ := src.Token(context.Background()); tok.AccessToken != "at-1" {
			t.Fatalf("hot path read the store")
		}
		src.Invalidate(tok.AccessToken)
		if tok, err := src.Token(context.Background()); err != nil || tok.AccessToken != "at-2" {
			t.Fatalf("after Invalidate: %v, %v", tok, err)
		}
	})
	t.Run("same token is refreshed", func(t *testing.T) {
		srv := testenv.StartOAuthServer(t, testenv.OAuthServerOptions{})
		cred := login(t, srv)
		store := newMemStore()
		store.put("p", *cred)
		src := NewSource(SourceOptions{Store: store, Profile: "p"})
		src.Invalidate(cred.AccessToken)
		tok, err := src.Token(context.Background())
		if err != nil || tok.AccessToken == cred.AccessToken {
			t.Fatalf("after Invalidate: %v", err)
		}
		if st := srv.Stats(t); st.Refreshes != 1 {
			t.Errorf("%d refreshes", st.Refreshes)
		}
	})
	t.Run("same token without refresh token", func(t *testing.T) {
		cred := freshCredential(time.Now())
		cred.RefreshToken = ""
		store := newMemStore()
		store.put("p", cred)
		src := NewSource(SourceOptions{Store: store, Profile: "p", HTTPClient: noRequests(t)})
		src.Token(context.Background())
		src.Invalidate(cred.AccessToken)
		if _, err := src.Token(context.Background()); !errors.Is(err, ErrSessionExpired) {
			t.Fatalf("err = %v", err)
		}
	})
}

func TestSourceCancelledCallDoesNotAbortRefresh(t *testing.T) {
	t.Parallel()
	srv := testenv.StartOAuthServer(t, testenv.OAuthServerOptions{})
	cred := login(t, srv)
	arrived, release := make(chan struct{}), make(chan struct{})
	// A proxy in front of the real token endpoint holds the refresh
	// until the caller has given up.
	proxy := flakyIssuer(t, func(w http.ResponseWriter, r *http.Request) {
		close(arrived)
		<-release
		r.ParseForm()
		resp, err := http.PostForm(srv.URL+"/token", r.PostForm)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		defer resp.Body.Close()
		w.Header().Set("Content-Type", resp.Header.Get("Content-Type"))
		w.WriteHeader(resp.StatusCode)
		var body json.RawMessage
		json.NewDecoder(resp.Body).Decode(&body)
		w.Write(body)
	})
	c := *expired(cred)
	c.Issuer = proxy.URL
	saved := make(chan *keychain.Credential, 1)
	store := newMemStore()
	store.put("p", c)
	store.onSave = func(c *keychain.Credential) { saved <- c }
	src := NewSource(SourceOptions{Store: store, Profile: "p"})

	ctx, cancel := context.WithCancel(context.Background())
	go func() { <-arrived; cancel() }()
	if _, err := src.Token(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	close(release)
	got := <-saved
	if got.AccessToken == cred.AccessToken || got.RefreshToken == cred.RefreshToken {
		t.Fatal("the rotation was not finished")
	}
	if srv.TokenStatus(t, got.RefreshToken).Status != "active" {
		t.Error("the saved refresh token is not the live one")
	}
	tok, err := src.Token(context.Background())
	if err != nil || tok.AccessToken != got.AccessToken {
		t.Errorf("the next call: %v", err)
	}
}
