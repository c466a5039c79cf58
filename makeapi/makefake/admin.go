package makefake

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/makemcp/makemcp/makeapi/scope"
)

// The administration of an account: creating and deleting organizations
// and teams (in the same tables the reads serve), the enums their forms
// need, and private spaces. Roles, custom properties and on-premise
// agents, the other administration areas, have files of their own.

// adminResources are the generic resources of the administration
// areas, whose other calls have handlers of their own, on the same
// collections.
var adminResources = slices.Concat(organizationResources, roleResources, agentResources)

// organizationResources are Make's enums (which need no scope) and the
// private spaces, whose listing and update are handled below.
var organizationResources = []*resource{
	{path: "/enums/countries", many: "countries", fixtures: []string{"enums/countries.json"}, only: []string{"list"}},
	{path: "/enums/imt-regions", many: "imtRegions", fixtures: []string{"enums/regions.json"}, only: []string{"list"}},
	{path: "/enums/timezones", many: "timezones", fixtures: []string{"enums/timezones.json"}, only: []string{"list"}},
	privateSpaceResource,
}

var privateSpaceResource = &resource{path: "/private-spaces", one: "privateSpace", many: "privateSpaces",
	read: scope.PrivateSpacesRead, write: scope.PrivateSpacesWrite, owner: "organizationId",
	fixtures: []string{"private-spaces/list.json", "private-spaces/get.json"}, only: []string{"get"}}

// routeAdmin registers the calls of the administration areas that no
// resource row serves.
func (s *Server) routeAdmin() {
	h := s.handle
	h("POST /organizations", scope.OrganizationsWrite, s.createOrganization)
	h("PATCH /organizations/{id}", scope.OrganizationsWrite, s.updateOrganization)
	h("DELETE /organizations/{id}", scope.OrganizationsWrite, s.deleteOrganization)
	h("POST /teams", scope.TeamsWrite, s.createTeam)
	h("DELETE /teams/{id}", scope.TeamsWrite, s.deleteTeam)
	h("GET /private-spaces", scope.PrivateSpacesRead, s.listPrivateSpaces)
	h("PATCH /private-spaces/{id}", scope.PrivateSpacesWrite, s.updatePrivateSpace)
	s.routeRoles()
	s.routeCustomProperties()
	s.routeAgents()
}

// seedAdmin starts the collections of the administration areas that no
// resource row seeds. Objects Make's fixtures tie to organizations the
// account lacks go to its first organization, org.
func (w *world) seedAdmin(org int64) error {
	return errors.Join(w.seedRoles(org), w.seedCustomProperties(org))
}

// fixtureObjects reads the object, or the list of objects, a fixture
// holds under key.
func fixtureObjects(name, key string) ([]obj, error) {
	answer, err := readFixture(name)
	if err != nil {
		return nil, err
	}
	if o, ok := answer[key].(map[string]any); ok {
		return []obj{o}, nil
	}
	return list(answer[key]), nil
}

// imError is a refusal Make words with one of its IM codes.
func imError(code, detail string) *apiError {
	e := errBadRequest(detail)
	e.Code = code
	return e
}

// bodyObject reads a JSON object body.
func (c *call) bodyObject() (obj, *apiError) {
	var b map[string]any
	if err := c.decode(&b); err != nil {
		return nil, err
	}
	if b == nil {
		return nil, errBadRequest("Validation failed.", "The request body must be an object.")
	}
	return b, nil
}

// requiredID reads a positive whole number a body must hold.
func requiredID(b obj, name string) (int64, *apiError) {
	id := num(b[name])
	if !isNumber(b[name]) || id <= 0 {
		return 0, errBadRequest("Validation failed.", "Missing value of required parameter '"+name+"'.")
	}
	return id, nil
}

// requiredText reads a string a body must hold, not blank and at most
// limit characters (0: no limit).
func requiredText(b obj, name string, limit int) (string, *apiError) {
	s, ok := b[name].(string)
	if !ok || strings.TrimSpace(s) == "" {
		return "", errBadRequest("Validation failed.", "Missing value of required parameter '"+name+"'.")
	}
	if limit > 0 && len([]rune(s)) > limit {
		return "", errBadRequest("Validation failed.", fmt.Sprintf("Parameter '%s' is longer than %d characters.", name, limit))
	}
	return s, nil
}

