package makeapi_test

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/makemcp/makemcp/makeapi"
	"github.com/makemcp/makemcp/makeapi/makefake"
)

// None of these tests reaches a network: hosts are only ever compared,
// or served in process.

func TestZoneShortNames(t *testing.T) {
	for short, host := range map[string]string{"eu1": "eu1.make.com", "EU2": "eu2.make.com", "us1": "us1.make.com", " us2 ": "us2.make.com"} {
		c, err := makeapi.New(makeapi.Options{Zone: short, Tokens: demoTokens()})
		if err != nil {
			t.Fatalf("zone %q: %v", short, err)
		}
		if got, want := c.BaseURL(), "https://"+host+"/api/v2"; got != want {
			t.Errorf("zone %q: base URL %s, want %s", short, got, want)
		}
	}
	for _, z := range makeapi.KnownZones() {
		if _, err := makeapi.New(makeapi.Options{Zone: z, Tokens: demoTokens()}); err != nil {
			t.Errorf("Make's zone %s: %v", z, err)
		}
	}
}

func TestZoneMustBeMakesOrNamed(t *testing.T) {
	for _, zone := range []string{
		"evil.example.com",
		"eu3",                      // not a short name, so a host name
		"make.com.evil.example",    // Make's name, someone else's domain
		"evilmake.com",             // no dot before make.com
		"http://127.0.0.1:8080",    // loopback is no exception
		"https://10.1.2.3/api/v2/", // nor a private address
	} {
		_, err := makeapi.New(makeapi.Options{Zone: zone, Tokens: demoTokens()})
		if !errors.Is(err, makeapi.ErrHostNotAllowed) {
			t.Errorf("zone %q: err = %v, want ErrHostNotAllowed", zone, err)
			continue
		}
		if msg := err.Error(); !strings.Contains(msg, makeapi.AllowedHostsVar) || strings.Contains(msg, "\n") {
			t.Errorf("zone %q: error %q should be one line naming %s", zone, msg, makeapi.AllowedHostsVar)
		}
	}

	for _, tc := range []struct {
		zone    string
		allowed []string
		ok      bool
	}{
		{"http://127.0.0.1:8080", []string{"127.0.0.1"}, true},       // a host allows every port
		{"http://127.0.0.1:8080", []string{"127.0.0.1:8080"}, true},  // and a host:port that port
		{"http://127.0.0.1:8080", []string{"127.0.0.1:9090"}, false}, // only
		{"http://127.0.0.1:8080", []string{"http://127.0.0.1:8080"}, true},
		{"http://[::1]:8080", []string{"::1"}, false}, // not a host as ParseZone reads it
		{"http://[::1]:8080", []string{"[::1]"}, true},
		{"mcp.example.com", []string{"eu1.make.com, mcp.example.com"}, false}, // one host per entry
		{"mcp.example.com", []string{" ", "MCP.example.com"}, true},
	} {
		_, err := makeapi.New(makeapi.Options{Zone: tc.zone, AllowedHosts: tc.allowed, Tokens: demoTokens()})
		if (err == nil) != tc.ok {
			t.Errorf("zone %q allowing %q: err = %v, want ok=%v", tc.zone, tc.allowed, err, tc.ok)
		}
	}
}

// An organization Make reports in a zone that is neither Make's nor named
// by the user gets no request, and the error says which host and how to
// allow it.
func TestReportedZoneMustBeMakesOrNamed(t *testing.T) {
	f := newFake(t, makefake.Options{Zones: []string{"eu1.make.com", "make.evil.example"}})
	if err := f.AddOrganization(2101, "Elsewhere", "make.evil.example"); err != nil {
		t.Fatal(err)
	}
	c := inProcess(t, f)
	if _, err := c.Organizations(t.Context()); err != nil {
		t.Fatal(err)
	}
	_, err := c.GetOrganization(t.Context(), 2101)
	if !errors.Is(err, makeapi.ErrHostNotAllowed) || !strings.Contains(err.Error(), `"make.evil.example"`) || !strings.Contains(err.Error(), makeapi.AllowedHostsVar) {
		t.Fatalf("err = %v, want ErrHostNotAllowed naming the host and %s", err, makeapi.AllowedHostsVar)
	}
	for _, r := range f.Requests() {
		if r.Host == "make.evil.example" {
			t.Fatalf("the credential went to %s: %s %s", r.Host, r.Method, r.Path)
		}
	}

	// Named by the user, the same zone is used.
	c = inProcess(t, f, func(o *makeapi.Options) { o.AllowedHosts = []string{"make.evil.example"} })
	if _, err := c.Organizations(t.Context()); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetOrganization(t.Context(), 2101); err != nil {
		t.Fatal(err)
	}
	if r := lastRequest(t, f); r.Host != "make.evil.example" {
		t.Fatalf("asked %s, want the allowed zone", r.Host)
	}
}

// Zones remembered from an earlier session (config.json) obey the same
// rule.
func TestRememberedZoneMustBeMakesOrNamed(t *testing.T) {
	f := newFake(t, makefake.Options{})
	c := inProcess(t, f)
	c.Remember([]makeapi.Organization{{ID: 2001, Zone: "127.0.0.1:8080"}}, nil)
	_, err := c.GetOrganization(t.Context(), 2001)
	if !errors.Is(err, makeapi.ErrHostNotAllowed) || !strings.Contains(err.Error(), `"127.0.0.1:8080"`) {
		t.Fatalf("err = %v, want ErrHostNotAllowed naming 127.0.0.1:8080", err)
	}
	if n := len(f.Requests()); n != 0 {
		t.Fatalf("%d requests sent, want none", n)
	}
}

