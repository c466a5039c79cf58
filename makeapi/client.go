package makeapi

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/makemcp/makemcp/internal/safetext"
)

// Defaults for Options.
const (
	DefaultTimeout          = 30 * time.Second
	DefaultCallTimeout      = 45 * time.Second
	DefaultMaxResponseBytes = 16 << 20
	DefaultUserAgent        = "makemcp/dev"
)

// maxErrorBody bounds how much of an error answer is read.
const maxErrorBody = 64 << 10

// Options configure a Client. Only Tokens is required.
type Options struct {
	// Zone is a Make zone: a short name ("eu1"), a host ("eu1.make.com")
	// or a base URL ("http://127.0.0.1:8080"); see ParseZone. Default
	// DefaultZone. Unless it is one of Make's own zones it must be in
	// AllowedHosts.
	Zone string
	// AllowedHosts are the hosts besides Make's own zones (*.make.com and
	// *.make.celonis.com, over https) that may receive the credential: a
	// private Make instance, a local test server. Each is a host, a
	// host:port or a base URL; a host without a port allows every port.
	// The client sends no request to any other host, whether it was
	// configured or reported by Make as an organization's zone.
	AllowedHosts []string
	// Tokens gives the credential for each request.
	Tokens TokenSource
	// HTTPClient sends the requests. Default: a client of its own with
	// http.DefaultTransport's settings. Its Timeout should be zero: the
	// per-request Timeout below is applied through the context.
	HTTPClient *http.Client
	// UserAgent is sent with every request; "makemcp/<version>".
	// Default DefaultUserAgent.
	UserAgent string
	// Timeout bounds one attempt, from sending the request to reading the
	// whole answer. Responsive scenario runs get at least runWaitTimeout,
	// since Make holds them for up to 40 s. Default DefaultTimeout.
	Timeout time.Duration
	// CallTimeout bounds a whole call, every attempt and wait included, so
	// that the client gives up before an MCP host gives up on the tool
	// (60 s, usually) and can say why. Responsive scenario runs are bounded
	// by their own wait instead. Default DefaultCallTimeout.
	CallTimeout time.Duration
	// MaxAttempts bounds the attempts of one call, the first included.
	// Default DefaultMaxAttempts; 1 disables retries.
	MaxAttempts int
	// MaxRetryWait bounds the total wait between the attempts of one call.
	// Default DefaultMaxRetryWait.
	MaxRetryWait time.Duration
	// MaxResponseBytes bounds the size of an answer. Default
	// DefaultMaxResponseBytes.
	MaxResponseBytes int64
	// Logger, when set, receives one debug record per attempt: method,
	// path, status, duration and attempt number; never headers, bodies or
	// tokens.
	Logger *slog.Logger
}

// Client calls Make's API. It is safe for concurrent use.
type Client struct {
	tokens      TokenSource
	hc          *http.Client
	userAgent   []string
	timeout     time.Duration
	callTimeout time.Duration
	// callExpired is the cause of a call's context when CallTimeout ends it.
	callExpired  error
	maxAttempts  int
	maxRetryWait time.Duration
	maxBody      int64
	log          *slog.Logger
	hosts        hostPolicy
	zones        zones
	// auth is the last Authorization header built, reused while the token
	// does not change.
	auth atomic.Pointer[authHeader]
	// loadRoots, when the client owns its transport, starts loading the
	// system's root certificates. The first handshake checks Make's
	// certificate against them, which on Linux means reading and parsing
	// a few hundred certificates (5 to 9 ms); started with the first
	// request rather than by the handshake, that work overlaps the
	// connection's round trips instead of following them.
	loadRoots func()
}

type authHeader struct {
	token, kind string
	value       []string
}

