package makefake

import (
	"crypto/rand"
	"slices"
	"strings"
)

// Connections and hooks.

func (s *Server) listConnections(c *call) (any, *apiError) {
	teamID, err := c.requiredTeam()
	if err != nil {
		return nil, err
	}
	q := c.r.URL.Query()
	types := q["type[]"]
	conns := c.w.connections.list(func(o obj) bool {
		typ := str(o["accountName"])
		if num(o["teamId"]) != teamID || len(types) > 0 && !slices.Contains(types, typ) {
			return false
		}
		// <type>[]=<scope> keeps connections of that type granted every
		// scope listed.
		for _, want := range q[typ+"[]"] {
			if !slices.ContainsFunc(list(o["scopes"]), func(s obj) bool { return str(s["id"]) == want }) {
				return false
			}
		}
		return true
	})
	if conns == nil {
		conns = []obj{}
	}
	return obj{"connections": projectAll(conns, c.cols(nil))}, nil
}

func (s *Server) getConnection(c *call) (any, *apiError) {
	o, _, err := c.owned(c.w.connections, "Connection")
	if err != nil {
		return nil, err
	}
	return obj{"connection": project(o, c.cols(nil))}, nil
}

// renameNonEmpty reads {name} from a PATCH body.
func (c *call) renameBody() (string, *apiError) {
	var b struct {
		Name any `json:"name"`
	}
	if err := c.decode(&b); err != nil {
		return "", err
	}
	name, ok := b.Name.(string)
	if !ok || strings.TrimSpace(name) == "" {
		return "", errBadRequest("Validation failed.", "Parameter 'name' must be a non-empty string.")
	}
	return name, nil
}

func (s *Server) renameConnection(c *call) (any, *apiError) {
	o, _, err := c.owned(c.w.connections, "Connection")
	if err != nil {
		return nil, err
	}
	name, err := c.renameBody()
	if err != nil {
		return nil, err
	}
	o["name"] = name
	return obj{"connection": project(o, c.cols(nil))}, nil
}

// deleteConnection, like every deletion of connections, hooks, data stores
// and records, needs ?confirmed=true; the fake asks for it every time, so
// that a client that forgets it fails here rather than on Make.
func (s *Server) deleteConnection(c *call) (any, *apiError) {
	_, out, err := c.deleteOwned(c.w.connections, "Connection", "connection")
	return out, err
}

func (s *Server) testConnection(c *call) (any, *apiError) {
	o, _, err := c.owned(c.w.connections, "Connection")
	if err != nil {
		return nil, err
	}
	verified := true
	if exp := str(o["expire"]); exp != "" && stampMillis(exp) < now().UnixMilli() {
		verified = false
	}
	return obj{"verified": verified}, nil
}

func (s *Server) listHooks(c *call) (any, *apiError) {
	teamID, err := c.requiredTeam()
	if err != nil {
		return nil, err
	}
	q := c.r.URL.Query()
	typeName, assigned := q.Get("typeName"), q.Get("assigned")
	list := c.w.hooks.list(func(o obj) bool {
		switch {
		case num(o["teamId"]) != teamID,
			typeName != "" && str(o["typeName"]) != typeName,
			assigned != "" && (num(o["scenarioId"]) != 0) != (assigned == "true"):
			return false
		}
		return true
	})
	items, pg, err := c.page(list, "id", "asc", s.opts.MaxPageSize)
	if err != nil {
		return nil, err
	}
	if items == nil {
		items = []obj{}
	}
	return obj{"hooks": items, "pg": pg}, nil
}

func (s *Server) getHook(c *call) (any, *apiError) {
	o, _, err := c.owned(c.w.hooks, "Hook")
	if err != nil {
		return nil, err
	}
	return obj{"hook": o}, nil
}

// hookDefaults are the required settings of the generic hook types that
// have defaults, filled in when the request asks for useDefaults.
var hookDefaults = map[string]obj{
	"gateway-webhook":  {"method": false, "headers": false, "stringify": false},
	"gateway-mailhook": {},
}

