package makefake_test

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/makemcp/makemcp/internal/testenv"
	"github.com/makemcp/makemcp/makeapi/makefake"
)

// makeServerScript drives Make's own MCP server (@makehq/mcp-server, which
// speaks to Make's API with its own client) through the MCP SDK's client:
// it lists the scenario tools and calls two of them.
const makeServerScript = `
import { Client } from "SDK/dist/esm/client/index.js";
import { StdioClientTransport } from "SDK/dist/esm/client/stdio.js";

const transport = new StdioClientTransport({
  command: process.execPath,
  args: [process.env.MAKE_SERVER],
  env: process.env,
  stderr: "inherit",
});
const client = new Client({ name: "makefake-test", version: "1.0.0" });
await client.connect(transport);
const tools = await client.listTools();
const greet = await client.callTool({ name: "run_scenario_5001", arguments: { name: "Ada" } });
const inactive = await client.callTool({ name: "run_scenario_5005", arguments: {} });
await client.close();
console.log(JSON.stringify({ tools: tools.tools, greet, inactive }));
`

func TestMakesOwnServerRunsAgainstTheFake(t *testing.T) {
	nodeModules := testenv.NodeModules(t)
	server := filepath.Join(nodeModules, "@makehq", "mcp-server", "build", "index.js")
	if _, err := os.Stat(server); err != nil {
		testenv.Missing(t, "@makehq/mcp-server", "run `npm ci --prefix test`")
	}
	f, err := makefake.New(makefake.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.StartTLS(); err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ca, err := f.CACertPEM()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	caFile, script := filepath.Join(dir, "ca.pem"), filepath.Join(dir, "drive.mjs")
	sdk := "file://" + filepath.ToSlash(filepath.Join(nodeModules, "@modelcontextprotocol", "sdk"))
	if err := os.WriteFile(caFile, ca, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(script, []byte(strings.ReplaceAll(makeServerScript, "SDK", sdk)), 0o600); err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "node", script)
	cmd.Env = append(os.Environ(),
		"MAKE_SERVER="+server,
		"MAKE_API_KEY="+makefake.DemoToken,
		"MAKE_ZONE="+f.Zone(),
		"MAKE_TEAM=3001",
		"NODE_EXTRA_CA_CERTS="+caFile,
	)
	cmd.WaitDelay = 5 * time.Second
	out, err := cmd.Output()
	if err != nil {
		var stderr string
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = string(ee.Stderr)
		}
		t.Fatalf("node: %v\n%s\n%s", err, out, stderr)
	}
	var got struct {
		Tools []struct {
			Name        string         `json:"name"`
			Description string         `json:"description"`
			InputSchema map[string]any `json:"inputSchema"`
		} `json:"tools"`
		Greet, Inactive struct {
			IsError bool `json:"isError"`
			Content []struct {
				Text string `json:"text"`
			} `json:"content"`
		}
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("node printed %s: %v", out, err)
	}

	// Make's server lists every on-demand scenario of the team (active or
	// not) and turns each interface into an input schema.
	var names []string
	for _, tool := range got.Tools {
		names = append(names, tool.Name)
	}
	if !slices.Equal(names, []string{"run_scenario_5001", "run_scenario_5002", "run_scenario_5005", "run_scenario_5006"}) {
		t.Fatalf("tools %v", names)
	}
	ticket := got.Tools[1].InputSchema
	props, _ := ticket["properties"].(map[string]any)
	wantTypes := map[string]string{"subject": "string", "priority": "number", "urgent": "boolean", "dueDate": "string",
		"category": "string", "tags": "array", "customer": "object"}
	for name, typ := range wantTypes {
		p, _ := props[name].(map[string]any)
		if p["type"] != typ {
			t.Errorf("input %s of the ticket tool has type %v, want %s (schema %v)", name, p["type"], typ, ticket)
		}
	}
	if req, _ := ticket["required"].([]any); !slices.Contains(req, any("subject")) || !slices.Contains(req, any("customer")) {
		t.Errorf("required inputs %v", ticket["required"])
	}

	if got.Greet.IsError || len(got.Greet.Content) == 0 || !strings.Contains(got.Greet.Content[0].Text, "Hello, Ada! Thanks for being with us.") {
		t.Fatalf("run_scenario_5001: %+v", got.Greet)
	}
	if !got.Inactive.IsError || !strings.Contains(got.Inactive.Content[0].Text, "Scenario is not activated.") {
		t.Fatalf("run_scenario_5005 of an inactive scenario: %+v", got.Inactive)
	}

	// What Make's server sent, as the fake received it.
	var sawList bool
	for _, r := range f.Requests() {
		if r.Auth != "Token" || r.UserAgent != "MakeMCPServer/0.1.0" {
			t.Errorf("%s %s: auth %q, user agent %q", r.Method, r.Path, r.Auth, r.UserAgent)
		}
		if r.Path == "/api/v2/scenarios" && r.Query.Get("teamId") == "3001" && r.Query.Get("pg[limit]") == "1000" {
			sawList = true
		}
	}
	if !sawList {
		t.Error("no GET /scenarios?teamId=3001&pg[limit]=1000")
	}
}
