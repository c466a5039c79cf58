package tools_test

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/jsonschema-go/jsonschema"
	"github.com/makemcp/makemcp/makeapi"
	"github.com/makemcp/makemcp/makeapi/makefake"
	"github.com/makemcp/makemcp/tools"
	"github.com/modelcontextprotocol/go-sdk/mcp"
)

func TestInterfaceSchema(t *testing.T) {
	var fields []makeapi.Field
	in := `[
		{"name": "name", "type": "text", "label": "Name", "help": "The customer's name.", "required": true},
		{"name": "count", "type": "number", "default": 3},
		{"name": "urgent", "type": "boolean", "default": false},
		{"name": "due", "type": "date"},
		{"name": "payload", "type": "json", "help": "Extra data."},
		{"name": "plan", "type": "select", "default": "free", "options": [{"value": "free", "label": "Free"}, {"value": "pro"}]},
		{"name": "tags", "type": "array", "spec": {"name": "tag", "type": "text", "label": "Tag"}},
		{"name": "lines", "type": "array", "required": true, "spec": [{"name": "sku", "type": "text", "required": true}, {"name": "qty", "type": "number"}]},
		{"name": "anything", "type": "array"},
		{"name": "customer", "type": "collection", "label": "Customer", "spec": [
			{"name": "email", "type": "text", "required": true},
			{"name": "address", "type": "collection", "spec": [{"name": "city", "type": "text"}]}]},
		{"name": "loose", "type": "collection"},
		{"name": "other", "type": "filename"},
		{"name": "", "type": "text"},
		{"name": "name", "type": "number", "label": "Shadowed"}
	]`
	if err := json.Unmarshal([]byte(in), &fields); err != nil {
		t.Fatal(err)
	}
	want := `{"type": "object", "required": ["name", "lines"], "properties": {
		"name": {"type": "string", "title": "Name", "description": "The customer's name."},
		"count": {"type": "number", "default": 3},
		"urgent": {"type": "boolean", "default": false},
		"due": {"type": "string", "format": "date-time"},
		"payload": {"type": "string", "description": "Extra data. (JSON text)"},
		"plan": {"type": "string", "enum": ["free", "pro"], "default": "free"},
		"tags": {"type": "array", "items": {"type": "string", "title": "Tag"}},
		"lines": {"type": "array", "items": {"type": "object", "required": ["sku"], "properties": {
			"sku": {"type": "string"}, "qty": {"type": "number"}}}},
		"anything": {"type": "array"},
		"customer": {"type": "object", "title": "Customer", "required": ["email"], "properties": {
			"email": {"type": "string"},
			"address": {"type": "object", "properties": {"city": {"type": "string"}}}}},
		"loose": {"type": "object"},
		"other": true
	}}`
	got := mustJSON(tools.InterfaceSchema(fields))
	if !jsonEqual(got, []byte(want)) {
		t.Errorf("schema\n%s\nwant\n%s", got, want)
	}
	// The schema is usable: it resolves, and validates what it describes.
	r, err := tools.InterfaceSchema(fields).Resolve(nil)
	if err != nil {
		t.Fatal(err)
	}
	for args, ok := range map[string]bool{
		`{"name": "Ada", "lines": [{"sku": "A1", "qty": 2}], "plan": "pro", "customer": {"email": "a@b.c"}}`: true,
		`{"lines": []}`:                                        false,
		`{"name": "Ada", "lines": [{"qty": 2}]}`:               false,
		`{"name": "Ada", "lines": [], "plan": "gold"}`:         false,
		`{"name": "Ada", "lines": [], "count": "three"}`:       false,
		`{"name": "Ada", "lines": [], "customer": {}}`:         false,
		`{"name": "Ada", "lines": [], "tags": ["a", 1]}`:       false,
		`{"name": "Ada", "lines": [], "other": [1, {"x": 2}]}`: true,
	} {
		var v any
		_ = json.Unmarshal([]byte(args), &v)
		if err := r.Validate(v); (err == nil) != ok {
			t.Errorf("validate %s: %v, want valid %v", args, err, ok)
		}
	}
}

// Deeply nested interfaces end in an unconstrained schema rather than
// recursing without bound.
func TestInterfaceSchemaDepth(t *testing.T) {
	f := makeapi.Field{Name: "leaf", Type: "text"}
	for range 100 {
		f = makeapi.Field{Name: "level", Type: "collection", Spec: &makeapi.FieldSpec{Fields: []makeapi.Field{f}}}
	}
	s := tools.InterfaceSchema([]makeapi.Field{f})
	depth := 0
	for cur := s; cur != nil; depth++ {
		next := cur.Properties["level"]
		if next == nil {
			break
		}
		cur = next
	}
	if depth < 10 || depth > 20 {
		t.Errorf("nesting of 100 levels became %d levels of schema, want it bounded near 16", depth)
	}
	if _, err := s.Resolve(nil); err != nil {
		t.Errorf("bounded schema does not resolve: %v", err)
	}
}

