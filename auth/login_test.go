package auth

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/makemcp/makemcp/internal/testenv"
	"github.com/makemcp/makemcp/keychain"
)

// checkCredential checks what every successful login must return.
func checkCredential(t *testing.T, cred *keychain.Credential, issuer, clientID, secret string) {
	t.Helper()
	if cred.Kind != keychain.OAuth || cred.AccessToken == "" || cred.TokenType != "Bearer" {
		t.Errorf("credential %v: want an OAuth Bearer access token", cred)
	}
	if cred.Issuer != issuer || cred.ClientID != clientID || cred.ClientSecret != secret {
		t.Errorf("credential issuer %q client %q secret set %t, want %q %q %t",
			cred.Issuer, cred.ClientID, cred.ClientSecret != "", issuer, clientID, secret != "")
	}
	if cred.Expiry.IsZero() || !cred.Expiry.After(cred.IssuedAt) || time.Until(cred.Expiry) <= 0 {
		t.Errorf("expiry %v, issued at %v: want a live token with a known lifetime", cred.Expiry, cred.IssuedAt)
	}
	if cred.Zone != "" {
		t.Errorf("zone %q: the caller fills it in", cred.Zone)
	}
}

func TestLoginWithChromium(t *testing.T) {
	for _, secret := range []string{"", "confidential-secret"} {
		name := map[bool]string{true: "public", false: "confidential"}[secret == ""]
		t.Run(name, func(t *testing.T) {
			browser := testenv.Browser(t)
			srv := testenv.StartOAuthServer(t, testenv.OAuthServerOptions{ClientSecret: secret})
			stderr := newURLWriter()
			// OpenBrowser is left nil: the system launcher is xdg-open, which
			// is the shim that opens headless Chromium.
			cred, err := Login(context.Background(), LoginOptions{
				Issuer:       srv.URL,
				ClientID:     srv.ClientID,
				ClientSecret: secret,
				Scopes:       []string{"openid", "scenarios:read", "teams:read"},
				Port:         0,
				Stderr:       stderr,
			})
			if err != nil {
				t.Fatalf("Login: %v\nstderr:\n%s", err, stderr)
			}
			checkCredential(t, cred, srv.URL, srv.ClientID, secret)
			if want := []string{"openid", "scenarios:read", "teams:read"}; !slices.Equal(cred.Scopes, want) {
				t.Errorf("scopes %q, want %q (the issuer's scope answer)", cred.Scopes, want)
			}
			if cred.RefreshToken == "" {
				t.Error("no refresh token")
			}
			if got := srv.Userinfo(t, cred.AccessToken); got != http.StatusOK {
				t.Errorf("the issuer answers userinfo with %d for the new access token", got)
			}
			if st := srv.Stats(t); st.CodeExchanges != 1 || st.TokenRejected != 0 {
				t.Errorf("server stats %+v: want one accepted code exchange", st)
			}
			page := browser.WaitPage(t, 1)[0]
			if !strings.Contains(page, "You are logged in to Make") || !strings.Contains(page, "You can close this tab") {
				t.Errorf("the browser ended on:\n%s", page)
			}
			u := <-stderr.urls
			if !strings.Contains(u, "code_challenge_method=S256") || !strings.Contains(u, "redirect_uri=http%3A%2F%2F127.0.0.1%3A") {
				t.Errorf("printed URL %q: want PKCE S256 and a loopback redirect", u)
			}

			// Tokens land in the real keychain and come back whole.
			store := keyringStore(t)
			profile := testProfile(t)
			save(t, store, profile, cred)
			if got := load(t, store, profile); !sameCredential(got, cred) {
				t.Errorf("the keychain returned %v, saved %v", got, cred)
			}
		})
	}
}