// queryOrg reads the organizationId a call names in its query, which it
// needs, and checks the organization.
func (c *call) queryOrg() (int64, *apiError) {
	id, err := c.queryID("organizationId")
	if err != nil {
		return 0, err
	}
	if id == 0 {
		return 0, errBadRequest("Validation failed.", "Missing value of required parameter 'organizationId'.")
	}
	return id, c.orgHere(id)
}

// Organizations and teams.

func (s *Server) createOrganization(c *call) (any, *apiError) {
	b, err := c.bodyObject()
	if err != nil {
		return nil, err
	}
	name, err := requiredText(b, "name", 0)
	if err != nil {
		return nil, err
	}
	region, err := requiredID(b, "regionId")
	if err != nil {
		return nil, err
	}
	if c.w.collectionAt("/enums/imt-regions").byKey[itoa(region)] == nil {
		return nil, errBadRequest("Validation failed.", "Unknown regionId: enums_regions lists the regions.")
	}
	tz, err := requiredID(b, "timezoneId")
	if err != nil {
		return nil, err
	}
	country, err := requiredID(b, "countryId")
	if err != nil {
		return nil, err
	}
	id := c.w.newID()
	o := obj{"id": jsonNumber(id), "name": name, "countryId": jsonNumber(country), "timezoneId": jsonNumber(tz),
		"serviceName": "free", "isPaused": false,
		"license": obj{"apiLimit": jsonNumber(60), "operations": jsonNumber(1000), "users": jsonNumber(2)}}
	c.w.addOrganization(o, c.zone)
	// Make gives a new organization its first team.
	team := c.w.newID()
	c.w.teams.put(obj{"id": jsonNumber(team), "name": "My Team", "organizationId": jsonNumber(id)})
	return obj{"organization": c.organization(o),
		"userOrganizationRole": obj{"userId": c.w.user["id"], "organizationId": jsonNumber(id), "usersRoleId": jsonNumber(11), "invitation": nil}}, nil
}

// orgOfPath finds the organization a path names, in this zone.
func (c *call) orgOfPath() (obj, int64, *apiError) {
	id, err := c.pathID("id", "Organization")
	if err != nil {
		return nil, 0, err
	}
	o := c.w.orgs.get(id)
	if o == nil || c.w.zoneOfOrg(id) != c.zone {
		return nil, 0, errNotFound("Organization")
	}
	return o, id, nil
}

func (s *Server) updateOrganization(c *call) (any, *apiError) {
	o, _, err := c.orgOfPath()
	if err != nil {
		return nil, err
	}
	b, err := c.bodyObject()
	if err != nil {
		return nil, err
	}
	for k, v := range b {
		switch k {
		case "name":
			if s, ok := v.(string); !ok || strings.TrimSpace(s) == "" {
				return nil, errBadRequest("Validation failed.", "Parameter 'name' must be a non-empty string.")
			}
		case "countryId", "timezoneId":
			if num(v) <= 0 {
				return nil, errBadRequest("Validation failed.", "Parameter '"+k+"' must be a positive integer.")
			}
		default:
			return nil, errBadRequest("Validation failed.", "Unknown parameter '"+k+"'.")
		}
		o[k] = v
	}
	return obj{"organization": c.organization(o)}, nil
}

func (s *Server) deleteOrganization(c *call) (any, *apiError) {
	_, id, err := c.orgOfPath()
	if err != nil {
		return nil, err
	}
	if !c.confirmed() {
		return nil, errNotConfirmed()
	}
	c.w.dropOrganization(id)
	return obj{"organization": jsonNumber(id)}, nil
}

func (s *Server) createTeam(c *call) (any, *apiError) {
	b, err := c.bodyObject()
	if err != nil {
		return nil, err
	}
	name, err := requiredText(b, "name", 0)
	if err != nil {
		return nil, err
	}
	org, err := requiredID(b, "organizationId")
	if err != nil {
		return nil, err
	}
	if err := c.orgHere(org); err != nil {
		return nil, err
	}
	id := c.w.newID()
	t := obj{"id": jsonNumber(id), "name": name, "organizationId": jsonNumber(org)}
	for _, k := range []string{"operationsLimit", "transferLimit"} {
		if v, ok := b[k]; ok {
			if !isNumber(v) || float(v) < 0 {
				return nil, errBadRequest("Validation failed.", "Parameter '"+k+"' must be a number of at least 0.")
			}
			t[k] = v
		}
	}
	c.w.teams.put(t)
	return obj{"team": t, "userTeamRole": obj{"usersRoleId": jsonNumber(1), "userId": c.w.user["id"], "teamId": jsonNumber(id), "changeable": false}}, nil
}

