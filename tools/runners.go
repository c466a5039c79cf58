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
	"unicode/utf8"

	"github.com/google/jsonschema-go/jsonschema"
	"github.com/makemcp/makemcp/internal/safetext"
	"github.com/makemcp/makemcp/makeapi"
	"github.com/makemcp/makemcp/makeapi/scope"
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
	// firstLoadWait bounds how long a tools/list waits for the first load
	// of the scenario tools when no cache holds them: it answers with
	// those ready by then, and the rest follow with list_changed.
	firstLoadWait = 10 * time.Second
	// maxInterfaceFetches bounds the interface requests in flight at once,
	// below the rate limiter's burst.
	maxInterfaceFetches = 200
	// defaultAPILimit is Make's smallest plan's limit, requests a minute,
	// used when the organization's own limit is unknown.
	defaultAPILimit = 60
	// MaxScenarioTools bounds how many scenario tools are listed: a host
	// shows every tool to its model, and a list of hundreds drowns the
	// rest. --scenarios picks which.
	MaxScenarioTools = 100
	// maxTitle bounds the title a scenario's name becomes; its
	// description is bounded by Make's own limit (maxDescription).
	maxTitle = 64
	// minPace is the slowest the interface requests are paced, however
	// often Make answers 429.
	minPace = rate.Limit(1.0 / 60)
)

// runners keeps one tool per active on-demand scenario of the default
// team in the server's tool list. At start they come from the cache, if
// one holds them, so the first tools/list answers at once; a load from
// Make then follows in the background, and again whenever the list is
// older than the TTL at a tools/list, or a tool changed a scenario. A
// load asks Make only for the interfaces of scenarios that are new or
// whose lastEdit moved, paced within the organization's API limit, and
// adds each tool as soon as its interface arrives.
type runners struct {
	server  *mcp.Server
	deps    *Deps
	ttl     time.Duration
	changed func()
	cache   Cache
	// allow, when not empty, are the only scenarios served.
	allow map[int64]bool

	startOnce sync.Once
	mu        sync.Mutex
	loaded    chan struct{} // closed when the first list is ready
	fetched   time.Time     // when the list was last fetched; zero: stale
	loading   bool
	// dirty says a scenario changed since the running load began, which
	// may have read the list before the change: load again after it.
	dirty bool
	// forget are scenarios whose interface must be fetched again.
	forget map[int64]bool
	// tools are the tools served, by name; ready are tools built by the
	// running load, not yet served (flush serves them).
	tools    map[string]runner
	ready    map[string]runner
	limiter  *rate.Limiter
	startCtx context.Context
	// capped is the number of scenarios last left out by the cap, so the
	// log says so once per change.
	capped int
}

// runner is one scenario tool and what it was built from.
type runner struct {
	scenario cachedScenario
	def      *mcp.Tool
	// input is the input schema, resolved for validation on the tool's
	// first call: resolved schemas are large (tens of kilobytes of small
	// objects each), and keeping hundreds that are never called made
	// every garbage collection slower.
	input func() (*jsonschema.Resolved, error)
}

// newRunners returns the runners; changed is called after each change
// to the server's tools.
func newRunners(s *mcp.Server, d *Deps, o Options) *runners {
	rs := &runners{server: s, deps: d, ttl: o.ScenarioTTL, cache: o.ScenarioCache, loaded: make(chan struct{}),
		tools: map[string]runner{}, ready: map[string]runner{}}
	if rs.ttl <= 0 {
		rs.ttl = defaultScenarioTTL
	}
	if len(o.ScenarioIDs) > 0 {
		rs.allow = map[int64]bool{}
		for _, id := range o.ScenarioIDs {
			rs.allow[id] = true
		}
	}
	return rs
}

