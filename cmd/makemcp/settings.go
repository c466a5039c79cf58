package main

import (
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"strings"
	"unicode"

	"github.com/makemcp/makemcp/internal/config"
	"github.com/makemcp/makemcp/internal/safetext"
	"github.com/makemcp/makemcp/keychain"
	"github.com/makemcp/makemcp/makeapi"
	"github.com/spf13/cobra"
)

// Settings are the global settings after flags, MAKEMCP_* variables, the
// config file and defaults have been weighed, in that order.
type Settings struct {
	Profile   string
	ConfigDir string
	// Config is the profile's section of the config file (empty if none).
	Config config.Profile
	Zone   string
	// ZoneFrom says where Zone came from, for errors: "--zone",
	// "MAKEMCP_ZONE", "config.json" or "" for the default.
	ZoneFrom string
	// AllowedHosts may receive the credential besides Make's own zones:
	// MAKEMCP_ALLOWED_HOSTS, and the zone and issuer the user named.
	AllowedHosts []string
	// KnownZones are the zones login tries a token with when no zone is
	// given: MAKEMCP_KNOWN_ZONES, or none for Make's own.
	KnownZones []string
	Issuer     string
	ClientID   string
	LogLevel   string
	LogFile    string
}

// Defaults that apply when neither flag, variable nor config file says
// otherwise.
const (
	defaultProfile = "default"
	defaultZone    = "eu1.make.com"
	defaultIssuer  = "https://www.make.com"
)

// globalFlags are bound to the root command's persistent flags.
type globalFlags struct {
	profile, zone, issuer, clientID, logLevel, logFile string
}

func (g *globalFlags) register(cmd *cobra.Command) {
	f := cmd.PersistentFlags()
	f.StringVar(&g.profile, "profile", "", "named credential set, for several accounts (env MAKEMCP_PROFILE; default \"default\")")
	f.StringVar(&g.zone, "zone", "", "Make zone: eu1, eu2, us1, us2, a zone host (eu1.make.celonis.com) or base URL (env MAKEMCP_ZONE; default: the zone saved at login, else eu1.make.com; login with an API token finds it)")
	f.StringVar(&g.issuer, "issuer", "", "OAuth authorization server (env MAKEMCP_ISSUER; default https://www.make.com)")
	f.StringVar(&g.clientID, "client-id", "", "OAuth client ID (env MAKEMCP_CLIENT_ID; default: the one built into this release, if any)")
	f.StringVar(&g.logLevel, "log-level", "", "debug, info, warn or error (env MAKEMCP_LOG_LEVEL; default info for serve, error for the rest)")
	f.StringVar(&g.logFile, "log-file", "", "write logs to this file instead of stderr (env MAKEMCP_LOG_FILE)")
}

// pick returns the first non-empty of a changed flag, an environment
// variable, the config file's value and the default.
func (f *factory) pick(cmd *cobra.Command, flag, value, env, fromConfig, def string) string {
	if fl := cmd.Flags().Lookup(flag); fl != nil && fl.Changed {
		return value
	}
	if env != "" {
		if v := f.Getenv(env); v != "" {
			return v
		}
	}
	if fromConfig != "" {
		return fromConfig
	}
	return def
}

// origin says where pick found a setting: the flag, the variable,
// config.json, or "" for the default.
func (f *factory) origin(cmd *cobra.Command, flag, env, fromConfig string) string {
	switch fl := cmd.Flags().Lookup(flag); {
	case fl != nil && fl.Changed:
		return "--" + flag
	case f.Getenv(env) != "":
		return env
	case fromConfig != "":
		return config.FileName
	}
	return ""
}

