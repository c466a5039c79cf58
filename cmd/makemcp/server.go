package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/makemcp/makemcp/internal/config"
	"github.com/makemcp/makemcp/internal/filecache"
	"github.com/makemcp/makemcp/keychain"
	"github.com/makemcp/makemcp/makeapi"
	"github.com/makemcp/makemcp/makeapi/makefake"
	"github.com/makemcp/makemcp/tools"
	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/spf13/cobra"
)

// The MCP server as serve runs it; tools and resources run the same one
// in-process.

// serverFlags choose what the MCP server exposes; serve and the tools
// command share them.
type serverFlags struct {
	readOnly      bool
	toolsets      string
	tools         string
	excludeTools  string
	scenarioTools bool
	// scenarios are the only scenarios served as scenario tools, as
	// given; scenarioIDs their ids once resolved.
	scenarios   string
	scenarioIDs []int64
	org, team   int64
	demo        bool
}

func (f *serverFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.BoolVar(&f.readOnly, "read-only", false, "expose only tools that read (env MAKEMCP_READ_ONLY); wins over --tools")
	fl.StringVar(&f.toolsets, "toolsets", "", "comma list of toolsets, all, or default (env MAKEMCP_TOOLSETS); toolsets: "+tools.ToolsetNames())
	fl.StringVar(&f.tools, "tools", "", "comma list of single tools to add (env MAKEMCP_TOOLS)")
	fl.StringVar(&f.excludeTools, "exclude-tools", "", "comma list of tools to remove (env MAKEMCP_EXCLUDE_TOOLS)")
	fl.BoolVar(&f.scenarioTools, "scenario-tools", false, "expose each active on-demand scenario of the team as a tool run_scenario_<id> (env MAKEMCP_SCENARIO_TOOLS); never with --read-only")
	fl.StringVar(&f.scenarios, "scenarios", "", fmt.Sprintf("comma list of scenario ids: only these become scenario tools (env MAKEMCP_SCENARIOS; default: every active on-demand one, up to %d)", tools.MaxScenarioTools))
	fl.Int64Var(&f.org, "org", 0, "default organization id for tools whose organizationId is omitted (env MAKEMCP_ORG; default: the one saved at login)")
	fl.Int64Var(&f.team, "team", 0, "default team id for tools whose teamId is omitted (env MAKEMCP_TEAM; default: the one saved at login)")
	fl.BoolVar(&f.demo, "demo", false, "serve a built-in sandbox Make account: no login, no network")
}

// resolve applies the MAKEMCP_* variables to the flags not given, and
// the organization and team saved at login to --org and --team.
func (f *serverFlags) resolve(cmd *cobra.Command, getenv func(string) string, saved config.Profile) error {
	changed := cmd.Flags().Changed
	boolVar := func(flag, env string, v *bool) error {
		if changed(flag) {
			return nil
		}
		if s := getenv(env); s != "" {
			b, err := strconv.ParseBool(s)
			if err != nil {
				return fmt.Errorf("%s=%q: use true or false", env, s)
			}
			*v = b
		}
		return nil
	}
	intVar := func(flag, env string, v *int64, saved int64) error {
		if !changed(flag) {
			*v = saved
		}
		return idVar(cmd, getenv, flag, env, v)
	}
	strVar := func(flag, env string, v *string) {
		if !changed(flag) {
			*v = getenv(env)
		}
	}
	strVar("toolsets", "MAKEMCP_TOOLSETS", &f.toolsets)
	strVar("tools", "MAKEMCP_TOOLS", &f.tools)
	strVar("exclude-tools", "MAKEMCP_EXCLUDE_TOOLS", &f.excludeTools)
	strVar("scenarios", "MAKEMCP_SCENARIOS", &f.scenarios)
	return errors.Join(
		f.parseScenarios(),
		boolVar("read-only", "MAKEMCP_READ_ONLY", &f.readOnly),
		boolVar("scenario-tools", "MAKEMCP_SCENARIO_TOOLS", &f.scenarioTools),
		intVar("org", "MAKEMCP_ORG", &f.org, saved.Organization),
		intVar("team", "MAKEMCP_TEAM", &f.team, saved.Team),
	)
}

// parseScenarios reads --scenarios, a comma list of scenario ids.
func (f *serverFlags) parseScenarios() error {
	f.scenarioIDs = nil
	for _, s := range splitList(f.scenarios) {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id <= 0 {
			return fmt.Errorf("--scenarios %q: give scenario ids separated by commas, such as --scenarios 123,456", f.scenarios)
		}
		f.scenarioIDs = append(f.scenarioIDs, id)
	}
	return nil
}

// serverOptions are what serve, tools and resources need to build the
// MCP server their flags describe.
type serverOptions struct {
	Settings func() Settings
	Logger   func() *slog.Logger
	// Store is where the profile's credential is read; Tokens hands out
	// its valid access token.
	Store      func() keychain.Store
	Tokens     func(keychain.Store) makeapi.TokenSource
	MakeClient func(zone string, tokens makeapi.TokenSource) (*makeapi.Client, error)

	flags serverFlags
}

