package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/makemcp/makemcp/auth"
	"github.com/makemcp/makemcp/internal/config"
	"github.com/makemcp/makemcp/keychain"
	"github.com/makemcp/makemcp/makeapi"
	"github.com/makemcp/makemcp/makeapi/scope"
	"github.com/makemcp/makemcp/tools"
	"github.com/spf13/cobra"
	"golang.org/x/term"
)

type loginOptions struct {
	IO       ioStreams
	Settings func() Settings
	// SavedStore is the store for a storage ("keychain" or "file");
	// SavedStores are all of them, which a login clears of older
	// credentials.
	SavedStore  func(storage string) keychain.Store
	SavedStores func() []keychain.Store
	// MakeClient checks the new credential with Make.
	MakeClient func(zone string, tokens makeapi.TokenSource) (*makeapi.Client, error)
	// HTTPClient makes the OAuth requests.
	HTTPClient *http.Client

	withToken       bool
	port            int
	scopes          string
	noBrowser       bool
	insecureStorage bool
	timeout         time.Duration
	clientSecret    string
	// envToken says MAKE_API_TOKEN is set, which wins over any login.
	envToken bool
}

func newLoginCmd(f *factory) *cobra.Command {
	o := &loginOptions{
		IO:          f.IO,
		Settings:    f.Settings,
		SavedStore:  func(storage string) keychain.Store { return f.SavedStore(storage, keychain.PromptTimeout) },
		SavedStores: func() []keychain.Store { return f.SavedStores(keychain.PromptTimeout) },
		MakeClient:  f.MakeClient,
		HTTPClient:  httpClient,
	}
	cmd := &cobra.Command{
		Use:   "login",
		Short: "Log in to Make in your browser (or with an API token) and store the credential",
		Long: `Log in to Make and store the credential in the OS keychain.

By default this opens your browser at Make's authorization page (OAuth 2.0
with PKCE) and waits for the redirect to http://127.0.0.1:<port>/callback.
The URL is also printed, for machines without a browser: open it anywhere
that can reach this machine's port, or use --no-browser.

With --with-token, it reads a Make API token (Profile > API access in Make)
from standard input instead, so the token never appears in your shell
history or the process list.`,
		Example: `  makemcp login
  makemcp login --no-browser --port 0
  makemcp login --with-token < token.txt
  makemcp login --profile work --zone us1.make.com`,
		// Never echo an argument: it may be a token typed where it does not
		// belong, and errors end up in terminals and logs.
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) > 0 {
				return usageError{errors.New("login takes no arguments; to log in with an API token, pipe it on standard input: makemcp login --with-token < token.txt")}
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, _ []string) error {
			if !cmd.Flags().Changed("port") {
				if v := f.Getenv("MAKEMCP_REDIRECT_PORT"); v != "" {
					p, err := strconv.Atoi(v)
					if err != nil {
						return fmt.Errorf("MAKEMCP_REDIRECT_PORT=%q is not a port number", v)
					}
					o.port = p
				}
			}
			if !cmd.Flags().Changed("scopes") {
				o.scopes = f.Getenv("MAKEMCP_SCOPES")
			}
			o.clientSecret = f.Getenv("MAKEMCP_CLIENT_SECRET")
			o.envToken = f.apiToken() != ""
			return loginRun(cmd.Context(), o)
		},
	}
	fl := cmd.Flags()
	fl.BoolVar(&o.withToken, "with-token", false, "read a Make API token from standard input instead of opening the browser")
	fl.IntVar(&o.port, "port", auth.DefaultPort, "loopback port for the redirect http://127.0.0.1:<port>/callback; 0 picks a free one (env MAKEMCP_REDIRECT_PORT)")
	fl.StringVar(&o.scopes, "scopes", "", "scopes to request, space or comma separated (env MAKEMCP_SCOPES; default: what the default toolsets need: "+strings.Join(defaultScopes(), " ")+")")
	fl.BoolVar(&o.noBrowser, "no-browser", false, "print the URL instead of opening the browser")
	fl.BoolVar(&o.insecureStorage, "insecure-storage", false, "store the credential in a 0600 file in the config folder instead of the OS keychain")
	fl.DurationVar(&o.timeout, "timeout", auth.DefaultLoginTimeout, "give up if the login (the browser, the keychain) has not finished by then")
	return cmd
}

