package tools_test

import (
	"context"
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/makemcp/makemcp/makeapi/scope"
	"github.com/makemcp/makemcp/tools"
	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// makeCatalogue are the tools of Make's own catalogue (@makehq/sdk) that
// makemcp offers, with the scope Make gives each: prompts written for
// Make's server must find them under these names.
var makeCatalogue = map[string]string{
	"users_me": "", "organizations_list": "organizations:read", "organizations_get": "organizations:read",
	"teams_list": "teams:read", "teams_get": "teams:read",
	"scenarios_list": "scenarios:read", "scenarios_get": "scenarios:read", "scenarios_create": "scenarios:write",
	"scenarios_update": "scenarios:write", "scenarios_delete": "scenarios:write", "scenarios_activate": "scenarios:write",
	"scenarios_deactivate": "scenarios:write", "scenarios_run": "scenarios:run", "scenarios_interface": "scenarios:read",
	"scenarios_set-interface": "scenarios:write", "folders_list": "scenarios:read",
	"executions_list": "scenarios:read", "executions_get": "scenarios:read", "executions_get-detail": "scenarios:read",
	"incomplete-executions_list": "dlqs:read", "incomplete-executions_get": "dlqs:read",
	"connections_list": "connections:read", "connections_get": "connections:read", "connections_verify": "connections:write",
	"hooks_list": "hooks:read", "hooks_get": "hooks:read", "hooks_create": "hooks:write", "hooks_update": "hooks:write",
	"hooks_delete":     "hooks:write",
	"data-stores_list": "datastores:read", "data-stores_get": "datastores:read", "data-stores_create": "datastores:write",
	"data-stores_update": "datastores:write", "data-stores_delete": "datastores:write",
	"data-store-records_list": "datastores:read", "data-store-records_create": "datastores:write",
	"data-store-records_update": "datastores:write", "data-store-records_replace": "datastores:write",
	"data-store-records_delete": "datastores:write",
	"data-structures_list":      "udts:read", "data-structures_get": "udts:read",
}

var toolName = regexp.MustCompile(`^[a-z-]+_[a-z-]+$`)

// Every tool is defined on purpose: all four annotations, a title and a
// description, a well-formed unique name, a known toolset, Make's names
// and scopes.
func TestToolDefinitions(t *testing.T) {
	all := tools.All()
	seen := map[string]bool{}
	perToolset := map[tools.Toolset]int{}
	for _, tool := range all {
		d := tool.Def
		if !toolName.MatchString(d.Name) {
			t.Errorf("%s: name does not match %s", d.Name, toolName)
		}
		if seen[d.Name] {
			t.Errorf("%s: defined twice", d.Name)
		}
		seen[d.Name] = true
		if strings.TrimSpace(d.Title) == "" || strings.TrimSpace(d.Description) == "" {
			t.Errorf("%s: empty title or description", d.Name)
		}
		a := d.Annotations
		if a == nil || a.DestructiveHint == nil || a.OpenWorldHint == nil {
			t.Errorf("%s: annotations not all set: %+v", d.Name, a)
			continue
		}
		var keys map[string]any
		_ = json.Unmarshal(mustJSON(a), &keys)
		for _, k := range []string{"readOnlyHint", "destructiveHint", "idempotentHint", "openWorldHint"} {
			if _, ok := keys[k]; !ok {
				t.Errorf("%s: annotations JSON lacks %s: %v", d.Name, k, keys)
			}
		}
		if a.ReadOnlyHint && (*a.DestructiveHint || !a.IdempotentHint) {
			t.Errorf("%s: a read-only tool must be neither destructive nor repeatable with effect", d.Name)
		}
		if strings.HasSuffix(d.Name, "_delete") && (!*a.DestructiveHint || a.IdempotentHint) {
			t.Errorf("%s: deletes are destructive and not idempotent", d.Name)
		}
		if !slices.Contains(tools.Toolsets, tool.Toolset) {
			t.Errorf("%s: unknown toolset %q", d.Name, tool.Toolset)
		}
		perToolset[tool.Toolset]++
		if scope, ok := makeCatalogue[d.Name]; ok && scope != string(tool.Scope) {
			t.Errorf("%s: scope %q, Make's catalogue says %q", d.Name, tool.Scope, scope)
		}
		if tool.Scope != "" && !regexp.MustCompile(`^[a-z-]+:(read|write|run)$`).MatchString(string(tool.Scope)) {
			t.Errorf("%s: scope %q", d.Name, tool.Scope)
		}

		var in struct {
			Type       string
			Properties map[string]json.RawMessage
			Required   []string
		}
		if err := json.Unmarshal(mustJSON(d.InputSchema), &in); err != nil || in.Type != "object" {
			t.Errorf("%s: input schema %s", d.Name, mustJSON(d.InputSchema))
		}
		for _, id := range []string{"teamId", "organizationId"} {
			if _, ok := in.Properties[id]; ok && slices.Contains(in.Required, id) {
				t.Errorf("%s: %s must be optional, defaulting to the server's", d.Name, id)
			}
		}
		if d.OutputSchema == nil {
			t.Errorf("%s: no output schema", d.Name)
			continue
		}
		// A page of a list says whether more follows; the model must be
		// able to ask for it.
		var out struct{ Properties map[string]json.RawMessage }
		_ = json.Unmarshal(mustJSON(d.OutputSchema), &out)
		if _, paged := out.Properties["hasMore"]; paged {
			if _, ok := in.Properties["offset"]; !ok {
				t.Errorf("%s returns pages but takes no offset", d.Name)
			}
			if _, ok := in.Properties["limit"]; !ok {
				t.Errorf("%s returns pages but takes no limit", d.Name)
			}
		}
	}
	for name := range makeCatalogue {
		if !seen[name] {
			t.Errorf("Make's tool %s is missing", name)
		}
	}
	for _, ts := range tools.Toolsets {
		if perToolset[ts] == 0 {
			t.Errorf("toolset %s has no tools", ts)
		}
	}
}

func names(ts []tools.Tool) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t.Def.Name
	}
	return out
}