// New returns a Client for the options, or an error naming the option that
// is wrong.
func New(o Options) (*Client, error) {
	if o.Tokens == nil {
		return nil, errors.New("makeapi: no credential source: Options.Tokens is nil")
	}
	zone := o.Zone
	if zone == "" {
		zone = DefaultZone
	}
	base, err := ParseZone(zone)
	if err != nil {
		return nil, err
	}
	hosts, err := newHostPolicy(o.AllowedHosts)
	if err != nil {
		return nil, err
	}
	if err := hosts.check(base); err != nil {
		return nil, err
	}
	c := &Client{
		tokens:       o.Tokens,
		userAgent:    []string{cmpOr(o.UserAgent, DefaultUserAgent)},
		timeout:      cmpOr(o.Timeout, DefaultTimeout),
		callTimeout:  cmpOr(o.CallTimeout, DefaultCallTimeout),
		maxAttempts:  cmpOr(o.MaxAttempts, DefaultMaxAttempts),
		maxRetryWait: cmpOr(o.MaxRetryWait, DefaultMaxRetryWait),
		maxBody:      cmpOr(o.MaxResponseBytes, DefaultMaxResponseBytes),
		log:          o.Logger,
		hosts:        hosts,
	}
	if o.HTTPClient != nil {
		hc := *o.HTTPClient
		c.hc = &hc
	} else {
		t := http.DefaultTransport.(*http.Transport).Clone()
		// Connections after the first resume its TLS session, which spares
		// both ends the certificate work: serve opens several at once for
		// a scenario load, and reopens them after they idle out.
		t.TLSClientConfig = &tls.Config{ClientSessionCache: tls.NewLRUClientSessionCache(0)}
		// A TLSClientConfig of its own turns Go's automatic HTTP/2 off
		// unless it is forced. The clone of DefaultTransport forces it
		// already; this says it matters: over HTTP/2 the many requests of
		// a scenario load share one connection and one handshake.
		t.ForceAttemptHTTP2 = true
		c.hc = &http.Client{Transport: t}
		c.loadRoots = sync.OnceFunc(func() { go func() { _, _ = x509.SystemCertPool() }() })
	}
	c.hc.CheckRedirect = sameOriginRedirects(c.hc.CheckRedirect)
	if c.timeout < 0 || c.callTimeout < 0 || c.maxAttempts < 0 || c.maxRetryWait < 0 || c.maxBody < 0 {
		return nil, errors.New("makeapi: Options.Timeout, CallTimeout, MaxAttempts, MaxRetryWait and MaxResponseBytes must not be negative")
	}
	c.callExpired = &callTimeoutError{c.callTimeout}
	c.zones.init(base)
	return c, nil
}

// cmpOr is cmp.Or for the option types: the first non-zero value.
func cmpOr[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}

// BaseURL is the configured zone's API base URL, such as
// https://eu1.make.com/api/v2.
func (c *Client) BaseURL() string { return c.zones.configured }

// call describes one API call.
type call struct {
	method string
	// path is under /api/v2, such as "/scenarios/5".
	path  string
	query url.Values
	// rawQuery is an already encoded query, used when query is empty.
	rawQuery string
	// body, when non-nil, is sent as JSON; text, when non-nil, is sent
	// instead, as contentType.
	body        any
	text        []byte
	contentType string
	// accept is the media type asked for; default JSON.
	accept string
	// out, when non-nil, receives the decoded JSON answer.
	out any
	// want, when set, is the key whose object or list the answer must
	// hold: Make wraps what it returns ({"scenario": {...}}), and an
	// answer without it ({}, or {"scenario": null}) is an error from Make,
	// not an object of zero values. For an out that is a struct of one
	// field holding an object, as the typed calls decode into, want
	// defaults to that field's key (see wantOf).
	want  string
	route route
	retry retryPolicy
	// wait, when longer than the client's timeout, replaces it for this
	// call (responsive runs).
	wait time.Duration
	// sentToken is the access token the last attempt carried.
	sentToken string
}

// Invalidator is implemented by token sources that can drop a token a
// server refused and find a better one (re-read after another process
// rotated it, or refresh). On every 401 the client tells its TokenSource,
// if it is one, and unless Invalidate says why another token would not
// help (an error, which the call's error then carries), tries the request
// once more: Make refuses a request before acting on it, so even a run
// may be sent again.
type Invalidator interface {
	Invalidate(rejectedAccessToken string) error
}

// Failure classes of one attempt, besides an HTTP status.
const (
	noAnswer  = 0  // no answer: transport failure or timeout
	permanent = -1 // never retried: credential, context, malformed answer
)

// do performs a call with retries and decodes its answer into c.out.
func (c *Client) do(ctx context.Context, k *call) error {
	if k.wait == 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeoutCause(ctx, c.callTimeout, c.callExpired)
		defer cancel()
	}
	base, guessed := c.baseFor(ctx, k.route)
	err := c.send(ctx, k, base)
	if guessed && (IsNotFound(err) || IsForbidden(err)) {
		// The configured zone was only a guess, and Make refused the call
		// there without acting on it: find the right zone and ask there.
		if b := c.rebase(ctx, k.route); b != base {
			return c.send(ctx, k, b)
		}
	}
	return err
}

