// Package tools turns Make's API (package makeapi) into MCP tools: one
// file per area of Make, each tool's definition beside its handler. The
// tools know nothing of HTTP; makeapi knows nothing of MCP.
//
// Tool names and argument names follow Make's own catalogue (the tools of
// @makehq/sdk), so prompts written for Make's server work here unchanged.
package tools

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/google/jsonschema-go/jsonschema"
	"github.com/makemcp/makemcp/makeapi"
	"github.com/makemcp/makemcp/makeapi/scope"
	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// Tool is one MCP tool with what the server needs to know to offer it:
// the toolset it belongs to, the Make scope it needs and what it does.
type Tool struct {
	// Def is the tool as clients see it: name, description, annotations
	// and the input and output schemas.
	Def *mcp.Tool
	// Toolset groups the tool for --toolsets.
	Toolset Toolset
	// Scope is the OAuth scope Make requires for the tool's calls; empty
	// when any credential may call it.
	Scope scope.Scope
	// Kind is what the tool does; its annotations follow from it.
	Kind Kind
	// Doc is more about the tool for its reference in docs/tools.md.
	Doc string
	// add registers the tool with a server, binding its handler to deps.
	add func(*mcp.Server, *Deps)
	// infer derives the schemas from the handler's Go types.
	infer func() (in, out *jsonschema.Schema)
}

// Schemas returns the tool's input and output schemas as inferred from
// its Go types, properties in the order of the fields. Def carries the
// same schemas, encoded.
func (t Tool) Schemas() (in, out *jsonschema.Schema) { return t.infer() }

// ReadOnly reports whether the tool only reads (its readOnlyHint).
func (t Tool) ReadOnly() bool { return t.Kind == Read }

// Deps is what tool handlers work with.
type Deps struct {
	Client *makeapi.Client
	// OrganizationID and TeamID are used when a call omits them: the ones
	// saved at login, or --org and --team.
	OrganizationID int64
	TeamID         int64
	// FindDefaults, when set, finds the defaults that OrganizationID and
	// TeamID do not give (for MAKE_API_TOKEN, whose defaults no login
	// chose), the first time a call needs one: start-up asks Make
	// nothing. It is asked once; its answer is kept.
	FindDefaults func(context.Context) Defaults
	found        *foundDefaults
	// Scopes are the credential's granted scopes; nil when unknown (an API
	// token from MAKE_API_TOKEN), in which case Make is left to decide.
	Scopes []string
	Logger *slog.Logger
	// ScenariosChanged is called with a scenario's id after a tool
	// created, changed, deleted, activated or deactivated it, so scenario
	// tools can be refreshed.
	ScenariosChanged func(scenarioID int64)
	// RunWait bounds how long scenarios_run keeps polling an execution
	// after Make's responsive limit; PollEvery is the pause between polls.
	RunWait   time.Duration
	PollEvery time.Duration
}

// Call is one tool call: the dependencies and the MCP request, for the
// handlers that talk back to the client (progress, confirmation).
type Call struct {
	*Deps
	Request *mcp.CallToolRequest

	// progressMu guards lastProgress, the last progress reported: MCP
	// requires each notification's progress to exceed the one before.
	progressMu   sync.Mutex
	lastProgress float64
}

// handler is the typed body of a tool.
type handler[In, Out any] func(ctx context.Context, c *Call, in In) (Out, error)

// meta is what every tool declares about itself: the name and words a
// model sees, where it belongs, the scope it needs and what it does.
type meta struct {
	Name, Title, Description string
	Toolset                  Toolset
	Scope                    scope.Scope
	Kind                     Kind
	// Doc is more about the tool for docs/tools.md only.
	Doc string
}

