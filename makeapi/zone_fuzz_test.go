package makeapi

import (
	"strings"
	"testing"
)

// FuzzZoneURL checks where a zone host reported by Make (an
// organization's "zone", which the client turns into a request target)
// may lead, for any configured zone and any reported string: only to a
// plain host over https, or to the configured base URL itself; the host
// is canonical, so two spellings of one zone are one zone.
func FuzzZoneURL(f *testing.F) {
	f.Add("http://127.0.0.1:8080", "127.0.0.1:8080")
	f.Add("http://127.0.0.1:8080", "127.0.0.1:9090")
	f.Add("eu1.make.com", "US1.Make.com")
	f.Add("eu1.make.com", "us1.make.com/evil")
	f.Add("eu1.make.com", "user@us1.make.com")
	f.Add("http://[::1]:9000", "[0:0::1]:9000")
	f.Add("eu1.make.com", "us1.make.com:443")
	f.Fuzz(func(t *testing.T, zone, reported string) {
		configured, err := ParseZone(zone)
		if err != nil {
			return
		}
		u, ok := zoneURL(configured, reported)
		if !ok {
			return
		}
		if u.Path != apiPath || u.User != nil || u.RawQuery != "" || u.Fragment != "" || u.Opaque != "" {
			t.Fatalf("zone %q reported as %q leads to %s", zone, reported, u)
		}
		if u.Host == configured.Host {
			if u.String() != configured.String() {
				t.Fatalf("zone %q reported as %q leads to %s, not the configured %s", zone, reported, u, configured)
			}
			return
		}
		if u.Scheme != "https" {
			t.Fatalf("zone %q reported as %q leads to %s over %s", zone, reported, u.Host, u.Scheme)
		}
		if again, err := canonicalHost(u.Host); err != nil || again != u.Host {
			t.Fatalf("reported %q became host %q, which is not canonical (%q, %v)", reported, u.Host, again, err)
		}
		if p, err := ParseZone(u.String()); err != nil || p.String() != u.String() {
			t.Fatalf("reported %q became %s, which ParseZone reads as %v, %v", reported, u, p, err)
		}
	})
}

// ParseZone quotes the zone in its errors, but never a password in it:
// errors reach stderr and logs.
func TestParseZoneNeverEchoesPassword(t *testing.T) {
	for _, zone := range []string{
		"https://user:s3cretpassw0rd@eu1.make.com",
		"http://user:s3cretpassw0rd@10.0.0.1",
		"https://user:s3cretpassw0rd@eu1 make.com",
		"https://user:s3cretpassw0rd@eu1.make.com/other",
	} {
		_, err := ParseZone(zone)
		if err == nil {
			t.Errorf("ParseZone(%q) accepted credentials in the URL", zone)
			continue
		}
		if strings.Contains(err.Error(), "s3cretpassw0rd") {
			t.Errorf("ParseZone error repeats the password: %q", err)
		}
	}
}
