package tools_test

import (
	"encoding/json"
	"strings"
	"testing"
)

// scenarioCols is the column selection scenarios_list sends.
const scenarioCols = "cols[]=id&cols[]=name&cols[]=description&cols[]=teamId&cols[]=folderId&cols[]=hookId" +
	"&cols[]=isActive&cols[]=isPaused&cols[]=isinvalid&cols[]=scheduling&cols[]=dlqCount&cols[]=lastEdit&cols[]=nextExec"

// ticket are inputs of scenario 5002, "Open a support ticket".
const ticket = `{"subject": "Printer on fire", "category": "technical", "customer": {"name": "Ada", "email": "ada@example.com"}}`

// echoFlow is a one-module flow that returns its text input.
const echoFlow = `[{"id":1,"module":"scenario-service:ReturnData","version":1,"mapper":{"echo":"{{var.input.text}}"}}]`

func TestScenarioTools(t *testing.T) {
	runCases(t, []toolCase{{
		name: "default team",
		tool: "scenarios_list", args: `{}`,
		want: []req{{method: "GET", path: "/scenarios", query: "teamId=3001&" + scenarioCols + "&pg[limit]=21"}},
		result: `{"hasMore": false, "items": [
			{"id": 5001, "name": "Greet a customer", "teamId": 3001, "folderId": 4001, "isActive": true, "scheduling": "on-demand", "lastEdit": "2025-02-11T10:02:31.118Z"},
			{"id": 5002}, {"id": 5003, "hookId": 6001, "dlqCount": 1, "scheduling": "immediately"}, {"id": 5004, "isActive": false, "scheduling": "weekly"},
			{"id": 5005}, {"id": 5006}]}`,
		check: func(t *testing.T, e *env, res json.RawMessage) {
			if strings.Contains(string(res), "nextOffset") || strings.Contains(string(res), "createdByUser") {
				t.Errorf("summary carries more than it should: %s", res)
			}
		},
	}, {
		name: "page",
		tool: "scenarios_list", args: `{"limit": 2, "offset": 1}`,
		want:   []req{{method: "GET", path: "/scenarios", query: "teamId=3001&" + scenarioCols + "&pg[limit]=3&pg[offset]=1"}},
		result: `{"hasMore": true, "nextOffset": 3, "items": [{"id": 5002}, {"id": 5003}]}`,
	}, {
		name: "organization and filters",
		tool: "scenarios_list", args: `{"organizationId": 2001, "isActive": false, "folderId": 4002, "limit": 500}`,
		want:   []req{{method: "GET", path: "/scenarios", query: "organizationId=2001&folderId=4002&isActive=false&" + scenarioCols + "&pg[limit]=101"}},
		result: `{"hasMore": false, "items": [{"id": 5005, "name": "Export customers to CSV", "scheduling": "on-demand"}]}`,
	}, {
		tool: "scenarios_get", args: `{"scenarioId": 5001}`,
		want: []req{
			{method: "GET", path: "/scenarios/5001", query: "cols[]=*"},
			{method: "GET", path: "/scenarios/5001/blueprint"},
		},
		result: `{"id": 5001, "name": "Greet a customer", "teamId": 3001, "scheduling": {"type": "on-demand"},
			"usedPackages": ["scenario-service"], "createdByUser": {"id": 1001},
			"blueprint": {"name": "Greet a customer", "flow": [{"id": 1, "module": "scenario-service:ReturnData"}]},
			"blueprintBytes": 636}`,
	}, {
		tool: "scenarios_create",
		args: `{"folderId": 4001, "scheduling": {"type": "on-demand"}, "blueprint": {"name": "Echo", "flow": ` + echoFlow + `,
			"metadata": {"version": 1}, "interface": {"input": [{"name": "text", "type": "text", "required": true}], "output": [{"name": "echo", "type": "text"}]}}}`,
		want: []req{{method: "POST", path: "/scenarios", query: "cols[]=*", body: `{"teamId": 3001, "folderId": 4001,
			"blueprint": "{\"name\":\"Echo\",\"flow\":` + strings.ReplaceAll(echoFlow, `"`, `\"`) + `,\"metadata\":{\"version\":1}}",
			"scheduling": "{\"type\":\"on-demand\"}",
			"metadata": {"input_spec": [{"name": "text", "type": "text", "required": true}], "output_spec": [{"name": "echo", "type": "text"}]}}`}},
		result: `{"name": "Echo", "teamId": 3001, "folderId": 4001, "isActive": false, "scheduling": {"type": "on-demand"}}`,
	}, {
		name: "name and description",
		tool: "scenarios_update", args: `{"scenarioId": 5004, "name": "Weekly digest", "description": "", "scheduling": {"type": "daily", "time": "07:30"}}`,
		want: []req{{method: "PATCH", path: "/scenarios/5004", query: "cols[]=*",
			body: `{"name": "Weekly digest", "description": "", "scheduling": "{\"type\":\"daily\",\"time\":\"07:30\"}"}`}},
		result: `{"id": 5004, "name": "Weekly digest", "description": "", "scheduling": {"type": "daily", "time": "07:30"}}`,
	}, {
		name: "blueprint keeps the interface",
		tool: "scenarios_update", args: `{"scenarioId": 5001, "blueprint": {"name": "Greet", "flow": ` + echoFlow + `, "metadata": {"version": 1}}}`,
		want: []req{
			{method: "GET", path: "/scenarios/5001/interface"},
			{method: "PATCH", path: "/scenarios/5001", query: "cols[]=*", body: "-"},
		},
		result: `{"id": 5001, "usedPackages": ["scenario-service"]}`,
		check: func(t *testing.T, e *env, _ json.RawMessage) {
			in, err := e.api.ScenarioInterface(t.Context(), 5001)
			if err != nil || len(in.Input) != 2 || in.Input[0].Name != "name" || len(in.Output) != 2 {
				t.Errorf("interface after a blueprint update = %+v, %v; want the two inputs and outputs kept", in, err)
			}
			bp, err := e.api.ScenarioBlueprint(t.Context(), 5001)
			if err != nil || !jsonEqual(bp.Blueprint, []byte(`{"name": "Greet", "flow": `+echoFlow+`, "metadata": {"version": 1}}`)) {
				t.Errorf("blueprint after update = %s, %v", bp.Blueprint, err)
			}
		},
	}, {
		tool: "scenarios_delete", args: `{"scenarioId": 5004}`,
		want:   []req{{method: "DELETE", path: "/scenarios/5004"}},
		result: `{"scenarioId": 5004, "deleted": true}`,
		check: func(t *testing.T, e *env, _ json.RawMessage) {
			if _, err := e.api.GetScenario(t.Context(), 5004); err == nil {
				t.Error("scenario 5004 is still there")
			}
		},
	}, {
		tool: "scenarios_activate", args: `{"scenarioId": 5005}`,
		want:   []req{{method: "POST", path: "/scenarios/5005/start"}},
		result: `{"scenarioId": 5005, "isActive": true}`,
	}, {
		name: "already active",
		tool: "scenarios_activate", args: `{"scenarioId": 5001}`,
		want:   []req{{method: "POST", path: "/scenarios/5001/start"}},
		result: `{"scenarioId": 5001, "isActive": true, "note": "it was so already"}`,
	}, {
		tool: "scenarios_deactivate", args: `{"scenarioId": 5001}`,
		want:   []req{{method: "POST", path: "/scenarios/5001/stop"}},
		result: `{"scenarioId": 5001, "isActive": false}`,
	}, {
		name: "already inactive",
		tool: "scenarios_deactivate", args: `{"scenarioId": 5004}`,
		want:   []req{{method: "POST", path: "/scenarios/5004/stop"}},
		result: `{"scenarioId": 5004, "isActive": false, "note": "it was so already"}`,
	}, {
		tool: "scenarios_run", args: `{"scenarioId": 5001, "data": {"name": "Ada"}}`,
		want:   []req{{method: "POST", path: "/scenarios/5001/run", body: `{"data": {"name": "Ada"}, "responsive": true}`}},
		result: `{"status": "success", "outputs": {"greeting": "Hello, Ada! Thanks for being with us.", "language": "en"}}`,
		check: func(t *testing.T, e *env, res json.RawMessage) {
			id := decode[struct{ ExecutionID string }](t, res).ExecutionID
			if len(id) != 32 {
				t.Errorf("executionId %q", id)
			}
		},
	}, {
		name: "not responsive",
		tool: "scenarios_run", args: `{"scenarioId": 5002, "data": ` + ticket + `, "responsive": false, "callbackUrl": "https://example.com/done"}`,
		want: []req{{method: "POST", path: "/scenarios/5002/run",
			body: `{"data": ` + ticket + `, "responsive": false, "callbackUrl": "https://example.com/done"}`}},
		result: `{"status": "running"}`,
		check: func(t *testing.T, e *env, res json.RawMessage) {
			r := decode[struct{ ExecutionID, Note string }](t, res)
			if r.ExecutionID == "" || !strings.Contains(r.Note, "executions_get-detail") {
				t.Errorf("result %s: want the executionId and where to follow it", res)
			}
		},
	}, {
		tool: "scenarios_interface", args: `{"scenarioId": 5001}`,
		want: []req{{method: "GET", path: "/scenarios/5001/interface"}},
		result: `{"input": [{"name": "name", "type": "text", "label": "Name", "help": "The customer's first name.", "required": true},
			{"name": "language", "type": "select", "default": "en", "options": [{"value": "en", "label": "English"}, {"value": "de"}, {"value": "cs"}]}],
			"output": [{"name": "greeting"}, {"name": "language"}]}`,
	}, {
		name: "inputs only",
		tool: "scenarios_set-interface", args: `{"scenarioId": 5005, "interface": {"input": [{"name": "since", "type": "date", "required": true}]}}`,
		want: []req{
			{method: "GET", path: "/scenarios/5005/interface"},
			{method: "PATCH", path: "/scenarios/5005/interface", body: `{"interface": {
				"input": [{"name": "since", "type": "date", "required": true}],
				"output": [{"name": "fileUrl", "type": "text", "label": "File"}]}}`},
		},
		result: `{"input": [{"name": "since", "required": true}], "output": [{"name": "fileUrl"}]}`,
	}, {
		name: "both",
		tool: "scenarios_set-interface", args: `{"scenarioId": 5005, "interface": {"input": [], "output": [{"name": "count", "type": "number"}]}}`,
		want:   []req{{method: "PATCH", path: "/scenarios/5005/interface", body: `{"interface": {"input": [], "output": [{"name": "count", "type": "number"}]}}`}},
		result: `{"input": [], "output": [{"name": "count", "type": "number"}]}`,
	}, {
		tool: "folders_list", args: `{}`,
		want: []req{{method: "GET", path: "/scenarios-folders", query: "teamId=3001&cols[]=*"}},
		result: `{"hasMore": false, "items": [
			{"id": 4001, "name": "Customer care", "path": "Customer care", "scenariosTotal": 2, "scenariosSubtreeTotal": 3, "hasChildren": true},
			{"id": 4002, "path": "Customer care/Exports", "parentId": 4001, "scenariosTotal": 1}]}`,
	}, {
		name: "inside a folder, all levels",
		tool: "folders_list", args: `{"parentId": 4001, "childrenDepth": "all", "limit": 1}`,
		want:   []req{{method: "GET", path: "/scenarios-folders", query: "teamId=3001&parentId=4001&childrenDepth=all&cols[]=*"}},
		result: `{"hasMore": false, "items": [{"id": 4002, "hasChildren": false}]}`,
	}})
}

