package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/makemcp/makemcp/tools"
	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/spf13/cobra"
)

func newToolsCmd(app *App) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "tools",
		Short: "List and call the MCP tools from a shell, to check a setup",
		Long: `List and call the same tools serve exposes, with the same flags, printing
the results as JSON. Handy to check a login, a scope or a filter without
an MCP host.`,
		Args: noArgsHint,
	}
	cmd.AddCommand(newToolsListCmd(app), newToolsCallCmd(app))
	return cmd
}

func newToolsListCmd(app *App) *cobra.Command {
	f := &serverFlags{}
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the tools serve would expose with these flags",
		Example: `  makemcp tools list
  makemcp tools list --toolsets all --read-only
  makemcp tools list --demo --scenario-tools --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := f.resolve(cmd, app); err != nil {
				return err
			}
			return app.withClient(cmd.Context(), f, func(ctx context.Context, cs *mcp.ClientSession) error {
				var list []*mcp.Tool
				for t, err := range cs.Tools(ctx, nil) {
					if err != nil {
						return err
					}
					list = append(list, t)
				}
				if asJSON {
					return printJSON(app, list)
				}
				return printToolTable(app, list)
			})
		},
	}
	f.register(cmd)
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the tools' full definitions as JSON")
	return cmd
}

func newToolsCallCmd(app *App) *cobra.Command {
	f := &serverFlags{}
	cmd := &cobra.Command{
		Use:   "call NAME [ARGUMENTS-JSON]",
		Short: "Call one tool and print its result as JSON",
		Example: `  makemcp tools call users_me
  makemcp tools call scenarios_list '{"limit": 5}'
  makemcp tools call --demo scenarios_run '{"scenarioId": 5001, "data": {"email": "a@example.com"}}'`,
		Args: cobra.RangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := f.resolve(cmd, app); err != nil {
				return err
			}
			var arguments map[string]any
			if len(args) == 2 {
				if err := json.Unmarshal([]byte(args[1]), &arguments); err != nil {
					return fmt.Errorf("arguments must be one JSON object, such as '{\"scenarioId\": 123}': %v", err)
				}
			}
			return app.withClient(cmd.Context(), f, func(ctx context.Context, cs *mcp.ClientSession) error {
				res, err := cs.CallTool(ctx, &mcp.CallToolParams{Name: args[0], Arguments: arguments})
				if err != nil {
					return err
				}
				if res.IsError {
					return errors.New(resultText(res))
				}
				if res.StructuredContent != nil {
					return printJSON(app, res.StructuredContent)
				}
				fmt.Fprintln(app.Out, resultText(res))
				return nil
			})
		},
	}
	f.register(cmd)
	return cmd
}

// withClient runs fn with an MCP client connected in-process to the
// server the flags describe.
func (a *App) withClient(ctx context.Context, f *serverFlags, fn func(context.Context, *mcp.ClientSession) error) error {
	srv, cleanup, err := a.newServer(ctx, f)
	if err != nil {
		return err
	}
	defer cleanup()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	st, ct := mcp.NewInMemoryTransports()
	ss, err := srv.Connect(ctx, st)
	if err != nil {
		return err
	}
	defer ss.Close()
	client := mcp.NewClient(&mcp.Implementation{Name: "makemcp-tools", Version: buildVersion().Version}, nil)
	cs, err := client.Connect(ctx, ct, nil)
	if err != nil {
		return err
	}
	defer cs.Close()
	return fn(ctx, cs)
}

func printJSON(a *App, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	fmt.Fprintln(a.Out, string(b))
	return nil
}

func printToolTable(a *App, list []*mcp.Tool) error {
	toolset := map[string]string{}
	for _, t := range tools.All() {
		toolset[t.Def.Name] = string(t.Toolset)
	}
	w := tabwriter.NewWriter(a.Out, 0, 4, 2, ' ', 0)
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
