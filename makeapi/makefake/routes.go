package makefake

import (
	"bytes"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/makemcp/makemcp/makeapi/scope"
)

// routes registers every call the fake serves, with the scope each needs:
// <area>:read for reads, <area>:write for changes, scenarios:run for runs
// (Make's rule; the areas follow the SDK's tools).
func (s *Server) routes() {
	s.mux = http.NewServeMux()
	h := s.handle

	h("GET /users/me", "", s.getMe)
	h("GET /users/me/current-authorization", "", s.getCurrentAuthorization)

	h("GET /organizations", scope.OrganizationsRead, s.listOrganizations)
	h("GET /organizations/{id}", scope.OrganizationsRead, s.getOrganization)
	h("GET /teams", scope.TeamsRead, s.listTeams)
	h("GET /teams/{id}", scope.TeamsRead, s.getTeam)

	h("GET /scenarios", scope.ScenariosRead, s.listScenarios)
	h("POST /scenarios", scope.ScenariosWrite, s.createScenario)
	h("GET /scenarios/{id}", scope.ScenariosRead, s.getScenario)
	h("PATCH /scenarios/{id}", scope.ScenariosWrite, s.updateScenario)
	h("DELETE /scenarios/{id}", scope.ScenariosWrite, s.deleteScenario)
	h("POST /scenarios/{id}/start", scope.ScenariosWrite, s.startScenario)
	h("POST /scenarios/{id}/stop", scope.ScenariosWrite, s.stopScenario)
	h("POST /scenarios/{id}/run", scope.ScenariosRun, s.runScenario)
	h("GET /scenarios/{id}/interface", scope.ScenariosRead, s.getInterface)
	h("PATCH /scenarios/{id}/interface", scope.ScenariosWrite, s.setInterface)
	h("GET /scenarios/{id}/blueprint", scope.ScenariosRead, s.getBlueprint)
	h("GET /scenarios/{id}/blueprints", scope.ScenariosRead, s.getBlueprintVersions)
	h("GET /scenarios/{id}/logs", scope.ScenariosRead, s.listLogs)
	h("GET /scenarios/{id}/logs/{execution}", scope.ScenariosRead, s.getLog)
	h("GET /scenarios/{id}/executions/{execution}", scope.ScenariosRead, s.getExecution)
	h("GET /scenarios-folders", scope.ScenariosRead, s.listFolders)

	h("GET /dlqs", scope.DLQsRead, s.listDLQs)
	h("GET /dlqs/{id}", scope.DLQsRead, s.getDLQ)
	h("POST /dlqs/{id}/retry", scope.DLQsWrite, s.retryDLQ)

	h("GET /connections", scope.ConnectionsRead, s.listConnections)
	h("GET /connections/{id}", scope.ConnectionsRead, s.getConnection)
	h("PATCH /connections/{id}", scope.ConnectionsWrite, s.renameConnection)
	h("DELETE /connections/{id}", scope.ConnectionsWrite, s.deleteConnection)
	h("POST /connections/{id}/test", scope.ConnectionsWrite, s.testConnection)

	h("GET /hooks", scope.HooksRead, s.listHooks)
	h("POST /hooks", scope.HooksWrite, s.createHook)
	h("GET /hooks/{id}", scope.HooksRead, s.getHook)
	h("PATCH /hooks/{id}", scope.HooksWrite, s.renameHook)
	h("DELETE /hooks/{id}", scope.HooksWrite, s.deleteHook)
	h("POST /hooks/{id}/set-data", scope.HooksWrite, s.setHookData)
	h("POST /hooks/{id}/enable", scope.HooksWrite, s.enableHook)
	h("POST /hooks/{id}/disable", scope.HooksWrite, s.disableHook)
	h("GET /hooks/{id}/ping", scope.HooksRead, s.pingHook)

	h("GET /data-stores", scope.DataStoresRead, s.listDataStores)
	h("POST /data-stores", scope.DataStoresWrite, s.createDataStore)
	h("GET /data-stores/{id}", scope.DataStoresRead, s.getDataStore)
	h("PATCH /data-stores/{id}", scope.DataStoresWrite, s.updateDataStore)
	h("DELETE /data-stores/{id}", scope.DataStoresWrite, s.deleteDataStore)
	h("GET /data-stores/{id}/data", scope.DataStoresRead, s.listRecords)
	h("POST /data-stores/{id}/data", scope.DataStoresWrite, s.createRecord)
	h("DELETE /data-stores/{id}/data", scope.DataStoresWrite, s.deleteRecords)
	h("PATCH /data-stores/{id}/data/{key}", scope.DataStoresWrite, s.updateRecord)
	h("PUT /data-stores/{id}/data/{key}", scope.DataStoresWrite, s.replaceRecord)

	h("GET /data-structures", scope.UDTsRead, s.listDataStructures)
	h("GET /data-structures/{id}", scope.UDTsRead, s.getDataStructure)

	s.routeResources()
	s.routeSDKApps()
	s.routeAdmin()
	s.routeWorkspace()

	s.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, errNotFound("Endpoint "+r.Method+" "+r.URL.Path))
	})
}

