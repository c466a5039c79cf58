package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/makemcp/makemcp/auth"
	"github.com/makemcp/makemcp/internal/config"
	"github.com/makemcp/makemcp/keychain"
	"github.com/spf13/cobra"
)

type logoutOptions struct {
	app *App
	all bool
}

func newLogoutCmd(app *App) *cobra.Command {
	o := &logoutOptions{app: app}
	cmd := &cobra.Command{
		Use:   "logout",
		Short: "Revoke the stored credential at Make and delete it from this machine",
		Long: `Revoke the profile's OAuth token at the issuer (where the issuer allows
it) and delete the stored credential and the profile's settings.

A failed revocation is reported as a warning: the credential is deleted
from this machine either way. Make API tokens are revoked in Make itself,
under Profile > API access.`,
		Example: `  makemcp logout
  makemcp logout --profile work
  makemcp logout --all`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return logoutRun(cmd.Context(), o) },
	}
	cmd.Flags().BoolVar(&o.all, "all", false, "log out of every profile")
	return cmd
}

func logoutRun(ctx context.Context, o *logoutOptions) error {
	a := o.app
	file, err := config.Load(a.Settings.ConfigDir)
	if err != nil {
		return err
	}
	profiles := []string{a.Settings.Profile}
	guess := ""
	if o.all {
		profiles = sortedProfiles(file)
		if _, ok := file.Profiles[defaultProfile]; !ok {
			// A credential may exist without settings (a failed login).
			guess = defaultProfile
			profiles = append(profiles, guess)
		}
	}
	var failed []string
	for _, p := range profiles {
		if err := logoutProfile(ctx, a, file, p, p == guess); err != nil {
			fmt.Fprintf(a.Err, "Error: profile %q: %s\n", p, oneLine(err.Error()))
			failed = append(failed, p)
		}
	}
	if err := file.Save(a.Settings.ConfigDir); err != nil {
		return err
	}
	if a.apiToken() != "" {
		fmt.Fprintln(a.Err, "Note: MAKE_API_TOKEN is still set in this environment; unset it to stop using that token.")
	}
	if len(failed) > 0 {
		return exitError{1}
	}
	return nil
}

// logoutProfile revokes and deletes one profile's credential and removes
// its settings from file (which the caller saves). A guessed profile is
// one logout --all looks at without having settings for it.
func logoutProfile(ctx context.Context, a *App, file *config.File, profile string, guessed bool) error {
	prof, known := file.Profiles[profile]
	store := a.Keyring(keychain.LoginTimeout)
	if prof.Storage == storageFile {
		store = keychain.NewFile(a.Settings.ConfigDir)
	}
	cred, err := store.Load(ctx, profile)
	switch {
	case errors.Is(err, keychain.ErrNotFound):
		if !known {
			fmt.Fprintf(a.Err, "Profile %q was not logged in.\n", profile)
			return nil
		}
	case err != nil:
		// A damaged credential is deleted all the same; an unreachable
		// keychain is not, since nothing could be deleted either; for a
		// guessed profile, no keychain means nothing to do.
		if errors.Is(err, keychain.ErrUnavailable) {
			if guessed {
				return nil
			}
			return err
		}
		fmt.Fprintf(a.Err, "Warning: profile %q: could not read the stored credential (%s); deleting it without revoking.\n", profile, oneLine(err.Error()))
	case cred.Kind == keychain.OAuth:
		switch err := auth.Revoke(ctx, httpClient, cred); {
		case err == nil:
			fmt.Fprintf(a.Err, "Revoked the token at %s.\n", cred.Issuer)
		case errors.Is(err, auth.ErrNoRevocation):
			fmt.Fprintf(a.Err, "Note: %s cannot revoke tokens; the access token stays valid until it expires.\n", cred.Issuer)
		default:
			fmt.Fprintf(a.Err, "Warning: could not revoke the token (%s); it stays valid until it expires.\n", oneLine(err.Error()))
		}
	case cred.Kind == keychain.APIToken:
		fmt.Fprintln(a.Err, "Note: the API token itself stays valid; delete it in Make under Profile > API access if you no longer need it.")
	}
	if err := store.Delete(ctx, profile); err != nil {
		return err
	}
	delete(file.Profiles, profile)
	fmt.Fprintf(a.Err, "Logged out of profile %q.\n", profile)
	return nil
}
