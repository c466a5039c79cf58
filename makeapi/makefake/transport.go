package makefake

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"time"
)

// certs are the fake's own CA and the server certificate it signed.
type certs struct {
	caPEM  []byte
	pool   *x509.CertPool
	server tls.Certificate
}

func (c *certs) serverConfig() *tls.Config {
	return &tls.Config{Certificates: []tls.Certificate{c.server}, MinVersion: tls.VersionTLS12}
}

// certificates makes (once) a CA and a server certificate for 127.0.0.1,
// ::1, localhost and every zone host.
func (s *Server) certificates() (*certs, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.certs != nil {
		return s.certs, nil
	}
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	start := time.Now().Add(-time.Hour)
	ca := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "makefake test CA"},
		NotBefore:             start,
		NotAfter:              start.Add(10 * 24 * time.Hour),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, ca, ca, &caKey.PublicKey, caKey)
	if err != nil {
		return nil, err
	}
	caCert, err := x509.ParseCertificate(caDER)
	if err != nil {
		return nil, err
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	leaf := &x509.Certificate{
		SerialNumber: big.NewInt(2),
		Subject:      pkix.Name{CommonName: "makefake"},
		NotBefore:    start,
		NotAfter:     start.Add(10 * 24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		DNSNames:     append([]string{"localhost"}, s.opts.Zones...),
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
	}
	leafDER, err := x509.CreateCertificate(rand.Reader, leaf, caCert, &key.PublicKey, caKey)
	if err != nil {
		return nil, err
	}
	pool := x509.NewCertPool()
	pool.AddCert(caCert)
	s.certs = &certs{
		caPEM:  pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER}),
		pool:   pool,
		server: tls.Certificate{Certificate: [][]byte{leafDER}, PrivateKey: key},
	}
	return s.certs, nil
}

// CACertPEM returns the PEM of the CA that signed the fake's certificate,
// for clients that must trust it (NODE_EXTRA_CA_CERTS for Node).
func (s *Server) CACertPEM() ([]byte, error) {
	c, err := s.certificates()
	if err != nil {
		return nil, err
	}
	return slices.Clone(c.caPEM), nil
}

// HTTPClient returns a client that reaches the started fake over the
// network: requests to any zone host (Options.Zones), localhost or
// 127.0.0.1 go to the fake's listener, whatever their port, and its
// certificate is trusted. Requests to other hosts fail, so that a test
// never reaches the internet.
func (s *Server) HTTPClient() *http.Client {
	if s.srv == nil {
		panic("makefake: HTTPClient before Start or StartTLS")
	}
	addr := s.srv.Listener.Addr().String()
	t := &http.Transport{
		DialContext: func(ctx context.Context, network, hostport string) (net.Conn, error) {
			host, _, err := net.SplitHostPort(hostport)
			if err != nil {
				return nil, err
			}
			if !s.routable(host) {
				return nil, fmt.Errorf("makefake: %s is not a zone of the fake", host)
			}
			var d net.Dialer
			return d.DialContext(ctx, "tcp", addr)
		},
		ForceAttemptHTTP2:   true,
		MaxIdleConnsPerHost: 16,
		IdleConnTimeout:     30 * time.Second,
	}
	if s.certs != nil {
		t.TLSClientConfig = &tls.Config{RootCAs: s.certs.pool, MinVersion: tls.VersionTLS12}
	}
	return &http.Client{Transport: t}
}

func (s *Server) routable(host string) bool {
	host = strings.ToLower(strings.Trim(host, "[]"))
	if host == "localhost" || slices.Contains(s.opts.Zones, host) {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// InProcessClient returns a client whose requests the fake serves in the
// calling goroutine, with no network: any host reaches it, and the host
// picks the zone as it would over the network. Inside a testing/synctest
// bubble this keeps every wait (retries, slow answers, runs) on the
// bubble's clock.
func (s *Server) InProcessClient() *http.Client {
	return &http.Client{Transport: inProcess{s}}
}

type inProcess struct{ s *Server }

// errReset stands for a connection the server dropped.
var errReset = errors.New("makefake: connection reset by the server")

func (t inProcess) RoundTrip(req *http.Request) (resp *http.Response, err error) {
	if err := req.Context().Err(); err != nil {
		return nil, err
	}
	in := req.Clone(req.Context())
	if req.Body != nil {
		b, err := io.ReadAll(req.Body)
		_ = req.Body.Close()
		if err != nil {
			return nil, err
		}
		in.Body = io.NopCloser(bytes.NewReader(b))
		in.ContentLength = int64(len(b))
	} else {
		in.Body = http.NoBody
	}
	in.Host = req.URL.Host
	in.RequestURI = req.URL.RequestURI()
	in.RemoteAddr = "127.0.0.1:1"
	in.URL = &url.URL{Path: req.URL.Path, RawPath: req.URL.RawPath, RawQuery: req.URL.RawQuery}
	rec := httptest.NewRecorder()
	defer func() {
		if v := recover(); v != nil {
			if v != http.ErrAbortHandler {
				panic(v)
			}
			resp, err = nil, errReset
		}
	}()
	t.s.ServeHTTP(rec, in)
	if err := req.Context().Err(); err != nil {
		return nil, err
	}
	resp = rec.Result()
	resp.Request = req
	return resp, nil
}
