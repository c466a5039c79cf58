package tools

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/makemcp/makemcp/internal/safetext"
	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// instructions tell the model how the tools fit together.
const instructions = `makemcp gives you a Make.com account: its organizations, teams, scenarios (automations), their executions, and the connections, webhooks and data stores they use.

The usual path:
1. Find the team: teams_list (organizations_list first if you need the organization id). Most tools take teamId; when you omit it, the user's default team is used.
2. Find the scenario: scenarios_list, then scenarios_get for its details and blueprint (the modules and how they connect). Large blueprints are cut; read the whole one from the resource make://scenarios/{scenarioId}/blueprint.
3. Run it: scenarios_run runs an active scenario and waits for its result. Scenarios that take inputs describe them in scenarios_interface. A scenario must be active (scenarios_activate) to run.
4. Check what happened: executions_list and executions_get for past runs, executions_get-detail for a run's status and outputs, incomplete-executions_list for runs that stopped halfway.

Lists return at most 20 items by default; when hasMore is true, call again with offset set to nextOffset. Tools that delete or overwrite say so; ask the user before using them unless they asked for exactly that change.`

// Options configure a Server.
type Options struct {
	// Deps are what the tools work with.
	Deps Deps
	// Tools are the tools to serve (see Select).
	Tools []Tool
	// ScenarioTools exposes each active on-demand scenario of the default
	// team as a tool run_scenario_<id>.
	ScenarioTools bool
	// ScenarioTTL is how long the list of scenario tools is trusted before
	// it is fetched again. Default 2 minutes.
	ScenarioTTL time.Duration
	// ScenarioCache, when set, keeps the scenario tools between runs: the
	// first tools/list of a start answers from it at once.
	ScenarioCache Cache
	// ScenarioIDs, when not empty, are the only scenarios served as
	// scenario tools.
	ScenarioIDs []int64
	// ReadOnly serves no scenario tools, whatever ScenarioTools says: a
	// scenario can do anything its modules do. (The tools themselves are
	// chosen with Select.)
	ReadOnly bool
	// Version is makemcp's version, reported to clients.
	Version string
}

// Server is makemcp's MCP server.
type Server struct {
	mcp *mcp.Server
	// life is the context Run or Connect was given; requests end with it.
	life     context.Context
	lifeOnce sync.Once
	deps     *Deps
	runners  *runners
	// listed is closed when the first tools/list has been answered.
	listed     chan struct{}
	listedOnce sync.Once

	// toolsVersion counts the changes to the tool list after start-up
	// (scenario tools come and go); known is, for each session, the
	// version its last tools/list was built from, or a later one.
	toolsVersion atomic.Int64
	knownMu      sync.Mutex
	known        map[mcp.Session]int64
}

// NewServer builds the server with the selected tools and the resources.
// Nothing runs until Run or Connect, whose context bounds the server's
// background work; the server logs to o.Deps.Logger.
func NewServer(o Options) *Server {
	s := &Server{deps: &o.Deps, listed: make(chan struct{}), known: map[mcp.Session]int64{}}
	s.deps.found = &foundDefaults{}
	if s.deps.Logger == nil {
		s.deps.Logger = slog.New(slog.DiscardHandler)
	}
	s.mcp = mcp.NewServer(&mcp.Implementation{Name: "makemcp", Title: "Make", Version: o.Version}, &mcp.ServerOptions{
		Instructions: instructions,
		Logger:       quieter(s.deps.Logger),
		HasTools:     true,
		HasResources: true,
	})
	// Middleware added first runs innermost: noteListed must see the
	// list as it is built, after the scenario tools' first load, which
	// the scenario middleware waits for.
	s.mcp.AddReceivingMiddleware(s.noteListed)
	if o.ScenarioTools && !o.ReadOnly {
		s.runners = newRunners(s.mcp, s.deps, o)
		s.runners.changed = func() { s.toolsVersion.Add(1) }
		s.mcp.AddReceivingMiddleware(s.runners.middleware)
		prev := s.deps.ScenariosChanged
		s.deps.ScenariosChanged = func(id int64) {
			s.runners.invalidate(id)
			if prev != nil {
				prev(id)
			}
		}
	}
	for _, t := range o.Tools {
		t.add(s.mcp, s.deps)
	}
	addResources(s.mcp, s.deps)
	s.mcp.AddReceivingMiddleware(s.endWithServer, oneLineErrors)
	s.mcp.AddSendingMiddleware(s.skipKnownChanges)
	return s
}

