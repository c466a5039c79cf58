package auth

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/makemcp/makemcp/keychain"
	"golang.org/x/oauth2"
)

// The slow path of Source: everything Token does when the cached token is
// not fresh, and the only code that writes the cache (s.cur).

// Invalidate tells the Source that Make refused accessToken (HTTP 401),
// though it looked valid: another process may have rotated the
// credential, or the issuer revoked the token. The next Token call
// re-reads the store and uses a different stored token if there is one,
// else refreshes, else reports ErrSessionExpired. An empty accessToken
// only drops the cache.
//
// It returns nil when another attempt with the next token may succeed,
// and ErrTokenRefused when Make refused a token that was refreshed
// because Make had refused its predecessor: a token is refreshed at most
// once for a 401, and a second refusal is Make's answer, not a stale
// token. Retry the refused request once, not in a loop.
func (s *Source) Invalidate(accessToken string) error {
	s.mu.Lock()
	s.refused = accessToken
	again := accessToken != "" && accessToken == s.forced
	s.mu.Unlock()
	if c := s.cur.Load(); c != nil && (accessToken == "" || c.cred.AccessToken == accessToken) {
		// The next call looks at the store again, where a new login
		// may be waiting.
		s.cur.CompareAndSwap(c, nil)
	}
	if again {
		return ErrTokenRefused
	}
	return nil
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

// resolveShared is one resolution. It reads the store without the lock
// when that may be enough (the first call, or a token dropped by
// Invalidate that this process has no reason to refresh), and otherwise
// decides under the lock.
func (s *Source) resolveShared() (*cached, error) {
	if c := s.cur.Load(); c != nil && c.fresh(s.now()) {
		return c, nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), s.opts.RefreshTimeout)
	defer cancel()
	if s.held == nil || s.usable(s.held) {
		stored, err := s.load(ctx)
		if err != nil {
			if errors.Is(err, ErrNotLoggedIn) {
				s.forget()
			}
			return nil, err
		}
		cred := s.newest(stored)
		if s.usable(cred) {
			return s.keep(cred, stored), nil
		}
		if !cred.Refreshable() {
			return nil, s.expired(cred)
		}
	}
	return s.refreshLocked(ctx)
}

// refreshLocked decides under the profile's lock, through
// keychain.Update: with the credential as stored now, it uses a token
// that needs no refresh, or refreshes and saves the rotated credential,
// or records that the issuer refused the refresh token. Nothing is saved
// over a credential that is gone (logout) or that is not the one it
// refreshed: the store's newer credential wins.
func (s *Source) refreshLocked(ctx context.Context) (*cached, error) {
	var (
		seen    *keychain.Credential // the stored credential, under the lock
		tried   *keychain.Credential // the credential refreshed
		next    *keychain.Credential // the credential to go on with, once decided
		verdict error                // the issuer's refusal of the refresh token
		forced  bool                 // refreshed because Make refused the access token
	)
	_, err := keychain.Update(ctx, s.opts.Store, s.opts.Profile, func(stored *keychain.Credential) (*keychain.Credential, error) {
		if stored.AccessToken == "" {
			return nil, ErrNotLoggedIn
		}
		seen = stored
		cred := s.newest(stored)
		switch {
		case s.usable(cred):
			if cred != stored {
				s.opts.Logger.Debug("using the access token another makemcp process refreshed", "profile", s.opts.Profile)
			}
			next = cred
			if cred == s.held && cred != stored {
				// This process could not save it before: try again.
				return cred, nil
			}
			return nil, nil
		case !cred.Refreshable():
			return nil, s.expired(cred)
		}
		tried, forced = cred, s.isRefused(cred.AccessToken)
		refreshed, err := s.refresh(ctx, cred)
		if v := s.rejection(cred, err); v != nil {
			// Remember it with the credential, so that no process asks
			// the issuer again with a token it already refused.
			marked := *cred
			marked.RefreshRejected = true
			next, verdict = &marked, v
			return &marked, nil
		}
		if err != nil {
			return nil, err
		}
		next = refreshed
		return refreshed, nil
	})
	switch {
	case next == nil && (errors.Is(err, keychain.ErrNotFound) || errors.Is(err, ErrNotLoggedIn)):
		s.forget()
		return nil, ErrNotLoggedIn
	case next == nil && errors.Is(err, ErrSessionExpired):
		return nil, err
	case next == nil:
		if tried != nil {
			// What the store holds now, or what this process could
			// not save: still the newest there is.
			s.held, s.stored = tried, tokensOf(seen)
		}
		return s.transient(err)
	case err != nil:
		// The save failed (a read-only folder, a full disk, a keychain
		// gone). The issuer may have spent the old refresh token already,
		// so the new credential is the only working one: go on with it
		// here, and save it at the next refresh.
		s.opts.Logger.Error("the refreshed credential could not be saved; makemcp keeps using it and will try again, but other makemcp processes may need makemcp login",
			"profile", s.opts.Profile, "error", err)
	case verdict == nil && next != seen:
		s.opts.Logger.Info("refreshed the access token", "profile", s.opts.Profile, "expiry", next.Expiry)
	}
	saved := seen
	if err == nil {
		saved = next
	}
	if verdict != nil {
		s.held, s.stored = next, tokensOf(saved)
		if s.usable(next) {
			// Still valid: use it until it expires.
			return s.keep(next, saved), nil
		}
		s.setCache(nil)
		return nil, verdict
	}
	c := s.keep(next, saved)
	if forced && next != seen {
		s.mu.Lock()
		s.forced = next.AccessToken
		s.mu.Unlock()
	}
	return c, nil
}

