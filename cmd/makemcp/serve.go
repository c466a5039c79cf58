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

func newServeCmd(app *factory) *cobra.Command {
	f := &serverFlags{}
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
			if err := f.resolve(cmd, app); err != nil {
				return err
			}
			restoreGC := relaxGCForStartup(app.Getenv)
			defer restoreGC()
			srv, cleanup, err := app.newServer(cmd.Context(), f)
			if err != nil {
				return err
			}
			defer cleanup()
			starting, endStartup := context.WithCancel(cmd.Context())
			defer endStartup()
			go afterStartup(starting, srv.Listed(), restoreGC)
			app.logger.Info("makemcp serving MCP over stdio", "version", buildVersion().Version, "profile", app.settings.Profile, "demo", f.demo)
			return serveUntilStopped(cmd.Context(), srv, &stdio.Transport{In: app.IO.In, Out: app.IO.Out, Logger: app.logger}, app.logger)
		},
	}
	f.register(cmd)
	return cmd
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
