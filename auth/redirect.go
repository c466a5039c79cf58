package auth

import (
	"fmt"
	"net/http"

	"github.com/makemcp/makemcp/internal/safetext"
)

// noRedirects returns a copy of c that follows no redirect. Token and
// revocation requests carry secrets in their body (a code and verifier, a
// refresh token, the client secret), and Go's client sends a body again
// on a 307 or 308, to whatever host and scheme the answer names.
func noRedirects(c *http.Client) *http.Client {
	if c == nil {
		c = http.DefaultClient
	}
	nc := *c
	nc.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		return fmt.Errorf("the OAuth server redirects %s to %s://%s, and makemcp follows no redirect with a token request: check --issuer",
			via[0].URL.Path, req.URL.Scheme, safetext.Line(req.URL.Host, 200))
	}
	return &nc
}