// Listed is closed once the server has answered its first tools/list:
// from the client's point of view, start-up is over.
func (s *Server) Listed() <-chan struct{} { return s.listed }

// noteListed notes each tools/list a session is answered: the first
// ends start-up (Listed), and the version of the list it was built from
// lets skipKnownChanges tell what the session has not seen.
func (s *Server) noteListed(next mcp.MethodHandler) mcp.MethodHandler {
	return func(ctx context.Context, method string, req mcp.Request) (mcp.Result, error) {
		if method != "tools/list" {
			return next(ctx, method, req)
		}
		// Read before the list is built: the list holds at least the
		// changes up to this version.
		version := s.toolsVersion.Load()
		res, err := next(ctx, method, req)
		if err == nil {
			s.knownMu.Lock()
			s.known[req.GetSession()] = max(s.known[req.GetSession()], version)
			s.knownMu.Unlock()
			s.listedOnce.Do(func() { close(s.listed) })
		}
		return res, err
	}
}

// skipKnownChanges holds back a tools/list_changed notification for a
// session whose last tools/list already holds every change. The SDK
// sends one shortly after tools change; for the first load of the
// scenario tools, which the client's first tools/list waits for, it came
// after the list it announced, and hosts fetched the whole list again at
// every start.
func (s *Server) skipKnownChanges(next mcp.MethodHandler) mcp.MethodHandler {
	return func(ctx context.Context, method string, req mcp.Request) (mcp.Result, error) {
		if method == "notifications/tools/list_changed" {
			s.knownMu.Lock()
			known, ok := s.known[req.GetSession()]
			s.knownMu.Unlock()
			if ok && known >= s.toolsVersion.Load() {
				return nil, nil
			}
		}
		return next(ctx, method, req)
	}
}

// Run serves one client over t until the client leaves or ctx ends.
func (s *Server) Run(ctx context.Context, t mcp.Transport) error {
	s.start(ctx)
	return s.mcp.Run(ctx, t)
}

// Connect starts a session with the client on the other end of t, for
// in-process clients (tests, `makemcp tools`). Background work ends with
// ctx.
func (s *Server) Connect(ctx context.Context, t mcp.Transport) (*mcp.ServerSession, error) {
	s.start(ctx)
	return s.mcp.Connect(ctx, t, nil)
}

func (s *Server) start(ctx context.Context) {
	s.lifeOnce.Do(func() { s.life = ctx })
	if s.runners != nil {
		s.runners.start(ctx)
	}
}

// endWithServer cancels every request when the server's context ends (a
// signal): the SDK would otherwise wait for in-flight tool calls, such as
// a scenario run Make holds for 40 s, before the process could exit.
func (s *Server) endWithServer(next mcp.MethodHandler) mcp.MethodHandler {
	return func(ctx context.Context, method string, req mcp.Request) (mcp.Result, error) {
		if s.life == nil {
			return next(ctx, method, req)
		}
		ctx, cancel := context.WithCancel(ctx)
		defer cancel()
		defer context.AfterFunc(s.life, cancel)()
		return next(ctx, method, req)
	}
}

// quieter keeps the MCP SDK's routine session messages out of the log
// unless debug logging is on; its warnings and errors still show.
func quieter(l *slog.Logger) *slog.Logger {
	if l.Enabled(context.Background(), slog.LevelDebug) {
		return l
	}
	return slog.New(minLevel{l.Handler(), slog.LevelWarn})
}

type minLevel struct {
	slog.Handler
	min slog.Level
}

func (h minLevel) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= h.min && h.Handler.Enabled(ctx, l)
}

func (h minLevel) WithAttrs(as []slog.Attr) slog.Handler {
	return minLevel{h.Handler.WithAttrs(as), h.min}
}

func (h minLevel) WithGroup(name string) slog.Handler {
	return minLevel{h.Handler.WithGroup(name), h.min}
}

// maxErrorText bounds a tool error's text.
const maxErrorText = 2000

// oneLineErrors folds the text of every tool error onto one bounded line,
// whoever wrote it: a handler, or the SDK's argument validation, which
// quotes the model's bad value line breaks and all.
func oneLineErrors(next mcp.MethodHandler) mcp.MethodHandler {
	return func(ctx context.Context, method string, req mcp.Request) (mcp.Result, error) {
		res, err := next(ctx, method, req)
		if r, ok := res.(*mcp.CallToolResult); ok && r != nil && r.IsError {
			for _, c := range r.Content {
				if t, ok := c.(*mcp.TextContent); ok {
					t.Text = safetext.Line(t.Text, maxErrorText)
				}
			}
		}
		return res, err
	}
}