// listChanged collects a client's tools/list_changed notifications.
type listChanged chan struct{}

func (c listChanged) handle(context.Context, *mcp.ToolListChangedRequest) {
	select {
	case c <- struct{}{}:
	default:
	}
}

// scenarioToolNames lists the run_scenario_ tools the server offers.
func (e *env) scenarioToolNames() []string {
	e.t.Helper()
	var names []string
	for tool, err := range e.cs.Tools(context.Background(), nil) {
		if err != nil {
			e.t.Fatal(err)
		}
		if strings.HasPrefix(tool.Name, "run_scenario_") {
			names = append(names, tool.Name)
		}
	}
	slices.Sort(names)
	return names
}

// waitForScenarioTools waits for list_changed notifications until the
// scenario tools are want; it fails the test if none shows them in a
// generous while.
func (e *env) waitForScenarioTools(changed listChanged, want ...string) {
	e.t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		select {
		case <-changed:
			if got := e.scenarioToolNames(); slices.Equal(got, want) {
				return
			}
		case <-deadline:
			e.t.Fatalf("no tools/list_changed brought the scenario tools to %v; they are %v", want, e.scenarioToolNames())
		}
	}
}

func TestScenarioToolsServed(t *testing.T) {
	for _, protocol := range []string{"", "2025-11-25"} {
		t.Run("protocol "+protocol, func(t *testing.T) {
			changed := make(listChanged, 1)
			e := newEnv(t, options{scenarioTools: true, protocol: protocol, client: mcp.ClientOptions{ToolListChangedHandler: changed.handle}})
			want := []string{"run_scenario_5001", "run_scenario_5002", "run_scenario_5006"}
			if got := e.scenarioToolNames(); !slices.Equal(got, want) {
				t.Fatalf("scenario tools %v, want the active on-demand scenarios %v", got, want)
			}

			e.ok("scenarios_activate", map[string]any{"scenarioId": 5005})
			want = []string{"run_scenario_5001", "run_scenario_5002", "run_scenario_5005", "run_scenario_5006"}
			e.waitForScenarioTools(changed, want...)

			e.ok("scenarios_deactivate", map[string]any{"scenarioId": 5001})
			want = []string{"run_scenario_5002", "run_scenario_5005", "run_scenario_5006"}
			e.waitForScenarioTools(changed, want...)

			created := decode[struct{ ID int64 }](t, e.ok("scenarios_create", map[string]any{
				"scheduling": map[string]any{"type": "on-demand"},
				"blueprint":  json.RawMessage(`{"name": "Echo", "flow": ` + echoFlow + `, "metadata": {"version": 1}}`)}))
			e.ok("scenarios_activate", map[string]any{"scenarioId": created.ID})
			echo := "run_scenario_" + itoa(int(created.ID))
			want = append(want, echo)
			slices.Sort(want)
			e.waitForScenarioTools(changed, want...)

			e.ok("scenarios_delete", map[string]any{"scenarioId": 5002})
			want = slices.DeleteFunc(want, func(n string) bool { return n == "run_scenario_5002" })
			e.waitForScenarioTools(changed, want...)

			// A changed interface changes the tool's input schema.
			e.ok("scenarios_set-interface", map[string]any{"scenarioId": created.ID,
				"interface": map[string]any{"input": []any{map[string]any{"name": "text", "type": "text", "required": true}}}})
			deadline := time.After(10 * time.Second)
			for !slices.Contains(e.toolInput(echo).Required, "text") {
				select {
				case <-changed:
				case <-deadline:
					t.Fatalf("the input schema of %s did not follow its interface: %+v", echo, e.toolInput(echo))
				}
			}
			wantJSON(t, e.ok(echo, map[string]any{"text": "hi"}), `{"status": "success", "outputs": {"echo": "hi"}}`)
		})
	}
}

// toolInput returns a listed tool's input schema.
func (e *env) toolInput(name string) *jsonschema.Schema {
	e.t.Helper()
	for tool, err := range e.cs.Tools(context.Background(), nil) {
		if err != nil {
			e.t.Fatal(err)
		}
		if tool.Name == name {
			var s jsonschema.Schema
			if err := json.Unmarshal(mustJSON(tool.InputSchema), &s); err != nil {
				e.t.Fatal(err)
			}
			return &s
		}
	}
	e.t.Fatalf("no tool %s", name)
	return nil
}