// define makes a Tool from its declaration and typed handler. The input
// and output schemas are inferred from In and Out (their jsonschema tags
// are the argument descriptions) and the annotations from the kind;
// errors the handler returns reach the model as tool errors it can act
// on, except a question for the user (see confirm), which goes to the
// client as an input request.
func define[In, Out any](m meta, h handler[In, Out]) Tool {
	infer := sync.OnceValues(func() (*jsonschema.Schema, *jsonschema.Schema) {
		return schemaFor[In](), outputSchema(schemaFor[Out]())
	})
	def := &mcp.Tool{Name: m.Name, Title: m.Title, Description: m.Description, Annotations: m.Kind.annotations()}
	if w, ok := encodedSchemas[def.Name]; ok {
		def.InputSchema, def.OutputSchema = w.In, w.Out
	} else {
		// A tool schemas_gen.go does not have yet; a test fails until
		// go generate writes it.
		in, out := infer()
		def.InputSchema, def.OutputSchema = mustJSON(in), mustJSON(out)
	}
	t := Tool{Def: def, Toolset: m.Toolset, Scope: m.Scope, Kind: m.Kind, Doc: m.Doc, infer: infer}
	// Schemas are resolved on a tool's first call, not at start-up: a
	// host lists the tools at once but calls few of them, and resolving
	// every schema was most of serve's start-up time.
	resolved := sync.OnceValues(func() (*resolvedSchemas, error) { return resolve(def) })
	t.add = func(s *mcp.Server, d *Deps) {
		w := *def // the server's own copy
		s.AddTool(&w, func(ctx context.Context, req *mcp.CallToolRequest) (*mcp.CallToolResult, error) {
			rs, err := resolved()
			if err != nil {
				return nil, err
			}
			var in In
			if err := rs.decodeArguments(req.Params.Arguments, &in); err != nil {
				return errorResult(err), nil
			}
			out, err := h(ctx, &Call{Deps: d, Request: req}, in)
			if ask, ok := errors.AsType[*inputRequired](err); ok {
				return &mcp.CallToolResult{InputRequests: ask.requests}, nil
			}
			if err != nil {
				return errorResult(d.toolError(m.Scope, err)), nil
			}
			return rs.result(out)
		})
	}
	return t
}

// resolvedSchemas are a tool's schemas, ready to validate with.
type resolvedSchemas struct {
	in, out *jsonschema.Resolved
}

func resolve(def *mcp.Tool) (*resolvedSchemas, error) {
	in, err := resolveSchema(def.InputSchema)
	if err != nil {
		return nil, fmt.Errorf("tool %s: input schema: %w", def.Name, err)
	}
	out, err := resolveSchema(def.OutputSchema)
	if err != nil {
		return nil, fmt.Errorf("tool %s: output schema: %w", def.Name, err)
	}
	return &resolvedSchemas{in: in, out: out}, nil
}

// resolveSchema resolves a schema a tool definition carries encoded, as
// define leaves every one.
func resolveSchema(v any) (*jsonschema.Resolved, error) {
	var s jsonschema.Schema
	if err := json.Unmarshal(mustJSON(v), &s); err != nil {
		return nil, err
	}
	return s.Resolve(nil)
}

// decodeArguments checks a call's arguments against the input schema
// (absent arguments are an empty object) and decodes them into in.
func (rs *resolvedSchemas) decodeArguments(args json.RawMessage, in any) error {
	if len(args) == 0 || string(args) == "null" {
		args = json.RawMessage("{}")
	}
	var v any
	if err := json.Unmarshal(args, &v); err != nil {
		return fmt.Errorf("arguments are not JSON: %v", err)
	}
	if err := rs.in.Validate(v); err != nil {
		return fmt.Errorf("validating \"arguments\": %v", err)
	}
	if err := json.Unmarshal(args, in); err != nil {
		return fmt.Errorf("decoding \"arguments\": %v", err)
	}
	return nil
}

// result returns a tool's output as structured content, with its JSON as
// the text for clients that read only text, after checking it against the
// output schema: a mismatch is makemcp's bug, reported as an error.
func (rs *resolvedSchemas) result(out any) (*mcp.CallToolResult, error) {
	b, err := json.Marshal(out)
	if err != nil {
		return nil, fmt.Errorf("encoding the result: %w", err)
	}
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		return nil, err
	}
	if err := rs.out.Validate(v); err != nil {
		return nil, fmt.Errorf("validating the tool's result: %w", err)
	}
	res := jsonResult(b)
	if c, ok := out.(contentResult); ok {
		res.Content = append(c.content(), res.Content...)
	}
	return res, nil
}