// send performs a call at one base URL, with retries.
func (c *Client) send(ctx context.Context, k *call, base string) error {
	if base != c.zones.configured {
		if err := c.checkHost(base); err != nil {
			return fmt.Errorf("Make API %s %s: %w", k.method, k.path, err)
		}
	}
	target := base + k.path
	switch {
	case len(k.query) > 0:
		target += "?" + k.query.Encode()
	case k.rawQuery != "":
		target += "?" + k.rawQuery
	}
	body := k.text
	if body == nil && k.body != nil {
		var err error
		if body, err = json.Marshal(k.body); err != nil {
			return fmt.Errorf("makeapi: encode %s %s: %w", k.method, k.path, err)
		}
	}
	var waited time.Duration
	reauthenticated := false
	for attempt := 1; ; attempt++ {
		status, err := c.attempt(ctx, k, target, body, attempt)
		if err == nil {
			return nil
		}
		if inv, ok := c.tokens.(Invalidator); ok && status == http.StatusUnauthorized {
			if why := inv.Invalidate(k.sentToken); why != nil {
				return fmt.Errorf("%w: %w", err, why)
			}
			if !reauthenticated {
				reauthenticated = true
				attempt--
				continue
			}
		}
		if status == permanent || !k.retry.retryable(status) || attempt >= c.maxAttempts {
			return err
		}
		delay := backoff(attempt)
		var apiErr *Error
		if errors.As(err, &apiErr) && apiErr.RetryAfter > 0 {
			delay = apiErr.RetryAfter
		}
		if waited+delay > c.maxRetryWait {
			return err
		}
		if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < delay {
			return err
		}
		if err := sleep(ctx, delay); err != nil {
			return fmt.Errorf("Make API %s %s: %w", k.method, k.path, err)
		}
		waited += delay
	}
}

// attempt sends one request. It returns the HTTP status of an error answer,
// noAnswer when none came, or permanent for failures a retry cannot fix.
func (c *Client) attempt(ctx context.Context, k *call, target string, body []byte, n int) (int, error) {
	auth, tok, err := c.authorization(ctx)
	if err != nil {
		return permanent, err
	}
	k.sentToken = tok
	timeout := max(c.timeout, k.wait)
	actx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(actx, k.method, target, rd)
	if err != nil {
		return permanent, fmt.Errorf("makeapi: %s %s: %w", k.method, k.path, err)
	}
	h := req.Header
	h["Authorization"] = auth
	h["User-Agent"] = c.userAgent
	h["Accept"] = jsonType
	if k.accept != "" {
		h["Accept"] = []string{k.accept}
	}
	switch {
	case k.text != nil:
		h["Content-Type"] = []string{k.contentType}
	case body != nil:
		h["Content-Type"] = jsonType
	}

	if c.loadRoots != nil {
		c.loadRoots()
	}
	start := time.Now()
	resp, err := c.hc.Do(req)
	if err != nil {
		c.logAttempt(ctx, k, 0, start, n)
		return c.transportError(ctx, actx, k, timeout, err)
	}
	defer closeBody(resp.Body)
	c.logAttempt(ctx, k, resp.StatusCode, start, n)

	if resp.StatusCode >= 400 {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
		return resp.StatusCode, newError(resp.StatusCode, resp.Header, b, time.Now())
	}
	if k.out == nil {
		return resp.StatusCode, nil
	}
	if d, ok := k.out.(*Document); ok {
		if err := c.readDocument(resp, d); err != nil {
			return c.transportError(ctx, actx, k, timeout, err)
		}
		return resp.StatusCode, nil
	}
	lr := &limitedReader{r: resp.Body, n: c.maxBody}
	if err := decodeAnswer(lr, k.out, k.want); err != nil {
		var syntax *json.SyntaxError
		var typ *json.UnmarshalTypeError
		switch {
		case lr.exceeded:
			return permanent, fmt.Errorf("Make API %s %s: the answer is larger than %d MiB: ask for fewer items or columns", k.method, k.path, c.maxBody>>20)
		case errors.Is(err, ErrIncompleteAnswer):
			return permanent, fmt.Errorf("Make API %s %s: %w", k.method, k.path, err)
		case errors.As(err, &syntax), errors.As(err, &typ), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
			return permanent, fmt.Errorf("Make API %s %s: malformed JSON in the answer: %v", k.method, k.path, err)
		}
		return c.transportError(ctx, actx, k, timeout, err)
	}
	return resp.StatusCode, nil
}

var jsonType = []string{"application/json"}