// handler serves one call, with Server.mu held. It returns the answer
// (marshalled as JSON while the lock is still held) or Make's error.
type handler func(c *call) (any, *apiError)

// handle registers a call under /api/v2 with the scope it needs.
func (s *Server) handle(pattern string, need scope.Scope, h handler) {
	method, path, _ := strings.Cut(pattern, " ")
	s.mux.HandleFunc(method+" /api/v2"+path, func(w http.ResponseWriter, r *http.Request) {
		p, err := s.authenticate(r)
		if err != nil {
			writeError(w, err)
			return
		}
		if !p.allows(need) {
			writeError(w, errForbidden("The credential lacks the scope "+string(need)+"."))
			return
		}
		out, b, aerr := s.serve(r, p, h)
		if run, ok := out.(*pendingRun); ok {
			s.finishRun(w, r, run)
			return
		}
		if aerr != nil {
			writeError(w, aerr)
			return
		}
		if d, ok := out.(*document); ok {
			w.Header().Set("Content-Type", d.contentType)
			_, _ = w.Write(b)
			return
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		_, _ = w.Write(b)
	})
}

// document is an answer that is not JSON, such as a custom app's readme
// or icon, sent as it is with its media type.
type document struct {
	contentType string
	body        []byte
}

// serve runs a handler with the lock held and marshals its answer before
// letting go, since the answer may share maps with the account's state. A
// pending run is returned as is, to be finished without the lock.
func (s *Server) serve(r *http.Request, p principal, h handler) (any, []byte, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := &call{s: s, w: s.w, r: r, p: p, zone: s.zoneOf(r.Host), host: r.Host}
	c.body, _ = readBody(r)
	out, aerr := h(c)
	if aerr != nil {
		return nil, nil, aerr
	}
	if run, ok := out.(*pendingRun); ok {
		return run, nil, nil
	}
	if d, ok := out.(*document); ok {
		return d, bytes.Clone(d.body), nil
	}
	b, err := json.Marshal(out)
	if err != nil {
		return nil, nil, &apiError{status: http.StatusInternalServerError, Detail: "Internal server error.", Message: "Internal Server Error", Code: "SC500"}
	}
	return out, b, nil
}

func readBody(r *http.Request) ([]byte, error) {
	var buf bytes.Buffer
	_, err := buf.ReadFrom(r.Body)
	return buf.Bytes(), err
}

// call is one request being served.
type call struct {
	s    *Server
	w    *world
	r    *http.Request
	p    principal
	zone int
	host string
	body []byte
}

// pathID reads a numeric path value.
func (c *call) pathID(name, what string) (int64, *apiError) {
	id, err := strconv.ParseInt(c.r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, errNotFound(what)
	}
	return id, nil
}

// queryID reads a numeric query parameter; 0 when absent.
func (c *call) queryID(name string) (int64, *apiError) {
	v := c.r.URL.Query().Get(name)
	if v == "" {
		return 0, nil
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		return 0, errBadRequest("Invalid key, not parsable to integer", "Parameter "+name+" must be an integer.")
	}
	return id, nil
}

// decode reads the JSON body into v.
func (c *call) decode(v any) *apiError {
	if len(bytes.TrimSpace(c.body)) == 0 {
		return errBadRequest("Missing request body.")
	}
	if err := decode(c.body, v); err != nil {
		return errBadRequest("Invalid JSON in the request body.", err.Error())
	}
	return nil
}

// decode reads JSON keeping numbers exact.
func decode(b []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	return d.Decode(v)
}

// confirmed reports whether the request carries ?confirmed=true.
func (c *call) confirmed() bool { return c.r.URL.Query().Get("confirmed") == "true" }

// errNotConfirmed is Make's refusal of a deletion that lacks
// ?confirmed=true, which Make asks for before it deletes what scenarios
// may use.
func errNotConfirmed() *apiError {
	return errBadRequest("Deletion needs confirmation.", "Add confirmed=true to the query.")
}

// deleteOwned deletes the team's object of t that the path names, given
// ?confirmed=true, and answers {key: id}, as Make does.
func (c *call) deleteOwned(t *table, what, key string) (int64, any, *apiError) {
	_, id, err := c.owned(t, what)
	if err != nil {
		return 0, nil, err
	}
	if !c.confirmed() {
		return 0, nil, errNotConfirmed()
	}
	t.del(id)
	return id, obj{key: id}, nil
}

// teamHere checks that a team exists in the zone the request came to.
// Make answers "Access denied." for a team the user cannot reach there.
func (c *call) teamHere(teamID int64) *apiError {
	if c.w.teams.get(teamID) == nil || c.w.zoneOfTeam(teamID) != c.zone {
		return errForbidden()
	}
	return nil
}

// orgHere checks that an organization exists in the zone the request came
// to.
func (c *call) orgHere(orgID int64) *apiError {
	if c.w.orgs.get(orgID) == nil || c.w.zoneOfOrg(orgID) != c.zone {
		return errForbidden()
	}
	return nil
}

// owned finds a team's object by path id, in this zone.
func (c *call) owned(t *table, what string) (obj, int64, *apiError) {
	id, err := c.pathID("id", what)
	if err != nil {
		return nil, 0, err
	}
	o := t.get(id)
	if o == nil || c.w.zoneOfTeam(num(o["teamId"])) != c.zone {
		return nil, 0, errNotFound(what)
	}
	return o, id, nil
}

// requiredTeam reads the teamId query parameter, which the call needs,
// and checks the team.
func (c *call) requiredTeam() (int64, *apiError) {
	teamID, err := c.queryID("teamId")
	if err != nil {
		return 0, err
	}
	if teamID == 0 {
		return 0, errBadRequest("Validation failed.", "Missing value of required parameter 'teamId'.")
	}
	return teamID, c.teamHere(teamID)
}

// page applies pg[limit], pg[offset], pg[sortBy] and pg[sortDir] to a
// list, and returns the page with Make's pg object.
// defLimit is the limit when none is asked for.
func (c *call) page(items []obj, sortBy, sortDir string, defLimit int) ([]obj, obj, *apiError) {
	q := c.r.URL.Query()
	limit, offset := min(defLimit, c.s.opts.MaxPageSize), 0
	if v := q.Get("pg[limit]"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return nil, nil, errBadRequest("Validation failed.", "pg[limit] must be a positive integer.")
		}
		limit = min(n, c.s.opts.MaxPageSize)
	}
	if v := q.Get("pg[offset]"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return nil, nil, errBadRequest("Validation failed.", "pg[offset] must be a non-negative integer.")
		}
		offset = n
	}
	if v := q.Get("pg[sortBy]"); v != "" {
		sortBy = v
	}
	if v := q.Get("pg[sortDir]"); v != "" {
		if v != "asc" && v != "desc" {
			return nil, nil, errBadRequest("Validation failed.", "pg[sortDir] must be asc or desc.")
		}
		sortDir = v
	}
	if sortBy != "" {
		items = slices.Clone(items)
		slices.SortStableFunc(items, func(a, b obj) int {
			if sortDir == "desc" {
				return compare(b[sortBy], a[sortBy])
			}
			return compare(a[sortBy], b[sortBy])
		})
	}
	items = items[min(offset, len(items)):]
	items = items[:min(limit, len(items))]
	return items, obj{"sortBy": sortBy, "sortDir": sortDir, "limit": limit, "offset": offset}, nil
}

// cols returns the columns asked for with cols[], or def when none were.
func (c *call) cols(def []string) []string {
	if cols := c.r.URL.Query()["cols[]"]; len(cols) > 0 {
		return cols
	}
	return def
}

// projectAll applies a column selection to each object.
func projectAll(items []obj, cols []string) []obj {
	out := make([]obj, len(items))
	for i, o := range items {
		out[i] = project(o, cols)
	}
	return out
}
