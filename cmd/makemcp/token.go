package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/makemcp/makemcp/keychain"
	"github.com/makemcp/makemcp/makeapi"
	"github.com/spf13/cobra"
	"golang.org/x/term"
)

type tokenOptions struct {
	IO ioStreams
	// Tokens hands out the profile's valid access token.
	Tokens func() makeapi.TokenSource
	// ErrIsTerminal says a person reads standard error, who is told which
	// header the token goes in.
	ErrIsTerminal bool

	header bool
}

func newTokenCmd(f *factory) *cobra.Command {
	o := &tokenOptions{
		IO:            f.IO,
		Tokens:        func() makeapi.TokenSource { return f.TokenSource(f.Store(keychain.CallTimeout)) },
		ErrIsTerminal: isTerminal(f.IO.Err),
	}
	cmd := &cobra.Command{
		Use:   "token",
		Short: "Print a valid access token for scripts, refreshing it first if needed",
		Long: `Print the profile's access token, refreshed first if it is about to
expire, and nothing else, for scripts that call Make's API themselves.

An OAuth access token goes in the header "Authorization: Bearer <token>",
a Make API token (login with a token, or MAKE_API_TOKEN) in
"Authorization: Token <token>". --header prints the whole header, which
works for both:

  curl -H "$(makemcp token --header)" https://eu1.make.com/api/v2/users/me`,
		Example: `  makemcp token
  curl -H "$(makemcp token --header)" https://eu1.make.com/api/v2/users/me`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return tokenRun(cmd.Context(), o) },
	}
	cmd.Flags().BoolVar(&o.header, "header", false, `print the whole Authorization header ("Authorization: Bearer ..." or "Authorization: Token ...")`)
	return cmd
}

func tokenRun(ctx context.Context, o *tokenOptions) error {
	tok, err := o.Tokens().Token(ctx)
	if err != nil {
		return err
	}
	scheme := tok.Type()
	if o.header {
		fmt.Fprintf(o.IO.Out, "Authorization: %s %s\n", scheme, tok.AccessToken)
		return nil
	}
	fmt.Fprintln(o.IO.Out, tok.AccessToken)
	if o.ErrIsTerminal {
		fmt.Fprintf(o.IO.Err, "Send it in the header \"Authorization: %s <token>\", or print the whole header with makemcp token --header.\n", scheme)
	}
	return nil
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
