package makeapi_test

import (
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/makemcp/makemcp/makeapi"
	"github.com/makemcp/makemcp/makeapi/makefake"
)

// zoneFake starts a fake Make on 127.0.0.1 that knows the demo token only
// when knows is true.
func zoneFake(t *testing.T, knows bool) *makefake.Server {
	t.Helper()
	f := newFake(t, makefake.Options{})
	if !knows {
		f.RemoveToken(makefake.DemoToken)
	}
	f.Start()
	t.Cleanup(f.Close)
	return f
}

func TestFindZoneAsksEveryZoneAndKeepsTheOneThatKnowsTheToken(t *testing.T) {
	a, b, home := zoneFake(t, false), zoneFake(t, false), zoneFake(t, true)
	o := makeapi.Options{Tokens: demoTokens(), AllowedHosts: []string{"127.0.0.1"}}
	zone, err := makeapi.FindZone(t.Context(), o, a.Zone(), home.Zone(), b.Zone())
	if err != nil {
		t.Fatal(err)
	}
	if zone != home.Zone() {
		t.Fatalf("found %s, want %s", zone, home.Zone())
	}
	// The search ends with the first zone that knows the token, so the
	// others may or may not have been asked by then; none twice.
	for _, f := range []*makefake.Server{a, b, home} {
		if n := f.Count("GET", "/api/v2/users/me"); n > 1 || f == home && n != 1 {
			t.Fatalf("zone %s asked %d times", f.Zone(), n)
		}
	}

	// A token without user:read is refused with 403 by its own zone only.
	home.AddToken("narrow", makefake.APIToken, "scenarios:read")
	o.Tokens = &tokens{value: "narrow", kind: "Token"}
	if zone, err := makeapi.FindZone(t.Context(), o, a.Zone(), home.Zone()); err != nil || zone != home.Zone() {
		t.Fatalf("narrow token: found %q, %v; want %s", zone, err, home.Zone())
	}
}

func TestFindZoneWhenNoZoneKnowsTheToken(t *testing.T) {
	a, b := zoneFake(t, false), zoneFake(t, false)
	o := makeapi.Options{Tokens: demoTokens(), AllowedHosts: []string{"127.0.0.1"}}
	_, err := makeapi.FindZone(t.Context(), o, a.Zone(), b.Zone())
	if !errors.Is(err, makeapi.ErrNoZone) || !strings.Contains(err.Error(), a.Zone()) || strings.Contains(err.Error(), makefake.DemoToken) {
		t.Fatalf("err = %v, want ErrNoZone naming the zones asked, never the token", err)
	}
}

// A zone that never answers does not hold the search up past its
// timeout, and the error says which zone could not tell.
func TestFindZoneGivesUpOnASilentZone(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFake(t, makefake.Options{Zones: []string{"eu1.make.com", "us1.make.com"}})
		f.RemoveToken(makefake.DemoToken)
		f.Inject(makefake.Fault{Host: "us1.make.com", Delay: time.Hour})
		o := makeapi.Options{Tokens: demoTokens(), HTTPClient: f.InProcessClient()}
		start := time.Now()
		_, err := makeapi.FindZone(t.Context(), o, "eu1.make.com", "us1.make.com")
		if took := time.Since(start); took != makeapi.DefaultFindZoneTimeout {
			t.Fatalf("took %v, want %v", took, makeapi.DefaultFindZoneTimeout)
		}
		if err == nil || errors.Is(err, makeapi.ErrNoZone) || !strings.Contains(err.Error(), "us1.make.com (Make API GET /users/me: no answer within 20s") {
			t.Fatalf("err = %v, want one naming us1.make.com as unable to tell", err)
		}
	})
}

// zoneRouter serves one zone host from the fake and answers 401 for every
// other, as Make's zones do for a token they do not know; it never dials.
type zoneRouter struct {
	home string
	fake http.RoundTripper

	mu    sync.Mutex
	asked []string
}

func (z *zoneRouter) RoundTrip(r *http.Request) (*http.Response, error) {
	z.mu.Lock()
	z.asked = append(z.asked, r.URL.Host)
	z.mu.Unlock()
	if r.URL.Host == z.home {
		return z.fake.RoundTrip(r)
	}
	return &http.Response{StatusCode: 401, Header: http.Header{}, Request: r,
		Body: io.NopCloser(strings.NewReader(`{"detail":"Invalid access token.","code":"IM004"}`))}, nil
}

func TestFindZoneTriesMakesZonesByDefault(t *testing.T) {
	f := newFake(t, makefake.Options{})
	rt := &zoneRouter{home: "us2.make.com", fake: f.InProcessClient().Transport}
	zone, err := makeapi.FindZone(t.Context(), makeapi.Options{Tokens: demoTokens(), HTTPClient: &http.Client{Transport: rt}})
	if err != nil || zone != "us2.make.com" {
		t.Fatalf("found %q, %v; want us2.make.com", zone, err)
	}
	// The zones that did not know the token may still be answering.
	rt.mu.Lock()
	defer rt.mu.Unlock()
	if len(rt.asked) > len(makeapi.KnownZones()) {
		t.Fatalf("asked %v, more than Make's zones", rt.asked)
	}
}

func TestFindZoneRefusesHostsNotAllowed(t *testing.T) {
	f := newFake(t, makefake.Options{})
	o := makeapi.Options{Tokens: demoTokens(), HTTPClient: f.InProcessClient()}
	_, err := makeapi.FindZone(t.Context(), o, "eu1.make.com", "make.evil.example")
	if !errors.Is(err, makeapi.ErrHostNotAllowed) {
		t.Fatalf("err = %v, want ErrHostNotAllowed", err)
	}
	if n := len(f.Requests()); n != 0 {
		t.Fatalf("%d requests sent, want none", n)
	}
}