// defaultScopes are what the default toolsets need, plus openid.
func defaultScopes() []string {
	sel, _ := tools.Select(tools.All(), tools.Selection{})
	return append([]string{"openid"}, scope.Strings(tools.Scopes(sel))...)
}

func loginRun(ctx context.Context, o *loginOptions) error {
	s := o.Settings()
	// --timeout bounds the whole login, keychain calls included: a
	// frozen keychain must not hold it past the time the user gave.
	ctx, cancel := context.WithTimeout(ctx, o.timeout)
	defer cancel()
	storage := storageKeychain
	if o.insecureStorage {
		storage = storageFile
	}
	store := o.SavedStore(storage)

	if !o.withToken {
		if s.ClientID == "" {
			return errors.New("no OAuth client ID: pass --client-id or set MAKEMCP_CLIENT_ID (see docs/auth.md), or log in with an API token: makemcp login --with-token")
		}
		if err := auth.ValidateIssuer(s.Issuer); err != nil {
			return fmt.Errorf("--issuer: %w", err)
		}
	}
	// Find out now whether the credential can be stored at all, rather
	// than after the person has gone through the browser.
	if _, err := store.Load(ctx, s.Profile); errors.Is(err, keychain.ErrUnavailable) {
		return err
	}

	var cred *keychain.Credential
	var err error
	if o.withToken {
		cred, err = readAPIToken(o.IO)
	} else {
		cred, err = browserLogin(ctx, o, s)
	}
	if err != nil {
		return err
	}
	cred.Zone = s.Zone

	client, err := o.MakeClient(s.Zone, credentialToken(cred))
	if err != nil {
		return err
	}
	who, err := identify(ctx, client)
	if err != nil {
		if o.withToken && makeapi.IsUnauthorized(err) {
			return errors.New("Make refused this API token: check it under Profile > API access in Make, and that --zone is your zone")
		}
		return fmt.Errorf("check the new credential with Make: %w", err)
	}
	if cred.Kind == keychain.APIToken || len(who.scopes) > 0 {
		cred.Scopes = who.scopes
	}

	prof := config.Profile{Zone: s.Zone, Storage: storage, User: who.configUser(), Organizations: who.configOrgs()}
	if cred.Kind == keychain.OAuth {
		prof.Issuer, prof.ClientID = s.Issuer, s.ClientID
	}
	note := chooseDefaults(ctx, client, who, &prof)
	cred.Zone = prof.Zone

	if err := replaceCredential(ctx, o, s, store, cred); err != nil {
		return err
	}
	file, err := config.Load(s.ConfigDir)
	if err != nil {
		return err
	}
	file.Profiles[s.Profile] = prof
	if err := file.Save(s.ConfigDir); err != nil {
		return fmt.Errorf("the credential is stored, but the profile settings were not: %w", err)
	}

	w := o.IO.Err
	fmt.Fprintf(w, "Logged in to %s as %s (%s), profile %q, credential in the %s.\n",
		zoneHost(prof.Zone), who.user.Name, who.user.Email, s.Profile, storageDescription(storage))
	if note != "" {
		fmt.Fprintln(w, note)
	}
	if storage == storageFile {
		fmt.Fprintf(w, "Warning: the credential is in a plain file (%s); anyone who can read it can use your Make account.\n", "credentials/"+s.Profile+".json in "+s.ConfigDir)
	}
	if o.envToken {
		fmt.Fprintln(w, "Note: MAKE_API_TOKEN is set, and makemcp uses it instead of this login until you unset it.")
	}
	return nil
}

