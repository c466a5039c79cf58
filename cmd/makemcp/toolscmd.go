package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/makemcp/makemcp/tools"
	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/spf13/cobra"
)

func newToolsCmd(f *factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "tools",
		Short: "List and call the MCP tools from a shell, to check a setup",
		Long: `List and call the same tools serve exposes, with the same flags, printing
the results as JSON. Handy to check a login, a scope or a filter without
an MCP host.`,
		Args: noArgsHint,
		// Runnable, so that an unknown subcommand fails in noArgsHint
		// instead of printing the help and succeeding.
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(newToolsListCmd(f), newToolsCallCmd(f))
	return cmd
}

type toolsListOptions struct {
	IO     ioStreams
	Server serverOptions
	asJSON bool
}

func newToolsListCmd(f *factory) *cobra.Command {
	o := &toolsListOptions{IO: f.IO, Server: newServerOptions(f)}
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the tools serve would expose with these flags",
		Example: `  makemcp tools list
  makemcp tools list --toolsets all --read-only
  makemcp tools list --demo --scenario-tools --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := o.Server.parseFlags(cmd, f); err != nil {
				return err
			}
			return toolsListRun(cmd.Context(), o)
		},
	}
	o.Server.flags.register(cmd)
	cmd.Flags().BoolVar(&o.asJSON, "json", false, "print the tools' full definitions as JSON")
	return cmd
}

func toolsListRun(ctx context.Context, o *toolsListOptions) error {
	return withClient(ctx, &o.Server, nil, func(ctx context.Context, cs *mcp.ClientSession) error {
		var list []*mcp.Tool
		for t, err := range cs.Tools(ctx, nil) {
			if err != nil {
				return err
			}
			list = append(list, t)
		}
		if o.asJSON {
			return printJSON(o.IO.Out, list)
		}
		return printToolTable(o.IO.Out, list)
	})
}

type toolsCallOptions struct {
	IO        ioStreams
	Server    serverOptions
	name      string
	arguments map[string]any
}

func newToolsCallCmd(f *factory) *cobra.Command {
	o := &toolsCallOptions{IO: f.IO, Server: newServerOptions(f)}
	cmd := &cobra.Command{
		Use:   "call NAME [ARGUMENTS-JSON|-|@FILE]",
		Short: "Call one tool and print its result as JSON",
		Long: `Call one tool and print its result as JSON. The arguments are one JSON
object: on the command line, from standard input with -, or from a file
with @FILE (for large ones, such as a blueprint). On a terminal, the
tool's progress shows on standard error while it runs.`,
		Example: `  makemcp tools call users_me
  makemcp tools call scenarios_list '{"limit": 5}'
  makemcp tools call --demo scenarios_run '{"scenarioId": 5001, "data": {"email": "a@example.com"}}'
  makemcp tools call --toolsets all scenarios_create @new-scenario.json
  jq '{scenarioId: 5001}' | makemcp tools call --demo scenarios_get -`,
		Args: cobra.RangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := o.Server.parseFlags(cmd, f); err != nil {
				return err
			}
			o.name = args[0]
			var err error
			if o.arguments, err = readArguments(o.IO.In, args[1:]); err != nil {
				return err
			}
			return toolsCallRun(cmd.Context(), o)
		},
	}
	o.Server.flags.register(cmd)
	return cmd
}

// toolsCallRun calls the tool and prints its result.
//
// An interrupt (Ctrl-C) cancels the call on the server's side, and the
// answer the tool then gives is still printed: a cancelled scenario run
// answers with the execution id that lets the user follow it.
func toolsCallRun(ctx context.Context, o *toolsCallOptions) error {
	name := o.name
	progress := newProgressLine(o.IO.Err)
	var opts mcp.ClientOptions
	if progress != nil {
		opts.ProgressNotificationHandler = func(_ context.Context, req *mcp.ProgressNotificationClientRequest) {
			progress.show(req.Params)
		}
	}
	return withClient(ctx, &o.Server, &opts, func(_ context.Context, cs *mcp.ClientSession) error {
		// The call outlives ctx by a grace period, for the answer to
		// the cancellation the server's side gets from ctx.
		call, cancel := context.WithCancel(context.WithoutCancel(ctx))
		defer cancel()
		stopGrace := context.AfterFunc(ctx, func() { time.AfterFunc(interruptGrace, cancel) })
		defer stopGrace()

		if !served(call, cs, name) {
			return usageError{errors.New(whyNotServed(&o.Server.flags, name))}
		}
		params := &mcp.CallToolParams{Name: name, Arguments: o.arguments}
		if progress != nil {
			params.SetProgressToken("makemcp-tools-call")
		}
		res, err := cs.CallTool(call, params)
		progress.clear()
		if err != nil {
			return rpcError(err)
		}
		if res.IsError {
			return errors.New(resultText(res))
		}
		if res.StructuredContent != nil {
			err = printJSON(o.IO.Out, res.StructuredContent)
		} else {
			fmt.Fprintln(o.IO.Out, resultText(res))
		}
		if err == nil && ctx.Err() != nil {
			err = fmt.Errorf("interrupted (%v): the answer above is what the tool said when it stopped", context.Cause(ctx))
		}
		return err
	})
}