func TestLoginWrongClientSecret(t *testing.T) {
	t.Parallel()
	srv := testenv.StartOAuthServer(t, testenv.OAuthServerOptions{ClientSecret: "the-right-one"})
	pages := make(chan string, 1)
	_, err := Login(context.Background(), LoginOptions{Scopes: testScopes,
		Issuer: srv.URL, ClientID: srv.ClientID, ClientSecret: "not-the-secret", Port: 0, Stderr: io.Discard,
		OpenBrowser: func(u string) error { pages <- getPage(t, u); return nil },
	})
	page := <-pages
	if err == nil || !strings.Contains(err.Error(), "invalid_client") || strings.Contains(err.Error(), "not-the-secret") {
		t.Fatalf("err = %v: want the issuer's invalid_client, without the secret", err)
	}
	if !strings.Contains(page, "Login failed") || !strings.Contains(page, "invalid_client") {
		t.Errorf("callback page:\n%s", page)
	}
}

// getPage follows url like a browser and returns the final page.
func getPage(t *testing.T, u string) string {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Errorf("GET %s: %v", u, err)
		return ""
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

func TestLoginZitadel(t *testing.T) {
	// Not parallel: it relies on a port staying free or closed.
	z := testenv.StartZitadel(t)
	clients := []struct {
		name, id, secret string
		port             int
	}{
		{"public", z.PublicClientID, "", 0},
		{"confidential", z.ConfidentialClientID, z.ClientSecret, z.WebRedirectPort},
	}
	for _, c := range clients {
		t.Run(c.name, func(t *testing.T) {
			cred, err := Login(context.Background(), LoginOptions{
				Issuer:       z.Issuer,
				ClientID:     c.id,
				ClientSecret: c.secret,
				// zitadel issues refresh tokens only for offline_access.
				Scopes:      []string{"openid", "offline_access"},
				Port:        c.port,
				OpenBrowser: z.SignIn,
				Stderr:      io.Discard,
			})
			if err != nil {
				t.Fatalf("Login: %v", err)
			}
			checkCredential(t, cred, z.Issuer, c.id, c.secret)
			if cred.RefreshToken == "" {
				t.Fatal("no refresh token")
			}

			// The strict server also accepts our refresh, rotates the
			// refresh token and refuses the spent one.
			store := newMemStore()
			store.put("p", *expired(cred))
			src := NewSource(SourceOptions{Store: store, Profile: "p"})
			tok, err := src.Token(context.Background())
			if err != nil {
				t.Fatalf("refresh at zitadel: %v", err)
			}
			stored, _ := store.get("p")
			if tok.AccessToken == cred.AccessToken || stored.AccessToken != tok.AccessToken || stored.RefreshToken == cred.RefreshToken {
				t.Errorf("after the refresh: token changed %t, stored %t, refresh token rotated %t",
					tok.AccessToken != cred.AccessToken, stored.AccessToken == tok.AccessToken, stored.RefreshToken != cred.RefreshToken)
			}
			store.put("p", *expired(cred))
			_, err = NewSource(SourceOptions{Store: store, Profile: "p"}).Token(context.Background())
			if !errors.Is(err, ErrSessionExpired) {
				t.Errorf("refresh with the spent refresh token: %v, want ErrSessionExpired", err)
			}

			// And revocation.
			if err := Revoke(context.Background(), nil, &stored); err != nil {
				t.Errorf("Revoke: %v", err)
			}
			store.put("p", *expired(&stored))
			_, err = NewSource(SourceOptions{Store: store, Profile: "p"}).Token(context.Background())
			if !errors.Is(err, ErrSessionExpired) {
				t.Errorf("refresh after revocation: %v, want ErrSessionExpired", err)
			}
		})
	}
}

func TestLoginIgnoresWrongState(t *testing.T) {
	// Not parallel: it relies on a port staying free or closed.
	srv := testenv.StartOAuthServer(t, testenv.OAuthServerOptions{})
	stderr := newURLWriter()
	var pages []string
	browserDone := make(chan struct{})
	cred, err := Login(context.Background(), LoginOptions{Scopes: testScopes,
		Issuer: srv.URL, ClientID: srv.ClientID, Port: 0, Stderr: stderr,
		OpenBrowser: func(authURL string) error {
			u, _ := url.Parse(authURL)
			callback := u.Query().Get("redirect_uri")
			// Another program on this machine guesses at the callback.
			pages = append(pages, getPage(t, callback+"?code=forged&state=guess"))
			pages = append(pages, getPage(t, callback+"?code=forged"))
			pages = append(pages, getPage(t, callback+"?error=access_denied"))
			// Then the person finishes the real login.
			defer close(browserDone)
			return srv.Authorize(authURL)
		},
	})
	if err != nil {
		t.Fatalf("Login: %v (a request with a wrong state must not end the login)", err)
	}
	<-browserDone
	checkCredential(t, cred, srv.URL, srv.ClientID, "")
	assertClosed(t, <-stderr.urls)
	for i, p := range pages {
		if !strings.Contains(p, "does not belong to the current login") {
			t.Errorf("page %d for a wrong state:\n%s", i, p)
		}
	}
	if n := strings.Count(stderr.String(), "missing or wrong state"); n != 3 {
		t.Errorf("stderr warns %d times about a wrong state, want 3:\n%s", n, stderr)
	}
	if st := srv.Stats(t); st.CodeExchanges != 1 {
		t.Errorf("%d code exchanges, want 1 (the forged code must never be sent)", st.CodeExchanges)
	}
}

func TestLoginAccessDenied(t *testing.T) {
	t.Parallel()
	srv := testenv.StartOAuthServer(t, testenv.OAuthServerOptions{Deny: true})
	pages := make(chan string, 1)
	_, err := Login(context.Background(), LoginOptions{Scopes: testScopes,
		Issuer: srv.URL, ClientID: srv.ClientID, Port: 0, Stderr: io.Discard,
		OpenBrowser: func(u string) error { pages <- getPage(t, u); return nil },
	})
	page := <-pages
	if !errors.Is(err, ErrAccessDenied) {
		t.Fatalf("err = %v, want ErrAccessDenied", err)
	}
	if err.Error() != "access was denied in the browser: run makemcp login again to retry" {
		t.Errorf("message %q", err)
	}
	if !strings.Contains(page, "Login failed") || !strings.Contains(page, "access was denied") {
		t.Errorf("callback page:\n%s", page)
	}
	if st := srv.Stats(t); st.CodeExchanges != 0 {
		t.Errorf("%d code exchanges after a denial", st.CodeExchanges)
	}
}

func TestLoginOtherOAuthError(t *testing.T) {
	t.Parallel()
	// The strict server refuses an unknown client at the authorization
	// step with an error redirect.
	srv := testenv.StartOAuthServer(t, testenv.OAuthServerOptions{})
	pages := make(chan string, 1)
	_, err := Login(context.Background(), LoginOptions{Scopes: testScopes,
		Issuer: srv.URL, ClientID: "someone-else", Port: 0, Stderr: io.Discard,
		OpenBrowser: func(u string) error { pages <- getPage(t, u); return nil },
	})
	<-pages
	if err == nil || err.Error() != "the issuer refused the login (unauthorized_client): Unknown client_id." {
		t.Fatalf("err = %v", err)
	}
}

// localEndpoints point nowhere: for tests that end before any request.
var localEndpoints = &Endpoints{AuthURL: "http://127.0.0.1:9/authorize", TokenURL: "http://127.0.0.1:9/token"}

// assertClosed checks that nothing listens on the callback's port.
func assertClosed(t *testing.T, authURL string) {
	t.Helper()
	u, err := url.Parse(authURL)
	if err != nil {
		t.Fatal(err)
	}
	cb, _ := url.Parse(u.Query().Get("redirect_uri"))
	if conn, err := net.Dial("tcp", cb.Host); err == nil {
		conn.Close()
		t.Errorf("%s still accepts connections after Login returned", cb.Host)
	}
}

func TestLoginTimeout(t *testing.T) {
	// Not parallel: it relies on a port staying free or closed.
	stderr := newURLWriter()
	_, err := Login(context.Background(), LoginOptions{Scopes: testScopes,
		Endpoints: localEndpoints, ClientID: "c", Port: 0, NoBrowser: true,
		Timeout: 50 * time.Millisecond, Stderr: stderr,
		OpenBrowser: func(string) error { t.Error("OpenBrowser called with NoBrowser"); return nil },
	})
	if err == nil || err.Error() != "login timed out after 50ms: run makemcp login again" {
		t.Fatalf("err = %v", err)
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Error("the timeout does not match context.DeadlineExceeded")
	}
	assertClosed(t, <-stderr.urls)
}

func TestLoginCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var authURL string
	_, err := Login(ctx, LoginOptions{Scopes: testScopes,
		Endpoints: localEndpoints, ClientID: "c", Port: 0, Stderr: io.Discard,
		// Ctrl-C once the browser is open.
		OpenBrowser: func(u string) error { authURL = u; cancel(); return nil },
	})
	if err == nil || err.Error() != "login cancelled" || !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
	assertClosed(t, authURL)
}