// start serves the cached scenario tools and begins the first load; it
// and later loads end with ctx. Only the first call does anything.
func (rs *runners) start(ctx context.Context) {
	rs.startOnce.Do(func() {
		rs.mu.Lock()
		rs.startCtx = ctx
		rs.mu.Unlock()
		if rs.restore() {
			close(rs.loaded)
			rs.refresh(nil)
			return
		}
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

// middleware lets a tools/list (or a scenario tool's call) wait for the
// first list, at most firstLoadWait, serves what the running load has
// ready, and refreshes a stale list in the background.
func (rs *runners) middleware(next mcp.MethodHandler) mcp.MethodHandler {
	return func(ctx context.Context, method string, req mcp.Request) (mcp.Result, error) {
		if method == "tools/list" || method == "tools/call" && isScenarioCall(req) {
			wait := time.NewTimer(firstLoadWait)
			select {
			case <-rs.loaded:
			case <-ctx.Done():
				wait.Stop()
				return nil, ctx.Err()
			case <-wait.C:
			}
			wait.Stop()
			rs.flush()
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

// refresh loads the scenario tools in the background unless a load is
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

// load lists the runnable scenarios, fetches the interfaces of those new
// or changed since the tools were built, and brings the served tools in
// line. A scenario whose interface cannot be read keeps the tool it had,
// if any; a 429 slows the pace down rather than failing the load.
func (rs *runners) load(ctx context.Context) (err error) {
	// Take the changes known now: a change from here on marks the list
	// dirty again, and a failed load leaves them for the next.
	rs.mu.Lock()
	old, forget := maps.Clone(rs.tools), rs.forget
	rs.forget, rs.dirty = nil, false
	rs.mu.Unlock()
	defer func() {
		if err != nil && len(forget) > 0 {
			rs.mu.Lock()
			if rs.forget == nil {
				rs.forget = map[int64]bool{}
			}
			for id := range forget {
				rs.forget[id] = true
			}
			rs.mu.Unlock()
		}
	}()
	// The organization's rate limit is read while the scenarios are
	// listed: two round trips at once rather than one after the other.
	limiterc := make(chan *rate.Limiter, 1)
	go func() { limiterc <- rs.rateLimiter(ctx) }()
	runnable, err := rs.runnable(ctx)
	limiter := <-limiterc
	if err != nil {
		return err
	}
	keep := map[string]bool{}
	g, gctx := errgroup.WithContext(ctx)
	// As many requests at once as the limiter lets through at once.
	g.SetLimit(min(max(limiter.Burst(), 1), maxInterfaceFetches))
	for _, s := range runnable {
		name := runnerName(s.ID)
		keep[name] = true
		if prev, ok := old[name]; ok && prev.scenario.LastEdit.Equal(s.LastEdit) && !forget[s.ID] {
			if prev.scenario.Name != s.Name || prev.scenario.Description != s.Description {
				rs.build(cachedScenario{s.ID, s.Name, s.Description, s.LastEdit, prev.scenario.Interface})
			}
			continue
		}
		g.Go(func() error {
			in, err := rs.fetchInterface(gctx, limiter, s.ID)
			switch {
			case gctx.Err() != nil:
				return gctx.Err()
			case err != nil:
				rs.deps.Logger.Warn("scenario tool not updated: its interface could not be read", "scenario", s.ID, "err", oneLine(err))
				return nil
			}
			rs.build(cachedScenario{s.ID, s.Name, s.Description, s.LastEdit, in})
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	rs.flush()
	var gone []string
	rs.mu.Lock()
	for name := range rs.tools {
		if !keep[name] {
			gone = append(gone, name)
			delete(rs.tools, name)
		}
	}
	rs.mu.Unlock()
	if len(gone) > 0 {
		rs.server.RemoveTools(gone...)
		rs.changed()
	}
	// Saved before the first list is answered, so that a one-shot
	// `tools list` leaves the cache behind too; it costs a list that waits
	// for Make little more than it waits already.
	rs.save()
	return nil
}

// runnable lists the scenarios to serve: active, on demand, allowed by
// --scenarios, and no more than MaxScenarioTools.
func (rs *runners) runnable(ctx context.Context) ([]makeapi.Scenario, error) {
	d := rs.deps.defaults(ctx)
	q := makeapi.ScenarioQuery{TeamID: d.TeamID, OrganizationID: d.OrganizationID,
		IsActive: new(bool), Cols: []string{"id", "name", "description", "teamId", "isActive", "scheduling", "lastEdit"}}
	*q.IsActive = true
	if q.TeamID != 0 {
		q.OrganizationID = 0
	}
	if q.TeamID == 0 && q.OrganizationID == 0 {
		return nil, fmt.Errorf("no default team: start makemcp with --team to get scenario tools")
	}
	var runnable []makeapi.Scenario
	for s, err := range rs.deps.Client.AllScenarios(ctx, q) {
		if err != nil {
			return nil, fmt.Errorf("list scenarios: %w", err)
		}
		if s.IsActive && s.OnDemand() && (rs.allow == nil || rs.allow[s.ID]) {
			runnable = append(runnable, s)
		}
	}
	cut := max(len(runnable)-MaxScenarioTools, 0)
	rs.mu.Lock()
	logCut := cut != rs.capped
	rs.capped = cut
	rs.mu.Unlock()
	if logCut && cut > 0 {
		rs.deps.Logger.Warn("too many scenarios for scenario tools: listing the first ones only; choose with --scenarios",
			"runnable", len(runnable), "listed", MaxScenarioTools, "cut", cut)
	}
	return runnable[:len(runnable)-cut], nil
}

// fetchInterface reads a scenario's interface, at the limiter's pace. A
// 429 (after makeapi's own retries) halves the pace and tries again.
func (rs *runners) fetchInterface(ctx context.Context, l *rate.Limiter, id int64) (*makeapi.Interface, error) {
	for {
		if err := l.Wait(ctx); err != nil {
			return nil, err
		}
		in, err := rs.deps.Client.ScenarioInterface(ctx, id)
		if !makeapi.IsRateLimited(err) {
			return in, err
		}
		pace := max(l.Limit()/2, minPace)
		l.SetLimit(pace)
		l.SetBurst(1)
		rs.deps.Logger.Info("Make asked to slow down: pacing the scenario interface requests further",
			"perMinute", float64(pace)*60)
	}
}

// build makes a scenario's tool, ready to serve at the next flush.
func (rs *runners) build(s cachedScenario) {
	def := runnerDef(s)
	// Resolved now only to leave out a scenario whose tool could not be
	// called; resolved again, and kept, when it is.
	if _, err := def.InputSchema.(*jsonschema.Schema).Resolve(nil); err != nil {
		rs.deps.Logger.Warn("scenario left out of the tools: its interface gives no usable input schema", "scenario", s.ID, "err", err)
		return
	}
	r := runner{scenario: s, def: wireTool(def),
		input: sync.OnceValues(func() (*jsonschema.Resolved, error) { return InterfaceSchema(s.Interface.Input).Resolve(nil) })}
	rs.mu.Lock()
	rs.ready[def.Name] = r
	rs.mu.Unlock()
}

// flush serves the tools the running load has ready: at a tools/list, so
// that it lists them, and at the end of the load. Serving them in batches
// rather than one by one spares clients a list_changed for every scenario.
func (rs *runners) flush() {
	rs.mu.Lock()
	ready := rs.ready
	rs.ready = map[string]runner{}
	// The handlers validate against rs.tools: update it before the server
	// lists new tools, so that none can be called before it is known.
	for name, r := range ready {
		rs.tools[name] = r
	}
	rs.mu.Unlock()
	if len(ready) == 0 {
		return
	}
	for _, r := range ready {
		rs.server.AddTool(r.def, rs.handler(r.scenario.ID))
	}
	// After the change, not before: a tools/list built in between must
	// not count as holding it.
	rs.changed()
}

// rateLimiter paces interface requests within the organization's API
// limit, leaving three quarters of a minute's budget to everything else.
// The limit is the organization's (found from the team when only a team
// is known), else that of Make's smallest plan.
func (rs *runners) rateLimiter(ctx context.Context) *rate.Limiter {
	rs.mu.Lock()
	l := rs.limiter
	rs.mu.Unlock()
	if l != nil {
		return l
	}
	// Loads never overlap, so the organization is read once; the lock is
	// not held across the requests, which tools/list would wait on.
	perMinute := defaultAPILimit
	if org := rs.organization(ctx); org != 0 {
		if o, err := rs.deps.Client.GetOrganization(ctx, org); err == nil && o.License != nil && o.License.APILimit > 0 {
			perMinute = o.License.APILimit
		}
	}
	l = rate.NewLimiter(rate.Limit(float64(perMinute)/60), max(perMinute/4, 1))
	rs.mu.Lock()
	rs.limiter = l
	rs.mu.Unlock()
	return l
}

// organization is the default organization, or the default team's.
func (rs *runners) organization(ctx context.Context) int64 {
	d := rs.deps.defaults(ctx)
	if d.OrganizationID != 0 || d.TeamID == 0 {
		return d.OrganizationID
	}
	v, err := rs.deps.Client.Do(ctx, makeapi.Request{Method: "GET", Path: "/teams/{teamId}", Answer: "team",
		Params: map[string]string{"teamId": strconv.FormatInt(d.TeamID, 10)}})
	if err != nil {
		return 0
	}
	var t makeapi.Team
	_ = json.Unmarshal(v, &t)
	return t.OrganizationID
}

func runnerName(id int64) string { return RunScenarioPrefix + strconv.FormatInt(id, 10) }

// runnerDef describes a scenario as a tool: its title and description are
// the scenario's, made safe to show (no control or direction-changing
// characters, one line, bounded), after a note of what the tool does; its
// input schema comes from the scenario's interface. A host may list a
// hundred scenario tools, so each carries only what is its own:
//   - no output schema: every scenario tool returns what scenarios_run
//     returns, whose schema says so;
//   - no annotations: a scenario can do anything its modules do, in any
//     app, and MCP's defaults (not read-only, destructive, not idempotent,
//     open world) say exactly that.
func runnerDef(s cachedScenario) *mcp.Tool {
	name := safetext.Line(s.Name, 0)
	text := name
	if d := safetext.Line(s.Description, 0); d != "" {
		text += ": " + d
	}
	note := fmt.Sprintf("(runs Make scenario %d, which may act on other services) ", s.ID)
	return &mcp.Tool{
		Name:        runnerName(s.ID),
		Title:       fit(name, maxTitle),
		Description: note + fit(text, maxDescription-utf8.RuneCountInString(note)),
		InputSchema: InterfaceSchema(s.Interface.Input),
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
			return errorResult(rs.deps.toolError(scope.ScenariosRun, err)), nil
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

func oneLine(err error) string { return safetext.Line(err.Error(), 300) }

// fit folds text from outside onto one safe line of at most n
// characters, the "…" of a cut included.
func fit(s string, n int) string {
	line := safetext.Line(s, 0)
	if utf8.RuneCountInString(line) <= n {
		return line
	}
	return safetext.Line(line, max(n-1, 1))
}
