package main

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/spf13/cobra"
)

// exitError ends the program with a status and no further message: the
// command has already said what it had to (e.g. `status` when nobody is
// logged in).
type exitError struct{ code int }

func (e exitError) Error() string { return fmt.Sprintf("exit status %d", e.code) }

// Main runs makemcp with args and returns the exit status.
func Main(ctx context.Context, app *App, args []string) int {
	defer app.close()
	root := newRootCmd(app)
	root.SetArgs(args)
	root.SetIn(app.In)
	root.SetOut(app.Out)
	root.SetErr(app.Err)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return 0
	}
	var exit exitError
	if errors.As(err, &exit) {
		return exit.code
	}
	fmt.Fprintf(app.Err, "Error: %s\n", oneLine(err.Error()))
	return 1
}

func newRootCmd(app *App) *cobra.Command {
	var g globalFlags
	root := &cobra.Command{
		Use:   "makemcp",
		Short: "Connect AI assistants to your Make.com account",
		Long: `makemcp connects AI assistants to your Make.com account.

It logs in with OAuth in your browser (or takes a Make API token), keeps the
credential in your OS keychain, and serves Make's API to MCP hosts such as
Claude Desktop, Claude Code, VS Code and Cursor as a local stdio server.`,
		Version:       buildVersion().String(),
		SilenceErrors: true,
		SilenceUsage:  true,
		// A bare `makemcp nosuchcmd` must fail, not print help and succeed.
		Args: noArgsHint,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			return app.resolve(cmd, &g)
		},
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	root.SuggestionsMinimumDistance = 2
	g.register(root)
	root.SetVersionTemplate("{{.Name}} {{.Version}}\n")
	root.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error {
		return fmt.Errorf("%s: run %s --help for usage", redactFlagValue(err.Error()), cmd.CommandPath())
	})
	root.AddCommand(
		newLoginCmd(app),
		newLogoutCmd(app),
		newStatusCmd(app),
		newTokenCmd(app),
		newServeCmd(app),
		newToolsCmd(app),
		newClientConfigCmd(app),
		newDoctorCmd(app),
		newVersionCmd(app),
	)
	return root
}

// noArgsHint rejects unknown subcommands with one line that suggests the
// closest command and where to find the rest.
func noArgsHint(cmd *cobra.Command, args []string) error {
	if len(args) == 0 {
		return nil
	}
	msg := fmt.Sprintf("unknown command %q for %q", args[0], cmd.CommandPath())
	if s := cmd.SuggestionsFor(args[0]); len(s) > 0 {
		msg += fmt.Sprintf(" (did you mean %s?)", strings.Join(s, " or "))
	}
	return fmt.Errorf("%s: run %s --help to see the commands", msg, cmd.CommandPath())
}

// flagValue matches the value pflag quotes in its errors
// (`invalid argument "..." for "--flag"`).
var flagValue = regexp.MustCompile(`invalid argument ".*" for ("[^"]*") flag: .*`)

// redactFlagValue drops the value from a flag error: a token given where
// a flag expected something else must not be repeated on the screen.
func redactFlagValue(msg string) string {
	return flagValue.ReplaceAllString(msg, "invalid value for $1 flag")
}
