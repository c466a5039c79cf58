package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/makemcp/makemcp/auth"
	"github.com/makemcp/makemcp/internal/config"
	"github.com/makemcp/makemcp/keychain"
	"github.com/makemcp/makemcp/makeapi"
	"github.com/spf13/cobra"
)

type statusOptions struct {
	IO       ioStreams
	Settings func() Settings
	// Store is where the profile's credential is read.
	Store func() keychain.Store
	// MakeClient asks Make about a credential nothing was saved about.
	MakeClient func(zone string, tokens makeapi.TokenSource) (*makeapi.Client, error)
	Now        func() time.Time

	asJSON bool
}

func newStatusCmd(f *factory) *cobra.Command {
	o := &statusOptions{
		IO:         f.IO,
		Settings:   f.Settings,
		Store:      func() keychain.Store { return f.Store(keychain.CallTimeout) },
		MakeClient: f.MakeClient,
		Now:        time.Now,
	}
	cmd := &cobra.Command{
		Use:   "status",
		Short: "Show who is logged in, how, on which zone, and what the credential may do",
		Long: `Show the profile's login: the user, the zone and organizations, how the
credential was obtained and where it is stored, when the access token
expires and whether it can be refreshed, and the granted scopes. Never the
secret itself.

Exits with status 1 when nobody is logged in.`,
		Example: `  makemcp status
  makemcp status --json | jq .expiresAt`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			err := statusRun(cmd.Context(), o)
			if err != nil && o.asJSON && !errors.As(err, new(exitError)) {
				// A script that asked for JSON parses stdout; it gets
				// the error there too, as {"error": "..."}.
				b, _ := json.Marshal(map[string]string{"error": oneLine(err.Error())})
				fmt.Fprintln(o.IO.Out, string(b))
				return exitError{1}
			}
			return err
		},
	}
	cmd.Flags().BoolVar(&o.asJSON, "json", false, "print one JSON object")
	return cmd
}

// statusReport is `status --json`: scripts read these names, so they
// stay; new ones may be added.
type statusReport struct {
	LoggedIn      bool                  `json:"loggedIn"`
	Profile       string                `json:"profile,omitempty"`
	Auth          string                `json:"auth,omitempty"`
	Storage       string                `json:"storage,omitempty"`
	Zone          string                `json:"zone,omitempty"`
	User          *config.User          `json:"user,omitempty"`
	Organizations []config.Organization `json:"organizations"`
	Scopes        []string              `json:"scopes"`
	// ToolsLeftOut are the tools of the default toolsets serve leaves
	// out, by the scope the credential lacks for them.
	ToolsLeftOut map[string][]string `json:"toolsLeftOut"`
	ExpiresAt    *time.Time          `json:"expiresAt,omitempty"`
	Refreshable  *bool               `json:"refreshable,omitempty"`
}

func statusRun(ctx context.Context, o *statusOptions) error {
	s := o.Settings()
	store := o.Store()
	cred, err := store.Load(ctx, s.Profile)
	if errors.Is(err, keychain.ErrNotFound) {
		if o.asJSON {
			fmt.Fprintln(o.IO.Out, `{"loggedIn": false}`)
		} else {
			fmt.Fprintf(o.IO.Err, "Not logged in (profile %q): run makemcp login\n", s.Profile)
		}
		return exitError{1}
	}
	if err != nil {
		return err
	}

	r := statusReport{LoggedIn: true, Profile: s.Profile, Auth: string(cred.Kind), Storage: store.Name(),
		Zone: zoneHost(s.Zone), Scopes: nonNilStrings(cred.Scopes)}
	if store.Name() == "env" {
		// Nothing was saved about an environment token: ask Make.
		r.User, r.Organizations, r.Scopes = whoIsEnvToken(ctx, o, s.Zone, cred)
	} else {
		r.User, r.Organizations = s.Config.User, s.Config.Organizations
	}
	if r.Organizations == nil {
		r.Organizations = []config.Organization{}
	}
	r.ToolsLeftOut = toolsLeftOut(r.Scopes)
	if cred.Kind == keychain.OAuth {
		refreshable := cred.Refreshable()
		r.Refreshable = &refreshable
		if !cred.Expiry.IsZero() {
			exp := cred.Expiry.UTC().Truncate(time.Second)
			r.ExpiresAt = &exp
		}
	} else {
		refreshable := false
		r.Refreshable = &refreshable
	}

	if o.asJSON {
		b, err := json.MarshalIndent(r, "", "  ")
		if err != nil {
			return err
		}
		fmt.Fprintln(o.IO.Out, string(b))
		return nil
	}
	printStatus(o.IO.Out, s, r, cred, o.Now())
	return nil
}