// redirector answers the first request with a redirect to location and
// serves everything else from the fake, recording whether each request
// carried the credential.
type redirector struct {
	location string
	fake     http.RoundTripper

	mu   sync.Mutex
	seen []string // "scheme://host path auth=<scheme>"
}

func (r *redirector) RoundTrip(req *http.Request) (*http.Response, error) {
	r.mu.Lock()
	first := len(r.seen) == 0
	auth, _, _ := strings.Cut(req.Header.Get("Authorization"), " ")
	r.seen = append(r.seen, req.URL.Scheme+"://"+req.URL.Host+req.URL.Path+" auth="+auth)
	r.mu.Unlock()
	if first {
		return &http.Response{
			StatusCode: http.StatusTemporaryRedirect,
			Header:     http.Header{"Location": {r.location}},
			Body:       io.NopCloser(strings.NewReader("")),
			Request:    req,
		}, nil
	}
	return r.fake.RoundTrip(req)
}

func TestRedirectsStayWithinTheOrigin(t *testing.T) {
	for _, tc := range []struct {
		name, location string
		followed       bool
	}{
		{"downgrade to http", "http://eu1.make.com/api/v2/users/me", false},
		{"another host", "https://us1.make.com/api/v2/users/me", false},
		{"a subdomain", "https://api.eu1.make.com/api/v2/users/me", false},
		{"another port", "https://eu1.make.com:8443/api/v2/users/me", false},
		{"same origin", "https://eu1.make.com/api/v2/users/me?moved=1", true},
		{"relative", "/api/v2/users/me?moved=1", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake(t, makefake.Options{})
			rt := &redirector{location: tc.location, fake: f.InProcessClient().Transport}
			c := inProcess(t, f, func(o *makeapi.Options) { o.HTTPClient = &http.Client{Transport: rt} })
			_, err := c.Me(t.Context())
			if tc.followed {
				if err != nil {
					t.Fatal(err)
				}
				if len(rt.seen) != 2 || !strings.HasSuffix(rt.seen[1], "auth=Token") {
					t.Fatalf("requests %q, want the redirect followed with the credential", rt.seen)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), "follows no redirect") || strings.Contains(err.Error(), "\n") {
				t.Fatalf("err = %v, want one line refusing the redirect", err)
			}
			if len(rt.seen) != 1 {
				t.Fatalf("requests %q, want only the first: the redirect must not be followed", rt.seen)
			}
		})
	}
}

// A 200 without the object a call asks for is Make's error, not an
// object of zero values.
func TestAnswerWithoutTheObjectIsAnError(t *testing.T) {
	for _, tc := range []struct {
		name, path, body string
		call             func(*makeapi.Client) error
	}{
		{"empty user", "/api/v2/users/me", `{}`, func(c *makeapi.Client) error {
			_, err := c.Me(t.Context())
			return err
		}},
		{"null scenario", scenarioPath, `{"scenario": null}`, func(c *makeapi.Client) error {
			_, err := c.GetScenario(t.Context(), 5001)
			return err
		}},
		{"scenario as a list", scenarioPath, `{"scenario": []}`, func(c *makeapi.Client) error {
			_, err := c.GetScenario(t.Context(), 5001)
			return err
		}},
		{"created hook missing", "/api/v2/hooks", `{"hooks": {}}`, func(c *makeapi.Client) error {
			_, err := c.Do(t.Context(), makeapi.Request{Method: "POST", Path: "/hooks", Answer: "hook", Effect: makeapi.Creates,
				Body: json.RawMessage(`{"name": "x", "teamId": 3001, "typeName": "gateway-webhook"}`)})
			return err
		}},
		{"null hook", "/api/v2/hooks/6001", `{"hook": null}`, func(c *makeapi.Client) error {
			_, err := c.Do(t.Context(), makeapi.Request{Method: "GET", Path: "/hooks/6001", Answer: "hook"})
			return err
		}},
		{"hooks not a list", "/api/v2/hooks", `{"hooks": 0}`, func(c *makeapi.Client) error {
			_, err := c.Do(t.Context(), makeapi.Request{Method: "GET", Path: "/hooks?teamId=3001", Answer: "hooks"})
			return err
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake(t, makefake.Options{})
			f.Inject(makefake.Fault{Path: tc.path, Body: []byte(tc.body)})
			err := tc.call(inProcess(t, f))
			if err == nil {
				t.Fatal("no error for an answer without its object")
			}
			if strings.Contains(err.Error(), "\n") || !strings.Contains(err.Error(), "Make API") {
				t.Fatalf("err = %q, want one line from the Make API", err)
			}
			if tc.name != "scenario as a list" && !errors.Is(err, makeapi.ErrIncompleteAnswer) {
				t.Fatalf("err = %v, want ErrIncompleteAnswer", err)
			}
		})
	}

	// An object that holds nothing Make promises is still an object, and
	// an empty list a list.
	f := newFake(t, makefake.Options{})
	f.Inject(makefake.Fault{Path: "/api/v2/users/me", Body: []byte(`{"authUser": {}}`)})
	f.Inject(makefake.Fault{Path: "/api/v2/hooks", Body: []byte(`{"hooks": [], "pg": {}}`)})
	c := inProcess(t, f)
	if _, err := c.Me(t.Context()); err != nil {
		t.Fatalf("an empty authUser object: %v", err)
	}
	if v, err := c.Do(t.Context(), makeapi.Request{Method: "GET", Path: "/hooks?teamId=3001", Answer: "hooks"}); err != nil || string(v) != "[]" {
		t.Fatalf("an empty list of hooks: %s, %v", v, err)
	}
}
