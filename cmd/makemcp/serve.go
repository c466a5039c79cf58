package main

import (
	"context"
	"errors"
	"io"
	"log/slog"

	"github.com/makemcp/makemcp/internal/stdio"
	"github.com/makemcp/makemcp/tools"
	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/spf13/cobra"
)

type serveOptions struct {
	IO     ioStreams
	Server serverOptions
	// Getenv reads GOGC, which start-up leaves alone when the user set it.
	Getenv func(string) string
}

func newServeCmd(f *factory) *cobra.Command {
	o := &serveOptions{IO: f.IO, Server: newServerOptions(f), Getenv: f.Getenv}
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run the MCP server over stdio, for Claude Desktop, Claude Code, VS Code, Cursor and others",
		Long: `Run makemcp as an MCP server on standard input and output. MCP hosts start
this command themselves; see makemcp client-config for their settings.

Tokens are refreshed before each Make call as needed. Standard output
carries only MCP messages; logs go to standard error or --log-file.`,
		Example: `  makemcp serve
  makemcp serve --toolsets all --read-only
  makemcp serve --scenario-tools --team 123
  makemcp serve --demo`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := o.Server.parseFlags(cmd, f); err != nil {
				return err
			}
			return serveRun(cmd.Context(), o)
		},
	}
	o.Server.flags.register(cmd)
	return cmd
}

func serveRun(ctx context.Context, o *serveOptions) error {
	restoreGC := relaxGCForStartup(o.Getenv)
	defer restoreGC()
	srv, cleanup, err := newServer(ctx, &o.Server)
	if err != nil {
		return err
	}
	defer cleanup()
	starting, endStartup := context.WithCancel(ctx)
	defer endStartup()
	go afterStartup(starting, srv.Listed(), restoreGC)
	log := o.Server.Logger()
	log.Info("makemcp serving MCP over stdio", "version", buildVersion().Version, "profile", o.Server.Settings().Profile, "demo", o.Server.flags.demo)
	return serveUntilStopped(ctx, srv, &stdio.Transport{In: o.IO.In, Out: o.IO.Out, Logger: log}, log)
}

// serveUntilStopped serves one client until it leaves (its end of stdin
// closes) or ctx ends (SIGINT, SIGTERM). Both are a normal stop, logged at
// info level; the SDK's Server.Run would log a signal as an error.
func serveUntilStopped(ctx context.Context, srv *tools.Server, t mcp.Transport, log *slog.Logger) error {
	ss, err := srv.Connect(ctx, t)
	if err != nil {
		return err
	}
	ended := make(chan error, 1)
	go func() { ended <- ss.Wait() }()
	select {
	case err := <-ended:
		if err != nil && !errors.Is(err, io.EOF) {
			return err
		}
		log.Info("the client closed the connection: stopping")
	case <-ctx.Done():
		log.Info("stopping", "reason", context.Cause(ctx).Error())
		ss.Close()
		<-ended
	}
	return nil
}
