package e2e

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/makemcp/makemcp/makeapi/makefake"
)

// The official TypeScript SDK client, as MCP hosts such as Claude Desktop
// and VS Code embed it, drives `makemcp serve --demo` over stdio.

// defaultToolsets are the tools serve lists without --toolsets: the
// account, scenarios and executions toolsets.
var defaultTools = []string{
	"users_me", "organizations_list", "organizations_get", "teams_list", "teams_get",
	"scenarios_list", "scenarios_get",
	"scenarios_activate", "scenarios_deactivate", "scenarios_run", "scenarios_interface",
	"folders_list",
	"executions_list", "executions_get", "executions_get-detail",
	"incomplete-executions_list", "incomplete-executions_get", "incomplete-executions_retry",
}

// annotations are the four hints every tool must set explicitly.
var annotations = []string{"readOnlyHint", "destructiveHint", "idempotentHint", "openWorldHint"}

// scenarioSummary is an item of scenarios_list.
type scenarioSummary struct {
	ID       int64  `json:"id"`
	Name     string `json:"name"`
	IsActive bool   `json:"isActive"`
}

func TestSDKClientServeDemo(t *testing.T) {
	t.Parallel()
	m := newMachine(t, machineOptions{})
	s := m.mcpClient([]string{"serve", "--demo"},
		listTools(),                     // 0
		callTool("scenarios_list", nil), // 1: a read
		callTool("scenarios_activate", map[string]any{"scenarioId": 5004}), // 2: a write
		callTool("scenarios_get", map[string]any{"scenarioId": 5004}),      // 3: read back
		callTool("scenarios_get", map[string]any{"scenarioId": 999999}),    // 4: Make says 404
		callTool("users_me", nil), // 5: still serving
		// 6: Make holds this run for 40 s: cancel it a moment in.
		callAndAbort("scenarios_run", map[string]any{"scenarioId": 5006, "data": map[string]any{"quarter": "Q1", "year": 2025}}, 500),
		callTool("teams_list", nil), // 7: answered (within the client's 20 s timeout)
		step{Op: "ping"},            // 8
	)

	t.Run("initialize", func(t *testing.T) {
		init := s.Initialize
		if init.Server.Name != "makemcp" || init.Server.Version == "" {
			t.Errorf("serverInfo = %+v, want name makemcp and a version", init.Server)
		}
		if !strings.Contains(init.Instructions, "scenarios_list") {
			t.Errorf("instructions do not guide the model to the tools: %q", init.Instructions)
		}
		for _, c := range []string{"tools", "resources"} {
			if _, ok := init.Capabilities[c]; !ok {
				t.Errorf("capabilities %v lack %s", keys(init.Capabilities), c)
			}
		}
		if init.ProtocolVersion == "" {
			t.Error("no protocol version was agreed")
		}
	})

	t.Run("tools/list", func(t *testing.T) {
		tools := s.tools(t, 0)
		if got := sortedKeys(tools); !slices.Equal(got, sorted(defaultTools)) {
			t.Errorf("default tools:\n got %v\nwant %v", got, sorted(defaultTools))
		}
		for name, tl := range tools {
			for _, a := range annotations {
				if v, ok := tl.Annotations[a]; !ok || (string(v) != "true" && string(v) != "false") {
					t.Errorf("%s: annotation %s is %s, want true or false set explicitly", name, a, v)
				}
			}
			if tl.OutputSchema == nil || tl.OutputSchema["type"] != "object" {
				t.Errorf("%s: output schema %v, want an object schema", name, tl.OutputSchema)
			}
			if tl.InputSchema["type"] != "object" || tl.Description == "" || tl.Title == "" {
				t.Errorf("%s: input schema type %v, title %q, description %q", name, tl.InputSchema["type"], tl.Title, tl.Description)
			}
		}
	})

	t.Run("read", func(t *testing.T) {
		var list struct{ Items []scenarioSummary }
		s.toolResult(t, 1, &list)
		var names []string
		for _, sc := range list.Items {
			names = append(names, sc.Name)
		}
		for _, want := range []string{"Greet a customer", "Build quarterly report", "Weekly digest email"} {
			if !slices.Contains(names, want) {
				t.Errorf("scenarios_list = %v, want %q among them", names, want)
			}
		}
	})

	t.Run("write then read back", func(t *testing.T) {
		var state struct {
			IsActive bool `json:"isActive"`
		}
		s.toolResult(t, 2, &state)
		var got scenarioSummary
		s.toolResult(t, 3, &got)
		if !state.IsActive || got.ID != 5004 || !got.IsActive {
			t.Errorf("after scenarios_activate 5004 (%+v), scenarios_get says %+v", state, got)
		}
	})

	t.Run("tool error", func(t *testing.T) {
		var r toolResult
		s.result(t, 4, &r)
		if !r.IsError || !strings.Contains(r.text(), "Scenario not found") {
			t.Errorf("scenarios_get of a missing scenario: isError %v, %q; want a tool error with Make's message", r.IsError, r.text())
		}
		var me struct {
			User struct{ Email string }
		}
		s.toolResult(t, 5, &me)
		if me.User.Email != "dana@example.com" {
			t.Errorf("users_me after a tool error = %+v", me)
		}
	})

	t.Run("cancellation", func(t *testing.T) {
		if r := s.Steps[6]; !r.Aborted || r.Error == nil {
			t.Errorf("the 40 s scenarios_run was not cancelled by the client: %+v", r)
		}
		var teams struct{ Items []struct{ ID int64 } }
		s.toolResult(t, 7, &teams)
		if len(teams.Items) != 1 || teams.Items[0].ID != 3001 {
			t.Errorf("teams_list after the cancellation = %+v", teams)
		}
		if s.Steps[8].Error != nil {
			t.Errorf("ping after the cancellation: %v", s.Steps[8].Error.Message)
		}
		checkCancelledAnswer(t, s, 6)
	})

	s.exitedCleanly(t)
}

