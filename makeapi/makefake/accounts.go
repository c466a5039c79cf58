package makefake

// Users, organizations and teams.

func (s *Server) getMe(c *call) (any, *apiError) {
	return obj{"authUser": c.w.user}, nil
}

func (s *Server) getCurrentAuthorization(c *call) (any, *apiError) {
	used := "token"
	if c.p.scheme == OAuth {
		used = "oauth"
	}
	scopes := c.p.scopes
	if scopes == nil {
		scopes = []string{}
	}
	return obj{"authorization": obj{"authUsed": used, "scope": scopes}}, nil
}

// organizationCols are the columns GET /organizations returns when cols[]
// asks for none: Make's listing leaves out the zone (its fixture has none),
// which is why clients ask for cols[]=zone.
var organizationCols = []string{"id", "name", "timezoneId", "privateSpaces"}

// organization is an organization as answered to this request: with its
// zone named for the host the request came to, and its teams.
func (c *call) organization(o obj) obj {
	out := clone(o)
	id := num(o["id"])
	out["zone"] = c.s.zoneName(c.w.zoneOfOrg(id), c.host)
	out["teams"] = c.w.teamsOf(id)
	return out
}

// listOrganizations answers for every organization of the user, whatever
// zone the request came to, as Make's zone discovery does.
func (s *Server) listOrganizations(c *call) (any, *apiError) {
	var all []obj
	for _, o := range c.w.orgs.list(nil) {
		all = append(all, c.organization(o))
	}
	items, pg, err := c.page(all, "name", "asc", s.opts.MaxPageSize)
	if err != nil {
		return nil, err
	}
	return obj{"organizations": projectAll(items, c.cols(organizationCols)), "pg": pg}, nil
}

func (s *Server) getOrganization(c *call) (any, *apiError) {
	id, err := c.pathID("id", "Organization")
	if err != nil {
		return nil, err
	}
	o := c.w.orgs.get(id)
	if o == nil || c.w.zoneOfOrg(id) != c.zone {
		return nil, errNotFound("Organization")
	}
	return obj{"organization": c.organization(o)}, nil
}

func (s *Server) listTeams(c *call) (any, *apiError) {
	orgID, err := c.queryID("organizationId")
	if err != nil {
		return nil, err
	}
	if orgID == 0 {
		return nil, errBadRequest("Validation failed.", "Missing value of required parameter 'organizationId'.")
	}
	if err := c.orgHere(orgID); err != nil {
		return nil, err
	}
	teams := c.w.teams.list(func(t obj) bool { return num(t["organizationId"]) == orgID })
	items, pg, err := c.page(teams, "name", "asc", s.opts.MaxPageSize)
	if err != nil {
		return nil, err
	}
	return obj{"teams": projectAll(items, c.cols(nil)), "pg": pg}, nil
}

func (s *Server) getTeam(c *call) (any, *apiError) {
	id, err := c.pathID("id", "Team")
	if err != nil {
		return nil, err
	}
	t := c.w.teams.get(id)
	if t == nil || c.w.zoneOfTeam(id) != c.zone {
		return nil, errNotFound("Team")
	}
	return obj{"team": project(t, c.cols(nil))}, nil
}
