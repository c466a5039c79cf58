package keychain

import (
	"context"
	"fmt"
	"strings"
)

// Env is the read-only store for a Make API token given in MAKE_API_TOKEN:
// every profile loads it, and nothing can be saved or deleted.
type Env struct {
	token string
}

// NewEnv returns the store for the token, usually os.Getenv("MAKE_API_TOKEN").
// Surrounding white space (a newline from `$(cat file)`) is dropped.
func NewEnv(token string) *Env { return &Env{token: strings.TrimSpace(token)} }

// Name reports the storage as "env".
func (e *Env) Name() string { return "env" }

// Load returns the token as an API-token credential.
func (e *Env) Load(_ context.Context, profile string) (*Credential, error) {
	if err := ValidateProfile(profile); err != nil {
		return nil, err
	}
	if e.token == "" {
		return nil, fmt.Errorf("%w: MAKE_API_TOKEN is empty", ErrNotFound)
	}
	return &Credential{Kind: APIToken, AccessToken: e.token, TokenType: "Token"}, nil
}

// Save refuses: the credential comes from the environment.
func (e *Env) Save(context.Context, string, *Credential) error {
	return fmt.Errorf("%w: the credential comes from MAKE_API_TOKEN; unset it to log in and store a credential", ErrReadOnly)
}

// Delete refuses: the credential comes from the environment.
func (e *Env) Delete(context.Context, string) error {
	return fmt.Errorf("%w: the credential comes from MAKE_API_TOKEN; unset it in your shell or MCP host configuration instead", ErrReadOnly)
}