func newServerOptions(f *factory) serverOptions {
	return serverOptions{
		Settings:   f.Settings,
		Logger:     f.Logger,
		Store:      func() keychain.Store { return f.Store(keychain.CallTimeout) },
		Tokens:     f.TokenSource,
		MakeClient: f.MakeClient,
	}
}

// parseFlags reads the server flags of cmd and the variables behind them.
func (o *serverOptions) parseFlags(cmd *cobra.Command, f *factory) error {
	return o.flags.resolve(cmd, f.Getenv, f.Settings().Config)
}

// newServer builds the MCP server the flags describe: over the demo
// account, or over the profile's Make account. A missing or unreadable
// credential does not stop the server: every tool call then says what to
// do, which the user sees in their MCP host.
func newServer(ctx context.Context, o *serverOptions) (*tools.Server, func(), error) {
	f := &o.flags
	s := o.Settings()
	log := o.Logger()
	deps := tools.Deps{OrganizationID: f.org, TeamID: f.team, Logger: log}
	cleanup := func() {}
	var err error
	if f.demo {
		cleanup, err = demoDeps(ctx, &deps, log)
	} else {
		err = accountDeps(ctx, o, s, &deps)
	}
	if err != nil {
		return nil, nil, err
	}
	sel, err := tools.Select(tools.All(), tools.Selection{
		Toolsets: splitList(f.toolsets),
		Tools:    splitList(f.tools),
		Exclude:  splitList(f.excludeTools),
		ReadOnly: f.readOnly,
		Scopes:   deps.Scopes,
	})
	if err != nil {
		cleanup()
		return nil, nil, err
	}
	if f.scenarioTools && f.readOnly {
		log.Info("read-only: no scenario tools, since a scenario can change anything its modules reach")
	}
	opts := tools.Options{
		Deps:          deps,
		Tools:         sel,
		ScenarioTools: f.scenarioTools,
		ScenarioIDs:   f.scenarioIDs,
		ReadOnly:      f.readOnly,
		Version:       buildVersion().Version,
	}
	if f.scenarioTools && !f.demo {
		opts.ScenarioCache = scenarioCache(s, deps, log)
	}
	return tools.NewServer(opts), cleanup, nil
}

// scenarioCache is the file that keeps the scenario tools between runs,
// one for each profile, zone and team; nil when there is no cache folder.
func scenarioCache(s Settings, deps tools.Deps, log *slog.Logger) tools.Cache {
	key := sha256.Sum256([]byte(fmt.Sprintf("%s\n%s\n%d\n%d", s.Profile, s.Zone, deps.OrganizationID, deps.TeamID)))
	f, err := filecache.In(filepath.Join("scenario-tools", hex.EncodeToString(key[:12])+".json"))
	if err != nil {
		log.Info("scenario tools are not cached between runs", "err", oneLine(err.Error()))
		return nil
	}
	return f
}

// accountDeps connects the tools to the profile's Make account.
func accountDeps(ctx context.Context, o *serverOptions, s Settings, deps *tools.Deps) error {
	store := o.Store()
	client, err := o.MakeClient(s.Zone, o.Tokens(store))
	if err != nil {
		return err
	}
	deps.Client = client
	rememberAccount(client, s.Config)
	// The granted scopes decide which tools are listed. They are read
	// from the stored credential as it is, never refreshed here, so that
	// start-up (and the MCP handshake after it) waits on no network: the
	// first tool call refreshes if need be. An API token from the
	// environment has unknown scopes: list everything.
	if store.Name() == "env" {
		if deps.OrganizationID == 0 || deps.TeamID == 0 {
			org, team, log := deps.OrganizationID, deps.TeamID, deps.Logger
			deps.FindDefaults = func(ctx context.Context) tools.Defaults { return envDefaults(ctx, client, org, team, log) }
		}
		return nil
	}
	switch cred, err := store.Load(ctx, s.Profile); {
	case errors.Is(err, keychain.ErrNotFound):
		deps.Logger.Warn("not logged in; every tool call will say how to log in", "profile", s.Profile)
	case err != nil:
		deps.Logger.Warn("could not read the stored credential; every tool call will say what to do", "err", oneLine(err.Error()))
	case len(cred.Scopes) > 0:
		deps.Scopes = cred.Scopes
	}
	return nil
}

