package makeapi

import (
	"context"

	"golang.org/x/oauth2"
)

// TokenSource gives the credential for each request. It is asked before
// every request, so a token refreshed by one call is used by the next.
//
// The token's TokenType picks the Authorization scheme: "Bearer" (or
// empty) for OAuth access tokens, "Token" for Make API tokens.
type TokenSource interface {
	Token(ctx context.Context) (*oauth2.Token, error)
}

// StaticToken returns a TokenSource that always gives the same token: a
// Make API token (tokenType "Token"), or an OAuth access token that needs
// no refresh ("Bearer"), such as the one a login has just obtained.
func StaticToken(accessToken, tokenType string) TokenSource {
	return staticToken{&oauth2.Token{AccessToken: accessToken, TokenType: tokenType}}
}

type staticToken struct{ tok *oauth2.Token }

func (s staticToken) Token(context.Context) (*oauth2.Token, error) { return s.tok, nil }
