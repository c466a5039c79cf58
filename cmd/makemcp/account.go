package main

import (
	"context"
	"errors"
	"net/url"
	"strings"

	"github.com/makemcp/makemcp/internal/config"
	"github.com/makemcp/makemcp/keychain"
	"github.com/makemcp/makemcp/makeapi"
)

// account is who a credential belongs to and where, as Make says: login
// asks when it stores a credential, status when the credential is
// MAKE_API_TOKEN, which nothing was saved about.
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

// credentialToken is a token source for a credential that needs no
// refresh: the one login has just obtained, or an API token.
func credentialToken(c *keychain.Credential) makeapi.TokenSource {
	if c.Kind == keychain.APIToken {
		return makeapi.StaticToken(c.AccessToken, "Token")
	}
	return makeapi.StaticToken(c.AccessToken, "Bearer")
}

// zoneHost is the host of a zone given as a host or a base URL.
func zoneHost(zone string) string {
	if u, err := url.Parse(zone); err == nil && u.Host != "" {
		return u.Host
	}
	return zone
}

// sameHost reports whether a zone host reported by Make is the host of
// the configured zone (port included).
func sameHost(reported, configured string) bool {
	return strings.EqualFold(zoneHost(reported), zoneHost(configured))
}