// createHook takes the hook's settings flattened into the body beside
// name, teamId and typeName, as Make's SDK sends them. Without
// ?useDefaults=requiredOnly every required setting must be given.
func (s *Server) createHook(c *call) (any, *apiError) {
	var b obj
	if err := c.decode(&b); err != nil {
		return nil, err
	}
	name, typeName, teamID := str(b["name"]), str(b["typeName"]), num(b["teamId"])
	var missing []string
	for _, k := range []string{"name", "teamId", "typeName"} {
		if b[k] == nil || b[k] == "" {
			missing = append(missing, "Missing value of required parameter '"+k+"'.")
		}
	}
	if len(missing) > 0 {
		return nil, errBadRequest("Validation failed.", missing...)
	}
	if len(name) > 128 {
		return nil, errBadRequest("Validation failed.", "Parameter 'name' is longer than 128 characters.")
	}
	if err := c.teamHere(teamID); err != nil {
		return nil, err
	}
	data := obj{}
	for k, v := range b {
		if k != "name" && k != "teamId" && k != "typeName" {
			data[k] = v
		}
	}
	useDefaults := c.r.URL.Query().Get("useDefaults") == "requiredOnly"
	for k, v := range hookDefaults[typeName] {
		if _, ok := data[k]; ok {
			continue
		}
		if !useDefaults {
			missing = append(missing, "Missing value of required parameter '"+k+"'.")
		}
		data[k] = v
	}
	if len(missing) > 0 {
		return nil, errBadRequest("Validation failed.", missing...)
	}
	udid := newUDID()
	kind, url := "web", "https://"+s.zoneName(c.zone, c.host)+"/wh/"+udid
	if typeName == "gateway-mailhook" {
		kind, url = "mail", udid+"@hook.make.com"
	}
	h := obj{
		"id": c.w.newID(), "name": name, "teamId": teamID, "udid": udid, "type": kind,
		"packageName": nil, "theme": "#c73a63", "editable": true, "queueCount": 0,
		"queueLimit": 10000, "enabled": true, "gone": false, "typeName": typeName,
		"data": data, "url": url,
	}
	c.w.hooks.put(h)
	return obj{"hook": h}, nil
}

// newUDID makes a hook id: 32 lower-case letters and digits.
func newUDID() string {
	const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}

func (s *Server) renameHook(c *call) (any, *apiError) {
	o, _, err := c.owned(c.w.hooks, "Hook")
	if err != nil {
		return nil, err
	}
	name, err := c.renameBody()
	if err != nil {
		return nil, err
	}
	o["name"] = name
	return obj{"hook": o}, nil
}

// setHookData merges new settings into a hook's data.
func (s *Server) setHookData(c *call) (any, *apiError) {
	o, _, err := c.owned(c.w.hooks, "Hook")
	if err != nil {
		return nil, err
	}
	var patch obj
	if err := c.decode(&patch); err != nil {
		return nil, err
	}
	if patch == nil {
		return nil, errBadRequest("Validation failed.", "The hook's data must be an object.")
	}
	data, _ := o["data"].(map[string]any)
	if data == nil {
		data = obj{}
	}
	changed := false
	for k, v := range patch {
		if compare(data[k], v) != 0 {
			changed = true
		}
		data[k] = v
	}
	o["data"] = data
	return obj{"changed": changed}, nil
}

func (s *Server) enableHook(c *call) (any, *apiError)  { return c.setHookEnabled(true) }
func (s *Server) disableHook(c *call) (any, *apiError) { return c.setHookEnabled(false) }

func (c *call) setHookEnabled(on bool) (any, *apiError) {
	o, _, err := c.owned(c.w.hooks, "Hook")
	if err != nil {
		return nil, err
	}
	o["enabled"] = on
	return obj{"success": true}, nil
}

func (s *Server) pingHook(c *call) (any, *apiError) {
	o, _, err := c.owned(c.w.hooks, "Hook")
	if err != nil {
		return nil, err
	}
	return obj{"address": o["url"], "attached": num(o["scenarioId"]) != 0, "learning": false, "gone": truthy(o["gone"])}, nil
}

func (s *Server) deleteHook(c *call) (any, *apiError) {
	_, out, err := c.deleteOwned(c.w.hooks, "Hook", "hook")
	return out, err
}
