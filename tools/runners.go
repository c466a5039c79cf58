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

// Scenario tools (serve --scenario-tools) are one tool per active
// on-demand scenario, named run_scenario_<id>, which runs it with its
// interface's inputs as arguments. In the code they are runners, so that
// "scenario tools" never also means the scenarios_* tools.

// RunScenarioPrefix starts the name of every scenario tool; the rest is
// the scenario's id.
const RunScenarioPrefix = "run_scenario_"

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

// runners keeps one tool per active on-demand scenario of the
// default team in the server's tool list. The list is loaded when the
// server starts, trusted for a TTL, then refreshed in the background on the
// next tools/list; a tool that changed the scenarios invalidates it at
// once. Interfaces are cached by scenario and last edit, so a refresh asks
// Make only for what changed.
type runners struct {
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
	tools    map[string]runner // by tool name
	limiter  *rate.Limiter
	startCtx context.Context
}

// runner is one served scenario tool and what it was built from.
type runner struct {
	lastEdit time.Time
	iface    *makeapi.Interface
	// input is the input schema, resolved for validation on the tool's
	// first call: resolved schemas are large (tens of kilobytes of small
	// objects each), and keeping hundreds that are never called made
	// every garbage collection slower.
	input func() (*jsonschema.Resolved, error)
}

// newRunners returns the toolset; changed is called after each
// change to the server's tools.
func newRunners(s *mcp.Server, d *Deps, ttl time.Duration, changed func()) *runners {
	if ttl <= 0 {
		ttl = defaultScenarioTTL
	}
	return &runners{server: s, deps: d, ttl: ttl, changed: changed, loaded: make(chan struct{}), tools: map[string]runner{}}
}

// start begins the first load; it and later refreshes end with ctx. Only
// the first call does anything.
func (rs *runners) start(ctx context.Context) {
	rs.startOnce.Do(func() {
		rs.mu.Lock()
		rs.startCtx = ctx
		rs.mu.Unlock()
		rs.refresh(func() { close(rs.loaded) })
	})
}

// invalidate marks the list stale after a tool changed a scenario, and
// reloads it. The scenario's interface is fetched again even when Make
// did not move its lastEdit, since an interface change may not.
func (rs *runners) invalidate(scenarioID int64) {
	rs.mu.Lock()
	rs.fetched = time.Time{}
	rs.dirty = true
	if scenarioID != 0 {
		if rs.forget == nil {
			rs.forget = map[int64]bool{}
		}
		rs.forget[scenarioID] = true
	}
	rs.mu.Unlock()
	rs.refresh(nil)
}

// middleware waits for the first load before answering tools/list or
// calling a scenario tool, and refreshes a stale list in the background.
func (rs *runners) middleware(next mcp.MethodHandler) mcp.MethodHandler {
	return func(ctx context.Context, method string, req mcp.Request) (mcp.Result, error) {
		if method == "tools/list" || method == "tools/call" && isScenarioCall(req) {
			select {
			case <-rs.loaded:
			case <-ctx.Done():
				return nil, ctx.Err()
			case <-time.After(firstLoadWait):
			}
			rs.mu.Lock()
			stale := time.Since(rs.fetched) > rs.ttl
			rs.mu.Unlock()
			if stale {
				rs.refresh(nil)
			}
		}
		return next(ctx, method, req)
	}
}

func isScenarioCall(req mcp.Request) bool {
	p, ok := req.GetParams().(*mcp.CallToolParamsRaw)
	return ok && strings.HasPrefix(p.Name, RunScenarioPrefix)
}

// refresh reloads the scenario tools in the background unless a load is
// already running; done, if not nil, runs when this load ends.
func (rs *runners) refresh(done func()) {
	rs.mu.Lock()
	if rs.loading || rs.startCtx == nil {
		rs.mu.Unlock()
		if done != nil {
			done()
		}
		return
	}
	rs.loading = true
	ctx := rs.startCtx
	rs.mu.Unlock()
	go func() {
		err := rs.load(ctx)
		rs.mu.Lock()
		rs.loading = false
		again := rs.dirty && ctx.Err() == nil
		if err == nil && !again {
			rs.fetched = time.Now()
		}
		rs.mu.Unlock()
		if err != nil && ctx.Err() == nil {
			rs.deps.Logger.Warn("could not load the scenario tools; will try again on the next tools/list", "err", err)
		}
		if done != nil {
			done()
		}
		if again {
			rs.refresh(nil)
		}
	}()
}

