package main

import (
	"strings"
	"testing"

	"github.com/makemcp/makemcp/makeapi/makefake"
)

// A zone the user named with MAKEMCP_ZONE at login is saved in
// config.json; read back from there it is no longer something the user
// named, so unless it is one of Make's zones the credential goes there
// only when MAKEMCP_ALLOWED_HOSTS lists it.
func TestZoneFromConfigNeedsTheAllowList(t *testing.T) {
	f := fakeMake(t)
	dir := t.TempDir()
	r := runMain(t, map[string]string{"MAKEMCP_CONFIG_DIR": dir, "MAKEMCP_ZONE": f.Zone()},
		makefake.DemoToken+"\n", "login", "--with-token", "--insecure-storage")
	if r.code != 0 {
		t.Fatalf("login: %+v", r)
	}
	sent := len(f.Requests())

	r = runMain(t, map[string]string{"MAKEMCP_CONFIG_DIR": dir}, "", "tools", "call", "users_me")
	host := strings.TrimPrefix(f.Zone(), "http://")
	if r.code == 0 || strings.Count(r.stderr, "\n") != 1 ||
		!strings.Contains(r.stderr, "config.json") || !strings.Contains(r.stderr, `"`+host+`"`) || !strings.Contains(r.stderr, "MAKEMCP_ALLOWED_HOSTS") {
		t.Fatalf("a call to the zone in config.json: %+v; want one line naming config.json, the host and MAKEMCP_ALLOWED_HOSTS", r)
	}
	if n := len(f.Requests()); n != sent {
		t.Fatalf("%d requests reached the zone, want none", n-sent)
	}

	for _, allowed := range []string{"127.0.0.1", "eu1.make.com, " + host} {
		r = runMain(t, map[string]string{"MAKEMCP_CONFIG_DIR": dir, "MAKEMCP_ALLOWED_HOSTS": allowed}, "", "tools", "call", "users_me")
		if r.code != 0 || !strings.Contains(r.stdout, "Dana Demo") {
			t.Fatalf("MAKEMCP_ALLOWED_HOSTS=%s: %+v", allowed, r)
		}
	}
}
