package auth

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// FuzzValidateIssuer checks the issuer (base URL) rules for any string:
// an accepted issuer is an absolute https URL, or http on a loopback host,
// with no user info, query or fragment, and its metadata URLs stay on its
// host; a refused one gets one printable line that never repeats a
// password given in the URL.
func FuzzValidateIssuer(f *testing.F) {
	for _, s := range []string{
		"https://www.make.com", "https://auth.example.com/tenant/", "http://127.0.0.1:9", "http://[::1]:80/x",
		"http://localhost.example.com", "https://user:pw@example.com", "https://example.com/?a=b",
		"https://exa mple.com", "https://%zz", "http://[fe80::1%25en0]/", "https://example.com/%2e%2e/x",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, issuer string) {
		err := ValidateIssuer(issuer)
		if err != nil {
			msg := err.Error()
			if msg == "" || hasControl(msg) {
				t.Fatalf("ValidateIssuer(%q) = %q: want one printable line", issuer, msg)
			}
			if pw := urlPassword(issuer); len(pw) >= 4 && strings.Contains(msg, pw) {
				t.Fatalf("ValidateIssuer(%q) = %q: the error repeats the password", issuer, msg)
			}
			return
		}
		u, perr := url.Parse(issuer)
		if perr != nil || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
			t.Fatalf("ValidateIssuer accepted %q", issuer)
		}
		if u.Scheme != "https" && !(u.Scheme == "http" && isLoopbackHost(u.Hostname())) {
			t.Fatalf("ValidateIssuer accepted %q: scheme %q on host %q", issuer, u.Scheme, u.Hostname())
		}
		for _, m := range metadataURLs(issuer) {
			mu, err := url.Parse(m)
			if err != nil || mu.Host != u.Host || mu.Scheme != u.Scheme {
				t.Fatalf("issuer %q gives metadata URL %q (%v), off its host", issuer, m, err)
			}
		}
	})
}

// urlPassword is the password of a URL-looking string, found the way a
// person reads it (between "://user:" and the last "@" before the path),
// so that it is found even where url.Parse gives up.
func urlPassword(s string) string {
	_, rest, ok := strings.Cut(s, "://")
	if !ok {
		return ""
	}
	if i := strings.IndexAny(rest, "/?#"); i >= 0 {
		rest = rest[:i]
	}
	at := strings.LastIndex(rest, "@")
	if at < 0 {
		return ""
	}
	_, pw, ok := strings.Cut(rest[:at], ":")
	if !ok {
		return ""
	}
	return pw
}

// answer is an HTTP client whose every request gets the same answer.
type answer struct {
	status int
	body   []byte
}

func (a answer) RoundTrip(r *http.Request) (*http.Response, error) {
	return &http.Response{
		StatusCode: a.status,
		Status:     http.StatusText(a.status),
		Header:     http.Header{"Content-Type": {"application/json"}},
		Body:       io.NopCloser(bytes.NewReader(a.body)),
		Request:    r,
	}, nil
}

// FuzzDiscover feeds any discovery answer to Discover: endpoints it
// accepts are absolute https URLs (or http on loopback) with an
// authorization and a token endpoint; anything else is refused with one
// printable, bounded line that says to check --issuer.
func FuzzDiscover(f *testing.F) {
	const issuer = "https://issuer.example"
	f.Add(200, []byte(`{"issuer":"https://issuer.example","authorization_endpoint":"https://issuer.example/a","token_endpoint":"https://issuer.example/t"}`))
	f.Add(200, []byte(`{"issuer":"https://issuer.example/","authorization_endpoint":"http://127.0.0.1:1/a","token_endpoint":"https://x/t","revocation_endpoint":"http://evil.example/r"}`))
	f.Add(200, []byte(`{"issuer":"https://other.example","authorization_endpoint":"https://a","token_endpoint":"https://t"}`))
	f.Add(200, []byte(`{"issuer":"https://issuer.example","authorization_endpoint":"javascript:alert(1)","token_endpoint":"https://t"}`))
	f.Add(200, []byte("<html>\r\n<body>Bad Gateway</body>"))
	f.Add(404, []byte(`{}`))
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		if status < 100 || status > 999 {
			return // net/http never hands out such a response
		}
		client := &http.Client{Transport: answer{status, body}}
		e, err := Discover(context.Background(), client, issuer)
		if err != nil {
			msg := err.Error()
			if hasControl(msg) || !strings.Contains(msg, "check --issuer") || len(msg) > 2000 {
				t.Fatalf("Discover error %q: want one bounded printable line that says to check --issuer", msg)
			}
			return
		}
		if e.AuthURL == "" || e.TokenURL == "" {
			t.Fatalf("Discover accepted endpoints %+v", e)
		}
		for _, u := range []string{e.AuthURL, e.TokenURL, e.RevocationURL, e.UserinfoURL} {
			if u != "" && checkURL("endpoint", u) != nil {
				t.Fatalf("Discover accepted endpoint %q", u)
			}
		}
	})
}
