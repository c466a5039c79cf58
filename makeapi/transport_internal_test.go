package makeapi

import (
	"context"
	"crypto/x509"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/makemcp/makemcp/makeapi/makefake"
)

// The default transport resumes TLS sessions: a connection opened after
// the first (a parallel fetch, or one after an idle connection closed)
// skips the certificate check and the server's signature.
func TestDefaultTransportResumesTLSSessions(t *testing.T) {
	var mu sync.Mutex
	var resumed []bool
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		resumed = append(resumed, r.TLS.DidResume)
		mu.Unlock()
		// A new connection for every request.
		w.Header().Set("Connection", "close")
		_, _ = w.Write([]byte(`{"organizations":[],"pg":{"limit":100,"offset":0}}`))
	}))
	defer srv.Close()

	c, err := New(Options{Zone: srv.URL, AllowedHosts: []string{srv.URL}, Tokens: StaticToken("t", "Token")})
	if err != nil {
		t.Fatal(err)
	}
	// Trust the test server the way the system pool would trust Make.
	roots := x509.NewCertPool()
	roots.AddCert(srv.Certificate())
	c.hc.Transport.(*http.Transport).TLSClientConfig.RootCAs = roots

	for range 3 {
		if _, err := c.Organizations(t.Context()); err != nil {
			t.Fatal(err)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if len(resumed) != 3 || resumed[0] || !resumed[1] || !resumed[2] {
		t.Fatalf("sessions resumed %v, want [false true true]", resumed)
	}
}

// trustFake makes the client's own transport trust the fake's CA, the way
// the system pool trusts Make's.
func trustFake(t *testing.T, c *Client, f *makefake.Server) {
	t.Helper()
	pem, err := f.CACertPEM()
	if err != nil {
		t.Fatal(err)
	}
	roots := x509.NewCertPool()
	if !roots.AppendCertsFromPEM(pem) {
		t.Fatal("the fake's CA does not parse")
	}
	c.hc.Transport.(*http.Transport).TLSClientConfig.RootCAs = roots
}

// Make's API speaks HTTP/2, and so does the client's own transport: the
// requests of a scenario load share one connection and one handshake.
func TestDefaultTransportSpeaksHTTP2(t *testing.T) {
	f, err := makefake.New(makefake.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.StartTLS(); err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	c, err := New(Options{Zone: f.Zone(), AllowedHosts: []string{f.Zone()}, Tokens: StaticToken(makefake.DemoToken, "Token")})
	if err != nil {
		t.Fatal(err)
	}
	trustFake(t, c, f)

	ctx := t.Context()
	if _, err := c.Me(ctx); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 20)
	for range 20 {
		wg.Go(func() {
			if _, err := c.ScenarioInterface(ctx, 5001); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	conns := map[string]bool{}
	for _, r := range f.Requests() {
		if r.Proto != "HTTP/2.0" {
			t.Fatalf("%s %s came over %s, want HTTP/2.0", r.Method, r.Path, r.Proto)
		}
		conns[r.RemoteAddr] = true
	}
	if len(conns) != 1 {
		t.Fatalf("21 requests over %d connections, want 1", len(conns))
	}
}

// A certificate that fails verification fails the call at once, naming
// the problem: retrying cannot fix it.
func TestUntrustedCertificateIsNotRetried(t *testing.T) {
	f, err := makefake.New(makefake.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.StartTLS(); err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var attempts atomic.Int32
	log := slog.New(countingHandler{&attempts})
	// The client's own transport trusts the system's roots, which do not
	// hold the fake's CA.
	c, err := New(Options{Zone: f.Zone(), AllowedHosts: []string{f.Zone()}, Tokens: StaticToken(makefake.DemoToken, "Token"), Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Me(t.Context())
	if err == nil || !strings.Contains(err.Error(), "TLS certificate of "+f.Zone()) || !strings.Contains(err.Error(), "x509:") {
		t.Fatalf("err = %v, want the certificate problem named", err)
	}
	if n := attempts.Load(); n != 1 {
		t.Fatalf("%d attempts, want 1", n)
	}
}

// countingHandler counts the client's debug records, one per attempt.
type countingHandler struct{ n *atomic.Int32 }

func (h countingHandler) Enabled(context.Context, slog.Level) bool { return true }
func (h countingHandler) Handle(context.Context, slog.Record) error {
	h.n.Add(1)
	return nil
}
func (h countingHandler) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h countingHandler) WithGroup(string) slog.Handler      { return h }
