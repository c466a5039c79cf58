package makefake

import (
	"net/http"
	"slices"
	"strings"

	"github.com/makemcp/makemcp/makeapi/scope"
)

// Scheme is an Authorization scheme Make accepts.
type Scheme string

const (
	// APIToken is a Make API token: "Authorization: Token <uuid>".
	APIToken Scheme = "Token"
	// OAuth is an OAuth access token: "Authorization: Bearer <jwt>".
	OAuth Scheme = "Bearer"
)

// DemoToken is the API token every fake accepts at the start, with every
// scope.
const DemoToken = "4d616b65-0000-4de0-8000-64656d6f0001"

// AllScopes are Make's API scopes.
var AllScopes = scope.Strings(scope.All)

// principal is who a request authenticated as.
type principal struct {
	scheme Scheme
	scopes []string
}

// AddToken registers a credential: value sent with scheme grants scopes.
// A token sent with the other scheme is refused, as Make refuses an API
// token presented as a Bearer token.
func (s *Server) AddToken(value string, scheme Scheme, scopes ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tokens[value] = principal{scheme: scheme, scopes: slices.Clone(scopes)}
}

// RemoveToken revokes a credential.
func (s *Server) RemoveToken(value string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.tokens, value)
}

// authenticate finds who sent a request.
func (s *Server) authenticate(r *http.Request) (principal, *apiError) {
	scheme, value, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	value = strings.TrimSpace(value)
	if !ok || value == "" {
		return principal{}, errUnauthorized()
	}
	var sch Scheme
	switch {
	case strings.EqualFold(scheme, string(APIToken)):
		sch = APIToken
	case strings.EqualFold(scheme, string(OAuth)):
		sch = OAuth
	default:
		return principal{}, errUnauthorized()
	}
	s.mu.Lock()
	p, known := s.tokens[value]
	s.mu.Unlock()
	if known {
		if p.scheme != sch {
			return principal{}, errUnauthorized()
		}
		return p, nil
	}
	if sch == OAuth && s.opts.VerifyBearer != nil {
		scopes, err := s.opts.VerifyBearer(value)
		if err == nil {
			return principal{scheme: OAuth, scopes: scopes}, nil
		}
	}
	return principal{}, errUnauthorized()
}

// allows reports whether p has scope ("" needs none).
func (p principal) allows(need scope.Scope) bool {
	return need == "" || scope.Granted(p.scopes, need)
}
