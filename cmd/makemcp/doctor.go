package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/makemcp/makemcp/internal/hosts"
	"github.com/makemcp/makemcp/keychain"
	"github.com/makemcp/makemcp/makeapi"
	"github.com/spf13/cobra"
)

type doctorOptions struct {
	IO       ioStreams
	Settings func() Settings
	// Store is where the profile's credential is read; Tokens hands out
	// its valid access token.
	Store      func() keychain.Store
	Tokens     func(keychain.Store) makeapi.TokenSource
	MakeClient func(zone string, tokens makeapi.TokenSource) (*makeapi.Client, error)
	// env and self are where host files live and this binary's path.
	env  func() (hosts.Env, error)
	self func() (string, error)
}

func newDoctorCmd(f *factory) *cobra.Command {
	o := &doctorOptions{
		IO:         f.IO,
		Settings:   f.Settings,
		Store:      func() keychain.Store { return f.Store(keychain.CallTimeout) },
		Tokens:     f.TokenSource,
		MakeClient: f.MakeClient,
		env:        hosts.CurrentEnv,
		self:       executablePath,
	}
	return &cobra.Command{
		Use:   "doctor",
		Short: "Check the whole setup, from the keychain to the MCP host configs, and say how to fix what is broken",
		Long: `Check, one line each: this binary, the config folder, the keychain, the
stored credential, the access token, the Make zone, the granted scopes
against the tools, and the MCP host configs that run makemcp. Each line
says ok, or what is wrong and how to fix it.

Exits with status 1 when something is broken.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return doctorRun(cmd.Context(), o) },
	}
}

// checklist prints one line per check and remembers whether any failed.
type checklist struct {
	w      io.Writer
	failed bool
}

func (c *checklist) ok(format string, args ...any)   { c.line("ok  ", format, args...) }
func (c *checklist) warn(format string, args ...any) { c.line("warn", format, args...) }
func (c *checklist) fail(format string, args ...any) {
	c.failed = true
	c.line("FAIL", format, args...)
}
func (c *checklist) line(mark, format string, args ...any) {
	fmt.Fprintf(c.w, "%s  %s\n", mark, oneLine(fmt.Sprintf(format, args...)))
}

func doctorRun(ctx context.Context, o *doctorOptions) error {
	s := o.Settings()
	c := &checklist{w: o.IO.Out}
	self, selfErr := o.self()
	if selfErr != nil {
		c.warn("makemcp %s: %v", buildVersion().Version, selfErr)
	} else {
		c.ok("makemcp %s at %s", buildVersion().Version, self)
	}
	checkConfigDir(c, s.ConfigDir)
	checkCredential(ctx, c, o, s)
	checkHosts(c, o, self)
	if c.failed {
		return exitError{1}
	}
	return nil
}

func checkConfigDir(c *checklist, dir string) {
	fi, err := os.Stat(dir)
	switch {
	case errors.Is(err, os.ErrNotExist):
		c.ok("config folder %s does not exist yet (login creates it)", dir)
	case err != nil:
		c.fail("config folder %s: %v", dir, err)
	case !fi.IsDir():
		c.fail("config folder %s is not a folder: remove it or set MAKEMCP_CONFIG_DIR", dir)
	case fi.Mode().Perm()&0o077 != 0 && !isWindows():
		c.warn("config folder %s is readable by others (mode %v): chmod 700 %s", dir, fi.Mode().Perm(), dir)
	default:
		c.ok("config folder %s", dir)
	}
}

// checkCredential checks the store, the credential, the token, the zone
// and the scopes, stopping at the first that fails.
func checkCredential(ctx context.Context, c *checklist, o *doctorOptions, s Settings) {
	store := o.Store()
	cred, err := store.Load(ctx, s.Profile)
	switch {
	case errors.Is(err, keychain.ErrNotFound):
		c.ok("%s reachable", storageTitle(store.Name()))
		c.fail("no credential for profile %q: run makemcp login", s.Profile)
		return
	case err != nil:
		c.fail("%s: %v", storageTitle(store.Name()), err)
		return
	}
	c.ok("%s reachable", storageTitle(store.Name()))
	kind := "OAuth login"
	if cred.Kind == keychain.APIToken {
		kind = "API token"
	}
	c.ok("credential for profile %q: %s", s.Profile, kind)

	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	src := o.Tokens(store)
	tok, err := src.Token(ctx)
	if err != nil {
		c.fail("access token: %v", err)
		return
	}
	switch {
	case tok.Expiry.IsZero():
		c.ok("access token valid (does not expire)")
	case cred.Refreshable():
		c.ok("access token valid until %s, refreshed automatically", tok.Expiry.Local().Format(time.Kitchen))
	default:
		c.warn("access token valid until %s and cannot be refreshed: run makemcp login then", tok.Expiry.Local().Format(time.RFC3339))
	}

	client, err := o.MakeClient(s.Zone, src)
	if err != nil {
		c.fail("zone: %v", err)
		return
	}
	switch me, err := client.Me(ctx); {
	case makeapi.IsForbidden(err):
		c.ok("%s reachable: the credential works, but may not say whose it is (no user:read)", zoneHost(s.Zone))
	case err != nil:
		c.fail("%s: %v", zoneHost(s.Zone), err)
		return
	default:
		c.ok("%s reachable: logged in as %s (%s)", zoneHost(s.Zone), me.Name, me.Email)
	}

	if store.Name() == "env" || len(cred.Scopes) == 0 {
		c.ok("scopes unknown for this credential: every tool is offered, and Make refuses what it may not do")
		return
	}
	if missing := slices.Sorted(maps.Keys(toolsLeftOut(cred.Scopes))); len(missing) > 0 {
		c.warn("scopes: the default tools also need %s; their tools are hidden: run makemcp login to grant them", strings.Join(missing, ", "))
	} else {
		c.ok("scopes cover the default tools")
	}
}

// checkHosts reports the MCP host configs that run makemcp.
func checkHosts(c *checklist, o *doctorOptions, self string) {
	env, err := o.env()
	if err != nil {
		c.warn("MCP host configs: %v", err)
		return
	}
	found := false
	for _, h := range hosts.All {
		path, err := h.Path(env)
		if err != nil {
			continue
		}
		servers, err := h.Servers(path)
		if err != nil {
			c.warn("%s: %v", h.Title, err)
			continue
		}
		for name, e := range servers {
			if !strings.HasPrefix(strings.ToLower(filepath.Base(e.Command)), "makemcp") {
				continue
			}
			found = true
			switch _, err := os.Stat(e.Command); {
			case err != nil:
				c.fail("%s: server %q runs %s, which does not exist: run makemcp client-config %s --write", h.Title, name, e.Command, h.Name)
			case self != "" && e.Command != self:
				c.warn("%s: server %q runs %s, not this binary (%s): run makemcp client-config %s --write to switch", h.Title, name, e.Command, self, h.Name)
			case !filepath.IsAbs(e.Command):
				c.warn("%s: server %q runs %q by name; the host may not find it on its PATH: run makemcp client-config %s --write", h.Title, name, e.Command, h.Name)
			default:
				c.ok("%s: server %q runs this makemcp", h.Title, name)
			}
		}
	}
	if !found {
		c.warn("no MCP host config runs makemcp yet: run makemcp client-config <%s> --write", strings.ReplaceAll(hosts.Names(), ", ", "|"))
	}
}

func storageTitle(name string) string {
	switch name {
	case "env":
		return "MAKE_API_TOKEN"
	case "file":
		return "credential file store"
	}
	return "OS keychain"
}

func isWindows() bool { return os.PathSeparator == '\\' }