// load fetches the runnable scenarios and their interfaces, and brings the
// server's scenario tools in line with them.
func (rs *runners) load(ctx context.Context) (err error) {
	// Take the changes known now: a change from here on marks the toolset
	// dirty again, and a failed load leaves them for the next.
	rs.mu.Lock()
	old, forget := rs.tools, rs.forget
	rs.forget, rs.dirty = nil, false
	rs.mu.Unlock()
	defer func() {
		if err != nil && len(forget) > 0 {
			rs.mu.Lock()
			if rs.forget == nil {
				rs.forget = map[int64]bool{}
			}
			maps.Copy(rs.forget, forget)
			rs.mu.Unlock()
		}
	}()
	c := rs.deps.Client
	q := makeapi.ScenarioQuery{TeamID: rs.deps.TeamID, OrganizationID: rs.deps.OrganizationID,
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
	go func() { limiterc <- rs.rateLimiter(ctx) }()
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
		if prev, ok := old[runnerName(s.ID)]; ok && prev.lastEdit.Equal(s.LastEdit) && !forget[s.ID] {
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

	next := make(map[string]runner, len(runnable))
	type addition struct {
		def *mcp.Tool
		id  int64
	}
	var added []addition
	for i, s := range runnable {
		name := runnerName(s.ID)
		if prev, ok := old[name]; ok && prev.iface == ifaces[i] && prev.lastEdit.Equal(s.LastEdit) {
			next[name] = prev
			continue // unchanged: re-adding would send a needless list_changed
		}
		def := runnerDef(s, ifaces[i])
		schema := def.InputSchema.(*jsonschema.Schema)
		// Resolved now only to leave out a scenario whose tool could not be
		// called; resolved again, and kept, when it is.
		if _, err := schema.Resolve(nil); err != nil {
			rs.deps.Logger.Warn("scenario left out of the tools: its interface gives no usable input schema", "scenario", s.ID, "err", err)
			continue
		}
		input := sync.OnceValues(func() (*jsonschema.Resolved, error) { return InterfaceSchema(ifaces[i].Input).Resolve(nil) })
		next[name] = runner{lastEdit: s.LastEdit, iface: ifaces[i], input: input}
		added = append(added, addition{def, s.ID})
	}
	var gone []string
	for name := range old {
		if _, ok := next[name]; !ok {
			gone = append(gone, name)
		}
	}
	// The handlers validate against rs.tools: update it before the server
	// lists new tools, so that none can be called before it is known.
	rs.mu.Lock()
	rs.tools = next
	rs.mu.Unlock()
	for _, a := range added {
		rs.server.AddTool(wireTool(a.def), rs.handler(a.id))
	}
	if len(gone) > 0 {
		rs.server.RemoveTools(gone...)
	}
	// After the change, not before: a tools/list built in between must
	// not count as holding it.
	if len(added) > 0 || len(gone) > 0 {
		rs.changed()
	}
	return nil
}

// rateLimiter paces interface requests within the organization's API
// limit, leaving three quarters of a minute's budget to everything else.
func (rs *runners) rateLimiter(ctx context.Context) *rate.Limiter {
	rs.mu.Lock()
	l := rs.limiter
	rs.mu.Unlock()
	if l != nil {
		return l
	}
	// Loads never overlap, so the organization is read once; the lock is
	// not held across the request, which tools/list would wait on.
	perMinute := defaultAPILimit
	if id := rs.deps.OrganizationID; id != 0 {
		if o, err := rs.deps.Client.GetOrganization(ctx, id); err == nil && o.License != nil && o.License.APILimit > 0 {
			perMinute = o.License.APILimit
		}
	}
	l = rate.NewLimiter(rate.Limit(float64(perMinute)/60), max(perMinute/4, 1))
	rs.mu.Lock()
	rs.limiter = l
	rs.mu.Unlock()
	return l
}

func runnerName(id int64) string { return RunScenarioPrefix + strconv.FormatInt(id, 10) }

// runnerDef describes a scenario as a tool: its name and description
// are the scenario's, its input schema comes from the scenario's
// interface. A host may list hundreds of scenario tools, so each carries
// only what is its own:
//   - no output schema: every scenario tool returns what scenarios_run
//     returns, whose schema says so;
//   - no annotations: a scenario can do anything its modules do, in any
//     app, and MCP's defaults (not read-only, destructive, not idempotent,
//     open world) say exactly that.
func runnerDef(s makeapi.Scenario, in *makeapi.Interface) *mcp.Tool {
	desc := strings.TrimSpace(s.Name)
	if d := strings.TrimSpace(s.Description); d != "" {
		desc += ": " + d
	}
	desc += fmt.Sprintf(" (runs Make scenario %d, which may act on other services)", s.ID)
	return &mcp.Tool{
		Name:        runnerName(s.ID),
		Title:       s.Name,
		Description: desc,
		InputSchema: InterfaceSchema(in.Input),
	}
}

// handler runs the scenario with the call's arguments as its inputs.
func (rs *runners) handler(id int64) mcp.ToolHandler {
	return func(ctx context.Context, req *mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		args := req.Params.Arguments
		if len(args) == 0 || string(args) == "null" {
			args = json.RawMessage("{}")
		}
		if err := rs.validate(id, args); err != nil {
			return errorResult(err), nil
		}
		c := &Call{Deps: rs.deps, Request: req}
		res, err := c.runScenario(ctx, id, makeapi.RunRequest{Data: args})
		if err != nil {
			return errorResult(rs.deps.toolError("scenarios:run", err)), nil
		}
		return structuredResult(res)
	}
}

// validate checks arguments against the scenario's input schema, which
// the SDK leaves to handlers added without a typed input.
func (rs *runners) validate(id int64, args json.RawMessage) error {
	rs.mu.Lock()
	t, ok := rs.tools[runnerName(id)]
	rs.mu.Unlock()
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

// wireTool is def as the server lists it: its schemas encoded once, here,
// rather than by the SDK on every tools/list (which a profile showed to be
// most of the time it takes). The SDK still validates arguments and
// results against schemas it resolves from these bytes.
func wireTool(def *mcp.Tool) *mcp.Tool {
	w := *def
	w.InputSchema = mustJSON(def.InputSchema)
	if def.OutputSchema != nil {
		w.OutputSchema = mustJSON(def.OutputSchema)
	}
	return &w
}