// refresh asks the issuer for a new access token with cred's refresh
// token and returns the updated credential.
func (s *Source) refresh(ctx context.Context, cred *keychain.Credential) (*keychain.Credential, error) {
	issuer := cred.Issuer
	if issuer == "" {
		issuer = DefaultIssuer
	}
	e, err := s.endpointsOf(ctx, issuer)
	if err != nil {
		return nil, err
	}
	conf := oauthConfig(e, cred.ClientID, cred.ClientSecret)
	ctx = context.WithValue(ctx, oauth2.HTTPClient, noRedirects(s.opts.HTTPClient))
	tok, err := conf.TokenSource(ctx, &oauth2.Token{RefreshToken: cred.RefreshToken}).Token()
	if err != nil {
		if isTimeout(err) {
			// The request may have reached the issuer, which rotates the
			// refresh token whether or not its answer arrives.
			s.unanswered = cred.RefreshToken
			return nil, withCause(issuer+" did not answer the refresh", errNoAnswer)
		}
		return nil, err
	}
	next := *cred
	applyToken(&next, tok, s.now())
	next.RefreshRejected = false
	return &next, nil
}

// errNoAnswer means a token request got no answer in time: the issuer
// may or may not have acted on it.
var errNoAnswer = errors.New("no answer from the issuer")

func isTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, context.DeadlineExceeded) || errors.As(err, &ne) && ne.Timeout()
}

func (s *Source) endpointsOf(ctx context.Context, issuer string) (*Endpoints, error) {
	s.mu.Lock()
	e := s.endpoints[issuer]
	s.mu.Unlock()
	if e != nil {
		return e, nil
	}
	e, err := Discover(ctx, s.opts.HTTPClient, issuer)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.endpoints[issuer] = e
	s.mu.Unlock()
	return e, nil
}

// rejection sorts a refresh failure: an issuer that rejects the refresh
// token (invalid_grant, or any other OAuth error in a 4xx answer) ends
// the session, and rejection returns the error that says so; everything
// else may pass, and rejection returns nil.
func (s *Source) rejection(cred *keychain.Credential, err error) error {
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) || re.Response == nil || !isFinal(re.Response.StatusCode, re.ErrorCode) {
		return nil
	}
	s.opts.Logger.Warn("the issuer rejected the refresh token", "profile", s.opts.Profile, "error", tokenError(err))
	switch {
	case s.unanswered != "" && s.unanswered == cred.RefreshToken:
		return withCause(fmt.Sprintf("session expired: the issuer spent the refresh token on an earlier refresh whose answer did not come within %s, then refused it (%s): run makemcp login",
			s.opts.RefreshTimeout, tokenError(err)), ErrSessionExpired)
	case re.ErrorCode == "invalid_grant":
		return ErrSessionExpired
	}
	return withCause(fmt.Sprintf("the issuer rejected the refresh (%s): %s", tokenError(err), ErrSessionExpired), ErrSessionExpired)
}