// toolsetNames lists the tools of some toolsets, in All's order.
func toolsetNames(sets ...string) []string {
	var out []string
	for _, t := range tools.All() {
		if slices.Contains(sets, string(t.Toolset)) {
			out = append(out, t.Def.Name)
		}
	}
	return out
}

func TestSelect(t *testing.T) {
	all := tools.All()
	defaults := toolsetNames("account", "scenarios", "executions")
	for _, c := range []struct {
		name string
		sel  tools.Selection
		want []string
	}{
		{"default", tools.Selection{}, defaults},
		{"default by name", tools.Selection{Toolsets: []string{" default ", ""}}, defaults},
		{"all", tools.Selection{Toolsets: []string{"all"}}, names(all)},
		{"named", tools.Selection{Toolsets: []string{"hooks", "connections"}}, toolsetNames("connections", "hooks")},
		{"default and one more", tools.Selection{Toolsets: []string{"default", "data"}}, toolsetNames("account", "scenarios", "executions", "data")},
		{"single tools", tools.Selection{Toolsets: []string{"account"}, Tools: []string{"hooks_get", "scenarios_run"}},
			append(toolsetNames("account"), "scenarios_run", "hooks_get")},
		{"excluded", tools.Selection{Toolsets: []string{"hooks"}, Exclude: []string{"hooks_delete", "hooks_create"}},
			[]string{"hooks_list", "hooks_get", "hooks_update", "hooks_enable", "hooks_disable"}},
		{"read-only wins over tools", tools.Selection{Toolsets: []string{"hooks"}, Tools: []string{"scenarios_delete"}, ReadOnly: true},
			[]string{"hooks_list", "hooks_get"}},
		{"scopes", tools.Selection{Toolsets: []string{"all"}, Scopes: []string{"scenarios:read", "udts:read"}},
			[]string{"users_me", "scenarios_list", "scenarios_get", "scenarios_interface", "folders_list",
				"executions_list", "executions_get", "executions_get-detail", "data-structures_list", "data-structures_get",
				// Make's enums need no scope.
				"enums_countries", "enums_regions", "enums_timezones", "scenario-custom-properties_get"}},
		{"no scopes granted", tools.Selection{Scopes: []string{}}, []string{"users_me"}},
	} {
		got, err := tools.Select(all, c.sel)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if !slices.Equal(names(got), c.want) {
			t.Errorf("%s: %v\nwant %v", c.name, names(got), c.want)
		}
	}
	for _, c := range []struct {
		sel  tools.Selection
		want string
	}{
		{tools.Selection{Toolsets: []string{"hook"}}, `unknown toolset "hook": use all, default, or some of ` + tools.ToolsetNames()},
		{tools.Selection{Tools: []string{"hooks-get"}}, `unknown tool "hooks-get": run ` + "`makemcp tools list`"},
		{tools.Selection{Exclude: []string{"scenarios_rm"}}, `unknown tool "scenarios_rm"`},
	} {
		if _, err := tools.Select(all, c.sel); err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("Select(%+v) = %v, want %q", c.sel, err, c.want)
		}
	}
}

