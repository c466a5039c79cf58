package main

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/makemcp/makemcp/internal/config"
	"github.com/makemcp/makemcp/makeapi"
	"github.com/makemcp/makemcp/makeapi/scope"
)

// The organization and team tools use when a call omits them, as login
// chooses them for a profile and serve for MAKE_API_TOKEN.

// chooseDefaults picks the profile's default organization and team, and
// the zone of that organization. It returns notes for the user where the
// choice was not the only one possible, or not made.
//
// The team is --team; else, when the credential may list teams, the
// organization's only or first team; else the organization's teams as
// Make tells them with the organization, the only one, or the one the
// person at the terminal picks.
func chooseDefaults(ctx context.Context, o *loginOptions, c *makeapi.Client, who *account, p *config.Profile) ([]string, error) {
	var notes []string
	switch {
	case o.org != 0:
		if who.orgs != nil && !slices.ContainsFunc(who.orgs, func(org makeapi.Organization) bool { return org.ID == o.org }) {
			return nil, fmt.Errorf("organization %d is not one of this account's (%s): pass one of those to --org", o.org, orgList(who.orgs))
		}
		p.Organization = o.org
	case len(who.orgs) > 1:
		p.Organization = who.orgs[0].ID
		notes = append(notes, fmt.Sprintf("Default organization: %s (%d), the first of %d; pick another with login --org or serve --org.", who.orgs[0].Name, who.orgs[0].ID, len(who.orgs)))
	case len(who.orgs) == 1:
		p.Organization = who.orgs[0].ID
	case who.orgs != nil:
		return append(notes, "Note: this account has no organizations yet; tools will need organizationId and teamId."), nil
	}
	if i := slices.IndexFunc(who.orgs, func(org makeapi.Organization) bool { return org.ID == p.Organization }); i >= 0 {
		if z := who.orgs[i].Zone; z != "" && !sameHost(z, p.Zone) {
			p.Zone = z
		}
	}
	if o.team != 0 {
		p.Team = o.team
		return notes, nil
	}

	var teams []makeapi.TeamRef
	listed := false // teams holds every team of the organization
	if p.Organization != 0 && who.may(scope.TeamsRead) {
		var err error
		teams, err = orgTeams(ctx, c, p.Organization)
		switch {
		case makeapi.IsForbidden(err):
			who.lacks = append(who.lacks, scope.TeamsRead)
			fmt.Fprintln(o.IO.Err, lackWarning(scope.TeamsRead, who.scopes))
		case err != nil:
			return append(notes, "Note: could not list the organization's teams ("+err.Error()+"); tools will need teamId, or serve --team."), nil
		default:
			listed = true
		}
	}
	if !listed && p.Organization != 0 && who.may(scope.OrganizationsRead) {
		// Make names an organization's teams with the organization,
		// which needs organizations:read only.
		if org, err := c.GetOrganization(ctx, p.Organization); err == nil {
			teams = org.Teams
		}
	}
	switch {
	case len(teams) == 1:
		p.Team = teams[0].ID
	case listed && len(teams) > 1:
		p.Team = teams[0].ID
		notes = append(notes, fmt.Sprintf("Default team: %s (%d), the first of %d; pick another with login --team or serve --team.", teams[0].Name, teams[0].ID, len(teams)))
	case listed:
	default:
		id, err := askTeam(ctx, o, teams)
		if err != nil {
			return nil, err
		}
		p.Team = id
		if id == 0 {
			notes = append(notes, "Note: no default team; tools will need teamId, or log in again with --team ID.")
		}
	}
	return notes, nil
}

// orgTeams lists every team of the organization.
func orgTeams(ctx context.Context, c *makeapi.Client, orgID int64) ([]makeapi.TeamRef, error) {
	var teams []makeapi.TeamRef
	for t, err := range c.AllTeams(ctx, makeapi.TeamQuery{OrganizationID: orgID}) {
		if err != nil {
			return nil, err
		}
		teams = append(teams, makeapi.TeamRef{ID: t.ID, Name: t.Name})
	}
	return teams, nil
}

// askTeam asks the person at the terminal for the default team, among
// teams when Make named some. No terminal, or no answer, is no team.
func askTeam(ctx context.Context, o *loginOptions, teams []makeapi.TeamRef) (int64, error) {
	if o.Prompter == nil {
		return 0, nil
	}
	if len(teams) > 0 {
		fmt.Fprintf(o.IO.Err, "The organization's teams: %s.\n", teamList(teams))
	}
	for range 3 {
		answer, err := o.Prompter.Line(ctx, "Default team for tools (its id; Enter for none): ")
		if err != nil {
			return 0, fmt.Errorf("read the team: %w: run makemcp login again, or with --team ID", err)
		}
		answer = strings.TrimSpace(answer)
		if answer == "" {
			return 0, nil
		}
		id, err := strconv.ParseInt(answer, 10, 64)
		if err == nil && id > 0 && (len(teams) == 0 || slices.ContainsFunc(teams, func(t makeapi.TeamRef) bool { return t.ID == id })) {
			return id, nil
		}
		// The answer is not repeated: it may be a token pasted again.
		if len(teams) > 0 {
			fmt.Fprintf(o.IO.Err, "That is not one of the teams: type one of the ids %s, or press Enter.\n", teamIDs(teams))
		} else {
			fmt.Fprintln(o.IO.Err, "That is not a team id: type a number, such as 123, or press Enter.")
		}
	}
	return 0, fmt.Errorf("no team chosen: run makemcp login --team ID")
}

// teamList names teams as "Operations (3001), Sales (3002)".
func teamList(teams []makeapi.TeamRef) string {
	names := make([]string, len(teams))
	for i, t := range teams {
		names[i] = fmt.Sprintf("%s (%d)", t.Name, t.ID)
	}
	return strings.Join(names, ", ")
}

// teamIDs lists the teams' ids as "3001, 3002".
func teamIDs(teams []makeapi.TeamRef) string {
	ids := make([]string, len(teams))
	for i, t := range teams {
		ids[i] = strconv.FormatInt(t.ID, 10)
	}
	return strings.Join(ids, ", ")
}

// orgList names organizations as "Acme (2001), Beta (2002)".
func orgList(orgs []makeapi.Organization) string {
	names := make([]string, len(orgs))
	for i, o := range orgs {
		names[i] = fmt.Sprintf("%s (%d)", o.Name, o.ID)
	}
	return strings.Join(names, ", ")
}
