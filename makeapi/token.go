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
