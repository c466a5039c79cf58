// Package makefake is an in-memory Make API for tests and for
// `makemcp serve --demo`. It serves the calls package makeapi makes, in
// the shapes Make answers them (its seeds are Make's own response
// fixtures, or a small sandbox account written in the same shapes), and it
// is stateful: creating, updating, deleting, activating and running change
// what later calls return.
//
// Like Make it checks credentials (401 in Make's error shape) and scopes
// (403), serves several zones and refuses requests about an organization
// at the wrong one, pages lists with pg[limit]/pg[offset]/pg[sortBy]/
// pg[sortDir] and selects columns with cols[]. Scenario runs take
// Options.RunDuration; a responsive run waits for the run up to Make's
// 40 s limit and then fails with a 504 that names the execution, which
// goes on and reports RUNNING until it ends.
//
// It can be told to misbehave (Inject): 429 bursts with or without
// Retry-After, 5xx, slow answers, malformed JSON, dropped connections, or
// any canned answer. It records every request (Requests) so tests can
// check exactly what Make would have received.
//
// All of its time comes from package time, so tests control it with
// testing/synctest; InProcessClient serves requests without a network,
// which a synctest bubble needs.
package makefake

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"time"
)

// Seed names what the fake account holds at the start.
type Seed string

const (
	// Demo is a small sandbox account: one organization and team, a
	// handful of scenarios (some active and on demand, with interfaces), a
	// folder, a data structure, a data store with records, a hook and a
	// connection. It is the default.
	Demo Seed = "demo"
	// Fixtures is built from Make's own response fixtures (see FixtureFS):
	// every object they hold, tied together with the teams and
	// organizations they refer to.
	Fixtures Seed = "fixtures"
)

// ResponsiveLimit is how long Make holds a responsive run before it
// answers with a timeout.
const ResponsiveLimit = 40 * time.Second

// DefaultMaxPageSize is the largest pg[limit] the fake honours.
const DefaultMaxPageSize = 10000

// Options configure a Server.
type Options struct {
	// Seed is what the account holds at the start; default Demo.
	Seed Seed
	// Zones are the zone hosts the fake serves, such as "eu1.make.com" and
	// "us1.make.com". The first is the primary zone, where seeded
	// organizations live; a request to any host not listed (127.0.0.1:port)
	// reaches the primary zone, which then reports that host as its name.
	// Empty: one zone, named after whatever host it is reached at.
	Zones []string
	// RunDuration is how long a scenario run takes, for scenarios whose
	// seed does not say; default 0, runs end at once.
	RunDuration time.Duration
	// MaxPageSize clamps pg[limit], as Make does; default
	// DefaultMaxPageSize.
	MaxPageSize int
	// VerifyBearer, when set, accepts Bearer tokens that AddToken did not
	// register (JWTs from a real OAuth server) and returns their scopes.
	VerifyBearer func(token string) (scopes []string, err error)
}

// Server is a fake Make API. Its methods are safe for concurrent use.
type Server struct {
	opts Options
	mux  *http.ServeMux

	mu     sync.Mutex
	w      *world
	tokens map[string]principal
	faults []*Fault
	log    []Request

	srv   *httptest.Server
	certs *certs
}

// New returns a fake holding its seed, accepting DemoToken (RemoveToken
// revokes it). It serves nothing until Start or StartTLS; Handler and
// InProcessClient work without either.
func New(o Options) (*Server, error) {
	if o.Seed == "" {
		o.Seed = Demo
	}
	if o.MaxPageSize <= 0 {
		o.MaxPageSize = DefaultMaxPageSize
	}
	o.Zones = slices.Clone(o.Zones)
	for i, z := range o.Zones {
		if z == "" || strings.ContainsAny(z, "/: ") {
			return nil, fmt.Errorf("makefake: zone %q is not a host name such as eu1.make.com", z)
		}
		o.Zones[i] = strings.ToLower(z)
	}
	w, err := loadSeed(o.Seed)
	if err != nil {
		return nil, err
	}
	s := &Server{opts: o, w: w, tokens: map[string]principal{}}
	s.AddToken(DemoToken, APIToken, AllScopes...)
	s.routes()
	return s, nil
}

// Start serves plain http on 127.0.0.1 at a free port.
func (s *Server) Start() *Server {
	s.srv = httptest.NewServer(s)
	return s
}

// StartTLS serves https on 127.0.0.1 at a free port, with a certificate
// for 127.0.0.1, ::1, localhost and every zone host, signed by a CA of its
// own (CACertPEM). It offers HTTP/2 as well as HTTP/1.1, as Make does.
func (s *Server) StartTLS() (*Server, error) {
	c, err := s.certificates()
	if err != nil {
		return nil, err
	}
	srv := httptest.NewUnstartedServer(s)
	srv.TLS = c.serverConfig()
	// Make's API offers HTTP/2; so does the fake, to clients that ask.
	srv.EnableHTTP2 = true
	srv.StartTLS()
	s.srv = srv
	return s, nil
}