// resolve fills the settings and the logger for the command about to run.
func (f *factory) resolve(cmd *cobra.Command, g *globalFlags) error {
	s := &f.settings
	s.Profile = f.pick(cmd, "profile", g.profile, "MAKEMCP_PROFILE", "", defaultProfile)
	// Checked once, here, before the name becomes a file name or a
	// keychain account in any command.
	if err := keychain.ValidateProfile(s.Profile); err != nil {
		return fmt.Errorf("--profile: %w", err)
	}
	dir, err := config.Dir(f.Getenv)
	if err != nil {
		return err
	}
	s.ConfigDir = dir
	file, err := config.Load(dir)
	if err != nil {
		return err
	}
	s.Config = file.Profiles[s.Profile]
	s.Zone = f.pick(cmd, "zone", g.zone, "MAKEMCP_ZONE", s.Config.Zone, defaultZone)
	s.Issuer = f.pick(cmd, "issuer", g.issuer, "MAKEMCP_ISSUER", s.Config.Issuer, defaultIssuer)
	s.ZoneFrom = f.origin(cmd, "zone", "MAKEMCP_ZONE", s.Config.Zone)
	// A short name (us1) is saved and shown as the host it stands for.
	if u, err := makeapi.ParseZone(s.Zone); err == nil && !strings.ContainsAny(s.Zone, ".:/") {
		s.Zone = u.Host
	}
	// The credential goes to Make's own zones, and to the hosts the user
	// names now: a zone written in config.json is not one of those.
	s.AllowedHosts = splitHosts(f.Getenv(makeapi.AllowedHostsVar))
	s.KnownZones = splitHosts(f.Getenv(knownZonesVar))
	s.AllowedHosts = append(s.AllowedHosts, s.KnownZones...)
	if s.ZoneFrom == "--zone" || s.ZoneFrom == "MAKEMCP_ZONE" {
		s.AllowedHosts = append(s.AllowedHosts, s.Zone)
	}
	if o := f.origin(cmd, "issuer", "MAKEMCP_ISSUER", ""); o != "" {
		if u, err := url.Parse(s.Issuer); err == nil && u.Host != "" {
			s.AllowedHosts = append(s.AllowedHosts, u.Host)
		}
	}
	s.ClientID = f.pick(cmd, "client-id", g.clientID, "MAKEMCP_CLIENT_ID", s.Config.ClientID, defaultClientID)
	// A one-shot command says what happened in its own words, on one line;
	// only serve, which has no one to talk to but its log, logs by default.
	defaultLevel := "error"
	if cmd.Name() == "serve" {
		defaultLevel = "info"
	}
	s.LogLevel = f.pick(cmd, "log-level", g.logLevel, "MAKEMCP_LOG_LEVEL", "", defaultLevel)
	s.LogFile = f.pick(cmd, "log-file", g.logFile, "MAKEMCP_LOG_FILE", "", "")
	return f.openLog()
}

// knownZonesVar names the variable that replaces Make's zones as the ones
// login tries: a private Make instance, or a test's fake zones.
const knownZonesVar = "MAKEMCP_KNOWN_ZONES"

// splitHosts splits a list of hosts or zones separated by commas or
// white space.
func splitHosts(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || unicode.IsSpace(r) })
}

func (f *factory) openLog() error {
	var level slog.Level
	if err := level.UnmarshalText([]byte(f.settings.LogLevel)); err != nil {
		return fmt.Errorf("--log-level %q: use debug, info, warn or error", f.settings.LogLevel)
	}
	w := f.IO.Err
	if name := f.settings.LogFile; name != "" {
		file, err := os.OpenFile(name, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
		if err != nil {
			return fmt.Errorf("open --log-file: %w", err)
		}
		if err := private(file); err != nil {
			file.Close()
			return fmt.Errorf("--log-file %s can be read by others, and its mode could not be made 0600: %w", name, err)
		}
		f.closers = append(f.closers, file.Close)
		w = file
	}
	f.logger = slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: level}))
	return nil
}

// private makes a regular file readable by its owner only. OpenFile's
// mode applies to a new file alone, and a log names the user's account,
// organizations and scenarios. A device (--log-file /dev/stderr) is left
// as it is.
func private(f *os.File) error {
	fi, err := f.Stat()
	if err != nil || !fi.Mode().IsRegular() || fi.Mode().Perm()&0o077 == 0 {
		return err
	}
	return f.Chmod(0o600)
}

// oneLine folds a message onto one line, without control characters, so
// that every error reads as the single `Error: ...` line users and scripts
// expect, whatever text from outside it quotes.
func oneLine(s string) string { return safetext.Line(s, 0) }