// replaceCredential saves the new credential in store and removes the
// profile's credential from every other store, under the profile's lock
// in each: a refresh under way in another process finishes first, and
// then finds the new credential rather than saving over it, and an older
// login in the other storage leaves no working secret behind.
func replaceCredential(ctx context.Context, o *loginOptions, s Settings, store keychain.Store, cred *keychain.Credential) error {
	profile := s.Profile
	stores := o.SavedStores()
	unlock, err := lockAll(ctx, stores, profile)
	if err != nil {
		return err
	}
	defer unlock()
	if err := store.Save(ctx, profile, cred); err != nil {
		return err
	}
	for _, other := range stores {
		if other.Name() == store.Name() {
			continue
		}
		err := other.Delete(ctx, profile)
		// An unreachable keychain is the usual reason for the file
		// store: only a profile that was in it needs to hear about it.
		if err != nil && (!errors.Is(err, keychain.ErrUnavailable) || s.Config.Storage == storageOf(other)) {
			fmt.Fprintf(o.IO.Err, "Warning: could not remove the profile's older credential from the %s: %s\n", storageDescription(storageOf(other)), oneLine(err.Error()))
		}
	}
	return nil
}

// browserLogin runs the OAuth flow.
func browserLogin(ctx context.Context, o *loginOptions, s Settings) (*keychain.Credential, error) {
	scopes := defaultScopes()
	if o.scopes != "" {
		scopes = auth.SplitScopes(o.scopes)
	}
	return auth.Login(ctx, auth.LoginOptions{
		Issuer:       s.Issuer,
		ClientID:     s.ClientID,
		ClientSecret: o.clientSecret,
		Scopes:       scopes,
		Port:         o.port,
		NoBrowser:    o.noBrowser,
		Timeout:      o.timeout,
		Stderr:       o.IO.Err,
		HTTPClient:   o.HTTPClient,
	})
}

// readAPIToken reads a Make API token from standard input: without echo
// when it is a terminal, else its first line.
func readAPIToken(streams ioStreams) (*keychain.Credential, error) {
	var tok string
	if f, ok := streams.In.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(streams.Err, "Paste your Make API token (Profile > API access), then press Enter: ")
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(streams.Err)
		if err != nil {
			return nil, fmt.Errorf("read the API token: %w", err)
		}
		tok = string(b)
	} else {
		line, err := bufio.NewReader(io.LimitReader(streams.In, 64<<10)).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("read the API token from standard input: %w", err)
		}
		tok = line
	}
	tok = strings.TrimSpace(tok)
	if tok == "" {
		return nil, errors.New("no API token on standard input: pipe it in, e.g. makemcp login --with-token < token.txt")
	}
	if strings.ContainsFunc(tok, func(r rune) bool { return r <= ' ' || r == 0x7f }) {
		return nil, errors.New("the API token on standard input has spaces or control characters in it: pass only the token")
	}
	return &keychain.Credential{Kind: keychain.APIToken, AccessToken: tok, TokenType: "Token"}, nil
}

// chooseDefaults picks the organization and team tools use when a call
// omits them, and the zone of that organization. It returns a note for
// the user when the choice was not the only one possible.
func chooseDefaults(ctx context.Context, c *makeapi.Client, who *account, p *config.Profile) string {
	if len(who.orgs) == 0 {
		return "Note: this account has no organizations yet; tools will need organizationId and teamId."
	}
	org := who.orgs[0]
	var notes []string
	if len(who.orgs) > 1 {
		notes = append(notes, fmt.Sprintf("Default organization: %s (%d), the first of %d; pick another with serve --org.", org.Name, org.ID, len(who.orgs)))
	}
	p.Organization = org.ID
	if org.Zone != "" && !sameHost(org.Zone, p.Zone) {
		p.Zone = org.Zone
	}
	var teams []makeapi.Team
	for t, err := range c.AllTeams(ctx, makeapi.TeamQuery{OrganizationID: org.ID}) {
		if err != nil {
			notes = append(notes, "Note: could not list the organization's teams ("+err.Error()+"); tools will need teamId, or serve --team.")
			break
		}
		teams = append(teams, t)
	}
	if len(teams) > 0 {
		p.Team = teams[0].ID
		if len(teams) > 1 {
			notes = append(notes, fmt.Sprintf("Default team: %s (%d), the first of %d; pick another with serve --team.", teams[0].Name, teams[0].ID, len(teams)))
		}
	}
	return strings.Join(notes, "\n")
}

func storageDescription(s string) string {
	if s == storageFile {
		return "file store (--insecure-storage)"
	}
	return "OS keychain"
}
