package makeapi

import (
	"context"
	"net/url"
	"slices"
	"strconv"
	"sync"
)

// Kinds of object, for zone routing, named by the collection of Make's
// API that holds them: a call about /hooks/{id} goes to the zone of the
// hook's team, once an answer has named it.
const (
	organizationKind  = "organizations"
	teamKind          = "teams"
	scenarioKind      = "scenarios"
	hookKind          = "hooks"
	connectionKind    = "connections"
	dataStoreKind     = "data-stores"
	dataStructureKind = "data-structures"
	dlqKind           = "dlqs"
	// atBase sends a call to the base URL in the route's key (team
	// probes).
	atBase = " base"
)

// route says which zone a call goes to: the zone of the object it is
// about, kind and key (its id). The zero route is the configured zone.
type route struct {
	kind string
	key  string
}

func byOrg(id int64) route      { return route{organizationKind, itoa(id)} }
func byTeam(id int64) route     { return route{teamKind, itoa(id)} }
func byScenario(id int64) route { return route{scenarioKind, itoa(id)} }

func itoa(id int64) string { return strconv.FormatInt(id, 10) }

// owner is an object whose team the client has seen.
type owner struct {
	kind, key string
}

// maxLearned bounds the resource→team map; past it the map starts over,
// which costs only a fallback to the configured zone.
const maxLearned = 50_000

// zones is what the client knows about where things live.
type zones struct {
	configured string // base URL of the configured zone
	base       *url.URL

	mu     sync.RWMutex
	orgs   map[int64]string // organization → base URL
	listed bool             // orgs holds every organization of the user
	teams  map[int64]int64  // team → organization
	owners map[owner]int64  // object → team

	// listing holds a token while the organizations are being listed.
	listing chan struct{}
}

func (z *zones) init(base *url.URL) {
	z.base = base
	z.configured = base.String()
	z.orgs = map[int64]string{}
	z.teams = map[int64]int64{}
	z.owners = map[owner]int64{}
	z.listing = make(chan struct{}, 1)
}

// setOrganizations records the zone of each organization; complete says
// the list is all of the user's organizations.
func (z *zones) setOrganizations(orgs []Organization, complete bool) {
	z.mu.Lock()
	defer z.mu.Unlock()
	for _, o := range orgs {
		if u, ok := zoneURL(z.base, o.Zone); ok {
			z.orgs[o.ID] = u.String()
		}
		for _, t := range o.Teams {
			z.teams[t.ID] = o.ID
		}
	}
	if complete {
		z.listed = true
	}
}

func (z *zones) learnTeam(teamID, orgID int64) {
	if teamID == 0 || orgID == 0 {
		return
	}
	z.mu.Lock()
	z.teams[teamID] = orgID
	z.mu.Unlock()
}

// learnOwner records that an object belongs to a team.
func (z *zones) learnOwner(kind, key string, teamID int64) {
	if key == "" || teamID == 0 {
		return
	}
	o := owner{kind, key}
	z.mu.RLock()
	known := z.owners[o] == teamID
	z.mu.RUnlock()
	if known {
		return
	}
	z.mu.Lock()
	if len(z.owners) >= maxLearned {
		clear(z.owners)
	}
	z.owners[o] = teamID
	z.mu.Unlock()
}

func (z *zones) teamOf(r route) (int64, bool) {
	z.mu.RLock()
	defer z.mu.RUnlock()
	t, ok := z.owners[owner(r)]
	return t, ok
}

func (z *zones) orgBase(orgID int64) (string, bool) {
	z.mu.RLock()
	defer z.mu.RUnlock()
	b, ok := z.orgs[orgID]
	return b, ok
}

// isListed says the organizations have been listed.
func (z *zones) isListed() bool {
	z.mu.RLock()
	defer z.mu.RUnlock()
	return z.listed
}

func (z *zones) orgOfTeam(teamID int64) (int64, bool) {
	z.mu.RLock()
	defer z.mu.RUnlock()
	o, ok := z.teams[teamID]
	return o, ok
}

