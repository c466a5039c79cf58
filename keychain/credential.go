// Package keychain keeps makemcp's credentials: in the OS keychain by
// default, in a 0600 file when the user asks for --insecure-storage, or,
// read-only, in the MAKE_API_TOKEN environment variable. It also provides
// the per-profile lock that lets several makemcp processes share one
// credential while its refresh token rotates.
package keychain

import (
	"context"
	"errors"
	"time"
)

// Kind says how a credential authenticates against Make.
type Kind string

const (
	// OAuth is an access token (and maybe a refresh token) from Make's
	// OAuth server, sent as "Authorization: Bearer ...".
	OAuth Kind = "oauth"
	// APIToken is a Make API token, sent as "Authorization: Token ...".
	APIToken Kind = "api-token"
)

// Credential is everything needed to call Make and to refresh the access
// token without any other state: the issuer, client and zone travel with
// the tokens.
type Credential struct {
	Kind         Kind      `json:"kind"`
	AccessToken  string    `json:"accessToken"`
	RefreshToken string    `json:"refreshToken,omitempty"`
	Expiry       time.Time `json:"expiry,omitzero"`
	// IssuedAt is when the access token was obtained; with Expiry it gives
	// the token's lifetime, which decides how early to refresh.
	IssuedAt  time.Time `json:"issuedAt,omitzero"`
	TokenType string    `json:"tokenType,omitempty"`
	Scopes    []string  `json:"scopes,omitempty"`
	Issuer    string    `json:"issuer,omitempty"`
	ClientID  string    `json:"clientId,omitempty"`
	// ClientSecret is kept for confidential clients, so that a serve
	// process started by an MCP host (which does not see the shell's
	// MAKEMCP_CLIENT_SECRET) can still refresh. It is a secret: redact it.
	ClientSecret string `json:"clientSecret,omitempty"`
	Zone         string `json:"zone,omitempty"`
}

// Store holds one credential per profile.
type Store interface {
	// Name is what `makemcp status` reports as the storage:
	// "keychain", "file" or "env".
	Name() string
	// Load returns the profile's credential, or an error wrapping
	// ErrNotFound when there is none.
	Load(ctx context.Context, profile string) (*Credential, error)
	// Save stores the credential, replacing any earlier one, and reads it
	// back to prove it was stored whole.
	Save(ctx context.Context, profile string, c *Credential) error
	// Delete removes the profile's credential; deleting a missing one is
	// not an error.
	Delete(ctx context.Context, profile string) error
}

var (
	// ErrNotFound means the profile has no stored credential.
	ErrNotFound = errors.New("no stored credential")
	// ErrReadOnly means the store cannot be written (MAKE_API_TOKEN).
	ErrReadOnly = errors.New("credential store is read-only")
)
