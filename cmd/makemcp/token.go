package main

import (
	"context"
	"fmt"

	"github.com/makemcp/makemcp/keychain"
	"github.com/spf13/cobra"
)

func newTokenCmd(app *App) *cobra.Command {
	return &cobra.Command{
		Use:   "token",
		Short: "Print a valid access token for scripts, refreshing it first if needed",
		Long: `Print the profile's access token, refreshed first if it is about to
expire, and nothing else, for scripts that call Make's API themselves:

  curl -H "Authorization: Bearer $(makemcp token)" https://eu1.make.com/api/v2/users/me

With an API token (login --with-token or MAKE_API_TOKEN) the header is
"Authorization: Token ...".`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return tokenRun(cmd.Context(), app) },
	}
}

func tokenRun(ctx context.Context, a *App) error {
	tok, err := a.tokenSource(a.store(keychain.CallTimeout)).Token(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintln(a.Out, tok.AccessToken)
	return nil
}