func TestLoginBusyPort(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	port := ln.Addr().(*net.TCPAddr).Port
	_, err = Login(context.Background(), LoginOptions{Scopes: testScopes,
		Endpoints: localEndpoints, ClientID: "c", Port: port, Stderr: io.Discard,
		OpenBrowser: func(string) error { t.Error("browser opened on a busy port"); return nil },
	})
	want := fmt.Sprintf("port %d is in use: pass --port with a free port (or --port 0 if your OAuth client accepts any loopback port)", port)
	if err == nil || err.Error() != want {
		t.Fatalf("err = %v\nwant %s", err, want)
	}
}

func TestLoginNoBrowserPrintsURL(t *testing.T) {
	t.Parallel()
	srv := testenv.StartOAuthServer(t, testenv.OAuthServerOptions{})
	stderr := newURLWriter()
	browserDone, stop := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(browserDone)
		select {
		case u := <-stderr.urls:
			// The person copies the URL from the terminal.
			if err := srv.Authorize(u); err != nil {
				t.Errorf("authorize: %v", err)
			}
		case <-stop:
		}
	}()
	defer func() { close(stop); <-browserDone }()
	cred, err := Login(context.Background(), LoginOptions{
		Issuer: srv.URL, ClientID: srv.ClientID, Port: 0, NoBrowser: true, Stderr: stderr, Scopes: testScopes,
		OpenBrowser: func(string) error { t.Error("OpenBrowser called with NoBrowser"); return nil },
	})
	if err != nil {
		t.Fatal(err)
	}
	// The scopes asked for were granted.
	if !slices.Equal(cred.Scopes, testScopes) {
		t.Errorf("scopes %q, want %q", cred.Scopes, testScopes)
	}
	if !strings.Contains(stderr.String(), "To log in, open this URL in a browser") {
		t.Errorf("stderr:\n%s", stderr)
	}
}

