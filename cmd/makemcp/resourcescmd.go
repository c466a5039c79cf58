package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/spf13/cobra"
)

// Tool results point at resources for what is too large to include (a
// whole blueprint, an execution's outputs); these commands read them from
// a shell, as a host would.
func newResourcesCmd(f *factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "resources",
		Short: "List and read the MCP resources (scenario blueprints, execution details) from a shell",
		Long: `List and read the resources serve offers, with the same flags, the way an
MCP host would: the whole blueprint of a scenario, or the whole detail of
an execution, which tool results name when they are too large to include.`,
		Args: noArgsHint,
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(newResourcesListCmd(f), newResourcesReadCmd(f))
	return cmd
}

type resourcesListOptions struct {
	IO     ioStreams
	Server serverOptions
	asJSON bool
}

func newResourcesListCmd(f *factory) *cobra.Command {
	o := &resourcesListOptions{IO: f.IO, Server: newServerOptions(f)}
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the resources and resource templates serve offers",
		Example: `  makemcp resources list
  makemcp resources list --demo --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := o.Server.parseFlags(cmd, f); err != nil {
				return err
			}
			return resourcesListRun(cmd.Context(), o)
		},
	}
	o.Server.flags.register(cmd)
	cmd.Flags().BoolVar(&o.asJSON, "json", false, "print the resources' full definitions as JSON")
	return cmd
}

func resourcesListRun(ctx context.Context, o *resourcesListOptions) error {
	return withClient(ctx, &o.Server, nil, func(ctx context.Context, cs *mcp.ClientSession) error {
		list := struct {
			Resources         []*mcp.Resource         `json:"resources"`
			ResourceTemplates []*mcp.ResourceTemplate `json:"resourceTemplates"`
		}{[]*mcp.Resource{}, []*mcp.ResourceTemplate{}}
		for r, err := range cs.Resources(ctx, nil) {
			if err != nil {
				return err
			}
			list.Resources = append(list.Resources, r)
		}
		for r, err := range cs.ResourceTemplates(ctx, nil) {
			if err != nil {
				return err
			}
			list.ResourceTemplates = append(list.ResourceTemplates, r)
		}
		if o.asJSON {
			return printJSON(o.IO.Out, list)
		}
		w := tabwriter.NewWriter(o.IO.Out, 0, 4, 2, ' ', 0)
		fmt.Fprintln(w, "URI\tTITLE\tDESCRIPTION")
		for _, r := range list.Resources {
			fmt.Fprintf(w, "%s\t%s\t%s\n", r.URI, r.Title, r.Description)
		}
		for _, r := range list.ResourceTemplates {
			fmt.Fprintf(w, "%s\t%s\t%s\n", r.URITemplate, r.Title, r.Description)
		}
		return w.Flush()
	})
}

type resourcesReadOptions struct {
	IO     ioStreams
	Server serverOptions
	uri    string
}

func newResourcesReadCmd(f *factory) *cobra.Command {
	o := &resourcesReadOptions{IO: f.IO, Server: newServerOptions(f)}
	cmd := &cobra.Command{
		Use:   "read URI",
		Short: "Read one resource and print its content",
		Example: `  makemcp resources read --demo make://scenarios/5001/blueprint
  makemcp resources read make://scenarios/123/executions/EXECUTION-ID`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := o.Server.parseFlags(cmd, f); err != nil {
				return err
			}
			o.uri = args[0]
			return resourcesReadRun(cmd.Context(), o)
		},
	}
	o.Server.flags.register(cmd)
	return cmd
}

func resourcesReadRun(ctx context.Context, o *resourcesReadOptions) error {
	return withClient(ctx, &o.Server, nil, func(ctx context.Context, cs *mcp.ClientSession) error {
		res, err := cs.ReadResource(ctx, &mcp.ReadResourceParams{URI: o.uri})
		if err != nil {
			return fmt.Errorf("read %s: %w", o.uri, rpcError(err))
		}
		for _, c := range res.Contents {
			printResource(o.IO.Out, c)
		}
		return nil
	})
}

// printResource prints a resource's content: JSON indented like the
// results of tools call, other text as it is, bytes as they are.
func printResource(w io.Writer, c *mcp.ResourceContents) {
	if c.Text == "" && len(c.Blob) > 0 {
		w.Write(c.Blob)
		return
	}
	var indented bytes.Buffer
	if c.MIMEType == "application/json" && json.Indent(&indented, []byte(c.Text), "", "  ") == nil {
		fmt.Fprintln(w, indented.String())
		return
	}
	fmt.Fprintln(w, c.Text)
}
