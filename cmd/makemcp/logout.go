package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"

	"github.com/makemcp/makemcp/auth"
	"github.com/makemcp/makemcp/internal/config"
	"github.com/makemcp/makemcp/keychain"
	"github.com/spf13/cobra"
)

type logoutOptions struct {
	IO       ioStreams
	Settings func() Settings
	// SavedStores are every store a profile's credential may be in.
	SavedStores func() []keychain.Store
	// HTTPClient makes the revocation requests.
	HTTPClient *http.Client

	all bool
	// envToken says MAKE_API_TOKEN is set, which logout cannot unset.
	envToken bool
}

func newLogoutCmd(f *factory) *cobra.Command {
	o := &logoutOptions{
		IO:          f.IO,
		Settings:    f.Settings,
		SavedStores: func() []keychain.Store { return f.SavedStores(keychain.PromptTimeout) },
		HTTPClient:  httpClient,
	}
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
		RunE: func(cmd *cobra.Command, _ []string) error {
			o.envToken = f.apiToken() != ""
			return logoutRun(cmd.Context(), o)
		},
	}
	cmd.Flags().BoolVar(&o.all, "all", false, "log out of every profile")
	return cmd
}

func logoutRun(ctx context.Context, o *logoutOptions) error {
	s := o.Settings()
	file, err := config.Load(s.ConfigDir)
	if err != nil {
		return err
	}
	profiles := []string{s.Profile}
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
		if err := logoutProfile(ctx, o, file, p, p == guess); err != nil {
			fmt.Fprintf(o.IO.Err, "Error: profile %q: %s\n", p, oneLine(err.Error()))
			failed = append(failed, p)
		}
	}
	if err := file.Save(s.ConfigDir); err != nil {
		return err
	}
	if o.envToken {
		fmt.Fprintln(o.IO.Err, "Note: MAKE_API_TOKEN is still set in this environment; unset it to stop using that token.")
	}
	if len(failed) > 0 {
		return exitError{1}
	}
	return nil
}

// logoutProfile revokes and deletes one profile's credential, in every
// store it may have been saved in, and removes its settings from file
// (which the caller saves). A guessed profile is one logout --all looks
// at without having settings for it.
//
// It holds the profile's lock in each store throughout, so a refresh
// under way in another process finishes first, and logout revokes the
// tokens that refresh saved; a refresh that starts later finds nothing to
// save over.
func logoutProfile(ctx context.Context, o *logoutOptions, file *config.File, profile string, guessed bool) error {
	prof, known := file.Profiles[profile]
	stores := o.SavedStores()
	unlock, err := lockAll(ctx, stores, profile)
	if err != nil {
		return err
	}
	defer unlock()
	found := false
	for _, store := range stores {
		own := storageOf(store) == cmp.Or(prof.Storage, storageKeychain)
		cred, err := store.Load(ctx, profile)
		switch {
		case errors.Is(err, keychain.ErrNotFound):
			continue
		case errors.Is(err, keychain.ErrUnavailable):
			// An unreachable keychain is not, since nothing could be
			// deleted either: an error for a profile logged in there, and
			// nothing to do for the others.
			if own && known && !guessed {
				return err
			}
			continue
		case err != nil:
			// A damaged credential is deleted all the same.
			fmt.Fprintf(o.IO.Err, "Warning: profile %q: could not read the stored credential (%s); deleting it without revoking.\n", profile, oneLine(err.Error()))
		default:
			revoke(ctx, o, cred)
		}
		if err := store.Delete(ctx, profile); err != nil {
			return err
		}
		found = true
	}
	if !found && !known {
		fmt.Fprintf(o.IO.Err, "Profile %q was not logged in.\n", profile)
		return nil
	}
	delete(file.Profiles, profile)
	fmt.Fprintf(o.IO.Err, "Logged out of profile %q.\n", profile)
	return nil
}

// revoke gives a credential's tokens back to the issuer, and says how
// that went.
func revoke(ctx context.Context, o *logoutOptions, cred *keychain.Credential) {
	w := o.IO.Err
	if cred.Kind == keychain.APIToken {
		fmt.Fprintln(w, "Note: the API token itself stays valid; delete it in Make under Profile > API access if you no longer need it.")
		return
	}
	switch err := auth.Revoke(ctx, o.HTTPClient, cred); {
	case err == nil:
		fmt.Fprintf(w, "Revoked the token at %s.\n", cred.Issuer)
	case errors.Is(err, auth.ErrNoRevocation):
		fmt.Fprintf(w, "Note: %s cannot revoke tokens; the access token stays valid until it expires.\n", cred.Issuer)
	default:
		fmt.Fprintf(w, "Warning: could not revoke the token (%s); it stays valid until it expires.\n", oneLine(err.Error()))
	}
}

// sortedProfiles lists the profiles of the config file, default first.
func sortedProfiles(f *config.File) []string {
	var names []string
	for n := range f.Profiles {
		names = append(names, n)
	}
	slices.Sort(names)
	if i := slices.Index(names, defaultProfile); i > 0 {
		names = slices.Insert(slices.Delete(names, i, i+1), 0, defaultProfile)
	}
	return names
}