// checkCancelledAnswer checks what the server sent for the cancelled
// call of step i. MCP says a receiver SHOULD NOT answer a cancelled
// request; an answer that does come must not be a result of the work.
func checkCancelledAnswer(t *testing.T, s *session, i int) {
	t.Helper()
	ids := s.Steps[i].RequestIDs
	if len(ids) != 1 {
		t.Fatalf("step %d sent requests %s, want one", i, ids)
	}
	answer, ok := s.response(ids[0])
	if !ok {
		return
	}
	var r struct {
		Result *toolResult      `json:"result"`
		Error  *json.RawMessage `json:"error"`
	}
	if err := json.Unmarshal([]byte(answer), &r); err != nil || (r.Error == nil && (r.Result == nil || !r.Result.IsError)) {
		t.Errorf("the server answered the cancelled call with a result: %.300s", answer)
	}
}

// TestSDKClientCancellationReachesMake cancels a call and checks that
// makemcp stopped waiting for Make: the fake Make sees the request's
// client go away.
func TestSDKClientCancellationReachesMake(t *testing.T) {
	t.Parallel()
	m := newMachine(t, machineOptions{env: []string{"MAKE_API_TOKEN=" + makefake.DemoToken}})
	m.Leaks.Secret(makefake.DemoToken)
	s := m.mcpClient([]string{"serve", "--zone", m.zone()},
		callAndAbort("scenarios_run", map[string]any{"scenarioId": 5006, "data": map[string]any{"quarter": "Q3", "year": 2025}}, 500),
		callTool("users_me", nil),
	)
	if r := s.Steps[0]; !r.Aborted {
		t.Errorf("the run was not cancelled by the client: %+v", r)
	}
	s.toolResult(t, 1, nil)
	checkCancelledAnswer(t, s, 0)
	m.Make.WaitAbandoned(m.T, "POST /api/v2/scenarios/5006/run", exitGuard)
	s.exitedCleanly(t)
}

func TestSDKClientReadOnly(t *testing.T) {
	t.Parallel()
	m := newMachine(t, machineOptions{})
	s := m.mcpClient([]string{"serve", "--demo", "--read-only", "--toolsets", "all"},
		listTools(),
		callTool("scenarios_activate", map[string]any{"scenarioId": 5004}),
		callTool("scenarios_get", map[string]any{"scenarioId": 5004}),
	)
	tools := s.tools(t, 0)
	if len(tools) < 10 {
		t.Fatalf("--read-only --toolsets all lists only %v", sortedKeys(tools))
	}
	for name, tl := range tools {
		if !tl.readOnly() {
			t.Errorf("--read-only lists %s, whose readOnlyHint is %s", name, tl.Annotations["readOnlyHint"])
		}
	}
	for _, write := range []string{"scenarios_activate", "scenarios_run", "scenarios_delete", "hooks_delete", "data-store-records_create"} {
		if _, ok := tools[write]; ok {
			t.Errorf("--read-only lists the write tool %s", write)
		}
	}
	// A host that calls a hidden tool anyway changes nothing.
	if r := s.Steps[1]; r.Error == nil {
		var res toolResult
		_ = json.Unmarshal(r.Result, &res)
		if !res.IsError {
			t.Errorf("--read-only: calling scenarios_activate succeeded: %s", r.Result)
		}
	}
	var got scenarioSummary
	s.toolResult(t, 2, &got)
	if got.IsActive {
		t.Error("--read-only: scenario 5004 was activated")
	}
	s.exitedCleanly(t)
}