// interruptGrace is how long an interrupted call waits for the tool's
// answer to its cancellation.
const interruptGrace = 5 * time.Second

// readArguments reads a tool's arguments: one JSON object given on the
// command line, read from standard input ("-") or from a file ("@FILE").
// Large arguments (a blueprint of megabytes) do not fit on a command line.
func readArguments(stdin io.Reader, args []string) (map[string]any, error) {
	if len(args) == 0 {
		return nil, nil
	}
	src, data, from := args[0], []byte(args[0]), "the arguments"
	var err error
	switch {
	case src == "-":
		from = "standard input"
		data, err = io.ReadAll(stdin)
	case strings.HasPrefix(src, "@"):
		from = src[1:]
		data, err = os.ReadFile(src[1:])
	}
	if err != nil {
		return nil, fmt.Errorf("read the arguments from %s: %w", from, err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	// Numbers stay as written: an id beyond 2^53 must not be rounded.
	dec.UseNumber()
	var arguments map[string]any
	err = dec.Decode(&arguments)
	if err == nil && arguments == nil {
		err = errors.New("null")
	}
	if err == nil && dec.More() {
		err = errors.New("more than one JSON value")
	}
	if err != nil {
		return nil, fmt.Errorf(`%s must be one JSON object, such as '{"scenarioId": 123}' (%v)`, from, err)
	}
	return arguments, nil
}

// served reports whether the server lists the tool name.
func served(ctx context.Context, cs *mcp.ClientSession, name string) bool {
	for t, err := range cs.Tools(ctx, nil) {
		if err != nil || t.Name == name {
			// A failed list leaves the answer to the call.
			return true
		}
	}
	return false
}

// rpcError drops the SDK's `calling "tools/call":` from an error the
// server answered with: what the server said is the message.
func rpcError(err error) error {
	var rpc *jsonrpc.Error
	if errors.As(err, &rpc) {
		return errors.New(rpc.Message)
	}
	return err
}

// whyNotServed explains why the server the flags describe has no tool
// name.
func whyNotServed(f *serverFlags, name string) string {
	if strings.HasPrefix(name, tools.RunScenarioPrefix) && !f.scenarioTools {
		return fmt.Sprintf("%s is a scenario tool, which needs --scenario-tools: for example makemcp tools call --scenario-tools %s", name, name)
	}
	i := slices.IndexFunc(tools.All(), func(t tools.Tool) bool { return t.Def.Name == name })
	if i < 0 {
		return fmt.Sprintf("makemcp has no tool %q: run makemcp tools list --toolsets all to see them all", name)
	}
	t := tools.All()[i]
	switch {
	case f.readOnly && !t.ReadOnly():
		return fmt.Sprintf("%s changes things in Make, and --read-only (or MAKEMCP_READ_ONLY) leaves it out", name)
	case slices.Contains(splitList(f.excludeTools), name):
		return fmt.Sprintf("--exclude-tools (or MAKEMCP_EXCLUDE_TOOLS) leaves %s out", name)
	}
	// Select tells whether the toolsets asked for hold the tool.
	inSets, err := tools.Select([]tools.Tool{t}, tools.Selection{Toolsets: splitList(f.toolsets)})
	if err == nil && len(inSets) == 0 {
		sets := f.toolsets
		if sets == "" {
			sets = "default"
		}
		sets += "," + string(t.Toolset)
		return fmt.Sprintf("%s is in the toolset %q, which is not served: add it with --toolsets %s (or the one tool with --tools %s), for example makemcp tools call --toolsets %s %s",
			name, t.Toolset, sets, name, sets, name)
	}
	return fmt.Sprintf("%s needs the scope %s, which the credential was not granted: run makemcp login --scopes with it included, or use an API token that has it", name, t.Scope)
}

func printJSON(w io.Writer, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	fmt.Fprintln(w, string(b))
	return nil
}

func printToolTable(out io.Writer, list []*mcp.Tool) error {
	toolset := map[string]string{}
	for _, t := range tools.All() {
		toolset[t.Def.Name] = string(t.Toolset)
	}
	w := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "TOOL\tTOOLSET\tACCESS\tTITLE")
	for _, t := range list {
		// A tool without annotations has MCP's defaults: not read-only,
		// destructive (a scenario tool, which can do anything).
		access := "destructive"
		if a := t.Annotations; a != nil {
			switch {
			case a.ReadOnlyHint:
				access = "read"
			case a.DestructiveHint != nil && !*a.DestructiveHint:
				access = "write"
			}
		}
		set := toolset[t.Name]
		if set == "" && strings.HasPrefix(t.Name, tools.RunScenarioPrefix) {
			set = "scenario"
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", t.Name, set, access, t.Title)
	}
	return w.Flush()
}

// resultText joins a tool result's text content.
func resultText(res *mcp.CallToolResult) string {
	var parts []string
	for _, c := range res.Content {
		if t, ok := c.(*mcp.TextContent); ok {
			parts = append(parts, t.Text)
		}
	}
	return strings.Join(parts, "\n")
}
