package makeapi

import (
	"context"
	"net/url"
)

// Organization is a Make organization. Organizations lists only ID, Name
// and Zone; GetOrganization fills the rest.
type Organization struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
	// Zone is the host of the zone the organization lives in, such as
	// "us1.make.com".
	Zone        string    `json:"zone,omitempty"`
	TimezoneID  int64     `json:"timezoneId,omitempty"`
	CountryID   int64     `json:"countryId,omitempty"`
	ServiceName string    `json:"serviceName,omitempty"`
	IsPaused    bool      `json:"isPaused,omitempty"`
	License     *License  `json:"license,omitempty"`
	Teams       []TeamRef `json:"teams,omitempty"`
}

// License holds the limits of an organization's plan that tools report.
type License struct {
	// APILimit is the organization's API request limit per minute.
	APILimit int `json:"apiLimit,omitempty"`
	// Operations and Transfer are the plan's monthly allowance.
	Operations int64 `json:"operations,omitempty"`
	Transfer   int64 `json:"transfer,omitempty"`
	Users      int   `json:"users,omitempty"`
	// DataStores is the most data store records ("dslimit"), and
	// DataStoreBytes their total size ("dsslimit").
	DataStores     int64 `json:"dslimit,omitempty"`
	DataStoreBytes int64 `json:"dsslimit,omitempty"`
	// FileBytes is the file storage limit ("fslimit").
	FileBytes int64 `json:"fslimit,omitempty"`
	// Interval is the shortest scheduling interval, in minutes.
	Interval int `json:"interval,omitempty"`
}

// TeamRef names a team.
type TeamRef struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// Organizations lists every organization of the user, each with its zone:
// GET /organizations?cols[]=id&cols[]=name&cols[]=zone, all pages. Any
// zone answers for all of them. The client remembers each organization's
// zone for routing.
func (c *Client) Organizations(ctx context.Context) ([]Organization, error) {
	var orgs []Organization
	for o, err := range all(ctx, c.listOrganizations) {
		if err != nil {
			return nil, err
		}
		orgs = append(orgs, o)
	}
	c.zones.setOrganizations(orgs, true)
	return orgs, nil
}

var organizationCols = []string{"id", "name", "zone"}

func (c *Client) listOrganizations(ctx context.Context, p Page) ([]Organization, PageInfo, error) {
	q := url.Values{"cols[]": organizationCols}
	setPage(q, p)
	var out struct {
		Organizations []Organization `json:"organizations"`
		Pg            PageInfo       `json:"pg"`
	}
	err := c.do(ctx, &call{method: "GET", path: "/organizations", query: q, out: &out})
	return out.Organizations, out.Pg, err
}

// GetOrganization returns an organization with its plan and teams:
// GET /organizations/{id}, at the organization's zone.
func (c *Client) GetOrganization(ctx context.Context, id int64) (*Organization, error) {
	var out struct {
		Organization Organization `json:"organization"`
	}
	err := c.do(ctx, &call{method: "GET", path: idPath("/organizations", id, ""), route: byOrg(id), out: &out})
	if err != nil {
		return nil, err
	}
	c.zones.setOrganizations([]Organization{out.Organization}, false)
	return &out.Organization, nil
}