func isFinal(status int, code string) bool {
	if status >= 500 || status == http.StatusTooManyRequests || status == http.StatusRequestTimeout {
		return false
	}
	return status >= 400 && code != ""
}

// retryDelay is how long a still-valid token is handed out after a
// transient refresh failure before the next attempt, so that an issuer
// that is down is not asked again on every call.
const retryDelay = 5 * time.Second

// transient handles a failure that may pass: the stored credential stays
// as it is, a token that has not expired yet is still handed out (for a
// few seconds before the next attempt), and otherwise the caller learns
// that the next call tries again.
func (s *Source) transient(err error) (*cached, error) {
	s.opts.Logger.Warn("refresh failed; will retry", "profile", s.opts.Profile, "error", tokenError(err))
	now := s.now()
	if cred := s.held; cred != nil && cred.Kind == keychain.OAuth && !s.isRefused(cred.AccessToken) && (cred.Expiry.IsZero() || now.Before(cred.Expiry)) {
		c := newCached(cred)
		c.useUntil = now.Add(retryDelay)
		if !cred.Expiry.IsZero() && cred.Expiry.Before(c.useUntil) {
			c.useUntil = cred.Expiry
		}
		s.setCache(c)
		return c, nil
	}
	if errors.Is(err, errNoAnswer) {
		return nil, withCause(fmt.Sprintf("%s: %s within %s, and may have rotated the refresh token all the same; the next call tries again, and if it says the session expired, run makemcp login",
			ErrRefreshFailed, oneLine(err.Error()), s.opts.RefreshTimeout), ErrRefreshFailed)
	}
	return nil, withCause(fmt.Sprintf("%s (will retry on the next call): %s", ErrRefreshFailed, tokenError(err)), ErrRefreshFailed)
}

// expired is the error for a credential that needs a refresh it cannot
// have.
func (s *Source) expired(cred *keychain.Credential) error {
	if cred.RefreshRejected && s.unanswered != "" && s.unanswered == cred.RefreshToken {
		return withCause(fmt.Sprintf("session expired: the issuer spent the refresh token on a refresh whose answer did not come within %s: run makemcp login", s.opts.RefreshTimeout), ErrSessionExpired)
	}
	return ErrSessionExpired
}

// load reads the stored credential.
func (s *Source) load(ctx context.Context) (*keychain.Credential, error) {
	cred, err := s.opts.Store.Load(ctx, s.opts.Profile)
	if errors.Is(err, keychain.ErrNotFound) {
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

// newest is the credential to go on with: the stored one, unless the
// store still holds what this process last saw there while this process
// holds a newer one it could not save.
func (s *Source) newest(stored *keychain.Credential) *keychain.Credential {
	if s.held != nil && tokensOf(stored) == s.stored && tokensOf(stored) != tokensOf(s.held) {
		return s.held
	}
	return stored
}

// usable reports whether cred can be handed out now without a refresh.
// A token Make refused needs one, unless it is itself the product of a
// refresh for a refusal (see Invalidate).
func (s *Source) usable(cred *keychain.Credential) bool {
	if cred.Kind == keychain.APIToken {
		return true
	}
	s.mu.Lock()
	refused := s.refused != "" && s.refused == cred.AccessToken && s.forced != cred.AccessToken
	s.mu.Unlock()
	return !refused && newCached(cred).fresh(s.now())
}

func (s *Source) isRefused(accessToken string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.refused != "" && s.refused == accessToken
}

// keep makes cred the one Token hands out, derived from the stored
// credential stored.
func (s *Source) keep(cred, stored *keychain.Credential) *cached {
	s.held, s.stored = cred, tokensOf(stored)
	c := newCached(cred)
	s.setCache(c)
	return c
}

// forget drops everything known: the credential is gone.
func (s *Source) forget() {
	s.held, s.stored = nil, tokens{}
	s.setCache(nil)
}

func (s *Source) setCache(c *cached) { s.cur.Store(c) }
