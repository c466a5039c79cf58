package tools_test

import (
	"encoding/json"
	"testing"

	"github.com/makemcp/makemcp/makeapi/makefake"
	"github.com/makemcp/makemcp/tools"
)

// Every reading tool's result, built from the answers in Make's own
// fixtures, passes its output schema (the SDK checks each result against
// it and fails the call otherwise).
func TestReadToolsOnMakeFixtures(t *testing.T) {
	e := newEnv(t, options{fake: makefake.Options{Seed: makefake.Fixtures}, deps: func(d *tools.Deps) {
		d.OrganizationID, d.TeamID = 10, 215
	}})
	calls := []struct{ tool, args string }{
		{"users_me", `{}`},
		{"organizations_list", `{}`},
		{"organizations_get", `{}`},
		{"teams_list", `{"organizationId": 10}`},
		{"teams_get", `{"teamId": 1}`},
		{"scenarios_list", `{}`},
		{"scenarios_get", `{"scenarioId": 925}`},
		{"scenarios_interface", `{"scenarioId": 925}`},
		{"folders_list", `{"teamId": 18, "childrenDepth": "all"}`},
		{"executions_list", `{"scenarioId": 925}`},
		{"executions_get", `{"scenarioId": 925, "executionId": "cc1c49323b344687a324888762206003"}`},
		{"incomplete-executions_list", `{"scenarioId": 925}`},
		{"incomplete-executions_get", `{"incompleteExecutionId": "a07e16f2ad134bf49cf83a00aa95c0a5"}`},
		{"connections_list", `{"teamId": 4}`},
		{"connections_get", `{"connectionId": 93}`},
		{"hooks_list", `{"teamId": 4}`},
		{"hooks_get", `{"hookId": 58}`},
		{"data-stores_list", `{"teamId": 123}`},
		{"data-stores_get", `{"dataStoreId": 137}`},
		{"data-store-records_list", `{"dataStoreId": 137}`},
		{"data-structures_list", `{"teamId": 1}`},
		{"data-structures_get", `{"dataStructureId": 9}`},
		{"sdk-apps_get-section", `{"name": "postman-test-app-1", "version": 1, "section": "base"}`},
		{"sdk-apps_get-docs", `{"name": "postman-test-app-1", "version": 1}`},
		{"sdk-apps_get-icon", `{"name": "postman-test-app-1", "version": 1, "size": 64}`},
		{"sdk-connections_get-section", `{"connectionName": "custom-app-13", "section": "api"}`},
		{"sdk-webhooks_get-section", `{"webhookName": "custom-app-12", "section": "api"}`},
		{"sdk-modules_get-section", `{"appName": "postman-test-app-1", "appVersion": 1, "moduleName": "getEntity", "section": "api"}`},
		{"sdk-rpcs_get-section", `{"appName": "postman-test-app-1", "appVersion": 1, "rpcName": "listUsers", "section": "api"}`},
		{"sdk-functions_get-code", `{"appName": "postman-test-app-1", "appVersion": 1, "functionName": "myFunction"}`},
		{"sdk-functions_get-test", `{"appName": "postman-test-app-1", "appVersion": 1, "functionName": "myFunction"}`},
		{"sdk-endpoints_get-section", `{"appName": "postman-test-app-1", "appVersion": 1, "endpointName": "getEntity", "section": "api"}`},
	}
	seen := map[string]bool{}
	for _, c := range calls {
		e.ok(c.tool, json.RawMessage(c.args))
		seen[c.tool] = true
	}
	// executions_get-detail: the first logged execution carries the
	// fixture's outputs.
	list := decode[struct{ Items []struct{ ID string } }](t, e.ok("executions_list", map[string]any{"scenarioId": 925}))
	e.ok("executions_get-detail", map[string]any{"scenarioId": 925, "executionId": list.Items[0].ID})
	seen["executions_get-detail"] = true
	for _, tool := range tools.All() {
		if tool.ReadOnly() && typedResult(tool) && !seen[tool.Def.Name] {
			t.Errorf("read-only tool %s is not called here", tool.Def.Name)
		}
	}
}

// typedResult reports whether a tool's output schema says more than "an
// object" (or a page of them): a tool that passes Make's objects on as
// they come cannot fail its schema.
func typedResult(tool tools.Tool) bool {
	_, out := tool.Schemas()
	if items := out.Properties["items"]; items != nil && out.Properties["hasMore"] != nil {
		out = items.Items
	}
	return out != nil && len(out.Properties) > 0
}