func TestLoginBrowserFailureStillWaits(t *testing.T) {
	t.Parallel()
	srv := testenv.StartOAuthServer(t, testenv.OAuthServerOptions{})
	stderr := newURLWriter()
	// The person reads the hint on the terminal, then opens the URL.
	hint := &lineSignal{w: stderr, match: "Could not open a browser (exit status 3): open the URL above yourself.", seen: make(chan struct{})}
	browserDone, stop := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(browserDone)
		select {
		case <-hint.seen:
			if err := srv.Authorize(<-stderr.urls); err != nil {
				t.Errorf("authorize: %v", err)
			}
		case <-stop:
		}
	}()
	defer func() { close(stop); <-browserDone }()
	_, err := Login(context.Background(), LoginOptions{Scopes: testScopes,
		Issuer: srv.URL, ClientID: srv.ClientID, Port: 0, Stderr: hint,
		OpenBrowser: func(string) error { return errors.New("exit status 3") },
	})
	if err != nil {
		t.Fatal(err)
	}
}

// lineSignal closes seen when a write holds match (Login writes each
// message whole).
type lineSignal struct {
	w     io.Writer
	match string
	once  sync.Once
	seen  chan struct{}
}

func (l *lineSignal) Write(p []byte) (int, error) {
	if strings.Contains(string(p), l.match) {
		l.once.Do(func() { close(l.seen) })
	}
	return l.w.Write(p)
}

