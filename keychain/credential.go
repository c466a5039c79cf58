// Package keychain is where makemcp's credentials live, in a keychain or
// not: the OS keychain by default (Keyring), a 0600 file when the user
// asks for --insecure-storage (File), or, read-only, the MAKE_API_TOKEN
// environment variable (Env). It also provides each store's per-profile
// lock (Lock, Update), which lets several makemcp processes share one
// credential while its refresh token rotates, and login and logout
// replace it.
//
// In the OS keychain every item has the service "makemcp". A profile's
// credential starts in the item whose account is the profile name; when it
// is too long for one item (Windows and macOS limit an item to 2.5 to 3
// KB) it continues in items named after the profile with a suffix,
// "<profile>#a2", "<profile>#a3"... (or "#b2"... on alternate saves). The
// first item names the others and carries the size and a SHA-256 of the
// whole, so a credential is either read back whole or reported damaged,
// never truncated. See Keyring for the details.
//
// Keychain calls can hang (a locked or absent Secret Service), so each has
// a timeout; when the keychain cannot be reached the error wraps
// ErrUnavailable and names the way around it: `makemcp login
// --insecure-storage` (the File store) or MAKE_API_TOKEN (the Env store).
//
// No secret reaches logs or errors: Credential prints and logs itself
// redacted, and errors never quote stored data.
package keychain

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
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
	// RefreshRejected records that the issuer refused the refresh token
	// (invalid_grant, say), so that no process sends it again and status
	// reports the credential as not refreshable. A new login clears it.
	RefreshRejected bool `json:"refreshRejected,omitempty"`
}

// Refreshable reports whether the credential has a refresh token the
// issuer has not refused.
func (c *Credential) Refreshable() bool { return c.RefreshToken != "" && !c.RefreshRejected }

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

// check reports why c cannot be stored, so that a store never holds a
// credential that later fails in a confusing way.
func (c *Credential) check() error {
	switch {
	case c == nil:
		return errors.New("no credential to store")
	case c.Kind != OAuth && c.Kind != APIToken:
		return fmt.Errorf("credential has unknown kind %q (want %q or %q)", c.Kind, OAuth, APIToken)
	case c.AccessToken == "":
		return errors.New("credential has no access token")
	}
	return nil
}

// String describes the credential without its secrets: the kind, zone,
// expiry, scopes and whether a refresh token exists. Token values and the
// client secret are never shown, only whether they are set.
func (c Credential) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "{Kind:%s", c.Kind)
	if c.Zone != "" {
		fmt.Fprintf(&b, " Zone:%s", c.Zone)
	}
	if !c.Expiry.IsZero() {
		fmt.Fprintf(&b, " Expiry:%s", c.Expiry.UTC().Format(time.RFC3339))
	}
	if len(c.Scopes) > 0 {
		fmt.Fprintf(&b, " Scopes:%v", c.Scopes)
	}
	fmt.Fprintf(&b, " AccessToken:%s", redacted(c.AccessToken))
	fmt.Fprintf(&b, " Refreshable:%t", c.Refreshable())
	if c.ClientSecret != "" {
		fmt.Fprintf(&b, " ClientSecret:%s", redacted(c.ClientSecret))
	}
	b.WriteString("}")
	return b.String()
}

// GoString is String for %#v, so that debugging output redacts too.
func (c Credential) GoString() string { return "keychain.Credential" + c.String() }

// Format makes every fmt verb (%v, %+v, %s, %q, %x...) print the redacted
// form: without it, %+v or %x would walk the fields and print the tokens.
func (c Credential) Format(f fmt.State, verb rune) {
	switch {
	case verb == 'v' && f.Flag('#'):
		io.WriteString(f, c.GoString())
	case verb == 'q':
		fmt.Fprintf(f, "%q", c.String())
	default:
		io.WriteString(f, c.String())
	}
}

// LogValue lets log/slog record a credential without its secrets.
func (c Credential) LogValue() slog.Value {
	attrs := []slog.Attr{slog.String("kind", string(c.Kind))}
	if c.Zone != "" {
		attrs = append(attrs, slog.String("zone", c.Zone))
	}
	if !c.Expiry.IsZero() {
		attrs = append(attrs, slog.Time("expiry", c.Expiry))
	}
	if len(c.Scopes) > 0 {
		attrs = append(attrs, slog.String("scopes", strings.Join(c.Scopes, " ")))
	}
	attrs = append(attrs, slog.Bool("refreshable", c.Refreshable()))
	return slog.GroupValue(attrs...)
}

func redacted(secret string) string {
	if secret == "" {
		return "none"
	}
	return "[redacted]"
}
