package auth

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/makemcp/makemcp/internal/testenv"
)

func TestValidateIssuer(t *testing.T) {
	for _, ok := range []string{
		"https://www.make.com", "https://auth.example.com/tenant/", "http://localhost:8080",
		"http://127.0.0.1:9", "http://127.3.4.5", "http://[::1]:80/x",
	} {
		if err := ValidateIssuer(ok); err != nil {
			t.Errorf("ValidateIssuer(%q) = %v, want nil", ok, err)
		}
	}
	for _, bad := range []string{
		"http://www.make.com", "http://10.0.0.1", "http://localhost.example.com", "ftp://x",
		"www.make.com", "", "https://user:pw@example.com", "https://example.com/?a=b", "https://example.com/#f",
		"http://[::2]", "https://exa mple.com",
	} {
		err := ValidateIssuer(bad)
		if err == nil {
			t.Errorf("ValidateIssuer(%q) = nil, want an error", bad)
			continue
		}
		if strings.Contains(err.Error(), "\n") || strings.Contains(err.Error(), "pw") {
			t.Errorf("ValidateIssuer(%q) = %q: want one line without the password", bad, err)
		}
	}
}

// noNetwork fails any request: Make's endpoints are built in.
type noNetwork struct{ t *testing.T }

func (n noNetwork) RoundTrip(r *http.Request) (*http.Response, error) {
	n.t.Errorf("unexpected request to %s", r.URL)
	return nil, errors.New("no network in this test")
}

func TestDiscoverMakeIsBuiltIn(t *testing.T) {
	client := &http.Client{Transport: noNetwork{t}}
	for _, issuer := range []string{DefaultIssuer, DefaultIssuer + "/"} {
		e, err := Discover(context.Background(), client, issuer)
		if err != nil {
			t.Fatal(err)
		}
		want := Endpoints{
			AuthURL:       "https://www.make.com/oauth/v2/authorize",
			TokenURL:      "https://www.make.com/oauth/v2/token",
			RevocationURL: "https://www.make.com/oauth/v2/revoke",
			UserinfoURL:   "https://www.make.com/oauth/v2/oidc/userinfo",
		}
		if *e != want {
			t.Errorf("Discover(%q) = %+v, want %+v", issuer, *e, want)
		}
	}
}

// metadataServer serves documents by path and counts requests.
func metadataServer(t *testing.T, docs map[string]func(issuer string) any) (*httptest.Server, *atomic.Int32) {
	var hits atomic.Int32
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		doc, ok := docs[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		json.NewEncoder(w).Encode(doc(srv.URL))
	}))
	t.Cleanup(srv.Close)
	return srv, &hits
}

func TestDiscoverOpenIDFirst(t *testing.T) {
	srv, _ := metadataServer(t, map[string]func(string) any{
		"/.well-known/openid-configuration": func(iss string) any {
			return map[string]string{"issuer": iss, "authorization_endpoint": iss + "/a", "token_endpoint": iss + "/t", "revocation_endpoint": iss + "/r"}
		},
		"/.well-known/oauth-authorization-server": func(iss string) any {
			return map[string]string{"issuer": iss, "authorization_endpoint": iss + "/wrong", "token_endpoint": iss + "/wrong"}
		},
	})
	e, err := Discover(context.Background(), nil, srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	if e.AuthURL != srv.URL+"/a" || e.TokenURL != srv.URL+"/t" || e.RevocationURL != srv.URL+"/r" || e.UserinfoURL != "" {
		t.Errorf("got %+v", e)
	}
}

func TestDiscoverFallsBackToRFC8414(t *testing.T) {
	srv, _ := metadataServer(t, map[string]func(string) any{
		// RFC 8414 puts the well-known segment before the issuer's path.
		"/.well-known/oauth-authorization-server/tenant": func(iss string) any {
			return map[string]string{"issuer": iss + "/tenant", "authorization_endpoint": iss + "/a", "token_endpoint": iss + "/t"}
		},
	})
	e, err := Discover(context.Background(), nil, srv.URL+"/tenant")
	if err != nil {
		t.Fatal(err)
	}
	if e.AuthURL != srv.URL+"/a" || e.RevocationURL != "" {
		t.Errorf("got %+v", e)
	}
}

func TestDiscoverErrors(t *testing.T) {
	tests := []struct {
		name string
		doc  func(iss string) any
		want string
	}{
		{"nothing there", nil, "404 Not Found"},
		{"other issuer", func(iss string) any {
			return map[string]string{"issuer": "https://evil.example", "authorization_endpoint": iss + "/a", "token_endpoint": iss + "/t"}
		}, `the document is for issuer "https://evil.example"`},
		{"no token endpoint", func(iss string) any {
			return map[string]string{"issuer": iss, "authorization_endpoint": iss + "/a"}
		}, "no authorization_endpoint or token_endpoint"},
		{"plain http endpoint elsewhere", func(iss string) any {
			return map[string]string{"issuer": iss, "authorization_endpoint": iss + "/a", "token_endpoint": "http://tokens.example.com/t"}
		}, "token_endpoint \"http://tokens.example.com/t\" must use https"},
		{"not json", func(iss string) any { return "<html>" }, "not OAuth metadata"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			docs := map[string]func(string) any{}
			if tt.doc != nil {
				docs["/.well-known/openid-configuration"] = tt.doc
			}
			srv, _ := metadataServer(t, docs)
			_, err := Discover(context.Background(), nil, srv.URL)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want it to contain %q", err, tt.want)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error has several lines: %q", err)
			}
			if !strings.Contains(err.Error(), "check --issuer") {
				t.Errorf("error does not say what to do: %q", err)
			}
		})
	}
}

func TestDiscoverRefusesPlainHTTPWithoutAsking(t *testing.T) {
	client := &http.Client{Transport: noNetwork{t}}
	_, err := Discover(context.Background(), client, "http://auth.example.com")
	if err == nil || !strings.Contains(err.Error(), "must use https") {
		t.Fatalf("err = %v", err)
	}
}

func TestDiscoverHonoursContext(t *testing.T) {
	block := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-block }))
	defer srv.Close()
	defer close(block)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Discover(ctx, nil, srv.URL)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

func TestDiscoverRealServers(t *testing.T) {
	t.Parallel()
	t.Run("oauth2-mock-server", func(t *testing.T) {
		srv := testenv.StartOAuthServer(t, testenv.OAuthServerOptions{})
		e, err := Discover(context.Background(), nil, srv.URL)
		if err != nil {
			t.Fatal(err)
		}
		if e.AuthURL != srv.URL+"/authorize" || e.TokenURL != srv.URL+"/token" || e.RevocationURL != srv.URL+"/revoke" {
			t.Errorf("got %+v", e)
		}
	})
	t.Run("zitadel", func(t *testing.T) {
		z := testenv.StartZitadel(t)
		e, err := Discover(context.Background(), nil, z.Issuer)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(e.AuthURL, z.Issuer) || !strings.HasSuffix(e.TokenURL, "/oauth/token") || e.RevocationURL == "" {
			t.Errorf("got %+v", e)
		}
	})
}