func (s *Server) deleteTeam(c *call) (any, *apiError) {
	id, err := c.pathID("id", "Team")
	if err != nil {
		return nil, err
	}
	if c.w.teams.get(id) == nil || c.w.zoneOfTeam(id) != c.zone {
		return nil, errNotFound("Team")
	}
	if !c.confirmed() {
		return nil, errNotConfirmed()
	}
	c.w.dropTeam(id)
	return obj{"team": jsonNumber(id)}, nil
}

// dropTeam deletes a team with everything it owns, as Make does.
func (w *world) dropTeam(id int64) {
	owned := func(o obj) bool { return num(o["teamId"]) == id }
	for _, sc := range w.scenarios.list(owned) {
		sid := num(sc["id"])
		w.scenarios.del(sid)
		delete(w.blueprints, sid)
		delete(w.versions, sid)
		delete(w.interfaces, sid)
		w.collectionAt(scenarioPropPath).del(itoa(sid))
	}
	for _, t := range []*table{w.connections, w.hooks, w.dataStructures} {
		for _, o := range t.list(owned) {
			t.del(num(o["id"]))
		}
	}
	for _, ds := range w.dataStores.list(owned) {
		w.dataStores.del(num(ds["id"]))
		delete(w.records, num(ds["id"]))
	}
	for f, team := range w.folderTeam {
		if team == id {
			w.folders.del(f)
			delete(w.folderTeam, f)
		}
	}
	w.dropOwned("teamId", id)
	w.teams.del(id)
}

// dropOrganization deletes an organization with its teams and everything
// they and it own.
func (w *world) dropOrganization(id int64) {
	for _, t := range w.teams.list(func(t obj) bool { return num(t["organizationId"]) == id }) {
		w.dropTeam(num(t["id"]))
	}
	w.dropOwned("organizationId", id)
	for _, s := range w.collectionAt(structuresPath).list() {
		if structureBelongsTo(s, id) {
			w.dropStructure(s)
		}
	}
	w.orgs.del(id)
	delete(w.orgZone, id)
}

// dropOwned deletes the objects of the generic collections that name an
// owner, such as a team's keys.
func (w *world) dropOwned(owner string, id int64) {
	for _, coll := range w.collections {
		for _, key := range slices.Clone(coll.order) {
			if num(coll.byKey[key][owner]) == id {
				coll.del(key)
			}
		}
	}
}

// Private spaces.

func (s *Server) listPrivateSpaces(c *call) (any, *apiError) {
	org, err := c.queryOrg()
	if err != nil {
		return nil, err
	}
	external, filtered := c.r.URL.Query()["externalId"]
	items := slices.DeleteFunc(c.w.collectionAt(privateSpaceResource.path).list(), func(o obj) bool {
		return num(o["organizationId"]) != org || (filtered && str(o["externalId"]) != external[0])
	})
	page, pg, err := c.page(items, "name", "asc", 100)
	if err != nil {
		return nil, err
	}
	return obj{"privateSpaces": projectAll(page, c.cols(nil)), "pg": pg}, nil
}

// bytesPerOperation is the transfer a private space is allowed per
// operation of its limit: Make derives the one limit from the other.
const bytesPerOperation = (1 << 30) / 1000.0

func (s *Server) updatePrivateSpace(c *call) (any, *apiError) {
	o, _, err := privateSpaceResource.member(c)
	if err != nil {
		return nil, err
	}
	b, err := c.bodyObject()
	if err != nil {
		return nil, err
	}
	for k := range b {
		if k != "operationsLimit" {
			return nil, errBadRequest("Validation failed.", "Unknown parameter '"+k+"'.")
		}
	}
	limit, ok := b["operationsLimit"]
	if !ok {
		return obj{"privateSpace": o}, nil
	}
	switch {
	case limit == nil:
		o["operationsLimit"], o["transferLimit"] = nil, nil
	case !isNumber(limit) || float(limit) < 0 || float(limit) != float64(num(limit)):
		return nil, errBadRequest("Validation failed.", "Parameter 'operationsLimit' must be a whole number of at least 0, or null.")
	default:
		if num(limit) < num(o["consumedOperations"]) {
			if !c.confirmed() {
				return nil, imError("IM004", "The new limit is below the operations the space has used: confirm to pause the space.")
			}
			o["isPaused"] = true
		}
		o["operationsLimit"] = jsonNumber(num(limit))
		o["transferLimit"] = jsonNumber(int64(float(limit) * bytesPerOperation))
	}
	return obj{"privateSpace": o}, nil
}
