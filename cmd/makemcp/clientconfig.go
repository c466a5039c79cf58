package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/makemcp/makemcp/internal/hosts"
	"github.com/spf13/cobra"
)

type clientConfigOptions struct {
	IO       ioStreams
	Settings func() Settings
	// env and self are where host files live and this binary's path;
	// tests replace them.
	env  func() (hosts.Env, error)
	self func() (string, error)

	host  string
	name  string
	write bool
	extra []string
}

func newClientConfigCmd(f *factory) *cobra.Command {
	o := &clientConfigOptions{IO: f.IO, Settings: f.Settings, env: hosts.CurrentEnv, self: executablePath}
	cmd := &cobra.Command{
		Use:   "client-config HOST [-- SERVE-FLAGS...]",
		Short: "Print (or --write) the MCP server entry for Claude Desktop, Claude Code, VS Code or Cursor",
		Long: `Print the entry that makes an MCP host run makemcp, with the absolute path
of this binary: hosts started from a dock or start menu do not see your
shell's PATH. With --write, merge it into the host's config file, after
saving a backup beside it (.bak): only makemcp's entry changes, every other
server and setting stays as it was written, in its order and layout. When
the entry is there already, as it is, nothing is written. A config file
that is a symbolic link is written through the link.

Hosts: ` + hosts.Names() + `.
Flags after -- are added to the serve command, e.g. -- --read-only.`,
		Example: `  makemcp client-config claude-desktop
  makemcp client-config cursor --write
  makemcp client-config vscode --write -- --toolsets all --read-only`,
		Args: cobra.MinimumNArgs(1),
		ValidArgs: func() []string {
			var names []string
			for _, h := range hosts.All {
				names = append(names, h.Name)
			}
			return names
		}(),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.host = args[0]
			if at := cmd.ArgsLenAtDash(); at >= 0 {
				if at != 1 {
					return fmt.Errorf("one host, then -- and serve flags: run makemcp client-config --help")
				}
				o.extra = args[1:]
			} else if len(args) > 1 {
				return fmt.Errorf("one host at a time, got %q: put serve flags after --", strings.Join(args, " "))
			}
			return clientConfigRun(o)
		},
	}
	cmd.Flags().BoolVar(&o.write, "write", false, "merge the entry into the host's config file (a backup is kept)")
	cmd.Flags().StringVar(&o.name, "name", "make", "the server's name in the host's config")
	return cmd
}

func clientConfigRun(o *clientConfigOptions) error {
	h, err := hosts.Lookup(o.host)
	if err != nil {
		return err
	}
	self, err := o.self()
	if err != nil {
		return err
	}
	args := []string{"serve"}
	if p := o.Settings().Profile; p != defaultProfile {
		args = append(args, "--profile", p)
	}
	args = append(args, o.extra...)
	entry := h.Entry(self, args)

	if !o.write {
		snippet, err := h.Snippet(o.name, entry)
		if err != nil {
			return err
		}
		fmt.Fprintln(o.IO.Out, string(snippet))
		if env, err := o.env(); err == nil {
			if p, err := h.Path(env); err == nil {
				fmt.Fprintf(o.IO.Err, "Add this to %s (or run again with --write).\n", p)
			}
		}
		for _, n := range h.Notes {
			fmt.Fprintln(o.IO.Err, "Note: "+strings.ReplaceAll(n, "<command>", self))
		}
		return nil
	}

	env, err := o.env()
	if err != nil {
		return err
	}
	path, err := h.Path(env)
	if err != nil {
		return err
	}
	outcome, backup, err := h.Write(path, o.name, entry)
	if err != nil {
		return err
	}
	if outcome == hosts.Unchanged {
		fmt.Fprintf(o.IO.Err, "Unchanged: the %q server in %s already runs %s.\n", o.name, path, strings.Join(append([]string{self}, args...), " "))
		return nil
	}
	verb := "Added"
	if outcome == hosts.Replaced {
		verb = "Replaced"
	}
	fmt.Fprintf(o.IO.Err, "%s the %q server in %s.\n", verb, o.name, path)
	if backup != "" {
		fmt.Fprintf(o.IO.Err, "The previous file is in %s.\n", backup)
	}
	if len(h.Notes) > 0 {
		fmt.Fprintln(o.IO.Err, "Note: "+strings.ReplaceAll(h.Notes[0], "<command>", self))
	}
	return nil
}

// executablePath is the absolute path MCP hosts should run. It keeps the
// path the user ran (a Homebrew symlink in bin/ survives upgrades; the
// versioned Cellar path it points to does not), and is absolute because
// hosts do not search the shell's PATH.
func executablePath() (string, error) {
	arg0 := os.Args[0]
	var p string
	var err error
	if strings.ContainsRune(arg0, os.PathSeparator) || strings.ContainsRune(arg0, '/') {
		p, err = filepath.Abs(arg0)
	} else {
		p, err = exec.LookPath(arg0)
		if err == nil {
			p, err = filepath.Abs(p)
		}
	}
	if err != nil || p == "" {
		if p, err = os.Executable(); err != nil {
			return "", fmt.Errorf("find this program's path: %w", err)
		}
	}
	if strings.Contains(p, string(os.PathSeparator)+"go-build") {
		return "", fmt.Errorf("this makemcp is a temporary `go run` build (%s): install it first (go install or a release), then run client-config from the installed binary", p)
	}
	return p, nil
}
