package tools_test

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/makemcp/makemcp/tools"
)

func TestResources(t *testing.T) {
	e := newEnv(t, options{})
	ctx := context.Background()

	var templates []string
	for rt, err := range e.cs.ResourceTemplates(ctx, nil) {
		if err != nil {
			t.Fatal(err)
		}
		templates = append(templates, rt.URITemplate)
	}
	slices.Sort(templates)
	if want := []string{"make://scenarios/{scenarioId}/blueprint", "make://scenarios/{scenarioId}/executions/{executionId}"}; !slices.Equal(templates, want) {
		t.Errorf("templates %v, want %v", templates, want)
	}

	uri := tools.BlueprintURI(5001)
	res, err := e.cs.ReadResource(ctx, &mcp.ReadResourceParams{URI: uri})
	if err != nil {
		t.Fatal(err)
	}
	bp, err := e.api.ScenarioBlueprint(ctx, 5001)
	if err != nil {
		t.Fatal(err)
	}
	if c := res.Contents; len(c) != 1 || c[0].URI != uri || c[0].MIMEType != "application/json" || !jsonEqual([]byte(c[0].Text), bp.Blueprint) {
		t.Errorf("blueprint resource %+v, want the blueprint %s", res.Contents, bp.Blueprint)
	}

	uri = tools.ExecutionURI(5001, greetExecution)
	if uri != "make://scenarios/5001/executions/"+greetExecution {
		t.Errorf("ExecutionURI = %s", uri)
	}
	res, err = e.cs.ReadResource(ctx, &mcp.ReadResourceParams{URI: uri})
	if err != nil {
		t.Fatal(err)
	}
	if c := res.Contents; len(c) != 1 || !jsonEqual([]byte(c[0].Text),
		[]byte(`{"status": "SUCCESS", "outputs": {"greeting": "Hello, Ada! Thanks for being with us.", "language": "en"}}`)) {
		t.Errorf("execution resource %+v", res.Contents)
	}

	for _, bad := range []string{
		"make://scenarios/abc/blueprint",
		"make://scenarios/999/blueprint",
		"make://scenarios/5001/blueprints",
		"make://scenarios//blueprint",
		"make://scenarios/5001/blueprint/extra",
		"make://teams/5001/blueprint",
		"make://scenarios/5001/executions/0123456789abcdef0123456789abcdef",
		"make://scenarios/5001/executions/",
		"make://scenarios/x/executions/" + greetExecution,
		"https://scenarios/5001/blueprint",
	} {
		_, err := e.cs.ReadResource(ctx, &mcp.ReadResourceParams{URI: bad})
		var rpcErr *jsonrpc.Error
		if !errors.As(err, &rpcErr) || rpcErr.Code != mcp.CodeResourceNotFound {
			t.Errorf("read %s: %v, want resource not found", bad, err)
		}
	}
}

// Resource reads fail with what Make said when it is not a 404.
func TestResourceMakeError(t *testing.T) {
	scopes := []string{"teams:read", "organizations:read"}
	e := newEnv(t, options{token: "limited", scopes: scopes, deps: func(d *deps) { d.Scopes = scopes }})
	_, err := e.cs.ReadResource(context.Background(), &mcp.ReadResourceParams{URI: tools.BlueprintURI(5001)})
	if err == nil || !strings.Contains(err.Error(), "missing scope scenarios:read") {
		t.Errorf("read without scenarios:read: %v", err)
	}
}

type deps = tools.Deps

// A blueprint too large for scenarios_get is left out, with its size and
// the resource that holds it whole.
func TestLargeBlueprint(t *testing.T) {
	e := newEnv(t, options{})
	big := `{"name": "Big", "flow": [{"id": 1, "module": "scenario-service:ReturnData", "version": 1,
		"mapper": {"text": "` + strings.Repeat("x", 30<<10) + `"}}], "metadata": {"version": 1}}`
	created := decode[struct{ ID int64 }](t, e.ok("scenarios_create", map[string]any{
		"scheduling": map[string]any{"type": "on-demand"}, "blueprint": json.RawMessage(big)}))
	res := decode[struct {
		Name           string
		Blueprint      json.RawMessage
		BlueprintBytes int
		Note           string
	}](t, e.ok("scenarios_get", map[string]any{"scenarioId": created.ID}))
	uri := tools.BlueprintURI(created.ID)
	if res.Name != "Big" || res.Blueprint != nil || res.BlueprintBytes <= 30<<10 || !strings.Contains(res.Note, uri) {
		t.Fatalf("scenarios_get of a 30 KB blueprint: %+v", res)
	}
	r, err := e.cs.ReadResource(context.Background(), &mcp.ReadResourceParams{URI: uri})
	if err != nil {
		t.Fatal(err)
	}
	if got := r.Contents[0].Text; len(got) != res.BlueprintBytes || !jsonEqual([]byte(got), []byte(big)) {
		t.Errorf("resource holds %d bytes, want the whole blueprint of %d", len(got), res.BlueprintBytes)
	}
}