// transportError explains a failure to get (all of) an answer.
func (c *Client) transportError(ctx, actx context.Context, k *call, timeout time.Duration, err error) (int, error) {
	if ctx.Err() != nil {
		return permanent, fmt.Errorf("Make API %s %s: %w", k.method, k.path, context.Cause(ctx))
	}
	if actx.Err() != nil {
		return noAnswer, fmt.Errorf("Make API %s %s: no answer within %s: %w", k.method, k.path, timeout, ErrTimeout)
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	var cert *tls.CertificateVerificationError
	var redirect *redirectError
	switch {
	case errors.As(err, &cert):
		// A certificate that fails today fails on the next attempt too;
		// and if someone is intercepting the connection, the sooner the
		// client stops the better.
		host := "the zone"
		if ue != nil {
			if u, perr := url.Parse(ue.URL); perr == nil {
				host = u.Host
			}
		}
		return permanent, fmt.Errorf("Make API %s %s: the TLS certificate of %s is not valid (%v): check the zone, or the proxy or antivirus that intercepts TLS",
			k.method, k.path, host, cert.Err)
	case errors.As(err, &redirect):
		return permanent, fmt.Errorf("Make API %s %s: %w", k.method, k.path, err)
	}
	return noAnswer, fmt.Errorf("Make API %s %s: %w", k.method, k.path, err)
}

// checkHost checks that a base URL may receive the credential.
func (c *Client) checkHost(base string) error {
	u, err := url.Parse(base)
	if err != nil {
		return err
	}
	return c.hosts.check(u)
}

// callTimeoutError ends a call that outlived Options.CallTimeout.
type callTimeoutError struct{ d time.Duration }

func (e *callTimeoutError) Error() string {
	return fmt.Sprintf("Make did not answer within %s: try again later", e.d)
}

func (e *callTimeoutError) Unwrap() error { return ErrTimeout }

// redirectError is a redirect the client refused to follow.
type redirectError struct{ from, to *url.URL }

func (e *redirectError) Error() string {
	return fmt.Sprintf("the answer redirects from %s://%s to %s://%s; makemcp follows no redirect to another host or to plain http with the credential: check the zone",
		e.from.Scheme, e.from.Host, e.to.Scheme, safetext.Line(e.to.Host, 200))
}

// sameOriginRedirects wraps an http.Client's CheckRedirect so that a
// request carrying the credential is redirected only within its origin:
// the same host and port, and never from https to plain http. Go's own
// rule keeps the Authorization header on a redirect to the same host
// whatever the scheme, and on one to a subdomain.
func sameOriginRedirects(next func(*http.Request, []*http.Request) error) func(*http.Request, []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		from := via[0].URL
		if !strings.EqualFold(req.URL.Host, from.Host) || from.Scheme == "https" && req.URL.Scheme != "https" {
			return &redirectError{from: from, to: req.URL}
		}
		if next != nil {
			return next(req, via)
		}
		if len(via) >= 10 {
			return errors.New("stopped after 10 redirects")
		}
		return nil
	}
}

// authorization builds the Authorization header from a fresh token, and
// returns the token it carries.
func (c *Client) authorization(ctx context.Context) ([]string, string, error) {
	tok, err := c.tokens.Token(ctx)
	if err != nil {
		return nil, "", fmt.Errorf("Make credential: %w", err)
	}
	if tok == nil || tok.AccessToken == "" {
		return nil, "", errors.New("Make credential: no access token: log in again")
	}
	if a := c.auth.Load(); a != nil && a.token == tok.AccessToken && a.kind == tok.TokenType {
		return a.value, a.token, nil
	}
	if strings.ContainsAny(tok.AccessToken, "\r\n \t") {
		return nil, "", errors.New("Make credential: the access token contains white space: log in again")
	}
	var scheme string
	switch {
	case tok.TokenType == "", strings.EqualFold(tok.TokenType, "bearer"):
		scheme = "Bearer "
	case strings.EqualFold(tok.TokenType, "token"):
		scheme = "Token "
	default:
		return nil, "", fmt.Errorf("Make credential: token type %q is not supported: want Bearer or Token", tok.TokenType)
	}
	a := &authHeader{token: tok.AccessToken, kind: tok.TokenType, value: []string{scheme + tok.AccessToken}}
	c.auth.Store(a)
	return a.value, a.token, nil
}

func (c *Client) logAttempt(ctx context.Context, k *call, status int, start time.Time, n int) {
	if c.log == nil || !c.log.Enabled(ctx, slog.LevelDebug) {
		return
	}
	c.log.LogAttrs(ctx, slog.LevelDebug, "make api",
		slog.String("method", k.method),
		slog.String("path", k.path),
		slog.Int("status", status),
		slog.Duration("duration", time.Since(start)),
		slog.Int("attempt", n))
}

// closeBody drains a little of what is left, so the connection can be
// reused, and closes the body.
func closeBody(b io.ReadCloser) {
	_, _ = io.CopyN(io.Discard, b, 4<<10)
	_ = b.Close()
}

// limitedReader reads at most n bytes and notes whether the answer went on.
type limitedReader struct {
	r        io.Reader
	n        int64
	exceeded bool
}

var errTooLarge = errors.New("answer too large")

func (l *limitedReader) Read(p []byte) (int, error) {
	if l.n <= 0 {
		var one [1]byte
		if n, _ := l.r.Read(one[:]); n > 0 {
			l.exceeded = true
			return 0, errTooLarge
		}
		return 0, io.EOF
	}
	if int64(len(p)) > l.n {
		p = p[:l.n]
	}
	n, err := l.r.Read(p)
	l.n -= int64(n)
	return n, err
}
