package tools

import (
	"context"

	"github.com/makemcp/makemcp/makeapi"
	"github.com/makemcp/makemcp/makeapi/scope"
)

// The account toolset: who the user is, and the organizations and teams
// everything else hangs from.

func accountTools() []Tool {
	return []Tool{usersMe, organizationsList, organizationsGet, teamsList, teamsGet}
}

// me is the result of users_me.
type me struct {
	User makeapi.User `json:"user"`
	// AuthUsed and Scopes describe the credential in use.
	AuthUsed string   `json:"authUsed,omitempty" jsonschema:"How the credential authenticates, as Make reports it."`
	Scopes   []string `json:"scopes" jsonschema:"The scopes the credential has; tools needing others fail with a missing-scope error."`
	// DefaultOrganizationID and DefaultTeamID are what tools use when a
	// call omits them.
	DefaultOrganizationID int64 `json:"defaultOrganizationId,omitempty" jsonschema:"The organization tools use when organizationId is omitted."`
	DefaultTeamID         int64 `json:"defaultTeamId,omitempty" jsonschema:"The team tools use when teamId is omitted."`
}

var usersMe = define(meta{
	Name:        "users_me",
	Title:       "Get current user",
	Description: "Get the user makemcp is logged in as, the scopes the credential grants, and the default organization and team that tools use when their ids are omitted. Call it first when unsure which account or team you are working in.",
	Toolset:     Account, Scope: "", Kind: Read,
},
	func(ctx context.Context, c *Call, _ struct{}) (me, error) {
		u, err := c.Client.Me(ctx)
		if err != nil {
			return me{}, err
		}
		a, err := c.Client.CurrentAuthorization(ctx)
		if err != nil {
			return me{}, err
		}
		d := c.defaults(ctx)
		return me{User: *u, AuthUsed: a.AuthUsed, Scopes: nonNil(a.Scopes),
			DefaultOrganizationID: d.OrganizationID, DefaultTeamID: d.TeamID}, nil
	})

var organizationsList = define(meta{
	Name:        "organizations_list",
	Title:       "List organizations",
	Description: "List the organizations the user belongs to, each with its id, name and zone (the Make region that hosts it). Use it to find an organizationId for teams_list.",
	Toolset:     Account, Scope: scope.OrganizationsRead, Kind: Read,
},
	func(ctx context.Context, c *Call, in Paging) (List[makeapi.Organization], error) {
		orgs, err := c.Client.Organizations(ctx)
		if err != nil {
			return List[makeapi.Organization]{}, err
		}
		return newList(window(orgs, in), in, same), nil
	})

// organizationID is the argument of tools about one organization.
type organizationID struct {
	OrganizationID int64 `json:"organizationId,omitempty" default:"organization" jsonschema:"The organization's id. Omit it to use the default organization."`
}

var organizationsGet = endpointTool[organizationID, makeapi.Organization](endpoint{
	Name: "organizations_get", Title: "Get organization", Toolset: Account, Scope: scope.OrganizationsRead, Kind: Read,
	Description: "Get an organization: its zone, plan limits (operations, API requests per minute, data store size) and teams.",
	Method:      "GET", Path: "/organizations/{organizationId}", Answer: "organization",
})

// teamsListArgs are the arguments of teams_list.
type teamsListArgs struct {
	OrganizationID       int64 `json:"organizationId,omitempty" default:"organization" jsonschema:"The organization whose teams to list. Omit it to use the default organization."`
	IncludePrivateSpaces bool  `json:"includePrivateSpaces,omitempty" jsonschema:"Also list the members' private spaces."`
	Paging
}

var teamsList = listTool[teamsListArgs, makeapi.Team](endpoint{
	Name: "teams_list", Title: "List teams", Toolset: Account, Scope: scope.TeamsRead, Kind: Read,
	Description: "List the teams of an organization. Scenarios, connections, webhooks and data stores belong to a team: use this to find the teamId other tools take.",
	Method:      "GET", Path: "/teams?cols[]=*", Answer: "teams", Pages: true,
})

// teamID is the argument of tools about one team.
type teamID struct {
	TeamID int64 `json:"teamId,omitempty" default:"team" jsonschema:"The team's id. Omit it to use the default team."`
}

var teamsGet = endpointTool[teamID, makeapi.Team](endpoint{
	Name: "teams_get", Title: "Get team", Toolset: Account, Scope: scope.TeamsRead, Kind: Read,
	Description: "Get a team by id: its name and organization.",
	Method:      "GET", Path: "/teams/{teamId}", Answer: "team",
})

// window returns the page of a list that was fetched whole, plus the
// item after it so that newList can tell whether there is more.
func window[T any](all []T, p Paging) []T {
	start := min(max(p.Offset, 0), len(all))
	end := min(start+p.limit()+1, len(all))
	return all[start:end]
}

// nonNil makes a nil slice an empty one, so that a list in a result is
// never null.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
