package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// exitError ends the program with a status and no further message: the
// command has already said what it had to (e.g. `status` when nobody is
// logged in).
type exitError struct{ code int }

func (e exitError) Error() string { return fmt.Sprintf("exit status %d", e.code) }

// usageError is a command line makemcp cannot make sense of: an unknown
// command, flag or shell, a bad flag value, the wrong arguments. It exits
// with status 2, as Go's flag package does, so that a script can tell a
// mistake in its command line from a failure of the command.
type usageError struct{ error }

func (e usageError) Unwrap() error { return e.error }

// Main runs makemcp with args and returns the exit status.
func Main(ctx context.Context, f *factory, args []string) int {
	defer f.close()
	root := newRootCmd(f)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return 0
	}
	var exit exitError
	if errors.As(err, &exit) {
		return exit.code
	}
	fmt.Fprintf(f.IO.Err, "Error: %s\n", oneLine(err.Error()))
	if errors.As(err, new(usageError)) {
		return 2
	}
	return 1
}

func newRootCmd(f *factory) *cobra.Command {
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
			return f.resolve(cmd, &g)
		},
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	root.SuggestionsMinimumDistance = 2
	g.register(root)
	root.SetVersionTemplate("{{.Name}} {{.Version}}\n")
	// Before the completion command is made: it keeps the output it finds.
	root.SetIn(f.IO.In)
	root.SetOut(f.IO.Out)
	root.SetErr(f.IO.Err)
	root.SetFlagErrorFunc(flagError)
	root.AddCommand(
		newLoginCmd(f),
		newLogoutCmd(f),
		newStatusCmd(f),
		newTokenCmd(f),
		newServeCmd(f),
		newToolsCmd(f),
		newResourcesCmd(f),
		newClientConfigCmd(f),
		newDoctorCmd(f),
		newVersionCmd(f),
	)
	root.InitDefaultCompletionCmd()
	if c, _, err := root.Find([]string{"completion"}); err == nil && c != root {
		refuseUnknownShell(c)
	}
	explainArgs(root)
	return root
}

// refuseUnknownShell makes `completion SHELL` fail for a shell cobra
// cannot complete; cobra would print the help and succeed.
func refuseUnknownShell(c *cobra.Command) {
	var shells []string
	for _, sub := range c.Commands() {
		shells = append(shells, sub.Name())
	}
	c.Args = cobra.ArbitraryArgs
	c.RunE = func(cmd *cobra.Command, args []string) error {
		if len(args) == 0 {
			return cmd.Help()
		}
		return usageError{fmt.Errorf("makemcp completes the shells %s, not %q: for example makemcp completion %s",
			strings.Join(shells, ", "), args[0], shells[0])}
	}
}

// explainArgs makes every command's wrong arguments a usage error that
// says what the command wants and shows an example, where cobra says
// only "accepts between 1 and 2 arg(s), received 0". The arguments given
// are not repeated: a token pasted in the wrong place must not be.
func explainArgs(c *cobra.Command) {
	for _, sub := range c.Commands() {
		explainArgs(sub)
	}
	check := c.Args
	if check == nil {
		return
	}
	c.Args = func(cmd *cobra.Command, args []string) error {
		err := check(cmd, args)
		if err == nil || errors.As(err, new(usageError)) {
			return err
		}
		example := "run " + cmd.CommandPath() + " --help"
		if ex, _, _ := strings.Cut(strings.TrimSpace(cmd.Example), "\n"); ex != "" {
			example = "for example " + ex
		}
		if _, want, ok := strings.Cut(cmd.Use, " "); ok {
			return usageError{fmt.Errorf("%s wants %s: %s", cmd.CommandPath(), want, example)}
		}
		return usageError{fmt.Errorf("%s takes no arguments: %s", cmd.CommandPath(), example)}
	}
}

// flagError turns pflag's errors into one line that says what the flag
// wants, with an example. The value given is not repeated: a token typed
// where a flag expected something else must not be shown.
func flagError(cmd *cobra.Command, err error) error {
	var fl *pflag.Flag
	var invalid *pflag.InvalidValueError
	var missing *pflag.ValueRequiredError
	msg := err.Error()
	switch {
	case errors.As(err, &invalid):
		fl = invalid.GetFlag()
		msg = fmt.Sprintf("--%s wants %s", fl.Name, flagKind(fl))
	case errors.As(err, &missing) && missing.GetFlag() != nil:
		fl = missing.GetFlag()
		msg = fmt.Sprintf("--%s needs a value, %s", fl.Name, flagKind(fl))
	}
	if fl != nil {
		msg += fmt.Sprintf(", for example %s --%s %s", cmd.CommandPath(), fl.Name, flagSample(fl))
	}
	return usageError{fmt.Errorf("%s: run %s --help for usage", msg, cmd.CommandPath())}
}

// flagKind says what a flag's value is.
func flagKind(fl *pflag.Flag) string {
	switch fl.Value.Type() {
	case "int", "int64", "uint", "uint16":
		return "a whole number"
	case "bool":
		return "true or false"
	case "duration":
		return "a duration such as 30s or 2m"
	}
	return "a value"
}

// flagSample is an example value for a flag.
func flagSample(fl *pflag.Flag) string {
	switch fl.Value.Type() {
	case "int", "int64", "uint", "uint16":
		return "123"
	case "bool":
		return "true"
	case "duration":
		return "30s"
	}
	return "VALUE"
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
	return usageError{fmt.Errorf("%s: run %s --help to see the commands", msg, cmd.CommandPath())}
}
