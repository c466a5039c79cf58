package main

import (
	"cmp"
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
)

// Storage names as the config file records them.
const (
	storageKeychain = "keychain"
	storageFile     = "file"
)

// apiToken is MAKE_API_TOKEN, which bypasses any stored credential.
func (a *App) apiToken() string { return strings.TrimSpace(a.Getenv("MAKE_API_TOKEN")) }

// store returns where the profile's credential is read from:
// MAKE_API_TOKEN when set, else where the profile saved it (savedStore),
// with the given timeout per keychain call.
func (a *App) store(timeout time.Duration) keychain.Store {
	if t := a.apiToken(); t != "" {
		return keychain.NewEnv(t)
	}
	return a.savedStore(a.Settings.Config.Storage, timeout)
}

// savedStore is the store of a credential saved with the given storage:
// the file store for "file" (login --insecure-storage), else the OS
// keychain with the given timeout per call. Every command picks its store
// here: login with the storage its flags ask for, logout and the others
// with the one the profile's settings record.
func (a *App) savedStore(storage string, timeout time.Duration) keychain.Store {
	if storage == storageFile {
		return keychain.NewFile(a.Settings.ConfigDir)
	}
	return a.Keyring(timeout)
}

// savedStores are every store a profile's credential may have been saved
// in, always in the same order, so that processes taking their locks one
// after the other never wait on each other in a circle. Login and logout
// clear the profile in all of them: switching storage must leave no
// secret behind.
func (a *App) savedStores(timeout time.Duration) []keychain.Store {
	return []keychain.Store{a.savedStore(storageKeychain, timeout), a.savedStore(storageFile, timeout)}
}

// lockWait bounds the wait for a profile's locks: the longest holder, a
// refresh, gives them back within its 30 s timeout.
const lockWait = time.Minute

// lockAll takes the profile's lock in each store, in order, and returns
// the function that releases them all.
func lockAll(ctx context.Context, stores []keychain.Store, profile string) (unlock func(), err error) {
	ctx, cancel := context.WithTimeout(ctx, lockWait)
	defer cancel()
	var unlocks []func()
	unlock = func() {
		for i := len(unlocks) - 1; i >= 0; i-- {
			unlocks[i]()
		}
	}
	for _, s := range stores {
		u, err := keychain.Lock(ctx, s, profile)
		if err != nil {
			unlock()
			return nil, err
		}
		unlocks = append(unlocks, u)
	}
	return unlock, nil
}

// tokenSource hands out valid access tokens for the profile, refreshing
// them as needed. Before the program exits, it waits for any refresh these sources have
// under way, so that a signal never kills a rotation between the issuer's
// answer and the save.
func (a *App) tokenSource(store keychain.Store) *auth.Source {
	src := auth.NewSource(auth.SourceOptions{
		Store:   store,
		Profile: a.Settings.Profile,
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
		Zone:         a.Settings.Zone,
		AllowedHosts: a.Settings.AllowedHosts,
		Tokens:       tokens,
		UserAgent:    "makemcp/" + buildVersion().Version,
		Logger:       a.Logger,
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", cmp.Or(a.Settings.ZoneFrom, "zone"), err)
	}
	return c, nil
}

// credentialToken is a token source for a credential that needs no
// refresh: the one login has just obtained, or an API token.
func credentialToken(c *keychain.Credential) makeapi.TokenSource {
	if c.Kind == keychain.APIToken {
		return makeapi.StaticToken(c.AccessToken, "Token")
	}
	return makeapi.StaticToken(c.AccessToken, "Bearer")
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
