package tools_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/makemcp/makemcp/internal/testenv"
	"github.com/makemcp/makemcp/makeapi"
	"github.com/makemcp/makemcp/makeapi/makefake"
	"github.com/makemcp/makemcp/tools"
	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// The tests drive the tools the way a host does: an MCP client session,
// in memory, against a server whose tools call the fake Make over HTTP.

// Demo account ids.
const (
	demoOrg   = 2001
	demoTeam  = 3001
	demoToken = makefake.DemoToken
)

// options configure a test environment; the zero value is the Demo
// account over HTTP, every tool, the demo team and organization as
// defaults, and a client without capabilities.
type options struct {
	fake makefake.Options
	// token is the credential the client sends; default the demo token.
	token string
	// scopes, when token is set, are the scopes the fake grants it.
	scopes []string
	// deps adjusts the server's dependencies before it starts.
	deps func(*tools.Deps)
	// tools are the tools served; nil serves All().
	tools         []tools.Tool
	scenarioTools bool
	// scenarioCache, scenarioIDs and readOnly go to tools.Options.
	scenarioCache tools.Cache
	scenarioIDs   []int64
	readOnly      bool
	// logs, when set, receives the server's log.
	logs   io.Writer
	client mcp.ClientOptions
	// protocol is the MCP version the client asks for; empty for the
	// SDK's latest.
	protocol string
	// inProcess reaches the fake without a network, as a synctest bubble
	// needs.
	inProcess bool
	// setup prepares the fake before the server starts.
	setup func(*makefake.Server)
	// keepRequests keeps the requests made while the environment starts.
	keepRequests bool
}

// env is one server and one client session over the fake.
type env struct {
	t    *testing.T
	fake *makefake.Server
	api  *makeapi.Client
	cs   *mcp.ClientSession
}