func TestScenarioToolDefinition(t *testing.T) {
	e := newEnv(t, options{scenarioTools: true})
	var tool *mcp.Tool
	for tl, err := range e.cs.Tools(context.Background(), nil) {
		if err != nil {
			t.Fatal(err)
		}
		if tl.Name == "run_scenario_5001" {
			tool = tl
		}
	}
	if tool == nil {
		t.Fatal("no run_scenario_5001")
	}
	if tool.Title != "Greet a customer" || tool.Description != "(runs Make scenario 5001, which may act on other services) Greet a customer: Writes a friendly greeting for a customer, in their language." {
		t.Errorf("tool %+v", tool)
	}
	// MCP's default annotations are what a run is: not read-only,
	// destructive, not idempotent, open world.
	if tool.Annotations != nil {
		t.Errorf("annotations %+v, want MCP's defaults", tool.Annotations)
	}
	iface, err := e.api.ScenarioInterface(t.Context(), 5001)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := mustJSON(tool.InputSchema), mustJSON(tools.InterfaceSchema(iface.Input)); !jsonEqual(got, want) {
		t.Errorf("input schema %s, want the interface's %s", got, want)
	}
	// What a run returns is scenarios_run's to describe, once.
	if tool.OutputSchema != nil {
		t.Errorf("output schema %s, want none", mustJSON(tool.OutputSchema))
	}
}

// Arguments are checked against the interface before Make is asked; good
// ones run the scenario.
func TestScenarioToolCall(t *testing.T) {
	e := newEnv(t, options{scenarioTools: true})
	e.scenarioToolNames() // waits for the scenario tools
	e.takeRequests()
	for args, want := range map[string]string{
		`{}`: `missing properties: ["subject" "category" "customer"]`,
		`{"subject": "x", "category": "hardware", "customer": {"name": "a", "email": "b"}}`:                    "category",
		`{"subject": "x", "category": "billing", "customer": {"name": "a"}}`:                                   "email",
		`{"subject": "x", "category": "billing", "customer": {"name": "a", "email": "b"}, "priority": "high"}`: "priority",
		`{"subject": "x", "category": "billing", "customer": {"name": "a", "email": "b"}, "tags": "a,b"}`:      "tags",
	} {
		got := e.fails("run_scenario_5002", json.RawMessage(args))
		if !strings.HasPrefix(got, "invalid arguments for scenario 5002: ") || !strings.Contains(got, want) {
			t.Errorf("%s: error %q, want it to name %s", args, got, want)
		}
	}
	e.wantRequests()

	res := e.ok("run_scenario_5002", json.RawMessage(ticket))
	wantJSON(t, res, `{"status": "success"}`)
	e.wantRequests(req{method: "POST", path: "/scenarios/5002/run", body: `{"data": ` + ticket + `, "responsive": true}`})
}

// A change made while the scenario tools are loading is not lost: the
// load that read the list before it is followed by another. In a bubble,
// so that the change lands while the first load waits for an interface.
func TestScenarioToolsChangeDuringLoad(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		changed := make(listChanged, 1)
		e := newEnv(t, options{scenarioTools: true, inProcess: true, keepRequests: true,
			client: mcp.ClientOptions{ToolListChangedHandler: changed.handle},
			setup: func(f *makefake.Server) {
				f.Inject(makefake.Fault{Method: "GET", Path: "/api/v2/scenarios/5001/interface", Count: 1, Delay: time.Second})
			}})
		synctest.Wait()
		if e.fake.Count("GET", "/api/v2/scenarios") != 1 || e.fake.Count("GET", "/api/v2/scenarios/5001/interface") != 1 {
			t.Fatalf("the first load is not waiting for an interface:\n%s", describe(e.fake.Requests()))
		}
		e.ok("scenarios_activate", map[string]any{"scenarioId": 5005})
		e.waitForScenarioTools(changed, "run_scenario_5001", "run_scenario_5002", "run_scenario_5005", "run_scenario_5006")
	})
}

// The first tools/list waits for the scenario tools, so the list_changed
// the SDK sends for them would announce what the client already has:
// hosts that honour it fetched the whole list again at every start. It
// is held back; a change after the list still comes with one.
func TestNoListChangedForAListTheClientHas(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		changed := make(listChanged, 1)
		e := newEnv(t, options{scenarioTools: true, inProcess: true,
			client: mcp.ClientOptions{ToolListChangedHandler: changed.handle},
			setup: func(f *makefake.Server) {
				// The first load ends after the session began, as it does
				// when serve starts: the SDK then notifies the session.
				f.Inject(makefake.Fault{Method: "GET", Path: "/api/v2/scenarios/5001/interface", Count: 1, Delay: time.Second})
			}})
		want := []string{"run_scenario_5001", "run_scenario_5002", "run_scenario_5006"}
		if got := e.scenarioToolNames(); !slices.Equal(got, want) {
			t.Fatalf("scenario tools %v, want %v", got, want)
		}
		time.Sleep(time.Second)
		synctest.Wait()
		select {
		case <-changed:
			t.Fatal("tools/list_changed after a list that already held the change")
		default:
		}

		e.ok("scenarios_activate", map[string]any{"scenarioId": 5005})
		e.waitForScenarioTools(changed, "run_scenario_5001", "run_scenario_5002", "run_scenario_5005", "run_scenario_5006")
	})
}
