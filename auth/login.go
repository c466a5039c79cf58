package auth

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"strconv"
	"sync"
	"time"

	"github.com/makemcp/makemcp/keychain"
	"golang.org/x/oauth2"
)

// LoginOptions configure Login. Zero values mean the documented defaults.
type LoginOptions struct {
	// Issuer is the OAuth authorization server (default DefaultIssuer).
	Issuer string
	// Endpoints, when set, are used instead of discovering the issuer's.
	Endpoints *Endpoints
	// ClientID is the OAuth client; required.
	ClientID string
	// ClientSecret makes the client confidential (client_secret_post);
	// it is kept in the credential so that refreshes work without the
	// shell's environment.
	ClientSecret string
	// Scopes to request; required. The command asks for what the tools it
	// will serve need, so the list lives there.
	Scopes []string
	// Port is the loopback port of the redirect URI. 0 picks any free
	// port, so the command's --port flag defaults to DefaultPort.
	Port int
	// NoBrowser only prints the URL.
	NoBrowser bool
	// Timeout bounds the whole login (default DefaultLoginTimeout).
	Timeout time.Duration
	// OpenBrowser opens the URL; it runs in its own goroutine, so it may
	// block. Default: the system browser, started without makemcp's
	// secrets in its environment and with its output discarded.
	OpenBrowser func(url string) error
	// Stderr receives the URL and progress (default os.Stderr).
	Stderr io.Writer
	// HTTPClient makes the discovery and token requests
	// (default: one with a 30 s timeout).
	HTTPClient *http.Client
}

// exchangeTimeout bounds the code exchange.
const exchangeTimeout = 30 * time.Second

func (o LoginOptions) withDefaults() LoginOptions {
	if o.Issuer == "" {
		o.Issuer = DefaultIssuer
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultLoginTimeout
	}
	if o.OpenBrowser == nil {
		o.OpenBrowser = openSystemBrowser
	}
	if o.Stderr == nil {
		o.Stderr = os.Stderr
	}
	if o.HTTPClient == nil {
		o.HTTPClient = &http.Client{Timeout: exchangeTimeout}
	}
	return o
}

// Login runs the OAuth 2.0 authorization code flow with PKCE (S256)
// through a one-shot listener on 127.0.0.1 and returns the new
// credential. The caller fills in the Zone and stores it. The listener is
// closed whatever happens; cancelling ctx (Ctrl-C) ends the login.
func Login(ctx context.Context, opts LoginOptions) (*keychain.Credential, error) {
	o := opts.withDefaults()
	if o.ClientID == "" {
		return nil, errors.New("no OAuth client ID: pass --client-id or set MAKEMCP_CLIENT_ID")
	}
	if len(o.Scopes) == 0 {
		return nil, errors.New("no scopes to request: pass --scopes")
	}
	endpoints := o.Endpoints
	if endpoints == nil {
		var err error
		if endpoints, err = Discover(ctx, o.HTTPClient, o.Issuer); err != nil {
			return nil, err
		}
	}
	ln, err := listen(o.Port)
	if err != nil {
		return nil, err
	}
	defer ln.Close()

	conf := oauthConfig(endpoints, o.ClientID, o.ClientSecret)
	conf.RedirectURL = fmt.Sprintf("http://127.0.0.1:%d/callback", ln.Addr().(*net.TCPAddr).Port)
	conf.Scopes = o.Scopes
	state := rand.Text()
	verifier := oauth2.GenerateVerifier()
	authURL := conf.AuthCodeURL(state, oauth2.S256ChallengeOption(verifier))

	exchange := func(ctx context.Context, code string) (*keychain.Credential, error) {
		ctx, cancel := context.WithTimeout(ctx, exchangeTimeout)
		defer cancel()
		ctx = context.WithValue(ctx, oauth2.HTTPClient, noRedirects(o.HTTPClient))
		tok, err := conf.Exchange(ctx, code, oauth2.VerifierOption(verifier))
		if err != nil {
			return nil, fmt.Errorf("exchange the authorization code at %s: %s", endpoints.TokenURL, tokenError(err))
		}
		cred := &keychain.Credential{Issuer: o.Issuer, ClientID: o.ClientID, ClientSecret: o.ClientSecret}
		applyToken(cred, tok, time.Now())
		if len(cred.Scopes) == 0 {
			cred.Scopes = withoutOpenID(o.Scopes)
		}
		return cred, nil
	}

	out := &lineWriter{w: o.Stderr}
	defer out.close()
	loginCtx, cancel := context.WithCancel(ctx)
	cb := newCallback(loginCtx, state, exchange, func(msg string) { out.printf("Warning: %s\n", msg) })
	srv := &http.Server{
		Handler:           cb,
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          log.New(io.Discard, "", 0),
	}
	go srv.Serve(ln)
	// Deferred calls run last first: an exchange still under way is
	// cancelled before the shutdown waits for its handler.
	defer shutdown(srv)
	defer cancel()

	if o.NoBrowser {
		out.printf("To log in, open this URL in a browser:\n\n    %s\n\n", authURL)
	} else {
		out.printf("Opening the browser to log in. If it does not open, visit this URL:\n\n    %s\n\n", authURL)
		go func() {
			if err := o.OpenBrowser(authURL); err != nil {
				out.printf("Could not open a browser (%s): open the URL above yourself.\n", oneLine(err.Error()))
			}
		}()
	}
	out.printf("Waiting for the login to finish in the browser (Ctrl-C to cancel)...\n")

	timer := time.NewTimer(o.Timeout)
	defer timer.Stop()
	timedOut := withCause(fmt.Sprintf("login timed out after %s: run makemcp login again", o.Timeout), context.DeadlineExceeded)
	select {
	case r := <-cb.done:
		return r.cred, r.err
	case <-timer.C:
		return nil, timedOut
	case <-ctx.Done():
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			// The caller's deadline, which is the same --timeout.
			return nil, timedOut
		}
		return nil, withCause("login cancelled", ctx.Err())
	}
}

// listen opens the one-shot callback listener on 127.0.0.1 only: the
// redirect carries an authorization code that nobody else should see.
func listen(port int) (net.Listener, error) {
	if port < 0 || port > 65535 {
		return nil, fmt.Errorf("--port %d is not a port number: use 1 to 65535, or 0 for any free port", port)
	}
	ln, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
	if err == nil {
		return ln, nil
	}
	if port != 0 && isAddrInUse(err) {
		return nil, withCause(fmt.Sprintf("port %d is in use: pass --port with a free port (or --port 0 if your OAuth client accepts any loopback port)", port), err)
	}
	return nil, fmt.Errorf("listen on 127.0.0.1:%d for the login callback: %s", port, oneLine(err.Error()))
}

// shutdown lets the callback page reach the browser before the listener
// goes away, but not for long.
func shutdown(srv *http.Server) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = srv.Shutdown(ctx)
	_ = srv.Close()
}

// lineWriter serializes writes from the login and the browser goroutine
// and drops those that come after Login returned.
type lineWriter struct {
	mu     sync.Mutex
	w      io.Writer
	closed bool
}

func (l *lineWriter) printf(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.closed {
		fmt.Fprintf(l.w, format, args...)
	}
}

func (l *lineWriter) close() {
	l.mu.Lock()
	l.closed = true
	l.mu.Unlock()
}