func TestScenarioToolArguments(t *testing.T) {
	e := newEnv(t, options{})
	for _, c := range []struct{ tool, args, want string }{
		{"scenarios_list", `{"teamId": 3001, "organizationId": 2001}`, "not both"},
		{"scenarios_create", `{"scheduling": {"type": "hourly"}, "blueprint": {"name": "x", "flow": []}}`, `scheduling.type "hourly" is not one of on-demand, immediately`},
		{"scenarios_create", `{"scheduling": {"type": "on-demand"}, "blueprint": "{}"}`, "blueprint"},
		{"scenarios_create", `{"scheduling": {"type": "on-demand"}}`, "blueprint"},
		{"scenarios_create", `{"scheduling": {"type": "on-demand"}, "blueprint": {"name": "x"}}`, "The blueprint has no flow"},
		{"scenarios_update", `{"scenarioId": 5001}`, "nothing to change"},
		{"scenarios_update", `{"scenarioId": 5001, "description": "` + strings.Repeat("x", 241) + `"}`, "at most 240"},
		{"scenarios_set-interface", `{"scenarioId": 5001, "interface": {}}`, "give input, output or both"},
		{"scenarios_run", `{"scenarioId": 5005}`, "Scenario is not activated"},
		{"scenarios_run", `{"scenarioId": 5001, "data": {}}`, "Missing value of required parameter 'name'"},
		{"folders_list", `{"childrenDepth": "2"}`, `childrenDepth "2"`},
	} {
		if got := e.fails(c.tool, json.RawMessage(c.args)); !strings.Contains(got, c.want) {
			t.Errorf("%s %s: error %q, want it to say %q", c.tool, c.args, got, c.want)
		}
	}
}
