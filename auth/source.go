package auth

import (
	"context"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/makemcp/makemcp/keychain"
	"golang.org/x/oauth2"
	"golang.org/x/sync/singleflight"
)

// SourceOptions configure a Source.
type SourceOptions struct {
	// Store holds the profile's credential. Refreshes take the store's
	// lock for the profile (keychain.Lock), which every process sharing
	// that credential takes too.
	Store keychain.Store
	// Profile names the credential.
	Profile string
	// HTTPClient makes discovery and refresh requests
	// (default: one with a 30 s timeout).
	HTTPClient *http.Client
	// Now is the clock (default time.Now).
	Now func() time.Time
	// RefreshTimeout bounds one refresh (default DefaultRefreshTimeout).
	RefreshTimeout time.Duration
	// Logger receives refresh events, never tokens (default: discard).
	Logger *slog.Logger
}

// Source hands out a valid access token for one profile, refreshing it
// when less than a tenth of its lifetime (and at most 60 s) remains.
//
// While the cached token is fresh, Token costs an atomic load and a clock
// read: no keychain call, no lock. Everything else, the slow path, is in
// refresh.go, which alone writes the cache: concurrent callers that find
// the token stale share one resolution; across processes a refresh
// happens under the store's lock for the profile, after re-reading the
// stored credential in case another process already refreshed it, logged
// in anew or logged out, and the rotated credential is saved before the
// lock is released.
//
// A Source is safe for concurrent use.
type Source struct {
	opts  SourceOptions
	now   func() time.Time
	cur   atomic.Pointer[cached] // written only in refresh.go
	group singleflight.Group

	mu        sync.Mutex
	running   chan struct{}         // closed when the resolution under way ends
	endpoints map[string]*Endpoints // by issuer
	// refused is the access token Make last refused (Invalidate), and
	// forced the one a refresh made because Make refused its predecessor:
	// Make refusing that one too is not cured by refreshing again.
	refused, forced string

	// Owned by the resolution under way (there is one at a time).
	//
	// held is the newest credential this process has, which may be newer
	// than the stored one when saving it failed; stored is the tokens of
	// the stored credential it was derived from, as last seen. While the
	// store still holds those, held is the truth; once the store holds
	// anything else (another process's refresh, a new login), the store
	// is.
	held   *keychain.Credential
	stored tokens
	// unanswered is the refresh token of the last refresh that got no
	// answer in time: the issuer may have spent it all the same.
	unanswered string
}

// tokens identifies a credential's generation: a refresh changes the
// access token, a rotation the refresh token, a login both.
type tokens struct{ access, refresh string }

func tokensOf(c *keychain.Credential) tokens {
	if c == nil {
		return tokens{}
	}
	return tokens{c.AccessToken, c.RefreshToken}
}

// cached is an immutable snapshot of the credential in use.
type cached struct {
	cred  *keychain.Credential
	token *oauth2.Token
	// useUntil is when the token stops being served without a look at the
	// store: the refresh point, or the expiry for a token that cannot be
	// refreshed. Zero means never (API tokens, tokens without expiry).
	useUntil time.Time
}

func (c *cached) fresh(now time.Time) bool {
	return c.useUntil.IsZero() || now.Before(c.useUntil)
}

// NewSource returns a Source over the profile's stored credential. It
// reads nothing until the first Token call.
func NewSource(opts SourceOptions) *Source {
	if opts.HTTPClient == nil {
		opts.HTTPClient = &http.Client{Timeout: DefaultRefreshTimeout}
	}
	if opts.RefreshTimeout <= 0 {
		opts.RefreshTimeout = DefaultRefreshTimeout
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	return &Source{opts: opts, now: now, endpoints: map[string]*Endpoints{}}
}

// Token returns a valid access token: TokenType "Bearer" for OAuth,
// "Token" for a Make API token. The returned token is shared: do not
// modify it.
//
// Errors: ErrNotLoggedIn, ErrSessionExpired (log in again), or
// ErrRefreshFailed (transient; the next call tries again). ctx only
// bounds the wait: a refresh runs on its own context, so a cancelled call
// cannot leave a half-finished rotation.
func (s *Source) Token(ctx context.Context) (*oauth2.Token, error) {
	if c := s.cur.Load(); c != nil && c.fresh(s.now()) {
		return c.token, nil
	}
	c, err := s.resolve(ctx)
	if err != nil {
		return nil, err
	}
	return c.token, nil
}

func newCached(cred *keychain.Credential) *cached {
	c := &cached{cred: cred}
	switch {
	case cred.Kind == keychain.APIToken:
		c.token = &oauth2.Token{AccessToken: cred.AccessToken, TokenType: "Token"}
		return c
	case cred.Expiry.IsZero():
		// Never refreshed early; a 401 and Invalidate still lead to one.
	case !cred.Refreshable():
		c.useUntil = cred.Expiry
	default:
		c.useUntil = RefreshAt(cred)
	}
	c.token = &oauth2.Token{AccessToken: cred.AccessToken, TokenType: "Bearer", Expiry: cred.Expiry}
	return c
}

// RefreshAt is when a credential is due for refresh: when less than a
// tenth of its lifetime (Expiry - IssuedAt), and at most 60 s, remains.
// A lifetime that is unknown counts as long, so 60 s before Expiry.
func RefreshAt(cred *keychain.Credential) time.Time {
	margin := time.Minute
	if !cred.IssuedAt.IsZero() && cred.Expiry.After(cred.IssuedAt) {
		margin = min(margin, cred.Expiry.Sub(cred.IssuedAt)/10)
	}
	return cred.Expiry.Add(-margin)
}
