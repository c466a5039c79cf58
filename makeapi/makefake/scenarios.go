package makefake

import (
	"encoding/json"
	"slices"
	"strings"
)

// Scenarios, their interfaces and blueprints.

func (s *Server) listScenarios(c *call) (any, *apiError) {
	teamID, err := c.queryID("teamId")
	if err != nil {
		return nil, err
	}
	orgID, err := c.queryID("organizationId")
	if err != nil {
		return nil, err
	}
	switch {
	case teamID != 0 && orgID != 0:
		return nil, errBadRequest("teamId and organizationId cannot be used together")
	case teamID != 0:
		err = c.teamHere(teamID)
	case orgID != 0:
		err = c.orgHere(orgID)
	default:
		return nil, errBadRequest("Missing required parameter teamId or organizationId")
	}
	if err != nil {
		return nil, err
	}
	folderID, err := c.queryID("folderId")
	if err != nil {
		return nil, err
	}
	q := c.r.URL.Query()
	active := q.Get("isActive")
	if active != "" && active != "true" && active != "false" {
		return nil, errBadRequest("Validation failed.", "isActive must be true or false.")
	}
	list := c.w.scenarios.list(func(o obj) bool {
		t := num(o["teamId"])
		switch {
		case teamID != 0 && t != teamID,
			orgID != 0 && c.w.orgOfTeam(t) != orgID,
			folderID != 0 && num(o["folderId"]) != folderID,
			active != "" && truthy(o["isActive"]) != (active == "true"):
			return false
		}
		return true
	})
	items, pg, err := c.page(list, "id", "asc", s.opts.MaxPageSize)
	if err != nil {
		return nil, err
	}
	return obj{"scenarios": projectAll(items, c.cols(nil)), "pg": pg}, nil
}

func (s *Server) getScenario(c *call) (any, *apiError) {
	o, _, err := c.owned(c.w.scenarios, "Scenario")
	if err != nil {
		return nil, err
	}
	return obj{"scenario": project(o, c.cols(nil))}, nil
}

// scenarioBody is what POST and PATCH /scenarios take. Make requires the
// blueprint and the scheduling as JSON strings, not objects.
type scenarioBody struct {
	TeamID      any    `json:"teamId"`
	FolderID    any    `json:"folderId"`
	Name        any    `json:"name"`
	Description any    `json:"description"`
	Blueprint   any    `json:"blueprint"`
	Scheduling  any    `json:"scheduling"`
	Metadata    any    `json:"metadata"`
	BasedOn     string `json:"basedon"`
}

// schedulingTypes are the values Make accepts in scheduling.type.
var schedulingTypes = []string{"immediately", "indefinitely", "once", "daily", "weekly", "monthly", "yearly", "on-demand"}

// parseBlueprint reads the blueprint string of a scenario body.
func parseBlueprint(v any) (obj, *apiError) {
	s, ok := v.(string)
	if !ok {
		return nil, errBadRequest("Validation failed.", "Parameter 'blueprint' must be a string holding the blueprint's JSON.")
	}
	var bp obj
	if err := decode([]byte(s), &bp); err != nil || bp == nil {
		return nil, errBadRequest("Invalid blueprint.", "The blueprint is not a JSON object.")
	}
	if _, ok := bp["flow"].([]any); !ok {
		return nil, errBadRequest("Invalid blueprint.", "The blueprint has no flow.")
	}
	return bp, nil
}

// parseScheduling reads the scheduling string of a scenario body.
func parseScheduling(v any) (obj, *apiError) {
	s, ok := v.(string)
	if !ok {
		return nil, errBadRequest("Validation failed.", "Parameter 'scheduling' must be a string holding the scheduling's JSON.")
	}
	var sch obj
	if err := decode([]byte(s), &sch); err != nil || sch == nil {
		return nil, errBadRequest("Invalid scheduling.", "The scheduling is not a JSON object.")
	}
	if !slices.Contains(schedulingTypes, str(sch["type"])) {
		return nil, errBadRequest("Invalid scheduling.", "Unknown scheduling type '"+str(sch["type"])+"'.")
	}
	return sch, nil
}

// parseMetadata reads {input_spec, output_spec} into an interface.
func parseMetadata(v any) (obj, *apiError) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, errBadRequest("Validation failed.", "Parameter 'metadata' must be an object.")
	}
	in, out := m["input_spec"], m["output_spec"]
	for _, spec := range []any{in, out} {
		if spec == nil {
			continue
		}
		if err := checkFields(spec); err != nil {
			return nil, err
		}
	}
	if in == nil {
		in = []any{}
	}
	if out == nil {
		out = []any{}
	}
	return obj{"input": in, "output": out}, nil
}

// checkFields checks a list of interface fields: objects with a name and
// a type.
func checkFields(v any) *apiError {
	list, ok := v.([]any)
	if !ok {
		return errBadRequest("Invalid interface.", "An interface must be a list of fields.")
	}
	for _, f := range list {
		m, ok := f.(map[string]any)
		if !ok || str(m["name"]) == "" || str(m["type"]) == "" {
			return errBadRequest("Invalid interface.", "Each field needs a name and a type.")
		}
	}
	return nil
}

