package makeapi

import (
	"context"
	"errors"
	"iter"
	"net/url"
)

// Team is a team of an organization; scenarios, connections, hooks and
// data stores belong to teams.
type Team struct {
	ID             int64  `json:"id"`
	Name           string `json:"name"`
	OrganizationID int64  `json:"organizationId"`
	// OperationsLimit is the team's share of the organization's
	// operations, 0 when unlimited.
	OperationsLimit int64 `json:"operationsLimit,omitempty"`
}

// TeamQuery selects the teams to list.
type TeamQuery struct {
	// OrganizationID is required.
	OrganizationID int64
	// Cols selects columns; empty asks for all.
	Cols []string
}

// ListTeams lists one page of an organization's teams:
// GET /teams?organizationId=, at the organization's zone.
func (c *Client) ListTeams(ctx context.Context, q TeamQuery, p Page) ([]Team, PageInfo, error) {
	if q.OrganizationID == 0 {
		return nil, PageInfo{}, errors.New("makeapi: list teams: an organization id is required")
	}
	v := url.Values{}
	setID(v, "organizationId", q.OrganizationID)
	setCols(v, q.Cols)
	setPage(v, p)
	var out struct {
		Teams []Team   `json:"teams"`
		Pg    PageInfo `json:"pg"`
	}
	if err := c.do(ctx, &call{method: "GET", path: "/teams", query: v, route: byOrg(q.OrganizationID), out: &out}); err != nil {
		return nil, PageInfo{}, err
	}
	for _, t := range out.Teams {
		c.zones.learnTeam(t.ID, cmpOr(t.OrganizationID, q.OrganizationID))
	}
	return out.Teams, out.Pg, nil
}

// AllTeams iterates over all of an organization's teams.
func (c *Client) AllTeams(ctx context.Context, q TeamQuery) iter.Seq2[Team, error] {
	return all(ctx, func(ctx context.Context, p Page) ([]Team, PageInfo, error) { return c.ListTeams(ctx, q, p) })
}