// envDefaults finds the organization and team of MAKE_API_TOKEN, which no
// login has chosen them for: the only ones. Where there are several, a
// call that omits the id says which there are and how to choose. The
// server asks it the first time a call needs a default it lacks, not at
// start-up, which then waits on no network.
func envDefaults(ctx context.Context, c *makeapi.Client, org, team int64, log *slog.Logger) tools.Defaults {
	d := tools.Defaults{TeamID: team}
	orgs, err := c.Organizations(ctx)
	if err != nil {
		log.Warn("MAKE_API_TOKEN: could not list the organizations, so there is no default organization or team; pass --org and --team", "err", oneLine(err.Error()))
		return d
	}
	d.OrganizationID = org
	if org == 0 {
		switch len(orgs) {
		case 0:
			return d
		case 1:
			d.OrganizationID = orgs[0].ID
		default:
			d.NoOrganization = fmt.Errorf("organizationId is required: MAKE_API_TOKEN reaches the organizations %s: pass organizationId, or choose one with --org or MAKEMCP_ORG", orgList(orgs))
			if team == 0 {
				d.NoTeam = fmt.Errorf("teamId is required: MAKE_API_TOKEN reaches the organizations %s: pass teamId (teams_list with an organizationId shows the teams), or choose a team with --team or MAKEMCP_TEAM", orgList(orgs))
			}
			return d
		}
	}
	if team != 0 {
		return d
	}
	teams, err := orgTeams(ctx, c, d.OrganizationID)
	if makeapi.IsForbidden(err) {
		// Without teams:read, the organization still names its teams.
		var o *makeapi.Organization
		if o, err = c.GetOrganization(ctx, d.OrganizationID); err == nil {
			teams = o.Teams
		}
	}
	switch {
	case err != nil:
		log.Warn("MAKE_API_TOKEN: could not list the organization's teams, so there is no default team; pass --team", "organization", d.OrganizationID, "err", oneLine(err.Error()))
	case len(teams) == 1:
		d.TeamID = teams[0].ID
	case len(teams) > 1:
		d.NoTeam = fmt.Errorf("teamId is required: MAKE_API_TOKEN reaches the teams %s of organization %d: pass teamId, or choose one with --team or MAKEMCP_TEAM", teamList(teams), d.OrganizationID)
	}
	return d
}

// demoDeps connects the tools to the fake Make's sandbox account, served
// on 127.0.0.1 inside this process.
func demoDeps(ctx context.Context, deps *tools.Deps, log *slog.Logger) (func(), error) {
	fake, err := makefake.StartDemo()
	if err != nil {
		return nil, fmt.Errorf("start the demo account: %w", err)
	}
	client, err := makeapi.New(makeapi.Options{
		Zone:         fake.Zone(),
		AllowedHosts: []string{fake.Zone()},
		Tokens:       makeapi.StaticToken(makefake.DemoToken, "Token"),
		UserAgent:    userAgent(),
		Logger:       log,
	})
	if err != nil {
		fake.Close()
		return nil, err
	}
	deps.Client = client
	if deps.OrganizationID == 0 || deps.TeamID == 0 {
		if err := demoDefaults(ctx, client, deps); err != nil {
			fake.Close()
			return nil, err
		}
	}
	return fake.Close, nil
}

// demoDefaults picks the sandbox's organization and team.
func demoDefaults(ctx context.Context, c *makeapi.Client, deps *tools.Deps) error {
	orgs, err := c.Organizations(ctx)
	if err != nil || len(orgs) == 0 {
		return fmt.Errorf("read the demo account: %v", err)
	}
	if deps.OrganizationID == 0 {
		deps.OrganizationID = orgs[0].ID
	}
	if deps.TeamID == 0 {
		teams, _, err := c.ListTeams(ctx, makeapi.TeamQuery{OrganizationID: deps.OrganizationID}, makeapi.Page{Limit: 1})
		if err != nil || len(teams) == 0 {
			return fmt.Errorf("read the demo account's teams: %v", err)
		}
		deps.TeamID = teams[0].ID
	}
	return nil
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// rememberAccount hands the client what login learned about the account,
// so that its first calls need not ask Make where the organizations live.
func rememberAccount(c *makeapi.Client, p config.Profile) {
	orgs := make([]makeapi.Organization, len(p.Organizations))
	for i, o := range p.Organizations {
		orgs[i] = makeapi.Organization{ID: o.ID, Name: o.Name, Zone: o.Zone}
	}
	var teams map[int64]int64
	if p.Team != 0 && p.Organization != 0 {
		teams = map[int64]int64{p.Team: p.Organization}
	}
	c.Remember(orgs, teams)
}

// withClient runs fn with an MCP client, made with opts, connected
// in-process to the server o describes. The server's requests
// end with ctx.
func withClient(ctx context.Context, o *serverOptions, opts *mcp.ClientOptions, fn func(context.Context, *mcp.ClientSession) error) error {
	srv, cleanup, err := newServer(ctx, o)
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
	client := mcp.NewClient(&mcp.Implementation{Name: "makemcp-tools", Version: buildVersion().Version}, opts)
	cs, err := client.Connect(context.WithoutCancel(ctx), ct, nil)
	if err != nil {
		return err
	}
	defer cs.Close()
	return fn(ctx, cs)
}