// whoIsEnvToken asks Make whose MAKE_API_TOKEN this is; status still
// answers, with less, when Make cannot be reached.
func whoIsEnvToken(ctx context.Context, o *statusOptions, zone string, cred *keychain.Credential) (*config.User, []config.Organization, []string) {
	client, err := o.MakeClient(zone, credentialToken(cred))
	if err != nil {
		return nil, nil, nil
	}
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	who, err := identify(ctx, client)
	if err != nil {
		fmt.Fprintf(o.IO.Err, "Warning: could not ask Make about MAKE_API_TOKEN: %s\n", oneLine(err.Error()))
		return nil, nil, nil
	}
	return who.configUser(), who.configOrgs(), nonNilStrings(who.scopes)
}

func printStatus(w io.Writer, s Settings, r statusReport, cred *keychain.Credential, now time.Time) {
	method := "OAuth (browser login)"
	who := "through OAuth"
	if cred.Kind == keychain.APIToken {
		method = "Make API token"
		who = "with a Make API token"
	}
	if r.User != nil {
		who = fmt.Sprintf("as %s (%s)", r.User.Name, r.User.Email)
	}
	fmt.Fprintf(w, "Logged in to %s %s\n", r.Zone, who)
	fmt.Fprintf(w, "  profile:        %s\n", r.Profile)
	fmt.Fprintf(w, "  method:         %s\n", method)
	fmt.Fprintf(w, "  stored in:      %s\n", map[string]string{"keychain": "OS keychain", "file": "file in " + s.ConfigDir + " (--insecure-storage)", "env": "MAKE_API_TOKEN environment variable"}[r.Storage])
	if cred.Kind == keychain.OAuth {
		fmt.Fprintf(w, "  token:          %s\n", expiryText(cred, now))
	}
	if len(r.Organizations) > 0 {
		var orgs []string
		for _, o := range r.Organizations {
			s := fmt.Sprintf("%s (%d)", o.Name, o.ID)
			if o.Zone != "" {
				s += " on " + o.Zone
			}
			orgs = append(orgs, s)
		}
		fmt.Fprintf(w, "  organizations:  %s\n", strings.Join(orgs, ", "))
	}
	if c := s.Config; c.Organization != 0 || c.Team != 0 {
		fmt.Fprintf(w, "  defaults:       organization %d, team %d\n", c.Organization, c.Team)
	}
	if len(r.Scopes) == 0 {
		fmt.Fprintf(w, "  scopes:         unknown: serve offers every tool, and Make refuses what the credential may not do\n")
		return
	}
	fmt.Fprintf(w, "  scopes:         %s\n", strings.Join(r.Scopes, " "))
	if len(r.ToolsLeftOut) == 0 {
		fmt.Fprintf(w, "  tools:          every tool of the default toolsets\n")
		return
	}
	var left []string
	for _, sc := range slices.Sorted(maps.Keys(r.ToolsLeftOut)) {
		left = append(left, fmt.Sprintf("%s (without %s)", strings.Join(r.ToolsLeftOut[sc], ", "), sc))
	}
	fmt.Fprintf(w, "  left out:       %s\n", strings.Join(left, "; "))
}

// expiryText says when the access token expires and what happens then.
func expiryText(c *keychain.Credential, now time.Time) string {
	if c.Expiry.IsZero() {
		return "does not expire"
	}
	var s string
	if left := c.Expiry.Sub(now); left > 0 {
		s = fmt.Sprintf("expires %s (in %s)", c.Expiry.Local().Format(time.RFC3339), left.Round(time.Second))
	} else {
		s = fmt.Sprintf("expired %s", c.Expiry.Local().Format(time.RFC3339))
	}
	switch {
	case c.Refreshable():
		return s + "; refreshed automatically"
	case c.RefreshRejected && now.Before(c.Expiry):
		return s + "; cannot be refreshed (the issuer refused the refresh token): run makemcp login after that"
	case now.Before(c.Expiry):
		return s + "; cannot be refreshed: run makemcp login after that"
	}
	return s + "; " + auth.ErrSessionExpired.Error()
}

func nonNilStrings(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