func TestLoginNeedsClientID(t *testing.T) {
	_, err := Login(context.Background(), LoginOptions{Scopes: testScopes, Endpoints: localEndpoints})
	if err == nil || !strings.Contains(err.Error(), "--client-id") {
		t.Fatalf("err = %v", err)
	}
}

func TestLoginTimeoutDuringExchange(t *testing.T) {
	t.Parallel()
	// The token endpoint never answers; the login's timeout ends the
	// exchange too, and the browser is told.
	issuer := flakyIssuer(t, func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm() // the server notices a closed client only once the body is read
		<-r.Context().Done()
	})
	pages := make(chan string, 1)
	_, err := Login(context.Background(), LoginOptions{Scopes: testScopes,
		Issuer: issuer.URL, ClientID: "c", Port: 0, Stderr: io.Discard, Timeout: 300 * time.Millisecond,
		OpenBrowser: func(u string) error {
			q, _ := url.Parse(u)
			pages <- getPage(t, q.Query().Get("redirect_uri")+"?code=c&state="+url.QueryEscape(q.Query().Get("state")))
			return nil
		},
	})
	if err == nil || err.Error() != "login timed out after 300ms: run makemcp login again" {
		t.Fatalf("err = %v", err)
	}
	if page := <-pages; !strings.Contains(page, "Login failed") {
		t.Errorf("callback page:\n%s", page)
	}
}

// The browser launcher gets makemcp's environment without its secrets:
// a shim first on PATH in place of xdg-open records the environment it
// was started with, and the test plays the browser with the printed URL.
func TestLoginBrowserEnvironmentHasNoSecrets(t *testing.T) {
	if runtime.GOOS != "linux" && runtime.GOOS != "freebsd" && runtime.GOOS != "openbsd" && runtime.GOOS != "netbsd" {
		t.Skip("skipping: the launcher is xdg-open only on Linux and the BSDs")
	}
	srv := testenv.StartOAuthServer(t, testenv.OAuthServerOptions{ClientSecret: "confidential-secret"})
	dir := t.TempDir()
	envFile := filepath.Join(dir, "env")
	shim := "#!/bin/sh\nenv > " + envFile + ".tmp && mv " + envFile + ".tmp " + envFile + "\n"
	if err := os.WriteFile(filepath.Join(dir, "xdg-open"), []byte(shim), 0o700); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", dir+string(os.PathListSeparator)+os.Getenv("PATH"))
	secrets := map[string]string{
		"MAKEMCP_CLIENT_SECRET": "confidential-secret",
		"MAKE_API_TOKEN":        "api-token-0b5e",
		"GITHUB_TOKEN":          "ghp-not-for-the-browser",
		"AWS_SECRET_ACCESS_KEY": "aws-not-for-the-browser",
		"DB_PASSWORD":           "db-not-for-the-browser",
	}
	for k, v := range secrets {
		t.Setenv(k, v)
	}
	t.Setenv("MAKEMCP_TEST_KEEP", "")
	t.Setenv("LANG_FOR_THE_BROWSER", "kept")

	stderr := newURLWriter()
	done := make(chan error, 1)
	go func() {
		_, err := Login(context.Background(), LoginOptions{
			Issuer: srv.URL, ClientID: srv.ClientID, ClientSecret: "confidential-secret",
			Scopes: testScopes, Port: 0, Stderr: stderr, Timeout: time.Minute,
		})
		done <- err
	}()
	if err := srv.Authorize(<-stderr.urls); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatalf("Login: %v\n%s", err, stderr)
	}
	var env []byte
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		var err error
		if env, err = os.ReadFile(envFile); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the launcher never ran: %v\n%s", err, stderr)
		}
	}
	for k, v := range secrets {
		if strings.Contains(string(env), v) || strings.Contains(string(env), k+"=") {
			t.Errorf("the browser launcher inherited %s", k)
		}
	}
	if !strings.Contains(string(env), "LANG_FOR_THE_BROWSER=kept") || !strings.Contains(string(env), "PATH=") {
		t.Errorf("the launcher lost the rest of the environment:\n%s", env)
	}
}
