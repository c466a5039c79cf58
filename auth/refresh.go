package auth

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/makemcp/makemcp/keychain"
	"golang.org/x/oauth2"
)

// refreshShared refreshes under the profile's cross-process lock. Inside
// it the stored credential is the truth: another process may have
// refreshed (use its token) or rotated the refresh token (refresh with
// the new one, since the old one is spent).
func (s *Source) refreshShared(known *keychain.Credential) (*cached, error) {
	ctx, cancel := context.WithTimeout(context.Background(), s.opts.RefreshTimeout)
	defer cancel()
	unlock, err := keychain.LockProfile(ctx, s.opts.LockDir, s.opts.Profile)
	if err != nil {
		return s.transient(known, fmt.Errorf("wait for the profile lock: %w", err))
	}
	defer unlock()

	stored, err := s.load(ctx)
	if errors.Is(err, ErrNotLoggedIn) {
		return nil, err
	}
	if err != nil {
		return s.transient(known, err)
	}
	if s.usable(stored) {
		if stored.AccessToken != known.AccessToken {
			s.opts.Logger.Debug("using the access token another makemcp process refreshed", "profile", s.opts.Profile)
		}
		return s.use(stored), nil
	}
	if stored.RefreshToken == "" || s.isSpent(stored.RefreshToken) {
		return nil, ErrSessionExpired
	}

	next, err := s.refresh(ctx, stored)
	if err != nil {
		return s.transientOrFinal(stored, err)
	}
	if err := s.opts.Store.Save(ctx, s.opts.Profile, next); err != nil {
		// The issuer may have spent the old refresh token already, so
		// the new credential is the only working one: use it here, and
		// say loudly that other processes will need a new login.
		s.opts.Logger.Error("the refreshed credential could not be saved; other makemcp processes may need makemcp login",
			"profile", s.opts.Profile, "error", err)
	}
	s.opts.Logger.Info("refreshed the access token", "profile", s.opts.Profile, "expiry", next.Expiry)
	return s.use(next), nil
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
	ctx = context.WithValue(ctx, oauth2.HTTPClient, s.opts.HTTPClient)
	tok, err := conf.TokenSource(ctx, &oauth2.Token{RefreshToken: cred.RefreshToken}).Token()
	if err != nil {
		return nil, err
	}
	next := *cred
	applyToken(&next, tok, s.now())
	return &next, nil
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

// transientOrFinal sorts a refresh failure: an issuer that rejects the
// refresh token (invalid_grant, or any other OAuth error in a 4xx
// answer) ends the session; everything else may pass.
func (s *Source) transientOrFinal(cred *keychain.Credential, err error) (*cached, error) {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) && re.Response != nil && isFinal(re.Response.StatusCode, re.ErrorCode) {
		s.opts.Logger.Warn("the issuer rejected the refresh token", "profile", s.opts.Profile, "error", tokenError(err))
		// Remember it, so that later calls fail at once instead of
		// asking the issuer again with a token it already refused.
		s.mu.Lock()
		s.spent = cred.RefreshToken
		s.mu.Unlock()
		if re.ErrorCode == "invalid_grant" {
			return nil, ErrSessionExpired
		}
		return nil, withCause(fmt.Sprintf("the issuer rejected the refresh (%s): %s", tokenError(err), ErrSessionExpired), ErrSessionExpired)
	}
	return s.transient(cred, err)
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
func (s *Source) transient(cred *keychain.Credential, err error) (*cached, error) {
	s.opts.Logger.Warn("refresh failed; will retry", "profile", s.opts.Profile, "error", tokenError(err))
	now := s.now()
	if cred.Kind == keychain.OAuth && !s.isRejected(cred.AccessToken) && (cred.Expiry.IsZero() || now.Before(cred.Expiry)) {
		c := newCached(cred)
		c.useUntil = now.Add(retryDelay)
		if !cred.Expiry.IsZero() && cred.Expiry.Before(c.useUntil) {
			c.useUntil = cred.Expiry
		}
		s.cur.Store(c)
		return c, nil
	}
	return nil, withCause(fmt.Sprintf("%s (will retry on the next call): %s", ErrRefreshFailed, tokenError(err)), ErrRefreshFailed)
}

func (s *Source) isRejected(accessToken string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.rejected != "" && s.rejected == accessToken
}

func (s *Source) isSpent(refreshToken string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.spent != "" && s.spent == refreshToken
}
