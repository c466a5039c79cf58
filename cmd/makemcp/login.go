package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/makemcp/makemcp/auth"
	"github.com/makemcp/makemcp/internal/config"
	"github.com/makemcp/makemcp/keychain"
	"github.com/makemcp/makemcp/makeapi"
	"github.com/makemcp/makemcp/makeapi/scope"
	"github.com/spf13/cobra"
)

type loginOptions struct {
	IO       ioStreams
	Settings func() Settings
	// SavedStore is the store for a storage ("keychain" or "file");
	// SavedStores are all of them, which a login clears of older
	// credentials.
	SavedStore  func(storage string) keychain.Store
	SavedStores func() []keychain.Store
	// MakeClient checks the new credential with Make; FindZone finds the
	// zone that knows an API token when none is given.
	MakeClient func(zone string, tokens makeapi.TokenSource) (*makeapi.Client, error)
	FindZone   func(ctx context.Context, tokens makeapi.TokenSource) (string, error)
	// Prompter asks for a token and a team; nil when standard input is
	// not a terminal.
	Prompter prompter
	// HTTPClient makes the OAuth requests.
	HTTPClient *http.Client

	withToken       bool
	port            int
	scopes          string
	noBrowser       bool
	insecureStorage bool
	timeout         time.Duration
	org, team       int64
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
		FindZone:    f.FindZone,
		Prompter:    newPrompter(f.IO),
		HTTPClient:  httpClient,
	}
	cmd := &cobra.Command{
		Use:   "login",
		Short: "Log in to Make in your browser (or with an API token) and store the credential",
		Long: `Log in to Make and store the credential in the OS keychain.

With an OAuth client (built into release builds, or --client-id), this
opens your browser at Make's authorization page (OAuth 2.0 with PKCE) and
waits for the redirect to http://127.0.0.1:<port>/callback. The URL is
also printed, for machines without a browser: open it anywhere that can
reach this machine's port, or use --no-browser.

Without one, on a terminal, it asks for a Make API token instead: it shows
where to create one and which scopes to tick, and reads it without echo.
With --with-token it reads the token from standard input, so it never
appears in your shell history or the process list.

With an API token and no --zone, it finds your zone by trying Make's
zones. A token without organizations:read or teams:read is accepted with
a warning; the default team then comes from --team, from Make, or from a
question.`,
		Example: `  makemcp login
  makemcp login --no-browser --port 0
  makemcp login --with-token < token.txt
  makemcp login --profile work --zone us1 --team 123`,
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
			if err := errors.Join(
				idVar(cmd, f.Getenv, "org", "MAKEMCP_ORG", &o.org),
				idVar(cmd, f.Getenv, "team", "MAKEMCP_TEAM", &o.team),
			); err != nil {
				return err
			}
			o.clientSecret = clientSecret(f.Getenv, f.Settings().ClientID)
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
	fl.DurationVar(&o.timeout, "timeout", auth.DefaultLoginTimeout, "give up if the login (the browser, the token, the keychain) has not finished by then")
	fl.Int64Var(&o.org, "org", 0, "default organization id for tools (env MAKEMCP_ORG; default: the only or first one)")
	fl.Int64Var(&o.team, "team", 0, "default team id for tools (env MAKEMCP_TEAM; default: the only or first one, or a question when the token cannot list teams)")
	return cmd
}

// idVar reads an id flag, or the variable behind it when the flag is not
// given.
func idVar(cmd *cobra.Command, getenv func(string) string, flag, env string, v *int64) error {
	if cmd.Flags().Changed(flag) {
		return nil
	}
	if s := getenv(env); s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n <= 0 {
			return fmt.Errorf("%s=%q: use a numeric id", env, s)
		}
		*v = n
	}
	return nil
}

// clientSecret is the OAuth client's secret: MAKEMCP_CLIENT_SECRET, else
// the one built into the release, which goes with the built-in client
// only.
func clientSecret(getenv func(string) string, clientID string) string {
	if s := getenv("MAKEMCP_CLIENT_SECRET"); s != "" {
		return s
	}
	if clientID != "" && clientID == defaultClientID {
		return defaultClientSecret
	}
	return ""
}

// defaultScopes are what the default toolsets need, plus openid.
func defaultScopes() []string {
	return append([]string{"openid"}, scope.Strings(defaultToolScopes())...)
}

// noClientLine is what login says when it takes a token because there is
// no OAuth client to log in through the browser with.
const noClientLine = "Browser login needs an OAuth client registered with Make, and this makemcp has none (see docs/auth.md): log in with a Make API token instead."

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
	w := o.IO.Err

	withToken := o.withToken
	if !withToken {
		switch {
		case s.ClientID != "":
			if err := auth.ValidateIssuer(s.Issuer); err != nil {
				return fmt.Errorf("--issuer: %w", err)
			}
		case o.Prompter == nil:
			return errors.New("no OAuth client ID: pass --client-id or set MAKEMCP_CLIENT_ID (see docs/auth.md), or log in with an API token: makemcp login --with-token")
		default:
			// As gh offers to paste a token: the way that works for
			// everyone, straight away.
			fmt.Fprintln(w, noClientLine)
			withToken = true
		}
	}
	// Find out now whether the credential can be stored at all, rather
	// than after the person has gone through the browser.
	if _, err := store.Load(ctx, s.Profile); errors.Is(err, keychain.ErrUnavailable) {
		return err
	}

	var cred *keychain.Credential
	var err error
	if withToken {
		cred, err = readAPIToken(ctx, o, s)
	} else {
		cred, err = browserLogin(ctx, o, s)
	}
	if err != nil {
		return err
	}
	zone := s.Zone
	if cred.Kind == keychain.APIToken && s.ZoneFrom == "" {
		// An API token works in its own zone only, which nobody has
		// named: ask each of Make's.
		if zone, err = o.FindZone(ctx, credentialToken(cred)); err != nil {
			return err
		}
		fmt.Fprintf(w, "Found your Make account on %s.\n", zoneHost(zone))
	}

	client, err := o.MakeClient(zone, credentialToken(cred))
	if err != nil {
		return err
	}
	who, err := identify(ctx, client)
	if err != nil {
		if cred.Kind == keychain.APIToken && makeapi.IsUnauthorized(err) {
			return errors.New("Make refused this API token: check it under Profile > API access in Make, and that --zone is your zone")
		}
		return fmt.Errorf("check the new credential with Make: %w", err)
	}
	if cred.Kind == keychain.APIToken || len(who.scopes) > 0 {
		cred.Scopes = who.scopes
	}
	for _, sc := range who.lacks {
		fmt.Fprintln(w, lackWarning(sc, who.scopes))
	}

	prof := config.Profile{Zone: zone, Storage: storage, User: who.configUser(), Organizations: who.configOrgs()}
	if cred.Kind == keychain.OAuth {
		prof.Issuer, prof.ClientID = s.Issuer, s.ClientID
	}
	notes, err := chooseDefaults(ctx, o, client, who, &prof)
	if err != nil {
		return err
	}
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

	as := "with a Make API token"
	if cred.Kind == keychain.OAuth {
		as = "through OAuth"
	}
	if who.user != nil {
		as = fmt.Sprintf("as %s (%s)", who.user.Name, who.user.Email)
	}
	fmt.Fprintf(w, "Logged in to %s %s, profile %q, credential in the %s.\n",
		zoneHost(prof.Zone), as, s.Profile, storageDescription(storage))
	for _, n := range notes {
		fmt.Fprintln(w, n)
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

func storageDescription(s string) string {
	if s == storageFile {
		return "file store (--insecure-storage)"
	}
	return "OS keychain"
}