// usedPackages lists the apps of a blueprint's modules, as Make does.
func usedPackages(bp obj) []any {
	out := []any{}
	walkModules(bp["flow"], func(m obj) {
		app, _, _ := strings.Cut(str(m["module"]), ":")
		if app != "" {
			out = append(out, app)
		}
	})
	return out
}

// walkModules visits every module of a flow, routes included.
func walkModules(flow any, visit func(obj)) {
	list, _ := flow.([]any)
	for _, m := range list {
		mod, ok := m.(map[string]any)
		if !ok {
			continue
		}
		visit(mod)
		routes, _ := mod["routes"].([]any)
		for _, r := range routes {
			if ro, ok := r.(map[string]any); ok {
				walkModules(ro["flow"], visit)
			}
		}
	}
}

func (c *call) userRef() obj {
	return obj{"id": c.w.user["id"], "name": c.w.user["name"], "email": c.w.user["email"]}
}

func (s *Server) createScenario(c *call) (any, *apiError) {
	var b scenarioBody
	if err := c.decode(&b); err != nil {
		return nil, err
	}
	teamID := num(b.TeamID)
	if teamID == 0 {
		return nil, errBadRequest("Validation failed.", "Missing value of required parameter 'teamId'.")
	}
	if err := c.teamHere(teamID); err != nil {
		return nil, err
	}
	bp, err := parseBlueprint(b.Blueprint)
	if err != nil {
		return nil, err
	}
	sch, err := parseScheduling(b.Scheduling)
	if err != nil {
		return nil, err
	}
	iface := obj{"input": []any{}, "output": []any{}}
	if b.Metadata != nil {
		if iface, err = parseMetadata(b.Metadata); err != nil {
			return nil, err
		}
	}
	folderID := num(b.FolderID)
	if folderID != 0 && (c.w.folders.get(folderID) == nil || c.w.folderTeam[folderID] != teamID) {
		return nil, errBadRequest("Validation failed.", "Folder not found in the team.")
	}
	id := c.w.newID()
	t := stamp(now())
	sc := obj{
		"id": id, "name": cmpOr(str(bp["name"]), "New scenario"), "teamId": teamID,
		"hookId": nil, "deviceId": nil, "deviceScope": nil, "concept": false, "description": "",
		"folderId": nil, "isinvalid": false, "islinked": false, "isActive": false, "islocked": false,
		"isPaused": false, "usedPackages": usedPackages(bp), "lastEdit": t, "scheduling": sch,
		"iswaiting": false, "dlqCount": 0, "createdByUser": c.userRef(), "updatedByUser": c.userRef(),
		"nextExec": nil, "created": t, "operations": 0, "transfer": 0,
	}
	if folderID != 0 {
		sc["folderId"] = folderID
	}
	c.w.scenarios.put(sc)
	c.w.interfaces[id] = iface
	c.w.setBlueprint(id, bp, t)
	return obj{"scenario": project(sc, c.cols(nil))}, nil
}

// setBlueprint stores a new version of a scenario's blueprint.
func (w *world) setBlueprint(id int64, bp obj, at string) {
	seq := int64(0)
	walkModules(bp["flow"], func(m obj) { seq = max(seq, num(m["id"])) })
	created := at
	if old := w.blueprints[id]; old != nil {
		created = str(old["created"])
	}
	w.blueprints[id] = obj{"blueprint": bp, "idSequence": seq + 1, "created": created, "last_edit": at}
	version := int64(len(w.versions[id]) + 1)
	w.versions[id] = append(w.versions[id], obj{"created": at, "version": version, "scenarioId": id, "draft": false})
}

func (s *Server) updateScenario(c *call) (any, *apiError) {
	sc, id, err := c.owned(c.w.scenarios, "Scenario")
	if err != nil {
		return nil, err
	}
	var b scenarioBody
	if err := c.decode(&b); err != nil {
		return nil, err
	}
	var bp, sch, iface obj
	if b.Blueprint != nil {
		if bp, err = parseBlueprint(b.Blueprint); err != nil {
			return nil, err
		}
	}
	if b.Scheduling != nil {
		if sch, err = parseScheduling(b.Scheduling); err != nil {
			return nil, err
		}
	}
	if b.Metadata != nil {
		if iface, err = parseMetadata(b.Metadata); err != nil {
			return nil, err
		}
	}
	if b.Name != nil {
		name, ok := b.Name.(string)
		if !ok || strings.TrimSpace(name) == "" {
			return nil, errBadRequest("Validation failed.", "Parameter 'name' must be a non-empty string.")
		}
		sc["name"] = name
	}
	if b.Description != nil {
		d, ok := b.Description.(string)
		if !ok || len(d) > 240 {
			return nil, errBadRequest("Validation failed.", "Parameter 'description' must be a string of at most 240 characters.")
		}
		sc["description"] = d
	}
	if b.FolderID != nil {
		f := num(b.FolderID)
		if c.w.folders.get(f) == nil || c.w.folderTeam[f] != num(sc["teamId"]) {
			return nil, errBadRequest("Validation failed.", "Folder not found in the team.")
		}
		sc["folderId"] = f
	}
	t := stamp(now())
	if bp != nil {
		c.w.setBlueprint(id, bp, t)
		sc["usedPackages"] = usedPackages(bp)
	}
	if sch != nil {
		sc["scheduling"] = sch
	}
	if iface != nil {
		c.w.interfaces[id] = iface
	}
	sc["lastEdit"] = t
	sc["updatedByUser"] = c.userRef()
	return obj{"scenario": project(sc, c.cols(nil))}, nil
}

