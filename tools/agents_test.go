package tools_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/makemcp/makemcp/makeapi/makefake"
)

// The demo organization has one agent, with one connected system.
const (
	demoAgent  = "a1b2c3d4-e5f6-7890-abcd-ef1234567890"
	demoSystem = "b2c3d4e5-f6a7-8901-bcde-f12345678901"
)

func TestAgentLifecycles(t *testing.T) {
	for _, c := range []lifecycle{{
		create: "on-prem-agent_create", createArgs: `{"name": "Warehouse bridge"}`,
		list: "on-prem-agent_list", listArgs: `{}`, get: "on-prem-agent_get", update: "on-prem-agent_update", del: "on-prem-agent_delete",
		id: "agentId", updateArgs: `{"name": "Old warehouse bridge"}`, changed: "name", toValue: "Old warehouse bridge",
	}, {
		create:     "connected-system_create",
		createArgs: `{"name": "SAP test", "agentId": "` + demoAgent + `", "appName": "sap-agent", "inputs": {"ashost": "10.0.0.7", "sysnr": "01", "client": "200"}}`,
		list:       "connected-system_list", listArgs: `{"agentId": "` + demoAgent + `"}`,
		get: "connected-system_get", update: "connected-system_update", del: "connected-system_delete",
		id: "connectedSystemId", updateArgs: `{"name": "SAP QA"}`, changed: "name", toValue: "SAP QA",
	}} {
		t.Run(c.create, func(t *testing.T) {
			t.Parallel()
			runLifecycle(t, c)
		})
	}
}

func TestAgentTools(t *testing.T) {
	runCases(t, []toolCase{{
		tool: "on-prem-agent_list", args: `{}`,
		want:   []req{{method: "GET", path: "/agents", query: "organizationId=2001"}},
		result: `{"hasMore": false, "items": [{"id": "` + demoAgent + `", "name": "Production bridge", "status": "ACTIVE"}]}`,
	}, {
		tool: "on-prem-agent_get", args: `{"agentId": "` + demoAgent + `"}`,
		want:   []req{{method: "GET", path: "/agents/" + demoAgent, query: "organizationId=2001"}},
		result: `{"id": "` + demoAgent + `", "systemConnectionsCount": 2}`,
	}, {
		// The organization goes in the query, the name in the body; the
		// answer holds the secret Make shows only once.
		tool: "on-prem-agent_create", args: `{"name": "Branch office"}`,
		want:   []req{{method: "POST", path: "/agent/register", query: "organizationId=2001", body: `{"name": "Branch office"}`}},
		result: `{"name": "Branch office", "status": "REGISTERED"}`,
		check: func(t *testing.T, e *env, res json.RawMessage) {
			created := decode[map[string]any](t, res)
			if created["clientSecret"] == nil {
				t.Errorf("registration without its client secret: %s", res)
			}
			got := e.ok("on-prem-agent_get", map[string]any{"agentId": created["id"]})
			if strings.Contains(string(got), "clientSecret") {
				t.Errorf("the secret is shown again: %s", got)
			}
		},
	}, {
		tool: "on-prem-agent_update", args: `{"agentId": "` + demoAgent + `", "name": "Main bridge"}`,
		want:   []req{{method: "PATCH", path: "/agents/" + demoAgent, query: "organizationId=2001", body: `{"name": "Main bridge"}`}},
		result: `{"id": "` + demoAgent + `", "name": "Main bridge"}`,
	}, {
		tool: "on-prem-agent_delete", args: `{"agentId": "` + demoAgent + `"}`,
		want:   []req{{method: "DELETE", path: "/agents/" + demoAgent, query: "organizationId=2001"}},
		result: `{"agentId": "` + demoAgent + `", "deleted": true}`,
		check: func(t *testing.T, e *env, _ json.RawMessage) {
			// Its connected systems go with it.
			if msg := e.fails("connected-system_get", map[string]any{"connectedSystemId": demoSystem}); !strings.Contains(msg, "404") {
				t.Errorf("a system of a deleted agent: %s", msg)
			}
		},
	}, {
		tool: "on-prem-agent_get-app-config", args: `{"agentId": "` + demoAgent + `", "appName": "sap-agent"}`,
		want:   []req{{method: "GET", path: "/agents/" + demoAgent + "/apps/sap-agent/config", query: "organizationId=2001"}},
		result: `{"inputs": [{"name": "inputs", "type": "collection"}]}`,
	}, {
		tool: "connected-system_list", args: `{"agentId": "` + demoAgent + `"}`,
		want:   []req{{method: "GET", path: "/connected-systems", query: "organizationId=2001&agentId=" + demoAgent}},
		result: `{"hasMore": false, "items": [{"id": "` + demoSystem + `", "appName": "sap-agent"}]}`,
	}, {
		tool: "connected-system_get", args: `{"connectedSystemId": "` + demoSystem + `"}`,
		want:   []req{{method: "GET", path: "/connected-systems/" + demoSystem, query: "organizationId=2001"}},
		result: `{"id": "` + demoSystem + `", "agentId": "` + demoAgent + `"}`,
	}, {
		// Make takes the inputs keyed by name and keeps them as a list.
		tool: "connected-system_create", args: `{"name": "Intranet", "agentId": "` + demoAgent + `", "appName": "http", "inputs": {"url": "http://intranet"}}`,
		want: []req{{method: "POST", path: "/connected-systems", query: "organizationId=2001",
			body: `{"name": "Intranet", "agentId": "` + demoAgent + `", "appName": "http", "inputs": {"url": "http://intranet"}}`}},
		result: `{"name": "Intranet", "appName": "http", "inputs": [{"name": "url", "value": "http://intranet"}]}`,
	}, {
		tool: "connected-system_update", args: `{"connectedSystemId": "` + demoSystem + `", "inputs": {"client": "300"}}`,
		want: []req{{method: "PATCH", path: "/connected-systems/" + demoSystem, query: "organizationId=2001",
			body: `{"inputs": {"client": "300"}}`}},
		result: `{"id": "` + demoSystem + `", "name": "SAP production", "inputs": [{"name": "client", "value": "300"}]}`,
	}, {
		tool: "connected-system_delete", args: `{"connectedSystemId": "` + demoSystem + `"}`,
		want:   []req{{method: "DELETE", path: "/connected-systems/" + demoSystem, query: "organizationId=2001"}},
		result: `{"connectedSystemId": "` + demoSystem + `", "deleted": true}`,
	}, {
		tool: "connected-system_list-apps", args: `{}`,
		want:   []req{{method: "GET", path: "/enums/connected-system-apps"}},
		result: `{"hasMore": false, "items": [{"name": "http"}, {"name": "sap-agent"}]}`,
	}})
}

