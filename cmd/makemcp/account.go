package main

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/makemcp/makemcp/internal/config"
	"github.com/makemcp/makemcp/keychain"
	"github.com/makemcp/makemcp/makeapi"
	"github.com/makemcp/makemcp/makeapi/scope"
	"github.com/makemcp/makemcp/tools"
)

// account is who a credential belongs to and where, as Make says: login
// asks when it stores a credential, status when the credential is
// MAKE_API_TOKEN, which nothing was saved about.
type account struct {
	// user is nil when Make would not say (a token without user:read).
	user *makeapi.User
	// scopes are nil when Make would not say.
	scopes []string
	orgs   []makeapi.Organization
	// lacks are the scopes makemcp's own questions need (user:read,
	// organizations:read, teams:read) that the credential lacks: it works
	// without them, with less.
	lacks []scope.Scope
}

// identify asks Make whose credential this is, what it may do and which
// organizations it reaches. A credential Make refuses (401) is an error;
// one that lacks the scope of a question (403) is not, and the answer
// lacks that part.
func identify(ctx context.Context, c *makeapi.Client) (*account, error) {
	a := &account{}
	u, err := c.Me(ctx)
	switch {
	case err == nil:
		a.user = u
	case makeapi.IsForbidden(err):
		a.lacks = append(a.lacks, scope.UserRead)
	default:
		return nil, err
	}
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
	if a.may(scope.OrganizationsRead) {
		switch a.orgs, err = c.Organizations(ctx); {
		case makeapi.IsForbidden(err):
			a.lacks = append(a.lacks, scope.OrganizationsRead)
		case err != nil:
			return nil, err
		}
	} else {
		a.lacks = append(a.lacks, scope.OrganizationsRead)
	}
	// Teams are listed later, by whoever needs them.
	if !a.may(scope.TeamsRead) {
		a.lacks = append(a.lacks, scope.TeamsRead)
	}
	return a, nil
}

// may reports whether the credential may have s: it was granted, or the
// granted scopes are unknown and Make has not refused it yet.
func (a *account) may(s scope.Scope) bool {
	return !slices.Contains(a.lacks, s) && (a.scopes == nil || scope.Granted(a.scopes, s))
}

func isAPIError(err error) bool {
	var e *makeapi.Error
	return errors.As(err, &e)
}

func (a *account) configUser() *config.User {
	if a.user == nil {
		return nil
	}
	return &config.User{ID: a.user.ID, Name: a.user.Name, Email: a.user.Email}
}

func (a *account) configOrgs() []config.Organization {
	if a.orgs == nil {
		return nil
	}
	out := make([]config.Organization, len(a.orgs))
	for i, o := range a.orgs {
		out[i] = config.Organization{ID: o.ID, Name: o.Name, Zone: o.Zone}
	}
	return out
}

// lacking says what a credential without s cannot do. Login checks the
// scopes it needs itself; the tools' are the tools serve leaves out.
var lacking = map[scope.Scope]string{
	scope.UserRead:          "makemcp cannot ask whose it is",
	scope.OrganizationsRead: "makemcp cannot list your organizations, so tools need organizationId where they take one",
	scope.TeamsRead:         "makemcp cannot list teams, so it takes the default team from --team, from Make or from you",
}

// lackWarning is the warning for a credential without s: what will not
// work, and how to have it.
func lackWarning(s scope.Scope, granted []string) string {
	msg := fmt.Sprintf("Warning: the token lacks %s: %s", s, lacking[s])
	if left := leftOut(granted)[s]; len(left) > 0 {
		msg += "; serve leaves out " + strings.Join(left, ", ")
	}
	return msg + ". It works without; create a token with the scope to have it all."
}

// leftOut lists, for each scope missing from granted, the tools of the
// default toolsets that serve leaves out for lack of it. Nothing is left
// out when the granted scopes are unknown (nil): Make decides each call.
func leftOut(granted []string) map[scope.Scope][]string {
	all, _ := tools.Select(tools.All(), tools.Selection{})
	kept, _ := tools.Select(tools.All(), tools.Selection{Scopes: granted})
	out := map[scope.Scope][]string{}
	for _, t := range all {
		if !slices.ContainsFunc(kept, func(k tools.Tool) bool { return k.Def.Name == t.Def.Name }) {
			out[t.Scope] = append(out[t.Scope], t.Def.Name)
		}
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

// toolsLeftOut lists, by scope, the tools of the default toolsets that
// serve leaves out for lack of it; none when the scopes are unknown.
func toolsLeftOut(scopes []string) map[string][]string {
	out := map[string][]string{}
	if len(scopes) == 0 {
		return out
	}
	for sc, names := range leftOut(scopes) {
		out[string(sc)] = names
	}
	return out
}
