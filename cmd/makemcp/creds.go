package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/makemcp/makemcp/auth"
	"github.com/makemcp/makemcp/internal/config"
	"github.com/makemcp/makemcp/keychain"
	"github.com/makemcp/makemcp/makeapi"
	"golang.org/x/oauth2"
)

// Storage names as the config file records them.
const (
	storageKeychain = "keychain"
	storageFile     = "file"
)

// apiToken is MAKE_API_TOKEN, which bypasses any stored credential.
func (a *App) apiToken() string { return strings.TrimSpace(a.Getenv("MAKE_API_TOKEN")) }

// store returns where the profile's credential lives: MAKE_API_TOKEN when
// set, else the file store if the profile was logged in with
// --insecure-storage, else the OS keychain with the given timeout per call.
func (a *App) store(timeout time.Duration) keychain.Store {
	if t := a.apiToken(); t != "" {
		return keychain.NewEnv(t)
	}
	return a.savedStore(timeout)
}

// savedStore is the store of the profile's saved credential, ignoring
// MAKE_API_TOKEN (login and logout work on the saved one).
func (a *App) savedStore(timeout time.Duration) keychain.Store {
	if a.Settings.Config.Storage == storageFile {
		return keychain.NewFile(a.Settings.ConfigDir)
	}
	return a.Keyring(timeout)
}

// tokenSource hands out valid access tokens for the profile, refreshing
// them as needed. Before the program exits, it waits for any refresh these sources have
// under way, so that a signal never kills a rotation between the issuer's
// answer and the save.
func (a *App) tokenSource(store keychain.Store) *auth.Source {
	src := auth.NewSource(auth.SourceOptions{
		Store:   store,
		Profile: a.Settings.Profile,
		LockDir: a.Settings.ConfigDir,
		Logger:  a.Logger,
	})
	a.closers = append(a.closers, func() error {
		src.Wait(auth.DefaultRefreshTimeout)
		return nil
	})
	return src
}

// makeClient returns a Make API client for the profile's zone.
func (a *App) makeClient(tokens makeapi.TokenSource) (*makeapi.Client, error) {
	c, err := makeapi.New(makeapi.Options{
		Zone:      a.Settings.Zone,
		Tokens:    tokens,
		UserAgent: "makemcp/" + buildVersion().Version,
		Logger:    a.Logger,
	})
	if err != nil {
		return nil, fmt.Errorf("--zone: %w", err)
	}
	return c, nil
}

// staticToken is a token source for a credential that needs no refresh:
// the one login has just obtained, or an API token.
type staticToken struct{ tok *oauth2.Token }

func (s staticToken) Token(context.Context) (*oauth2.Token, error) { return s.tok, nil }

func credentialToken(c *keychain.Credential) staticToken {
	typ := "Bearer"
	if c.Kind == keychain.APIToken {
		typ = "Token"
	}
	return staticToken{&oauth2.Token{AccessToken: c.AccessToken, TokenType: typ, Expiry: c.Expiry}}
}

// loadCredential reads the profile's credential, turning "none stored"
// into the message that says how to log in.
func loadCredential(ctx context.Context, s keychain.Store, profile string) (*keychain.Credential, error) {
	c, err := s.Load(ctx, profile)
	if errors.Is(err, keychain.ErrNotFound) {
		return nil, fmt.Errorf("%w (profile %q)", auth.ErrNotLoggedIn, profile)
	}
	return c, err
}

// account is who a credential belongs to and where, as Make says.
type account struct {
	user   *makeapi.User
	scopes []string
	orgs   []makeapi.Organization
}

// identify asks Make whose credential this is, what it may do and which
// organizations it reaches.
func identify(ctx context.Context, c *makeapi.Client) (*account, error) {
	u, err := c.Me(ctx)
	if err != nil {
		return nil, err
	}
	a := &account{user: u}
	// The granted scopes matter (serve hides tools the credential cannot
	// use), but an answer other than "not authenticated" is no reason to
	// refuse a login: the token response may have listed them already.
	authz, err := c.CurrentAuthorization(ctx)
	switch {
	case err == nil:
		a.scopes = authz.Scopes
	case makeapi.IsUnauthorized(err) || !isAPIError(err):
		return nil, err
	}
	if a.orgs, err = c.Organizations(ctx); err != nil {
		return nil, err
	}
	return a, nil
}

func isAPIError(err error) bool {
	var e *makeapi.Error
	return errors.As(err, &e)
}

func (a *account) configUser() *config.User {
	return &config.User{ID: a.user.ID, Name: a.user.Name, Email: a.user.Email}
}

func (a *account) configOrgs() []config.Organization {
	out := make([]config.Organization, len(a.orgs))
	for i, o := range a.orgs {
		out[i] = config.Organization{ID: o.ID, Name: o.Name, Zone: o.Zone}
	}
	return out
}

// httpClient is used for OAuth requests; every request has a deadline.
var httpClient = &http.Client{Timeout: 30 * time.Second}