func TestAgentToolArguments(t *testing.T) {
	e := newEnv(t, options{})
	for _, c := range []struct{ tool, args, want string }{
		// An id that would change the path never reaches Make.
		{"on-prem-agent_get", `{"agentId": ".."}`, "is not an id"},
		{"on-prem-agent_delete", `{"agentId": "../agents"}`, "cannot hold /"},
		{"on-prem-agent_get-app-config", `{"agentId": "` + demoAgent + `", "appName": "http?x=1"}`, "cannot hold"},
		{"connected-system_get", `{"connectedSystemId": ""}`, "must not be empty"},
		{"connected-system_update", `{"connectedSystemId": "%2e%2e", "name": "x"}`, "cannot hold"},
		{"on-prem-agent_get", `{}`, "agentId"},
		{"on-prem-agent_create", `{"name": " "}`, "name must not be empty"},
		{"on-prem-agent_update", `{"agentId": "` + demoAgent + `"}`, "nothing to change"},
		{"connected-system_list", `{}`, "agentId"},
		{"connected-system_create", `{"name": "x", "agentId": "` + demoAgent + `", "appName": "http"}`, "inputs"},
		{"connected-system_create", `{"name": "x", "agentId": "", "appName": "http", "inputs": {}}`, "must not be empty"},
		{"connected-system_update", `{"connectedSystemId": "` + demoSystem + `"}`, "nothing to change"},
	} {
		if got := e.fails(c.tool, json.RawMessage(c.args)); !strings.Contains(got, c.want) {
			t.Errorf("%s %s: error %q, want it to say %q", c.tool, c.args, got, c.want)
		}
	}
	e.wantRequests()
	// Make checks the agent and the app.
	if got := e.fails("connected-system_create", json.RawMessage(`{"name": "x", "agentId": "`+demoAgent+`", "appName": "ftp", "inputs": {}}`)); !strings.Contains(got, "connected-system_list-apps") {
		t.Errorf("an unknown app: %q", got)
	}
	if got := e.fails("on-prem-agent_get", json.RawMessage(`{"agentId": "`+demoSystem+`"}`)); !strings.Contains(got, "404") {
		t.Errorf("an unknown agent: %q", got)
	}
	if got := e.fails("on-prem-agent_get", json.RawMessage(`{"agentId": "`+demoAgent+`", "organizationId": 999}`)); !strings.Contains(got, "403") {
		t.Errorf("an organization that is not the user's: %q", got)
	}
}

// Deleting an agent or a connected system asks the user first.
func TestAgentDeletesAsk(t *testing.T) {
	runDeleteAsks(t, []deleteAsk{{
		tool: "on-prem-agent_delete", args: `{"agentId": "` + demoAgent + `"}`,
		question: `Delete on-premise agent ` + demoAgent + `? This cannot be undone.`,
		act:      req{method: "DELETE", path: "/agents/" + demoAgent, query: "organizationId=2001"},
		get:      "on-prem-agent_get", getArgs: `{"agentId": "` + demoAgent + `"}`,
	}, {
		tool: "connected-system_delete", args: `{"connectedSystemId": "` + demoSystem + `"}`,
		question: `Delete connected system ` + demoSystem + `? This cannot be undone.`,
		act:      req{method: "DELETE", path: "/connected-systems/" + demoSystem, query: "organizationId=2001"},
		get:      "connected-system_get", getArgs: `{"connectedSystemId": "` + demoSystem + `"}`,
	}})
}

// An agent of an organization in another zone is reached there: its
// calls go to the zone of the organization they name.
func TestAgentsOfAnotherZone(t *testing.T) {
	e := newEnv(t, options{inProcess: true, fake: makefake.Options{Zones: []string{"eu1.make.com", "us1.make.com"}},
		setup: func(f *makefake.Server) {
			if err := f.AddOrganization(2101, "Acme US", "us1.make.com"); err != nil {
				t.Fatal(err)
			}
		}})
	if _, err := e.api.Organizations(t.Context()); err != nil {
		t.Fatal(err)
	}
	created := decode[struct{ ID string }](t, e.ok("on-prem-agent_create", map[string]any{"organizationId": 2101, "name": "US bridge"}))
	e.ok("on-prem-agent_update", map[string]any{"organizationId": 2101, "agentId": created.ID, "name": "US east bridge"})
	got := decode[map[string]any](t, e.ok("on-prem-agent_get", map[string]any{"organizationId": 2101, "agentId": created.ID}))
	if got["name"] != "US east bridge" {
		t.Errorf("agent after update: %v", got)
	}
	for _, r := range e.takeRequests() {
		if r.Path != "/api/v2/organizations" && r.Host != "us1.make.com" {
			t.Errorf("%s %s went to %s, want us1.make.com", r.Method, r.Path, r.Host)
		}
	}
}
