package auth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/makemcp/makemcp/internal/safetext"
)

// Endpoints are the OAuth endpoints of one issuer.
type Endpoints struct {
	AuthURL  string
	TokenURL string
	// RevocationURL is empty when the issuer has no RFC 7009 endpoint.
	RevocationURL string
	// UserinfoURL is empty when the issuer has no OpenID userinfo endpoint.
	UserinfoURL string
}

// makeEndpoints are Make's, built in so that the default login needs no
// discovery request.
var makeEndpoints = Endpoints{
	AuthURL:       DefaultIssuer + "/oauth/v2/authorize",
	TokenURL:      DefaultIssuer + "/oauth/v2/token",
	RevocationURL: DefaultIssuer + "/oauth/v2/revoke",
	UserinfoURL:   DefaultIssuer + "/oauth/v2/oidc/userinfo",
}

// discoveryTimeout bounds each discovery request.
const discoveryTimeout = 10 * time.Second

// maxMetadata bounds a discovery document; real ones are a few KiB.
const maxMetadata = 1 << 20

// Discover returns the issuer's endpoints: Make's built in for
// DefaultIssuer, else read from the issuer's
// /.well-known/openid-configuration, then its
// /.well-known/oauth-authorization-server (RFC 8414). A nil client means
// http.DefaultClient; each request has its own timeout.
func Discover(ctx context.Context, client *http.Client, issuer string) (*Endpoints, error) {
	if err := ValidateIssuer(issuer); err != nil {
		return nil, err
	}
	if sameIssuer(issuer, DefaultIssuer) {
		e := makeEndpoints
		return &e, nil
	}
	if client == nil {
		client = http.DefaultClient
	}
	var errs []string
	for _, u := range metadataURLs(issuer) {
		e, err := fetchMetadata(ctx, client, u, issuer)
		if err == nil {
			return e, nil
		}
		if ctx.Err() != nil {
			return nil, fmt.Errorf("discover the OAuth endpoints of %s: %w", issuer, ctx.Err())
		}
		errs = append(errs, err.Error())
	}
	return nil, fmt.Errorf("discover the OAuth endpoints of %s: %s (check --issuer)", issuer, strings.Join(errs, "; "))
}

// ValidateIssuer checks that issuer is an absolute https URL, or plain
// http on a loopback host (localhost, 127.0.0.0/8, ::1) for local test
// servers. Tokens and secrets must never cross the network in clear.
func ValidateIssuer(issuer string) error {
	if err := checkURL("issuer", issuer); err != nil {
		return err
	}
	if u, _ := url.Parse(issuer); u.RawQuery != "" || u.Fragment != "" {
		return fmt.Errorf("issuer %q must not have a query or fragment", oneLine(safetext.URL(issuer)))
	}
	return nil
}

// checkURL checks that an endpoint is an absolute URL that is https, or
// plain http on a loopback host.
func checkURL(what, raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.Opaque != "" {
		return fmt.Errorf("%s %q is not an absolute URL: use https://host[/path]", what, oneLine(safetext.URL(raw)))
	}
	if u.User != nil {
		return fmt.Errorf("%s %q must not carry a user name or password", what, u.Redacted())
	}
	switch u.Scheme {
	case "https":
		return nil
	case "http":
		if isLoopbackHost(u.Hostname()) {
			return nil
		}
	}
	return fmt.Errorf("%s %q must use https (plain http is allowed only for localhost, 127.0.0.0/8 and ::1)", what, oneLine(safetext.URL(raw)))
}

func isLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// sameIssuer compares issuer identifiers, ignoring a trailing slash that
// some servers add (zitadel's issuer ends in one).
func sameIssuer(a, b string) bool {
	return strings.TrimSuffix(a, "/") == strings.TrimSuffix(b, "/")
}

// metadataURLs lists where the issuer's metadata may be, in order. OpenID
// Connect appends its well-known path to the issuer; RFC 8414 inserts its
// own between host and path, which is the same for an issuer without one.
func metadataURLs(issuer string) []string {
	u, _ := url.Parse(strings.TrimSuffix(issuer, "/"))
	oidc := u.String() + "/.well-known/openid-configuration"
	path := u.Path
	u.Path = "/.well-known/oauth-authorization-server" + path
	u.RawPath = ""
	return []string{oidc, u.String()}
}

type metadata struct {
	Issuer                string `json:"issuer"`
	AuthorizationEndpoint string `json:"authorization_endpoint"`
	TokenEndpoint         string `json:"token_endpoint"`
	RevocationEndpoint    string `json:"revocation_endpoint"`
	UserinfoEndpoint      string `json:"userinfo_endpoint"`
}

func fetchMetadata(ctx context.Context, client *http.Client, u, issuer string) (*Endpoints, error) {
	ctx, cancel := context.WithTimeout(ctx, discoveryTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		var uerr *url.Error
		if errors.As(err, &uerr) {
			err = uerr.Err
		}
		return nil, fmt.Errorf("GET %s: %s", u, oneLine(err.Error()))
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %s", u, resp.Status)
	}
	var m metadata
	if err := json.NewDecoder(io.LimitReader(resp.Body, maxMetadata)).Decode(&m); err != nil {
		return nil, fmt.Errorf("GET %s: not OAuth metadata: %s", u, oneLine(err.Error()))
	}
	// RFC 8414 section 3.3 and OpenID Discovery section 4.3: a document
	// for another issuer must not be used (mix-up attacks).
	if !sameIssuer(m.Issuer, issuer) {
		return nil, fmt.Errorf("GET %s: the document is for issuer %q, not %q", u, oneLine(m.Issuer), issuer)
	}
	if m.AuthorizationEndpoint == "" || m.TokenEndpoint == "" {
		return nil, fmt.Errorf("GET %s: no authorization_endpoint or token_endpoint", u)
	}
	e := &Endpoints{
		AuthURL:       m.AuthorizationEndpoint,
		TokenURL:      m.TokenEndpoint,
		RevocationURL: m.RevocationEndpoint,
		UserinfoURL:   m.UserinfoEndpoint,
	}
	for _, ep := range []struct{ what, url string }{
		{"authorization_endpoint", e.AuthURL},
		{"token_endpoint", e.TokenURL},
		{"revocation_endpoint", e.RevocationURL},
		{"userinfo_endpoint", e.UserinfoURL},
	} {
		if ep.url == "" {
			continue
		}
		if err := checkURL(ep.what, ep.url); err != nil {
			return nil, fmt.Errorf("GET %s: %w", u, err)
		}
	}
	return e, nil
}