// contentResult is a result that shows the model more than its JSON, such
// as an image (an app's icon): that content comes before the JSON text.
type contentResult interface{ content() []mcp.Content }

// toolError turns an error into the one line a model (and its user) can
// act on. Make's own message is kept; a 403 for a scope the credential
// lacks says which scope and how to get it.
func (d *Deps) toolError(need scope.Scope, err error) error {
	var apiErr *makeapi.Error
	if errors.As(err, &apiErr) && apiErr.Status == 403 && need != "" && d.Scopes != nil && !scope.Granted(d.Scopes, need) {
		return fmt.Errorf("missing scope %s: run `makemcp login --scopes ...` including %s, or use an API token that has it (%v)", need, need, err)
	}
	if errors.Is(err, context.Canceled) {
		return errors.New("cancelled")
	}
	return errors.New(err.Error())
}

// Defaults are the organization and team tools use when a call omits
// them, or why there is none.
type Defaults struct {
	OrganizationID, TeamID int64
	// NoOrganization and NoTeam, when set, are the errors of a call that
	// omits organizationId or teamId while there is no default: they say
	// which ids there are and how to choose one.
	NoOrganization, NoTeam error
}

// foundDefaults holds what FindDefaults answered, asked once.
type foundDefaults struct {
	once sync.Once
	d    Defaults
}

// defaultsTimeout bounds FindDefaults.
const defaultsTimeout = 15 * time.Second

// defaults are the organization and team to use when a call omits them:
// OrganizationID and TeamID, else what FindDefaults finds.
func (d *Deps) defaults(ctx context.Context) Defaults {
	out := Defaults{OrganizationID: d.OrganizationID, TeamID: d.TeamID}
	if (out.OrganizationID != 0 && out.TeamID != 0) || d.FindDefaults == nil {
		return out
	}
	f := d.found
	if f == nil { // Deps not made by NewServer: ask every time
		f = &foundDefaults{}
	}
	f.once.Do(func() {
		// Not the caller's context: the answer serves every later call.
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), defaultsTimeout)
		defer cancel()
		f.d = d.FindDefaults(ctx)
	})
	if out.OrganizationID == 0 {
		out.OrganizationID, out.NoOrganization = f.d.OrganizationID, f.d.NoOrganization
	}
	if out.TeamID == 0 {
		out.TeamID, out.NoTeam = f.d.TeamID, f.d.NoTeam
	}
	return out
}

// team returns the team id to use: the argument, else the default.
func (c *Call) team(ctx context.Context, id int64) (int64, error) {
	if id != 0 {
		return id, nil
	}
	d := c.defaults(ctx)
	switch {
	case d.TeamID != 0:
		return d.TeamID, nil
	case d.NoTeam != nil:
		return 0, d.NoTeam
	}
	return 0, errors.New("teamId is required: pass it (teams_list shows the teams), or start makemcp with --team")
}

// organization returns the organization id to use: the argument, else the
// default.
func (c *Call) organization(ctx context.Context, id int64) (int64, error) {
	if id != 0 {
		return id, nil
	}
	d := c.defaults(ctx)
	switch {
	case d.OrganizationID != 0:
		return d.OrganizationID, nil
	case d.NoOrganization != nil:
		return 0, d.NoOrganization
	}
	return 0, errors.New("organizationId is required: pass it (organizations_list shows them), or start makemcp with --org")
}

// scenariosChanged tells the server that a scenario changed, so the set
// of runnable scenarios, or one's inputs, may have changed.
func (c *Call) scenariosChanged(scenarioID int64) {
	if c.ScenariosChanged != nil {
		c.ScenariosChanged(scenarioID)
	}
}