func TestSDKClientScenarioTools(t *testing.T) {
	t.Parallel()
	m := newMachine(t, machineOptions{})
	s := m.mcpClient([]string{"serve", "--demo", "--scenario-tools"},
		listTools(),
		callTool("run_scenario_5001", map[string]any{"name": "Ada", "language": "de"}),
		callTool("run_scenario_5001", map[string]any{"language": "de"}), // the required name is missing
	)
	tools := s.tools(t, 0)
	var scenarioTools []string
	for name := range tools {
		if strings.HasPrefix(name, "run_scenario_") {
			scenarioTools = append(scenarioTools, name)
		}
	}
	slices.Sort(scenarioTools)
	// The demo's active on-demand scenarios; 5005 is inactive, 5003 runs
	// immediately.
	if want := []string{"run_scenario_5001", "run_scenario_5002", "run_scenario_5006"}; !slices.Equal(scenarioTools, want) {
		t.Errorf("scenario tools = %v, want %v", scenarioTools, want)
	}
	greet := tools["run_scenario_5001"]
	if props, _ := greet.InputSchema["properties"].(map[string]any); props["name"] == nil || props["language"] == nil {
		t.Errorf("run_scenario_5001 input schema has not the scenario's inputs: %v", greet.InputSchema)
	}
	// Scenario tools leave the annotations to MCP's defaults (not
	// read-only, destructive, not idempotent, open world), which are what
	// a run is; a long list of them is shorter for it.
	if len(greet.Annotations) != 0 || greet.OutputSchema != nil {
		t.Errorf("run_scenario_5001 annotations %v, output schema %v; want none", greet.Annotations, greet.OutputSchema)
	}
	var run struct {
		Status  string `json:"status"`
		Outputs struct {
			Greeting string `json:"greeting"`
			Language string `json:"language"`
		} `json:"outputs"`
	}
	s.toolResult(t, 1, &run)
	if run.Status != "success" || run.Outputs.Greeting != "Hello, Ada! Thanks for being with us." || run.Outputs.Language != "de" {
		t.Errorf("run_scenario_5001 {name: Ada, language: de} = %+v", run)
	}
	var bad toolResult
	if r := s.Steps[2]; r.Error == nil {
		s.result(t, 2, &bad)
		if !bad.IsError || !strings.Contains(bad.text(), "name") {
			t.Errorf("run_scenario_5001 without its required input: isError %v, %q", bad.IsError, bad.text())
		}
	} else if !strings.Contains(r.Error.Message, "name") {
		t.Errorf("run_scenario_5001 without its required input: %s", r.Error.Message)
	}
	s.exitedCleanly(t)
}

func TestSDKClientResources(t *testing.T) {
	t.Parallel()
	m := newMachine(t, machineOptions{})
	s := m.mcpClient([]string{"serve", "--demo"},
		step{Op: "listResourceTemplates"},
		readResource("make://scenarios/5001/blueprint"),
		readResource("make://scenarios/999999/blueprint"),
	)
	var templates struct {
		ResourceTemplates []struct {
			URITemplate string `json:"uriTemplate"`
			MIMEType    string `json:"mimeType"`
		} `json:"resourceTemplates"`
	}
	s.result(t, 0, &templates)
	var uris []string
	for _, rt := range templates.ResourceTemplates {
		uris = append(uris, rt.URITemplate)
	}
	if !slices.Contains(uris, "make://scenarios/{scenarioId}/blueprint") {
		t.Errorf("resource templates = %v, want make://scenarios/{scenarioId}/blueprint", uris)
	}
	var read struct {
		Contents []struct {
			URI      string `json:"uri"`
			MIMEType string `json:"mimeType"`
			Text     string `json:"text"`
		} `json:"contents"`
	}
	s.result(t, 1, &read)
	if len(read.Contents) != 1 {
		t.Fatalf("resources/read returned %d contents", len(read.Contents))
	}
	var bp struct {
		Name string           `json:"name"`
		Flow []map[string]any `json:"flow"`
	}
	c := read.Contents[0]
	if err := json.Unmarshal([]byte(c.Text), &bp); err != nil || c.MIMEType != "application/json" || bp.Name != "Greet a customer" || len(bp.Flow) != 1 {
		t.Errorf("blueprint of 5001: %v, mime %q, %.300s", err, c.MIMEType, c.Text)
	}
	if s.Steps[2].Error == nil {
		t.Errorf("reading the blueprint of a missing scenario succeeded: %s", s.Steps[2].Result)
	}
	s.exitedCleanly(t)
}

func keys[V any](m map[string]V) []string { return sortedKeys(m) }

func sortedKeys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}
