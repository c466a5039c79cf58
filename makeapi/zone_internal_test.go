package makeapi

import (
	"net/http"
	"net/url"
	"testing"
	"time"
)

func TestZoneURL(t *testing.T) {
	configured := &url.URL{Scheme: "http", Host: "127.0.0.1:8080", Path: "/api/v2"}
	for _, tc := range []struct {
		reported, want string
		ok             bool
	}{
		// The configured zone's host, port included, keeps its scheme.
		{"127.0.0.1:8080", "http://127.0.0.1:8080/api/v2", true},
		// Any other host is reached over https, even on the same machine.
		{"127.0.0.1:9090", "https://127.0.0.1:9090/api/v2", true},
		{"us1.make.com", "https://us1.make.com/api/v2", true},
		{"US1.Make.com", "https://us1.make.com/api/v2", true},
		// Make never reports these; they must not become request targets.
		{"", "", false},
		{"us1.make.com/evil", "", false},
		{"https://us1.make.com", "", false},
		{"user@us1.make.com", "", false},
	} {
		u, ok := zoneURL(configured, tc.reported)
		if ok != tc.ok || ok && u.String() != tc.want {
			t.Errorf("zoneURL(%q) = %v, %v; want %s, %v", tc.reported, u, ok, tc.want, tc.ok)
		}
	}
}

func TestRetryAfter(t *testing.T) {
	now := mustTime(t, "Wed, 21 Oct 2015 07:28:00 GMT")
	for _, tc := range []struct {
		header string
		want   float64 // seconds
	}{
		{"", 0},
		{"7", 7},
		{"1.5", 1.5},
		{"0", 0},
		{"-3", 0},
		{"soon", 0},
		{"Wed, 21 Oct 2015 07:28:30 GMT", 30},
		{"Wed, 21 Oct 2015 07:27:00 GMT", 0},
	} {
		if got := retryAfter(tc.header, now).Seconds(); got != tc.want {
			t.Errorf("retryAfter(%q) = %vs, want %vs", tc.header, got, tc.want)
		}
	}
}

func TestBackoffIsJitteredAndBounded(t *testing.T) {
	for n := 1; n <= 12; n++ {
		step := min(backoffBase<<min(n-1, 10), backoffMax)
		seen := map[int64]bool{}
		for range 50 {
			d := backoff(n)
			if d < step/2 || d > step {
				t.Fatalf("backoff(%d) = %v, want within [%v, %v]", n, d, step/2, step)
			}
			seen[int64(d)] = true
		}
		if len(seen) < 2 {
			t.Fatalf("backoff(%d) has no jitter", n)
		}
	}
}

func mustTime(t *testing.T, s string) time.Time {
	t.Helper()
	tm, err := http.ParseTime(s)
	if err != nil {
		t.Fatal(err)
	}
	return tm
}
