package makefake

import (
	"fmt"
	"slices"

	"github.com/makemcp/makemcp/makeapi/scope"
)

// On-premise agents and connected systems. Their ids are UUIDs, and
// every call names the organization in its query.

var agentResources = []*resource{connectedSystemAppResource, agentResource, connectedSystemResource}

var (
	agentResource = &resource{path: "/agents", one: "agent", many: "agents", read: scope.AgentsRead, write: scope.AgentsWrite,
		owner: "organizationId", fixtures: []string{"on-prem-agents/list.json", "on-prem-agents/get.json"}, only: []string{"list"}}
	// only names no call: every call of connected systems is
	// routeAgents', which checks the organization in the query and the
	// agent.
	connectedSystemResource = &resource{path: "/connected-systems", one: "connectedSystem", many: "connectedSystems",
		read: scope.AgentsRead, write: scope.AgentsWrite, owner: "organizationId",
		fixtures: []string{"connected-systems/list.json", "connected-systems/get.json"}, only: []string{"none"}}
	connectedSystemAppResource = &resource{path: "/enums/connected-system-apps", key: "name", many: "connectedSystemApps",
		read: scope.AgentsRead, fixtures: []string{"enums/connected-system-apps.json"}, only: []string{"list"}}
)

func (s *Server) routeAgents() {
	h := s.handle
	agents, systems := agentResource, connectedSystemResource
	h("POST /agent/register", scope.AgentsWrite, s.registerAgent)
	h("GET /agents/{id}", scope.AgentsRead, inQueryOrg(agents, agents.get))
	h("PATCH /agents/{id}", scope.AgentsWrite, inQueryOrg(agents, agents.update))
	h("DELETE /agents/{id}", scope.AgentsWrite, inQueryOrg(agents, s.deleteAgent))
	h("GET /agents/{id}/apps/{app}/config", scope.AgentsRead, inQueryOrg(agents, s.agentAppConfig))
	h("GET /connected-systems", scope.AgentsRead, s.listConnectedSystems)
	h("POST /connected-systems", scope.AgentsWrite, s.createConnectedSystem)
	h("GET /connected-systems/{id}", scope.AgentsRead, inQueryOrg(systems, systems.get))
	h("PATCH /connected-systems/{id}", scope.AgentsWrite, inQueryOrg(systems, s.updateConnectedSystem))
	h("DELETE /connected-systems/{id}", scope.AgentsWrite, inQueryOrg(systems, systems.delete))
}

// inQueryOrg serves a call about one member of a collection whose calls
// name the organization in the query (agents, connected systems): the
// organization must be given, live in this zone and own the member.
func inQueryOrg(r *resource, h handler) handler {
	return func(c *call) (any, *apiError) {
		org, err := c.queryOrg()
		if err != nil {
			return nil, err
		}
		if o := r.collectionOf(c).byKey[c.r.PathValue("id")]; o == nil || num(o[r.owner]) != org {
			return nil, errNotFound(r.what())
		}
		return h(c)
	}
}

// newUUID makes an id in the shape of Make's agent ids, from the
// account's sequence so that tests can predict it.
func (w *world) newUUID() string {
	return fmt.Sprintf("00000000-0000-4000-8000-%012d", w.newID())
}

func (s *Server) registerAgent(c *call) (any, *apiError) {
	org, err := c.queryOrg()
	if err != nil {
		return nil, err
	}
	b, err := c.bodyObject()
	if err != nil {
		return nil, err
	}
	name, err := requiredText(b, "name", 0)
	if err != nil {
		return nil, err
	}
	id := c.w.newUUID()
	a := obj{"id": id, "tenantId": "tenant-" + itoa(org), "name": name, "status": "REGISTERED",
		"alerted": false, "connected": false, "organizationId": jsonNumber(org)}
	c.w.collectionAt(agentResource.path).put(id, a)
	// The secret is in the registration's answer only.
	out := clone(a)
	out["clientSecret"] = "secret-" + id
	return obj{"agent": out}, nil
}

