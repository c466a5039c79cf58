package main

import (
	"context"
	"fmt"

	"github.com/makemcp/makemcp/keychain"
	"github.com/makemcp/makemcp/makeapi"
	"github.com/spf13/cobra"
)

type tokenOptions struct {
	IO ioStreams
	// Tokens hands out the profile's valid access token.
	Tokens func() makeapi.TokenSource
}

func newTokenCmd(f *factory) *cobra.Command {
	o := &tokenOptions{
		IO:     f.IO,
		Tokens: func() makeapi.TokenSource { return f.TokenSource(f.Store(keychain.CallTimeout)) },
	}
	return &cobra.Command{
		Use:   "token",
		Short: "Print a valid access token for scripts, refreshing it first if needed",
		Long: `Print the profile's access token, refreshed first if it is about to
expire, and nothing else, for scripts that call Make's API themselves:

  curl -H "Authorization: Bearer $(makemcp token)" https://eu1.make.com/api/v2/users/me

With an API token (login --with-token or MAKE_API_TOKEN) the header is
"Authorization: Token ...".`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return tokenRun(cmd.Context(), o) },
	}
}

func tokenRun(ctx context.Context, o *tokenOptions) error {
	tok, err := o.Tokens().Token(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintln(o.IO.Out, tok.AccessToken)
	return nil
}