// distinct lists the zones of the user's organizations, the configured
// zone first when it is one of them.
func (z *zones) distinct() (bases []string) {
	z.mu.RLock()
	defer z.mu.RUnlock()
	for _, b := range z.orgs {
		if !slices.Contains(bases, b) {
			bases = append(bases, b)
		}
	}
	slices.Sort(bases)
	if i := slices.Index(bases, z.configured); i > 0 {
		bases[0], bases[i] = bases[i], bases[0]
	}
	return bases
}

// baseFor picks the base URL a call goes to; see the package comment.
// guessed says nothing was known about where the call belongs, so it goes
// to the configured zone (where most accounts live) without a lookup
// first; do calls rebase when Make refuses it there.
func (c *Client) baseFor(ctx context.Context, r route) (base string, guessed bool) {
	switch r.kind {
	case "":
		return c.zones.configured, false
	case atBase:
		return r.key, false
	case organizationKind:
		if id, err := strconv.ParseInt(r.key, 10, 64); err == nil {
			return c.organizationBase(id)
		}
	case teamKind:
		if id, err := strconv.ParseInt(r.key, 10, 64); err == nil {
			return c.teamBase(ctx, id)
		}
	}
	if t, ok := c.zones.teamOf(r); ok {
		return c.teamBase(ctx, t)
	}
	return c.zones.configured, false
}

// rebase routes a call again after the configured zone, a guess, refused
// it: with the user's organizations listed, the guess becomes knowledge.
func (c *Client) rebase(ctx context.Context, r route) string {
	c.listOrganizationsOnce(ctx)
	b, _ := c.baseFor(ctx, r)
	return b
}

func (c *Client) organizationBase(orgID int64) (string, bool) {
	if b, ok := c.zones.orgBase(orgID); ok {
		return b, false
	}
	return c.zones.configured, !c.zones.isListed()
}

func (c *Client) teamBase(ctx context.Context, teamID int64) (string, bool) {
	if org, ok := c.zones.orgOfTeam(teamID); ok {
		return c.organizationBase(org)
	}
	if !c.zones.isListed() {
		return c.zones.configured, true
	}
	bases := c.zones.distinct()
	switch len(bases) {
	case 0:
		return c.zones.configured, false
	case 1:
		return bases[0], false
	}
	// Several zones and an unknown team: ask each zone.
	for _, b := range bases {
		var out struct {
			Team Team `json:"team"`
		}
		err := c.do(ctx, &call{
			method: "GET", path: "/teams/" + strconv.FormatInt(teamID, 10),
			route: route{atBase, b}, out: &out,
		})
		if err == nil {
			c.zones.learnTeam(teamID, out.Team.OrganizationID)
			return b, false
		}
		if !IsNotFound(err) && !IsForbidden(err) {
			break
		}
	}
	return c.zones.configured, false
}

// listOrganizationsOnce fetches the organization list if it has not been
// fetched yet. A failure (a token without organizations:read, say) is not
// the caller's failure: routing then falls back to the configured zone. A
// refusal is final, so it is not asked again; a transient failure is.
func (c *Client) listOrganizationsOnce(ctx context.Context) {
	if c.zones.isListed() {
		return
	}
	// Calls that start together (serve's first scenario load asks about
	// a team and an organization at once) wait for one listing rather
	// than each sending their own.
	select {
	case c.zones.listing <- struct{}{}:
		defer func() { <-c.zones.listing }()
	case <-ctx.Done():
		return
	}
	if c.zones.isListed() {
		return
	}
	if _, err := c.Organizations(ctx); err != nil {
		if s := errorStatus(err); s >= 400 && s < 500 && s != 429 {
			c.zones.setOrganizations(nil, true)
		}
	}
}

// Remember tells the client where things lived in an earlier session,
// such as what login saved: organizations with their zones, and teams with
// the organization each belongs to. The first calls then route without
// listing the user's organizations, a round trip saved at start-up. The
// list is not taken as complete: a call about an organization or team it
// does not name still lists them all.
func (c *Client) Remember(orgs []Organization, teamOrgs map[int64]int64) {
	c.zones.setOrganizations(orgs, false)
	for team, org := range teamOrgs {
		c.zones.learnTeam(team, org)
	}
}