// Every tool needs one of Make's scopes, or none.
func TestScopes(t *testing.T) {
	for _, tool := range tools.All() {
		if tool.Scope != "" && !slices.Contains(scope.All, tool.Scope) {
			t.Errorf("%s: scope %q is not one of Make's", tool.Def.Name, tool.Scope)
		}
	}
}

// The server lists exactly the selected tools.
func TestServerListsSelection(t *testing.T) {
	sel, err := tools.Select(tools.All(), tools.Selection{Toolsets: []string{"hooks", "data"}, ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, options{tools: sel})
	var listed []string
	for tool, err := range e.cs.Tools(context.Background(), nil) {
		if err != nil {
			t.Fatal(err)
		}
		listed = append(listed, tool.Name)
	}
	slices.Sort(listed)
	want := names(sel)
	slices.Sort(want)
	if !slices.Equal(listed, want) {
		t.Errorf("listed %v, want %v", listed, want)
	}
	if _, err := e.cs.CallTool(context.Background(), &mcp.CallToolParams{Name: "hooks_delete", Arguments: map[string]any{"hookId": 6001}}); err == nil || !strings.Contains(err.Error(), `unknown tool "hooks_delete"`) {
		t.Errorf("calling a tool not selected: %v", err)
	}
	e.wantRequests()
}

// TestSchemasHaveNoBooleanSubschemas guards MCP clients that accept only
// object schemas for properties and items (the TypeScript SDK rejects the
// whole tool list otherwise): an empty schema serializes as `true`.
func TestSchemasHaveNoBooleanSubschemas(t *testing.T) {
	var walk func(tool, path string, v any)
	walk = func(tool, path string, v any) {
		m, ok := v.(map[string]any)
		if !ok {
			t.Errorf("%s: schema at %s is %v, want an object", tool, path, v)
			return
		}
		if props, ok := m["properties"].(map[string]any); ok {
			for name, p := range props {
				walk(tool, path+".properties."+name, p)
			}
		}
		if items, ok := m["items"]; ok {
			walk(tool, path+".items", items)
		}
	}
	for _, tl := range tools.All() {
		for what, s := range map[string]any{"inputSchema": tl.Def.InputSchema, "outputSchema": tl.Def.OutputSchema} {
			b, err := json.Marshal(s)
			if err != nil {
				t.Fatal(err)
			}
			var v any
			if err := json.Unmarshal(b, &v); err != nil {
				t.Fatal(err)
			}
			walk(tl.Def.Name, what, v)
		}
	}
}