// URL is the base URL the fake listens at, such as http://127.0.0.1:41234,
// or "" before Start.
func (s *Server) URL() string {
	if s.srv == nil {
		return ""
	}
	return s.srv.URL
}

// Zone is the zone to configure a client with to reach the primary zone:
// the listener's host:port, or "http://host:port" when serving plain http.
func (s *Server) Zone() string {
	if s.srv == nil {
		return ""
	}
	if strings.HasPrefix(s.srv.URL, "https://") {
		return strings.TrimPrefix(s.srv.URL, "https://")
	}
	return s.srv.URL
}

// Close stops serving. Requests in flight are cut off.
func (s *Server) Close() {
	if s.srv != nil {
		s.srv.CloseClientConnections()
		s.srv.Close()
	}
}

// Handler serves the fake's API (under /api/v2/).
func (s *Server) Handler() http.Handler { return s }

// maxLogged bounds the request log; past it the older half is dropped, so
// a benchmark can run the fake for millions of requests.
const maxLogged = 100_000

// maxRequestBody bounds what the fake reads of a request body.
const maxRequestBody = 8 << 20

// ServeHTTP records the request, applies any injected fault, and serves
// it like Make.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxRequestBody))
	if err != nil {
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	f := s.record(r, body)
	if f != nil && s.applyFault(w, r, f) {
		return
	}
	s.mux.ServeHTTP(w, r)
}

// record logs a request and picks the fault that applies to it, if any.
func (s *Server) record(r *http.Request, body []byte) *Fault {
	scheme, _, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.log) >= maxLogged {
		s.log = append(s.log[:0], s.log[len(s.log)/2:]...)
	}
	s.log = append(s.log, Request{
		Method:      r.Method,
		Path:        r.URL.Path,
		RawQuery:    r.URL.RawQuery,
		Query:       r.URL.Query(),
		Body:        body,
		Auth:        scheme,
		Host:        r.Host,
		UserAgent:   r.UserAgent(),
		ContentType: r.Header.Get("Content-Type"),
		Accept:      r.Header.Get("Accept"),
		Proto:       r.Proto,
		RemoteAddr:  r.RemoteAddr,
	})
	for i, f := range s.faults {
		if !f.matches(r) {
			continue
		}
		if f.Count > 0 {
			f.remaining--
			if f.remaining == 0 {
				s.faults = slices.Delete(s.faults, i, i+1)
			}
		}
		return f
	}
	return nil
}

// zoneOf is the index in Options.Zones of the zone a request arrived at;
// hosts not listed reach the primary zone, 0.
func (s *Server) zoneOf(host string) int {
	host = strings.ToLower(host)
	if h, port, err := net.SplitHostPort(host); err == nil && (port == "443" || port == "80") {
		host = h
	}
	if i := slices.Index(s.opts.Zones, host); i >= 0 {
		return i
	}
	return 0
}

// zoneName is what the fake reports as the zone of an organization in
// zone i, to a request that arrived at host.
func (s *Server) zoneName(i int, host string) string {
	if i == 0 && (len(s.opts.Zones) == 0 || !slices.Contains(s.opts.Zones, strings.ToLower(host))) {
		return strings.ToLower(host)
	}
	return s.opts.Zones[i]
}

// AddOrganization adds an organization in a zone ("" for the primary
// zone; otherwise one of Options.Zones), for multi-zone tests.
func (s *Server) AddOrganization(id int64, name, zone string) error {
	zi := 0
	if zone != "" {
		zi = slices.Index(s.opts.Zones, strings.ToLower(zone))
		if zi < 0 {
			return fmt.Errorf("makefake: zone %q is not one of Options.Zones %v", zone, s.opts.Zones)
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.w.orgs.get(id) != nil {
		return fmt.Errorf("makefake: organization %d exists", id)
	}
	s.w.addOrganization(obj{"id": id, "name": name, "timezoneId": 113, "countryId": 1,
		"serviceName": "pro", "isPaused": false, "license": obj{"apiLimit": 120}}, zi)
	return nil
}

// AddTeam adds a team to an organization.
func (s *Server) AddTeam(id, organizationID int64, name string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.w.orgs.get(organizationID) == nil {
		return fmt.Errorf("makefake: no organization %d", organizationID)
	}
	if s.w.teams.get(id) != nil {
		return fmt.Errorf("makefake: team %d exists", id)
	}
	s.w.teams.put(obj{"id": id, "name": name, "organizationId": organizationID})
	return nil
}

// SetRunDuration sets how long runs of one scenario take.
func (s *Server) SetRunDuration(scenarioID int64, d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.w.runDuration[scenarioID] = d
}
