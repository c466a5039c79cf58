package tools

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/google/jsonschema-go/jsonschema"
	"github.com/makemcp/makemcp/makeapi"
	"github.com/modelcontextprotocol/go-sdk/mcp"
	"golang.org/x/sync/errgroup"
	"golang.org/x/time/rate"
)

// ScenarioToolPrefix starts the name of every scenario tool; the rest is
// the scenario's id.
const ScenarioToolPrefix = "run_scenario_"

const (
	defaultScenarioTTL = 2 * time.Minute
	// firstLoadWait bounds how long the first tools/list waits for the
	// scenario tools; any that arrive later come with list_changed.
	firstLoadWait = 10 * time.Second
	// maxInterfaceFetches bounds the interface requests in flight at once,
	// below the rate limiter's burst.
	maxInterfaceFetches = 200
	// defaultAPILimit is Make's smallest plan's limit, requests a minute,
	// used when the organization's own limit is unknown.
	defaultAPILimit = 60
)

// scenarioToolset keeps one tool per active on-demand scenario of the
// default team in the server's tool list. The list is loaded when the
// server starts, trusted for a TTL, then refreshed in the background on the
// next tools/list; a tool that changed the scenarios invalidates it at
// once. Interfaces are cached by scenario and last edit, so a refresh asks
// Make only for what changed.
type scenarioToolset struct {
	server  *mcp.Server
	deps    *Deps
	ttl     time.Duration
	changed func()

	startOnce sync.Once
	mu        sync.Mutex
	loaded    chan struct{} // closed when the first load ends
	fetched   time.Time     // when the list was last fetched; zero: stale
	loading   bool
	// dirty says a scenario changed since the running load began, which
	// may have read the list before the change: load again after it.
	dirty bool
	// forget are scenarios whose cached interface must be fetched again.
	forget   map[int64]bool
	tools    map[string]scenarioTool // by tool name
	limiter  *rate.Limiter
	startCtx context.Context
}

// scenarioTool is one served scenario tool and what it was built from.
type scenarioTool struct {
	lastEdit time.Time
	iface    *makeapi.Interface
	// input is the input schema, resolved for validation on the tool's
	// first call: resolved schemas are large (tens of kilobytes of small
	// objects each), and keeping hundreds that are never called made
	// every garbage collection slower.
	input func() (*jsonschema.Resolved, error)
}

// newScenarioToolset returns the toolset; changed is called after each
// change to the server's tools.
func newScenarioToolset(s *mcp.Server, d *Deps, ttl time.Duration, changed func()) *scenarioToolset {
	if ttl <= 0 {
		ttl = defaultScenarioTTL
	}
	return &scenarioToolset{server: s, deps: d, ttl: ttl, changed: changed, loaded: make(chan struct{}), tools: map[string]scenarioTool{}}
}

// start begins the first load; it and later refreshes end with ctx. Only
// the first call does anything.
func (st *scenarioToolset) start(ctx context.Context) {
	st.startOnce.Do(func() {
		st.mu.Lock()
		st.startCtx = ctx
		st.mu.Unlock()
		st.refresh(func() { close(st.loaded) })
	})
}

// invalidate marks the list stale after a tool changed a scenario, and
// reloads it. The scenario's interface is fetched again even when Make
// did not move its lastEdit, since an interface change may not.
func (st *scenarioToolset) invalidate(scenarioID int64) {
	st.mu.Lock()
	st.fetched = time.Time{}
	st.dirty = true
	if scenarioID != 0 {
		if st.forget == nil {
			st.forget = map[int64]bool{}
		}
		st.forget[scenarioID] = true
	}
	st.mu.Unlock()
	st.refresh(nil)
}

// middleware waits for the first load before answering tools/list or
// calling a scenario tool, and refreshes a stale list in the background.
func (st *scenarioToolset) middleware(next mcp.MethodHandler) mcp.MethodHandler {
	return func(ctx context.Context, method string, req mcp.Request) (mcp.Result, error) {
		if method == "tools/list" || method == "tools/call" && isScenarioCall(req) {
			select {
			case <-st.loaded:
			case <-ctx.Done():
				return nil, ctx.Err()
			case <-time.After(firstLoadWait):
			}
			st.mu.Lock()
			stale := time.Since(st.fetched) > st.ttl
			st.mu.Unlock()
			if stale {
				st.refresh(nil)
			}
		}
		return next(ctx, method, req)
	}
}