func (s *Server) deleteScenario(c *call) (any, *apiError) {
	_, id, err := c.owned(c.w.scenarios, "Scenario")
	if err != nil {
		return nil, err
	}
	c.w.scenarios.del(id)
	delete(c.w.blueprints, id)
	delete(c.w.versions, id)
	delete(c.w.interfaces, id)
	for eid, e := range c.w.executions {
		if e.scenarioID == id {
			delete(c.w.executions, eid)
		}
	}
	return obj{"scenario": id}, nil
}

// startScenario activates a scenario. Make refuses to activate an active
// one ("Scenario is already running", as the SDK's tool text quotes).
func (s *Server) startScenario(c *call) (any, *apiError) {
	sc, id, err := c.owned(c.w.scenarios, "Scenario")
	if err != nil {
		return nil, err
	}
	if truthy(sc["isActive"]) {
		return nil, errBadRequest("Scenario is already running.")
	}
	if truthy(sc["isinvalid"]) {
		return nil, errBadRequest("Scenario is invalid and cannot be activated.")
	}
	sc["isActive"], sc["islinked"] = true, true
	return obj{"scenario": obj{"id": id, "isActive": true, "islinked": true}}, nil
}

func (s *Server) stopScenario(c *call) (any, *apiError) {
	sc, id, err := c.owned(c.w.scenarios, "Scenario")
	if err != nil {
		return nil, err
	}
	if !truthy(sc["isActive"]) {
		return nil, errBadRequest("Scenario is not running.")
	}
	sc["isActive"], sc["islinked"] = false, false
	return obj{"scenario": obj{"id": id, "isActive": false, "islinked": false}}, nil
}

func (s *Server) getInterface(c *call) (any, *apiError) {
	_, id, err := c.owned(c.w.scenarios, "Scenario")
	if err != nil {
		return nil, err
	}
	return obj{"interface": c.w.scenarioInterface(id)}, nil
}

// scenarioInterface is a scenario's interface, {input, output}.
func (w *world) scenarioInterface(id int64) obj {
	if in := w.interfaces[id]; in != nil {
		return in
	}
	return obj{"input": []any{}, "output": []any{}}
}

func (s *Server) setInterface(c *call) (any, *apiError) {
	_, id, err := c.owned(c.w.scenarios, "Scenario")
	if err != nil {
		return nil, err
	}
	var b struct {
		Interface map[string]any `json:"interface"`
	}
	if err := c.decode(&b); err != nil {
		return nil, err
	}
	if b.Interface == nil {
		return nil, errBadRequest("Validation failed.", "Missing value of required parameter 'interface'.")
	}
	in := obj{"input": b.Interface["input"], "output": b.Interface["output"]}
	for _, k := range []string{"input", "output"} {
		if in[k] == nil {
			in[k] = []any{}
		} else if err := checkFields(in[k]); err != nil {
			return nil, err
		}
	}
	c.w.interfaces[id] = in
	return obj{"interface": in}, nil
}

func (s *Server) getBlueprint(c *call) (any, *apiError) {
	sc, id, err := c.owned(c.w.scenarios, "Scenario")
	if err != nil {
		return nil, err
	}
	bp := c.w.blueprints[id]
	if bp == nil {
		return nil, errNotFound("Blueprint")
	}
	in := c.w.scenarioInterface(id)
	resp := clone(bp)
	resp["scheduling"] = sc["scheduling"]
	resp["metadata"] = obj{"input_spec": orEmpty(in["input"]), "output_spec": orEmpty(in["output"])}
	return obj{"code": "OK", "response": resp}, nil
}

func orEmpty(v any) any {
	if v == nil {
		return []any{}
	}
	return v
}

func (s *Server) getBlueprintVersions(c *call) (any, *apiError) {
	_, id, err := c.owned(c.w.scenarios, "Scenario")
	if err != nil {
		return nil, err
	}
	versions := slices.Clone(c.w.versions[id])
	slices.Reverse(versions)
	if versions == nil {
		versions = []obj{}
	}
	return obj{"scenariosBlueprints": versions}, nil
}

// jsonNumber makes a json.Number of an int, for objects built here.
func jsonNumber(n int64) json.Number { return json.Number(itoa(n)) }
