package makefake

import (
	"bytes"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// routes registers every call the fake serves, with the scope each needs:
// <area>:read for reads, <area>:write for changes, scenarios:run for runs
// (Make's rule; the areas follow the SDK's tools).
func (s *Server) routes() {
	s.mux = http.NewServeMux()
	h := s.handle

	h("GET /users/me", "", s.getMe)
	h("GET /users/me/current-authorization", "", s.getCurrentAuthorization)

	h("GET /organizations", "organizations:read", s.listOrganizations)
	h("GET /organizations/{id}", "organizations:read", s.getOrganization)
	h("GET /teams", "teams:read", s.listTeams)
	h("GET /teams/{id}", "teams:read", s.getTeam)

	h("GET /scenarios", "scenarios:read", s.listScenarios)
	h("POST /scenarios", "scenarios:write", s.createScenario)
	h("GET /scenarios/{id}", "scenarios:read", s.getScenario)
	h("PATCH /scenarios/{id}", "scenarios:write", s.updateScenario)
	h("DELETE /scenarios/{id}", "scenarios:write", s.deleteScenario)
	h("POST /scenarios/{id}/start", "scenarios:write", s.startScenario)
	h("POST /scenarios/{id}/stop", "scenarios:write", s.stopScenario)
	h("POST /scenarios/{id}/run", "scenarios:run", s.runScenario)
	h("GET /scenarios/{id}/interface", "scenarios:read", s.getInterface)
	h("PATCH /scenarios/{id}/interface", "scenarios:write", s.setInterface)
	h("GET /scenarios/{id}/blueprint", "scenarios:read", s.getBlueprint)
	h("GET /scenarios/{id}/blueprints", "scenarios:read", s.getBlueprintVersions)
	h("GET /scenarios/{id}/logs", "scenarios:read", s.listLogs)
	h("GET /scenarios/{id}/logs/{execution}", "scenarios:read", s.getLog)
	h("GET /scenarios/{id}/executions/{execution}", "scenarios:read", s.getExecution)
	h("GET /scenarios-folders", "scenarios:read", s.listFolders)

	h("GET /dlqs", "dlqs:read", s.listDLQs)
	h("GET /dlqs/{id}", "dlqs:read", s.getDLQ)
	h("POST /dlqs/{id}/retry", "dlqs:write", s.retryDLQ)

	h("GET /connections", "connections:read", s.listConnections)
	h("GET /connections/{id}", "connections:read", s.getConnection)
	h("PATCH /connections/{id}", "connections:write", s.renameConnection)
	h("DELETE /connections/{id}", "connections:write", s.deleteConnection)
	h("POST /connections/{id}/test", "connections:write", s.testConnection)

	h("GET /hooks", "hooks:read", s.listHooks)
	h("POST /hooks", "hooks:write", s.createHook)
	h("GET /hooks/{id}", "hooks:read", s.getHook)
	h("PATCH /hooks/{id}", "hooks:write", s.renameHook)
	h("DELETE /hooks/{id}", "hooks:write", s.deleteHook)
	h("POST /hooks/{id}/set-data", "hooks:write", s.setHookData)
	h("POST /hooks/{id}/enable", "hooks:write", s.enableHook)
	h("POST /hooks/{id}/disable", "hooks:write", s.disableHook)
	h("GET /hooks/{id}/ping", "hooks:read", s.pingHook)

	h("GET /data-stores", "datastores:read", s.listDataStores)
	h("POST /data-stores", "datastores:write", s.createDataStore)
	h("GET /data-stores/{id}", "datastores:read", s.getDataStore)
	h("PATCH /data-stores/{id}", "datastores:write", s.updateDataStore)
	h("DELETE /data-stores/{id}", "datastores:write", s.deleteDataStore)
	h("GET /data-stores/{id}/data", "datastores:read", s.listRecords)
	h("POST /data-stores/{id}/data", "datastores:write", s.createRecord)
	h("DELETE /data-stores/{id}/data", "datastores:write", s.deleteRecords)
	h("PATCH /data-stores/{id}/data/{key}", "datastores:write", s.updateRecord)
	h("PUT /data-stores/{id}/data/{key}", "datastores:write", s.replaceRecord)

	h("GET /data-structures", "udts:read", s.listDataStructures)
	h("GET /data-structures/{id}", "udts:read", s.getDataStructure)

	s.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, errNotFound("Endpoint "+r.Method+" "+r.URL.Path))
	})
}

// handler serves one call, with Server.mu held. It returns the answer
// (marshalled as JSON while the lock is still held) or Make's error.
type handler func(c *call) (any, *apiError)

// handle registers a call under /api/v2 with the scope it needs.
func (s *Server) handle(pattern, scope string, h handler) {
	method, path, _ := strings.Cut(pattern, " ")
	s.mux.HandleFunc(method+" /api/v2"+path, func(w http.ResponseWriter, r *http.Request) {
		p, err := s.authenticate(r)
		if err != nil {
			writeError(w, err)
			return
		}
		if !p.allows(scope) {
			writeError(w, errForbidden("The credential lacks the scope "+scope+"."))
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
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		_, _ = w.Write(b)
	})
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
