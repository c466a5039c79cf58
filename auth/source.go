package auth

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/makemcp/makemcp/keychain"
	"golang.org/x/oauth2"
	"golang.org/x/sync/singleflight"
)

// SourceOptions configure a Source.
type SourceOptions struct {
	// Store holds the profile's credential.
	Store keychain.Store
	// Profile names the credential.
	Profile string
	// LockDir holds the per-profile lock files that order refreshes
	// across processes (the config folder).
	LockDir string
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
// read: no keychain call, no lock. Concurrent callers that find it stale
// share one refresh; across processes the refresh happens under the
// profile's lock, after re-reading the stored credential in case another
// process already refreshed it, and the rotated credential is saved
// before the lock is released.
//
// A Source is safe for concurrent use.
type Source struct {
	opts  SourceOptions
	now   func() time.Time
	cur   atomic.Pointer[cached]
	group singleflight.Group

	mu        sync.Mutex
	running   chan struct{}         // closed when the resolution under way ends
	rejected  string                // access token a server refused (see Invalidate)
	spent     string                // refresh token the issuer rejected
	endpoints map[string]*Endpoints // by issuer
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

// Credential returns a copy of the credential behind Token, refreshed if
// needed: for callers that need the scopes, expiry or zone.
func (s *Source) Credential(ctx context.Context) (*keychain.Credential, error) {
	c := s.cur.Load()
	if c == nil || !c.fresh(s.now()) {
		var err error
		if c, err = s.resolve(ctx); err != nil {
			return nil, err
		}
	}
	cred := *c.cred
	cred.Scopes = slices.Clone(c.cred.Scopes)
	return &cred, nil
}

// Invalidate tells the Source that a server refused accessToken (HTTP
// 401), though it looked valid: another process may have rotated the
// credential, or the issuer revoked the token. The next Token call
// re-reads the store and uses a different stored token if there is one,
// else refreshes, else reports ErrSessionExpired. An empty accessToken
// only drops the cache. Retry the refused request once, not in a loop.
func (s *Source) Invalidate(accessToken string) {
	s.mu.Lock()
	s.rejected = accessToken
	s.mu.Unlock()
	if c := s.cur.Load(); c != nil && (accessToken == "" || c.cred.AccessToken == accessToken) {
		s.cur.CompareAndSwap(c, nil)
	}
}

// resolve finds a usable token on the slow path. Callers arriving
// together share one resolution; each stops waiting when its own ctx
// ends, while the resolution goes on for the others.
func (s *Source) resolve(ctx context.Context) (*cached, error) {
	ch := s.group.DoChan("token", func() (any, error) {
		done := make(chan struct{})
		s.mu.Lock()
		s.running = done
		s.mu.Unlock()
		defer close(done)
		return s.resolveShared()
	})
	select {
	case r := <-ch:
		if r.Err != nil {
			return nil, r.Err
		}
		return r.Val.(*cached), nil
	case <-ctx.Done():
		return nil, withCause("waiting for the access token: "+ctx.Err().Error(), ctx.Err())
	}
}

// Wait waits, at most d, for a refresh under way to finish and its rotated
// credential to be saved. Callers whose context ended stop waiting for a
// refresh while it goes on; a process about to exit calls Wait, or the
// rotated refresh token, already spent at the issuer, would die with it.
func (s *Source) Wait(d time.Duration) {
	s.mu.Lock()
	running := s.running
	s.mu.Unlock()
	if running == nil {
		return
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-running:
	case <-t.C:
	}
}

func (s *Source) resolveShared() (*cached, error) {
	if c := s.cur.Load(); c != nil && c.fresh(s.now()) {
		return c, nil
	}
	cred, fromStore, err := s.known()
	if err != nil {
		return nil, err
	}
	if s.usable(cred) {
		return s.use(cred), nil
	}
	if cred.RefreshToken != "" {
		return s.refreshShared(cred)
	}
	if !fromStore {
		// The store may hold a newer credential: a new login, or
		// another process's refresh.
		ctx, cancel := context.WithTimeout(context.Background(), s.opts.RefreshTimeout)
		defer cancel()
		stored, err := s.load(ctx)
		switch {
		case err != nil:
			return nil, err
		case s.usable(stored):
			return s.use(stored), nil
		case stored.RefreshToken != "":
			return s.refreshShared(stored)
		}
	}
	return nil, ErrSessionExpired
}

// known is the credential in memory, else the stored one.
func (s *Source) known() (cred *keychain.Credential, fromStore bool, err error) {
	if c := s.cur.Load(); c != nil {
		return c.cred, false, nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), s.opts.RefreshTimeout)
	defer cancel()
	cred, err = s.load(ctx)
	return cred, true, err
}

func (s *Source) load(ctx context.Context) (*keychain.Credential, error) {
	cred, err := s.opts.Store.Load(ctx, s.opts.Profile)
	if errors.Is(err, keychain.ErrNotFound) {
		s.cur.Store(nil)
		return nil, ErrNotLoggedIn
	}
	if err != nil {
		return nil, fmt.Errorf("read the stored credential: %w", err)
	}
	if cred.AccessToken == "" {
		return nil, ErrNotLoggedIn
	}
	return cred, nil
}

// usable reports whether cred can be handed out now without a refresh.
func (s *Source) usable(cred *keychain.Credential) bool {
	if cred.Kind == keychain.APIToken {
		return true
	}
	return !s.isRejected(cred.AccessToken) && newCached(cred).fresh(s.now())
}

// use makes cred the one Token hands out.
func (s *Source) use(cred *keychain.Credential) *cached {
	c := newCached(cred)
	s.cur.Store(c)
	return c
}

func newCached(cred *keychain.Credential) *cached {
	c := &cached{cred: cred}
	switch {
	case cred.Kind == keychain.APIToken:
		c.token = &oauth2.Token{AccessToken: cred.AccessToken, TokenType: "Token"}
		return c
	case cred.Expiry.IsZero():
		// Never refreshed early; a 401 and Invalidate still lead to one.
	case cred.RefreshToken == "":
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