func isScenarioCall(req mcp.Request) bool {
	p, ok := req.GetParams().(*mcp.CallToolParamsRaw)
	return ok && strings.HasPrefix(p.Name, ScenarioToolPrefix)
}

// refresh reloads the scenario tools in the background unless a load is
// already running; done, if not nil, runs when this load ends.
func (st *scenarioToolset) refresh(done func()) {
	st.mu.Lock()
	if st.loading || st.startCtx == nil {
		st.mu.Unlock()
		if done != nil {
			done()
		}
		return
	}
	st.loading = true
	ctx := st.startCtx
	st.mu.Unlock()
	go func() {
		err := st.load(ctx)
		st.mu.Lock()
		st.loading = false
		again := st.dirty && ctx.Err() == nil
		if err == nil && !again {
			st.fetched = time.Now()
		}
		st.mu.Unlock()
		if err != nil && ctx.Err() == nil {
			st.deps.Logger.Warn("could not load the scenario tools; will try again on the next tools/list", "err", err)
		}
		if done != nil {
			done()
		}
		if again {
			st.refresh(nil)
		}
	}()
}

// load fetches the runnable scenarios and their interfaces, and brings the
// server's scenario tools in line with them.
func (st *scenarioToolset) load(ctx context.Context) (err error) {
	// Take the changes known now: a change from here on marks the toolset
	// dirty again, and a failed load leaves them for the next.
	st.mu.Lock()
	old, forget := st.tools, st.forget
	st.forget, st.dirty = nil, false
	st.mu.Unlock()
	defer func() {
		if err != nil && len(forget) > 0 {
			st.mu.Lock()
			if st.forget == nil {
				st.forget = map[int64]bool{}
			}
			maps.Copy(st.forget, forget)
			st.mu.Unlock()
		}
	}()
	c := st.deps.Client
	q := makeapi.ScenarioQuery{TeamID: st.deps.TeamID, OrganizationID: st.deps.OrganizationID,
		IsActive: new(bool), Cols: []string{"id", "name", "description", "teamId", "isActive", "scheduling", "lastEdit"}}
	*q.IsActive = true
	if q.TeamID != 0 {
		q.OrganizationID = 0
	}
	if q.TeamID == 0 && q.OrganizationID == 0 {
		return fmt.Errorf("no default team: start makemcp with --team to get scenario tools")
	}
	// The organization's rate limit is read while the scenarios are listed.
	limiterc := make(chan *rate.Limiter, 1)
	go func() { limiterc <- st.rateLimiter(ctx) }()
	var runnable []makeapi.Scenario
	for s, err := range c.AllScenarios(ctx, q) {
		if err != nil {
			return fmt.Errorf("list scenarios: %w", err)
		}
		if s.IsActive && s.OnDemand() {
			runnable = append(runnable, s)
		}
	}

	limiter := <-limiterc
	ifaces := make([]*makeapi.Interface, len(runnable))
	g, gctx := errgroup.WithContext(ctx)
	// As many requests at once as the limiter lets through at once.
	g.SetLimit(min(max(limiter.Burst(), 1), maxInterfaceFetches))
	for i, s := range runnable {
		if prev, ok := old[scenarioToolName(s.ID)]; ok && prev.lastEdit.Equal(s.LastEdit) && !forget[s.ID] {
			ifaces[i] = prev.iface
			continue
		}
		g.Go(func() error {
			if err := limiter.Wait(gctx); err != nil {
				return err
			}
			in, err := c.ScenarioInterface(gctx, s.ID)
			if err != nil {
				return fmt.Errorf("interface of scenario %d: %w", s.ID, err)
			}
			ifaces[i] = in
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}

	next := make(map[string]scenarioTool, len(runnable))
	type addition struct {
		def *mcp.Tool
		id  int64
	}
	var added []addition
	for i, s := range runnable {
		name := scenarioToolName(s.ID)
		if prev, ok := old[name]; ok && prev.iface == ifaces[i] && prev.lastEdit.Equal(s.LastEdit) {
			next[name] = prev
			continue // unchanged: re-adding would send a needless list_changed
		}
		def := scenarioToolDef(s, ifaces[i])
		schema := def.InputSchema.(*jsonschema.Schema)
		// Resolved now only to leave out a scenario whose tool could not be
		// called; resolved again, and kept, when it is.
		if _, err := schema.Resolve(nil); err != nil {
			st.deps.Logger.Warn("scenario left out of the tools: its interface gives no usable input schema", "scenario", s.ID, "err", err)
			continue
		}
		input := sync.OnceValues(func() (*jsonschema.Resolved, error) { return InterfaceSchema(ifaces[i].Input).Resolve(nil) })
		next[name] = scenarioTool{lastEdit: s.LastEdit, iface: ifaces[i], input: input}
		added = append(added, addition{def, s.ID})
	}
	var gone []string
	for name := range old {
		if _, ok := next[name]; !ok {
			gone = append(gone, name)
		}
	}
	// The handlers validate against st.tools: update it before the server
	// lists new tools, so that none can be called before it is known.
	st.mu.Lock()
	st.tools = next
	st.mu.Unlock()
	for _, a := range added {
		st.server.AddTool(wireTool(a.def), st.handler(a.id))
	}
	if len(gone) > 0 {
		st.server.RemoveTools(gone...)
	}
	// After the change, not before: a tools/list built in between must
	// not count as holding it.
	if len(added) > 0 || len(gone) > 0 {
		st.changed()
	}
	return nil
}

// rateLimiter paces interface requests within the organization's API
// limit, leaving three quarters of a minute's budget to everything else.
func (st *scenarioToolset) rateLimiter(ctx context.Context) *rate.Limiter {
	st.mu.Lock()
	l := st.limiter
	st.mu.Unlock()
	if l != nil {
		return l
	}
	// Loads never overlap, so the organization is read once; the lock is
	// not held across the request, which tools/list would wait on.
	perMinute := defaultAPILimit
	if id := st.deps.OrganizationID; id != 0 {
		if o, err := st.deps.Client.GetOrganization(ctx, id); err == nil && o.License != nil && o.License.APILimit > 0 {
			perMinute = o.License.APILimit
		}
	}
	l = rate.NewLimiter(rate.Limit(float64(perMinute)/60), max(perMinute/4, 1))
	st.mu.Lock()
	st.limiter = l
	st.mu.Unlock()
	return l
}

func scenarioToolName(id int64) string { return ScenarioToolPrefix + strconv.FormatInt(id, 10) }

// scenarioToolDef describes a scenario as a tool: its name and description
// are the scenario's, its input schema comes from the scenario's
// interface. A host may list hundreds of scenario tools, so each carries
// only what is its own:
//   - no output schema: every scenario tool returns what scenarios_run
//     returns, whose schema says so;
//   - no annotations: a scenario can do anything its modules do, in any
//     app, and MCP's defaults (not read-only, destructive, not idempotent,
//     open world) say exactly that.
func scenarioToolDef(s makeapi.Scenario, in *makeapi.Interface) *mcp.Tool {
	desc := strings.TrimSpace(s.Name)
	if d := strings.TrimSpace(s.Description); d != "" {
		desc += ": " + d
	}
	desc += fmt.Sprintf(" (runs Make scenario %d, which may act on other services)", s.ID)
	return &mcp.Tool{
		Name:        scenarioToolName(s.ID),
		Title:       s.Name,
		Description: desc,
		InputSchema: InterfaceSchema(in.Input),
	}
}

// handler runs the scenario with the call's arguments as its inputs.
func (st *scenarioToolset) handler(id int64) mcp.ToolHandler {
	return func(ctx context.Context, req *mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		args := req.Params.Arguments
		if len(args) == 0 || string(args) == "null" {
			args = json.RawMessage("{}")
		}
		if err := st.validate(id, args); err != nil {
			return errorResult(err), nil
		}
		c := &Call{Deps: st.deps, Request: req}
		res, err := c.runScenario(ctx, id, makeapi.RunRequest{Data: args})
		if err != nil {
			return errorResult(st.deps.toolError("scenarios:run", err)), nil
		}
		return structuredResult(res)
	}
}

// validate checks arguments against the scenario's input schema, which
// the SDK leaves to handlers added without a typed input.
func (st *scenarioToolset) validate(id int64, args json.RawMessage) error {
	st.mu.Lock()
	t, ok := st.tools[scenarioToolName(id)]
	st.mu.Unlock()
	if !ok {
		return fmt.Errorf("scenario %d is no longer active and on demand", id)
	}
	var v any
	if err := json.Unmarshal(args, &v); err != nil {
		return fmt.Errorf("arguments are not JSON: %v", err)
	}
	input, err := t.input()
	if err != nil {
		return fmt.Errorf("scenario %d: its interface gives no usable input schema: %v", id, err)
	}
	if err := input.Validate(v); err != nil {
		return fmt.Errorf("invalid arguments for scenario %d: %v", id, err)
	}
	return nil
}

// errorResult is a tool error the model can act on.
func errorResult(err error) *mcp.CallToolResult {
	r := &mcp.CallToolResult{}
	r.SetError(err)
	return r
}

// structuredResult returns v as structured content with its JSON as text,
// as typed tools do.
func structuredResult(v any) (*mcp.CallToolResult, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return jsonResult(b), nil
}

// jsonResult is a result whose structured content is b, with b as its
// text for clients that read only text.
func jsonResult(b []byte) *mcp.CallToolResult {
	return &mcp.CallToolResult{
		Content:           []mcp.Content{&mcp.TextContent{Text: string(b)}},
		StructuredContent: json.RawMessage(b),
	}
}

// maxFieldDepth bounds how deeply nested an interface may be; deeper
// fields accept any value rather than recursing without end.
const maxFieldDepth = 16

// InterfaceSchema turns a scenario interface's input fields into the JSON
// Schema of a tool's input, as make-platform.md describes: text, json →
// string; number → number; boolean → boolean; date → date-time string;
// select → string enum of the options' values; array → array of the spec's
// item (or objects of its fields); collection → object of its fields.
// help becomes the description, label the title; required and default
// carry over.
func InterfaceSchema(fields []makeapi.Field) *jsonschema.Schema {
	return objectSchema(fields, 0)
}

func objectSchema(fields []makeapi.Field, depth int) *jsonschema.Schema {
	s := &jsonschema.Schema{Type: "object", Properties: map[string]*jsonschema.Schema{}}
	for _, f := range fields {
		if _, dup := s.Properties[f.Name]; dup || f.Name == "" {
			continue // the first field of a name stands, whole
		}
		if f.Required {
			s.Required = append(s.Required, f.Name)
		}
		s.Properties[f.Name] = fieldSchema(f, depth+1)
	}
	return s
}

func fieldSchema(f makeapi.Field, depth int) *jsonschema.Schema {
	s := &jsonschema.Schema{Title: f.Label, Description: f.Help}
	if depth > maxFieldDepth {
		return s
	}
	switch f.Type {
	case "text":
		s.Type = "string"
	case "json":
		s.Type = "string"
		s.Description = strings.TrimSpace(s.Description + " (JSON text)")
	case "number":
		s.Type = "number"
	case "boolean":
		s.Type = "boolean"
	case "date":
		s.Type = "string"
		s.Format = "date-time"
	case "select":
		s.Type = "string"
		for _, o := range f.Options {
			s.Enum = append(s.Enum, o.Value)
		}
	case "array":
		s.Type = "array"
		switch sp := f.Spec; {
		case sp == nil:
		case sp.Item != nil:
			s.Items = fieldSchema(*sp.Item, depth+1)
		case sp.Fields != nil:
			s.Items = objectSchema(sp.Fields, depth+1)
		}
	case "collection":
		if f.Spec != nil && f.Spec.Fields != nil {
			sub := objectSchema(f.Spec.Fields, depth)
			s.Type, s.Properties, s.Required = sub.Type, sub.Properties, sub.Required
		} else {
			s.Type = "object"
		}
	}
	if f.HasDefault() {
		s.Default = f.Default
	}
	return s
}
