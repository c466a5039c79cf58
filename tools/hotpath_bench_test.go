package tools_test

import (
	"context"

	"testing"

	"github.com/makemcp/makemcp/makeapi"
	"github.com/makemcp/makemcp/makeapi/makefake"
	"github.com/makemcp/makemcp/tools"
	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// The hot paths of serving: turning a scenario's interface into a tool's
// input schema, writing the tool list (every tools/list marshals every
// tool's schemas), building the server (start-up), and a whole scenario
// tool call in process. scripts/bench measures the same over stdio.
//
//	go test -run '^$' -bench . -benchmem ./tools/

// benchClient reaches a fake without a network.
func benchClient(b *testing.B, f *makefake.Server) *makeapi.Client {
	b.Helper()
	c, err := makeapi.New(makeapi.Options{Zone: "eu1.make.com", Tokens: makeapi.StaticToken(demoToken, "Token"), HTTPClient: f.InProcessClient()})
	if err != nil {
		b.Fatal(err)
	}
	return c
}

// ticketInterface is the demo's support ticket scenario's interface:
// eight inputs of every field type, nested ones included.
func ticketInterface(b *testing.B) *makeapi.Interface {
	b.Helper()
	f, err := makefake.New(makefake.Options{})
	if err != nil {
		b.Fatal(err)
	}
	in, err := benchClient(b, f).ScenarioInterface(context.Background(), 5002)
	if err != nil {
		b.Fatal(err)
	}
	return in
}

// BenchmarkInterfaceSchema converts an interface into an input schema.
func BenchmarkInterfaceSchema(b *testing.B) {
	in := ticketInterface(b)
	b.ReportAllocs()
	for b.Loop() {
		if s := tools.InterfaceSchema(in.Input); len(s.Properties) != 8 {
			b.Fatalf("%d properties", len(s.Properties))
		}
	}
}

// BenchmarkInterfaceSchemaResolved adds resolving the schema, which a
// scenario tool needs to validate its arguments: the schema work of
// loading one scenario tool.
func BenchmarkInterfaceSchemaResolved(b *testing.B) {
	in := ticketInterface(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := tools.InterfaceSchema(in.Input).Resolve(nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkNewServer builds the server with the default toolsets: what
// `makemcp serve` does before it can answer initialize.
func BenchmarkNewServer(b *testing.B) {
	sel, err := tools.Select(tools.All(), tools.Selection{})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		tools.NewServer(tools.Options{Tools: sel})
	}
}

// benchSession serves the tools, scenario tools included, over the fake
// in process, and returns an MCP client session to them once the first
// tools/list (which waits for the scenario tools) has answered.
func benchSession(b *testing.B, f *makefake.Server, sel []tools.Tool) (*mcp.ClientSession, *mcp.ListToolsResult) {
	b.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	b.Cleanup(cancel)
	srv := tools.NewServer(tools.Options{
		Deps:          tools.Deps{Client: benchClient(b, f), OrganizationID: demoOrg, TeamID: demoTeam},
		Tools:         sel,
		ScenarioTools: true,
	})
	st, ct := mcp.NewInMemoryTransports()
	if _, err := srv.Connect(ctx, st); err != nil {
		b.Fatal(err)
	}
	cs, err := mcp.NewClient(&mcp.Implementation{Name: "bench", Version: "1"}, nil).Connect(ctx, ct, &mcp.ClientSessionOptions{ProtocolVersion: "2025-11-25"})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { cs.Close() })
	first, err := cs.ListTools(ctx, nil)
	if err != nil {
		b.Fatal(err)
	}
	return cs, first
}

// BenchmarkScenarioToolCall is one run_scenario_<id> call through an MCP
// client session in memory, the tool's argument validation, makeapi and
// the fake (in process, no network) included.
func BenchmarkScenarioToolCall(b *testing.B) {
	f, err := makefake.New(makefake.Options{})
	if err != nil {
		b.Fatal(err)
	}
	cs, _ := benchSession(b, f, nil)
	params := &mcp.CallToolParams{Name: "run_scenario_5001", Arguments: map[string]any{"name": "Ada"}}
	b.ReportAllocs()
	for b.Loop() {
		res, err := cs.CallTool(b.Context(), params)
		if err != nil || res.IsError {
			b.Fatalf("%v %v", err, res)
		}
	}
}

// BenchmarkListScenarioTools is a later tools/list of a server with as
// many scenario tools as it lists (tools.MaxScenarioTools) and the default
// tools, through an in-memory session: the server's part of what
// scripts/bench measures over stdio, plus the go-sdk client's decoding.
func BenchmarkListScenarioTools(b *testing.B) {
	f, err := makefake.New(makefake.Options{})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := f.AddOnDemandScenarios(demoTeam, tools.MaxScenarioTools); err != nil {
		b.Fatal(err)
	}
	if err := f.SetAPILimit(demoOrg, 10000); err != nil {
		b.Fatal(err)
	}
	sel, err := tools.Select(tools.All(), tools.Selection{})
	if err != nil {
		b.Fatal(err)
	}
	cs, first := benchSession(b, f, sel)
	if len(first.Tools) < tools.MaxScenarioTools {
		b.Fatalf("%d tools", len(first.Tools))
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := cs.ListTools(b.Context(), nil); err != nil {
			b.Fatal(err)
		}
	}
}
