package makeapi_test

import (
	"strings"
	"testing"

	"github.com/makemcp/makemcp/makeapi"
)

func TestParseZone(t *testing.T) {
	for _, tc := range []struct {
		in, want string
	}{
		{"eu1.make.com", "https://eu1.make.com/api/v2"},
		{"  EU1.Make.com  ", "https://eu1.make.com/api/v2"},
		{"eu1.make.com/", "https://eu1.make.com/api/v2"},
		{"eu1.make.com:8443", "https://eu1.make.com:8443/api/v2"},
		{"https://us2.make.com", "https://us2.make.com/api/v2"},
		{"https://us2.make.com/api/v2/", "https://us2.make.com/api/v2"},
		{"HTTPS://eu1.make.celonis.com", "https://eu1.make.celonis.com/api/v2"},
		{"http://127.0.0.1:8080", "http://127.0.0.1:8080/api/v2"},
		{"http://127.4.5.6:8080/api/v2", "http://127.4.5.6:8080/api/v2"},
		{"http://localhost:9000", "http://localhost:9000/api/v2"},
		{"http://[::1]:9000", "http://[::1]:9000/api/v2"},
		{"127.0.0.1:8443", "https://127.0.0.1:8443/api/v2"},
		{"https://[2001:db8::1]", "https://[2001:db8::1]/api/v2"},
	} {
		u, err := makeapi.ParseZone(tc.in)
		if err != nil {
			t.Errorf("ParseZone(%q): %v", tc.in, err)
			continue
		}
		if got := u.String(); got != tc.want {
			t.Errorf("ParseZone(%q) = %s, want %s", tc.in, got, tc.want)
		}
	}
}

func TestParseZoneRefuses(t *testing.T) {
	for _, tc := range []struct {
		in, wantErr string
	}{
		{"", "empty zone"},
		{"http://eu1.make.com", "plain http is allowed only for loopback hosts"},
		{"http://10.0.0.1:8080", "plain http is allowed only for loopback hosts"},
		{"http://localhost.evil.com", "plain http is allowed only for loopback hosts"},
		{"ftp://eu1.make.com", `scheme "ftp" is not supported`},
		{"https://user:pw@eu1.make.com", "credentials in the URL"},
		{"https://eu1.make.com/other", "is not Make's API path"},
		{"https://eu1.make.com?x=1", "a query or fragment"},
		{"eu1.make.com:99999", "is not a port number"},
		{"eu1.make.com:", "malformed"},
		{"eu1 make.com", "spaces"},
		{"eu1_make..com", "not a valid host name"},
		{"https://", "no host"},
		{"-bad-.make.com", "not a valid host name"},
	} {
		_, err := makeapi.ParseZone(tc.in)
		if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
			t.Errorf("ParseZone(%q) = %v, want an error containing %q", tc.in, err, tc.wantErr)
			continue
		}
		if strings.Contains(err.Error(), "\n") {
			t.Errorf("ParseZone(%q) error is not one line: %q", tc.in, err)
		}
	}
}

func TestNewRefusesPlainHTTPToRemoteHost(t *testing.T) {
	_, err := makeapi.New(makeapi.Options{Zone: "http://eu1.make.com", Tokens: demoTokens()})
	if err == nil || !strings.Contains(err.Error(), "plain http is allowed only for loopback hosts") {
		t.Fatalf("New with http to a remote host = %v, want the loopback refusal", err)
	}
	if _, err := makeapi.New(makeapi.Options{Zone: "eu1.make.com"}); err == nil {
		t.Fatal("New without a token source succeeded")
	}
}

func FuzzParseZone(f *testing.F) {
	for _, s := range []string{"eu1.make.com", "http://127.0.0.1:8080", "https://[::1]:1/api/v2", "http://x", "a:b:c", "[", "https://%zz"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		u, err := makeapi.ParseZone(s)
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("error is not one line: %q", err)
			}
			return
		}
		if u.Scheme == "http" && !makeapi.IsLoopback(u.Host) {
			t.Fatalf("ParseZone(%q) allowed http to %s", s, u.Host)
		}
		again, err := makeapi.ParseZone(u.String())
		if err != nil || again.String() != u.String() {
			t.Fatalf("ParseZone(%q) = %s, which parses to %v, %v", s, u, again, err)
		}
	})
}
