package tools_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/makemcp/makemcp/makeapi/makefake"
	"github.com/makemcp/makemcp/tools"
)

// Make's 404 reaches the model as a tool error carrying Make's message.
func TestNotFound(t *testing.T) {
	e := newEnv(t, options{})
	for _, c := range []struct{ tool, args, want string }{
		{"scenarios_get", `{"scenarioId": 999}`, "Make API: 404 Scenario not found. (SC404)"},
		{"scenarios_delete", `{"scenarioId": 999}`, "404 Scenario not found"},
		{"executions_get-detail", `{"scenarioId": 5001, "executionId": "0123456789abcdef0123456789abcdef"}`, "404 Execution not found"},
		{"incomplete-executions_get", `{"incompleteExecutionId": "0123456789abcdef0123456789abcdef"}`, "404 Incomplete execution not found"},
		{"connections_get", `{"connectionId": 999}`, "404 Connection not found"},
		{"hooks_get", `{"hookId": 999}`, "404 Hook not found"},
		{"hooks_delete", `{"hookId": 999}`, "404 Hook not found"},
		{"data-stores_get", `{"dataStoreId": 999}`, "404 Data store not found"},
		{"data-store-records_update", `{"dataStoreId": 8001, "key": "nope", "data": {"plan": "pro"}}`, "404 Record not found"},
		{"data-structures_get", `{"dataStructureId": 999}`, "404 Data structure not found"},
	} {
		if got := e.fails(c.tool, json.RawMessage(c.args)); !strings.Contains(got, c.want) {
			t.Errorf("%s %s: error %q, want it to say %q", c.tool, c.args, got, c.want)
		}
	}
}

// Arguments the schema requires are checked before Make is asked.
func TestMissingArgument(t *testing.T) {
	e := newEnv(t, options{})
	for _, c := range []struct{ tool, args, want string }{
		{"scenarios_get", `{}`, "scenarioId"},
		{"scenarios_create", `{"blueprint": {"name": "x", "flow": []}}`, "scheduling"},
		{"executions_get", `{"scenarioId": 5001}`, "executionId"},
		{"incomplete-executions_retry", `{}`, "incompleteExecutionId"},
		{"connections_verify", `{}`, "connectionId"},
		{"hooks_delete", `{}`, "hookId"},
		{"data-store-records_delete", `{"dataStoreId": 8001}`, "keys"},
		{"data-structures_get", `{}`, "dataStructureId"},
		{"scenarios_get", `{"scenarioId": "5001"}`, "scenarioId"},
		{"scenarios_list", `{"teamid": 3001}`, "teamid"},
	} {
		if got := e.fails(c.tool, json.RawMessage(c.args)); !strings.Contains(got, c.want) {
			t.Errorf("%s %s: error %q, want it to name %q", c.tool, c.args, got, c.want)
		}
	}
	e.wantRequests()
}

// A tool whose scope the credential lacks says which scope, and how to
// get it.
func TestMissingScope(t *testing.T) {
	scopes := []string{"scenarios:read", "teams:read", "organizations:read"}
	e := newEnv(t, options{token: "limited", scopes: scopes, deps: func(d *tools.Deps) { d.Scopes = scopes }})
	for tool, scope := range map[string]string{
		"hooks_list":                  "hooks:read",
		"scenarios_run":               "scenarios:run",
		"data-store-records_delete":   "datastores:write",
		"incomplete-executions_retry": "dlqs:write",
	} {
		args := map[string]any{"scenarioId": 5001, "dataStoreId": 8001, "keys": []string{ada}, "incompleteExecutionId": demoDLQ}
		args = onlyArgs(t, tool, args)
		got := e.fails(tool, args)
		if !strings.HasPrefix(got, "missing scope "+scope+": run `makemcp login --scopes ...`") || !strings.Contains(got, "403") {
			t.Errorf("%s: error %q, want it to name the missing scope %s", tool, got, scope)
		}
	}
	// With the scopes unknown (an API token), Make's own message is shown.
	e = newEnv(t, options{token: "limited", scopes: scopes})
	if got := e.fails("hooks_list", map[string]any{}); got != "Make API: 403 Access denied: The credential lacks the scope hooks:read (SC403)" {
		t.Errorf("hooks_list with unknown scopes: %q", got)
	}
}

// onlyArgs keeps the arguments a tool takes.
func onlyArgs(t *testing.T, tool string, args map[string]any) map[string]any {
	for _, tl := range tools.All() {
		if tl.Def.Name != tool {
			continue
		}
		b, _ := json.Marshal(tl.Def.InputSchema)
		var s struct{ Properties map[string]any }
		_ = json.Unmarshal(b, &s)
		out := map[string]any{}
		for k, v := range args {
			if _, ok := s.Properties[k]; ok {
				out[k] = v
			}
		}
		return out
	}
	t.Fatalf("no tool %s", tool)
	return nil
}

// Without a default team, a tool that needs one says how to give it.
func TestNoDefaultTeam(t *testing.T) {
	e := newEnv(t, options{deps: func(d *tools.Deps) { d.TeamID = 0 }})
	for _, tool := range []string{"scenarios_list", "folders_list", "connections_list", "hooks_list", "data-stores_list", "data-structures_list"} {
		if got := e.fails(tool, map[string]any{}); !strings.Contains(got, "teamId is required: pass it (teams_list shows the teams), or start makemcp with --team") {
			t.Errorf("%s without a team: %q", tool, got)
		}
	}
	e.wantRequests()
	// An explicit team needs no default.
	e.ok("hooks_list", map[string]any{"teamId": demoTeam})
}

// Make's errors keep their detail and suberrors, on one line.
func TestMakeErrorShown(t *testing.T) {
	e := newEnv(t, options{})
	e.fake.Inject(makefake.Fault{Method: "GET", Path: "/api/v2/hooks/6001", Status: 400,
		Body: []byte(`{"detail": "Validation failed.", "code": "IM005", "suberrors": [{"message": "First\nproblem."}, {"message": "Second."}]}`)})
	if got := e.fails("hooks_get", map[string]any{"hookId": 6001}); got != "Make API: 400 Validation failed: First problem; Second (IM005)" {
		t.Errorf("error = %q", got)
	}
}
