package reliability

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"testing"

	"github.com/makemcp/makemcp/internal/testenv"
)

// oauthProxy stands between makemcp and the OAuth server, as a network
// would: it passes everything on (the issuer makemcp knows is the proxy's
// URL, so the discovery documents are rewritten to name it), and it can
// fail the token endpoint on demand: the whole server down (connection
// refused), 503 answers, or an answer that never comes. It tells the leak
// check every token the server issues, and lets a test act at the moments
// of a refresh (hook).
type oauthProxy struct {
	URL     string
	addr    string
	backend *url.URL
	leaks   *testenv.LeakCheck

	mu    sync.Mutex
	srv   *http.Server
	fault oauthFault
	hook  func(tokenStage)
	// refreshes counts refresh grants answered by the server.
	refreshes int
	// inflight are the token requests being handled.
	inflight sync.WaitGroup
}

type oauthFault int

const (
	passThrough oauthFault = iota
	// tokenUnavailable answers the token endpoint 503 with the OAuth
	// error temporarily_unavailable, without asking the server.
	tokenUnavailable
	// tokenHangs holds token requests until the client gives up.
	tokenHangs
)

// tokenStage is a moment in a token request's trip through the proxy.
type tokenStage int

const (
	// tokenSent: the request reached the proxy; the server has not seen it.
	tokenSent tokenStage = iota
	// tokenAnswered: the server answered (and, for a refresh, rotated the
	// refresh token); makemcp has not seen the answer.
	tokenAnswered
	// tokenRelayed: the answer went to makemcp.
	tokenRelayed
)

func (s tokenStage) String() string {
	return [...]string{"sent", "answered", "relayed"}[s]
}

// startOAuthProxy starts a proxy to the OAuth server on a free loopback
// port. It stops when the test ends.
func startOAuthProxy(t testing.TB, backend string, leaks *testenv.LeakCheck) *oauthProxy {
	t.Helper()
	b, err := url.Parse(backend)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &oauthProxy{addr: ln.Addr().String(), backend: b, leaks: leaks}
	p.URL = "http://" + p.addr
	p.serve(ln)
	t.Cleanup(p.down)
	return p
}

func (p *oauthProxy) serve(ln net.Listener) {
	srv := &http.Server{Handler: p}
	p.mu.Lock()
	p.srv = srv
	p.mu.Unlock()
	go func() { _ = srv.Serve(ln) }()
}

// down takes the OAuth server off the network: connections are refused
// until up.
func (p *oauthProxy) down() {
	p.mu.Lock()
	srv := p.srv
	p.srv = nil
	p.mu.Unlock()
	if srv != nil {
		_ = srv.Close()
	}
}

// up brings the OAuth server back at the same address.
func (p *oauthProxy) up(t testing.TB) {
	t.Helper()
	ln, err := net.Listen("tcp", p.addr)
	if err != nil {
		t.Fatalf("listen again at %s: %v", p.addr, err)
	}
	p.serve(ln)
}

// setFault sets how the token endpoint misbehaves (passThrough: not).
func (p *oauthProxy) setFault(f oauthFault) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.fault = f
}

// setHook sets a function called at each stage of every token request;
// it may block, and the request waits.
func (p *oauthProxy) setHook(h func(tokenStage)) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.hook = h
}

// answeredRefreshes is how many refresh grants the server answered
// through the proxy.
func (p *oauthProxy) answeredRefreshes() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.refreshes
}

func (p *oauthProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		return
	}
	isToken := r.Method == http.MethodPost && r.URL.Path == "/token"
	if isToken {
		p.inflight.Add(1)
		defer p.inflight.Done()
	}
	p.mu.Lock()
	fault, hook := p.fault, p.hook
	p.mu.Unlock()
	if hook == nil {
		hook = func(tokenStage) {}
	}
	if isToken {
		switch fault {
		case tokenUnavailable:
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = w.Write([]byte(`{"error": "temporarily_unavailable", "error_description": "The server is down for maintenance."}`))
			return
		case tokenHangs:
			<-r.Context().Done()
			return
		}
		hook(tokenSent)
	}

	// Once a request is on the wire the server acts on it, whatever
	// becomes of the client: the proxy finishes it even when makemcp is
	// gone.
	ctx := context.WithoutCancel(r.Context())
	if !isToken {
		ctx = r.Context()
	}
	out, err := http.NewRequestWithContext(ctx, r.Method, p.backend.String()+r.URL.RequestURI(), bytes.NewReader(body))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	out.Header = r.Header.Clone()
	// A transport, not a client: redirects (the authorization endpoint's
	// redirect to makemcp's callback) go back to the caller as they are.
	resp, err := http.DefaultTransport.RoundTrip(out)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	answer, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	if isToken {
		p.noteTokens(body, resp.StatusCode, answer)
		hook(tokenAnswered)
	}
	// Only the discovery documents name the server; tokens carry its URL
	// base64-encoded, which this leaves alone.
	answer = bytes.ReplaceAll(answer, []byte(p.backend.String()), []byte(p.URL))
	for k, vs := range resp.Header {
		if k == "Content-Length" {
			continue
		}
		for _, v := range vs {
			w.Header().Add(k, string(bytes.ReplaceAll([]byte(v), []byte(p.backend.String()), []byte(p.URL))))
		}
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(answer)))
	w.WriteHeader(resp.StatusCode)
	_, werr := w.Write(answer)
	if isToken && werr == nil {
		// Out of the server's buffer and onto the connection, so that the
		// hook runs once makemcp can read the answer.
		_ = http.NewResponseController(w).Flush()
		hook(tokenRelayed)
	}
}

// settle waits until the token requests under way have been handled:
// the server has answered them, whatever became of their clients.
func (p *oauthProxy) settle() { p.inflight.Wait() }

// noteTokens gives the leak check the tokens of a token answer, and
// counts answered refreshes.
func (p *oauthProxy) noteTokens(request []byte, status int, answer []byte) {
	var tok struct {
		AccessToken  string `json:"access_token"`
		RefreshToken string `json:"refresh_token"`
		IDToken      string `json:"id_token"`
	}
	if json.Unmarshal(answer, &tok) == nil {
		p.leaks.Secret(tok.AccessToken)
		p.leaks.Secret(tok.RefreshToken)
		p.leaks.Secret(tok.IDToken)
	}
	form, _ := url.ParseQuery(string(request))
	p.leaks.Secret(form.Get("refresh_token"))
	p.leaks.Secret(form.Get("client_secret"))
	if form.Get("grant_type") == "refresh_token" && status == http.StatusOK {
		p.mu.Lock()
		p.refreshes++
		p.mu.Unlock()
	}
}
