package makeapi

import (
	"crypto/x509"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
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

	c, err := New(Options{Zone: srv.URL, Tokens: StaticToken("t", "Token")})
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