// deleteAgent deletes an agent with the systems it connects, which
// nothing could reach any more.
func (s *Server) deleteAgent(c *call) (any, *apiError) {
	id := c.r.PathValue("id")
	systems := c.w.collectionAt(connectedSystemResource.path)
	for _, cs := range systems.list() {
		if str(cs["agentId"]) == id {
			systems.del(str(cs["id"]))
		}
	}
	return agentResource.delete(c)
}

func (s *Server) agentAppConfig(c *call) (any, *apiError) {
	if connectedSystemAppResource.collectionOf(c).byKey[c.r.PathValue("app")] == nil {
		return nil, errNotFound("Connected system app")
	}
	config, err := readFixture("on-prem-agents/app-config.json")
	if err != nil {
		return nil, &apiError{status: 500, Detail: err.Error(), Message: "Internal Server Error", Code: "SC500"}
	}
	return config, nil
}

func (s *Server) listConnectedSystems(c *call) (any, *apiError) {
	org, err := c.queryOrg()
	if err != nil {
		return nil, err
	}
	agent := c.r.URL.Query().Get("agentId")
	if agent == "" {
		return nil, errBadRequest("Validation failed.", "Missing value of required parameter 'agentId'.")
	}
	if a := c.w.collectionAt(agentResource.path).byKey[agent]; a == nil || num(a["organizationId"]) != org {
		return nil, errNotFound("Agent")
	}
	items := slices.DeleteFunc(c.w.collectionAt(connectedSystemResource.path).list(), func(o obj) bool {
		return str(o["agentId"]) != agent
	})
	return obj{"connectedSystems": items}, nil
}

// applyConnectedSystem sets the fields a connected system's create or
// update gives. Make takes the inputs keyed by name and keeps them as a
// list of {name, value}.
func (c *call) applyConnectedSystem(cs, b obj, org int64) *apiError {
	for k, v := range b {
		switch k {
		case "name":
			if _, err := requiredText(b, k, 0); err != nil {
				return err
			}
			cs[k] = v
		case "agentId":
			if a := c.w.collectionAt(agentResource.path).byKey[str(v)]; a == nil || num(a["organizationId"]) != org {
				return errBadRequest("Validation failed.", "Unknown agentId: on-prem-agent_list lists the agents.")
			}
			cs[k] = v
		case "appName":
			if connectedSystemAppResource.collectionOf(c).byKey[str(v)] == nil {
				return errBadRequest("Validation failed.", "Unknown appName: connected-system_list-apps lists the apps.")
			}
			cs[k] = v
		case "inputs":
			in, ok := v.(map[string]any)
			if !ok {
				return errBadRequest("Validation failed.", "Parameter 'inputs' must be an object keyed by field name.")
			}
			var inputs []any
			for _, name := range sortedKeys(in) {
				inputs = append(inputs, obj{"name": name, "value": in[name]})
			}
			cs[k] = inputs
		default:
			return errBadRequest("Validation failed.", "Unknown parameter '"+k+"'.")
		}
	}
	return nil
}

func (s *Server) createConnectedSystem(c *call) (any, *apiError) {
	org, err := c.queryOrg()
	if err != nil {
		return nil, err
	}
	b, err := c.bodyObject()
	if err != nil {
		return nil, err
	}
	for _, k := range []string{"name", "agentId", "appName", "inputs"} {
		if b[k] == nil {
			return nil, errBadRequest("Validation failed.", "Missing value of required parameter '"+k+"'.")
		}
	}
	cs := obj{}
	if err := c.applyConnectedSystem(cs, b, org); err != nil {
		return nil, err
	}
	id := c.w.newUUID()
	cs["id"], cs["organizationId"] = id, jsonNumber(org)
	c.w.collectionAt(connectedSystemResource.path).put(id, cs)
	return obj{"connectedSystem": cs}, nil
}

func (s *Server) updateConnectedSystem(c *call) (any, *apiError) {
	cs, _, err := connectedSystemResource.member(c)
	if err != nil {
		return nil, err
	}
	b, err := c.bodyObject()
	if err != nil {
		return nil, err
	}
	changed := clone(cs)
	if err := c.applyConnectedSystem(changed, b, num(cs["organizationId"])); err != nil {
		return nil, err
	}
	merge(cs, changed)
	return obj{"connectedSystem": cs}, nil
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