func newEnv(t *testing.T, o options) *env {
	t.Helper()
	fake, err := makefake.New(o.fake)
	if err != nil {
		t.Fatal(err)
	}
	token := demoToken
	if o.token != "" {
		token = o.token
		fake.AddToken(token, makefake.APIToken, o.scopes...)
	}
	apiOpts := makeapi.Options{Tokens: makeapi.StaticToken(token, "Token"), MaxAttempts: 2}
	if o.inProcess {
		apiOpts.Zone, apiOpts.HTTPClient = "eu1.make.com", fake.InProcessClient()
	} else {
		fake.Start()
		t.Cleanup(fake.Close)
		apiOpts.Zone, apiOpts.AllowedHosts = fake.Zone(), []string{fake.Zone()}
	}
	if o.setup != nil {
		o.setup(fake)
	}
	api, err := makeapi.New(apiOpts)
	if err != nil {
		t.Fatal(err)
	}
	deps := tools.Deps{Client: api, OrganizationID: demoOrg, TeamID: demoTeam}
	if o.logs != nil {
		deps.Logger = slog.New(slog.NewTextHandler(o.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	if o.deps != nil {
		o.deps(&deps)
	}
	list := o.tools
	if list == nil {
		list = tools.All()
	}
	ctx, cancel := context.WithCancel(context.Background())
	srv := tools.NewServer(tools.Options{Deps: deps, Tools: list, ScenarioTools: o.scenarioTools, Version: "test",
		ScenarioCache: o.scenarioCache, ScenarioIDs: o.scenarioIDs, ReadOnly: o.readOnly})
	st, ct := mcp.NewInMemoryTransports()
	ss, err := srv.Connect(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	client := mcp.NewClient(&mcp.Implementation{Name: "test-client", Version: "1"}, &o.client)
	var so *mcp.ClientSessionOptions
	if o.protocol != "" {
		so = &mcp.ClientSessionOptions{ProtocolVersion: o.protocol}
	}
	cs, err := client.Connect(ctx, ct, so)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cs.Close()
		_ = ss.Close()
		cancel()
	})
	// Zone discovery happens once, on the first call about a team or an
	// organization; do it now so that each test sees only its tool's
	// requests.
	if _, err := api.Organizations(ctx); err != nil {
		t.Fatal(err)
	}
	if !o.keepRequests {
		fake.ResetRequests()
	}
	return &env{t: t, fake: fake, api: api, cs: cs}
}

// call calls a tool and fails the test on a protocol error.
func (e *env) call(name string, args any) *mcp.CallToolResult {
	e.t.Helper()
	return e.callCtx(context.Background(), name, args)
}

func (e *env) callCtx(ctx context.Context, name string, args any) *mcp.CallToolResult {
	e.t.Helper()
	res, err := e.cs.CallTool(ctx, &mcp.CallToolParams{Name: name, Arguments: args})
	if err != nil {
		e.t.Fatalf("%s: %v", name, err)
	}
	return res
}

// get reads an object from the fake, as Make answers it, under answer.
func (e *env) get(path, answer string) map[string]any {
	e.t.Helper()
	v, err := e.api.Do(context.Background(), makeapi.Request{Method: "GET", Path: path, Answer: answer})
	if err != nil {
		e.t.Fatalf("GET %s: %v", path, err)
	}
	var out map[string]any
	if err := json.Unmarshal(v, &out); err != nil {
		e.t.Fatalf("GET %s: %v", path, err)
	}
	return out
}

// ok calls a tool that must succeed and returns its structured result.
func (e *env) ok(name string, args any) json.RawMessage {
	e.t.Helper()
	res := e.call(name, args)
	if res.IsError {
		e.t.Fatalf("%s(%s): tool error: %s", name, mustJSON(args), text(res))
	}
	if res.StructuredContent == nil {
		e.t.Fatalf("%s: no structured content", name)
	}
	return mustJSON(res.StructuredContent)
}

// fails calls a tool that must fail and returns the error text.
func (e *env) fails(name string, args any) string {
	e.t.Helper()
	res := e.call(name, args)
	if !res.IsError {
		e.t.Fatalf("%s(%s) succeeded with %s, want a tool error", name, mustJSON(args), text(res))
	}
	return text(res)
}

// text joins a result's text content.
func text(res *mcp.CallToolResult) string { return testenv.ToolText(res) }

func mustJSON(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

// req is a request Make should receive: method, path under /api/v2, the
// query (encoded, any order) and the JSON body ("" for none).
type req struct {
	method, path, query, body string
}

// takeRequests returns the requests the fake received since the last
// take, and forgets them.
func (e *env) takeRequests() []makefake.Request {
	got := e.fake.Requests()
	e.fake.ResetRequests()
	return got
}

// wantRequests checks that the fake received exactly these requests, in
// order, since the last take.
func (e *env) wantRequests(want ...req) {
	e.t.Helper()
	got := e.takeRequests()
	if len(got) != len(want) {
		e.t.Errorf("Make received %d requests, want %d:\n%s", len(got), len(want), describe(got))
		return
	}
	for i, w := range want {
		g := got[i]
		wq, err := url.ParseQuery(w.query)
		if err != nil {
			e.t.Fatalf("bad query in test: %q", w.query)
		}
		if len(wq) == 0 {
			wq = url.Values{}
		}
		gq := g.Query
		if len(gq) == 0 {
			gq = url.Values{}
		}
		if g.Method != w.method || g.Path != "/api/v2"+w.path || !reflect.DeepEqual(gq, wq) {
			e.t.Errorf("request %d = %s %s?%s, want %s /api/v2%s?%s", i, g.Method, g.Path, g.RawQuery, w.method, w.path, w.query)
		}
		switch {
		case w.body == "-":
		case w.body == "" && len(g.Body) != 0:
			e.t.Errorf("request %d %s %s: body %s, want none", i, g.Method, g.Path, g.Body)
		case w.body != "" && !jsonEqual(g.Body, []byte(w.body)):
			e.t.Errorf("request %d %s %s: body\n%s\nwant\n%s", i, g.Method, g.Path, g.Body, w.body)
		}
	}
}

func describe(rs []makefake.Request) string {
	var b strings.Builder
	for _, r := range rs {
		b.WriteString("  " + r.Method + " " + r.Path)
		if r.RawQuery != "" {
			b.WriteString("?" + r.RawQuery)
		}
		if len(r.Body) > 0 {
			b.WriteString(" " + string(r.Body))
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// jsonEqual reports whether two JSON texts hold the same value. Make
// takes a scenario's blueprint and scheduling as strings of JSON: those
// compare by the JSON they hold, and must be strings in both.
func jsonEqual(a, b []byte) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	return reflect.DeepEqual(unstring(x), unstring(y))
}

func unstring(v any) any {
	m, ok := v.(map[string]any)
	if !ok {
		return v
	}
	for _, k := range []string{"blueprint", "scheduling"} {
		if s, ok := m[k].(string); ok {
			var inner any
			if json.Unmarshal([]byte(s), &inner) == nil {
				m[k] = map[string]any{"json string": inner}
			}
		}
	}
	return m
}

// wantJSON checks that got holds want: objects hold want's keys with
// values that hold want's values, arrays have want's length and hold its
// elements in order, other values are equal.
func wantJSON(t *testing.T, got json.RawMessage, want string) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("result is not JSON: %v: %s", err, got)
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("bad JSON in test: %v: %s", err, want)
	}
	if path, ok := holds(g, w, "$"); !ok {
		t.Errorf("result differs at %s:\n got %s\nwant %s", path, got, want)
	}
}

func holds(g, w any, path string) (string, bool) {
	switch w := w.(type) {
	case map[string]any:
		gm, ok := g.(map[string]any)
		if !ok {
			return path, false
		}
		keys := make([]string, 0, len(w))
		for k := range w {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			gv, present := gm[k]
			if !present {
				return path + "." + k + " (missing)", false
			}
			if p, ok := holds(gv, w[k], path+"."+k); !ok {
				return p, false
			}
		}
		return "", true
	case []any:
		ga, ok := g.([]any)
		if !ok || len(ga) != len(w) {
			return path + " (length)", false
		}
		for i := range w {
			if p, ok := holds(ga[i], w[i], path+"["+strconv.Itoa(i)+"]"); !ok {
				return p, false
			}
		}
		return "", true
	}
	return path, reflect.DeepEqual(g, w)
}

// decode unmarshals a structured result.
func decode[T any](t *testing.T, raw json.RawMessage) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatalf("decode %T: %v: %s", v, err, raw)
	}
	return v
}

// toolCase is one call of a tool: its arguments, the requests Make must
// receive, and what the structured result must hold.
type toolCase struct {
	name   string
	tool   string
	args   string
	want   []req
	result string
	// check, when set, inspects the fake or the result further.
	check func(t *testing.T, e *env, res json.RawMessage)
}

// runCases runs each case on a fresh Demo account.
func runCases(t *testing.T, cases []toolCase) {
	t.Helper()
	for _, c := range cases {
		name := c.tool
		if c.name != "" {
			name += "/" + c.name
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, options{})
			res := e.ok(c.tool, json.RawMessage(c.args))
			e.wantRequests(c.want...)
			if c.result != "" {
				wantJSON(t, res, c.result)
			}
			if c.check != nil {
				c.check(t, e, res)
			}
		})
	}
}

func itoa(i int) string { return strconv.Itoa(i) }
