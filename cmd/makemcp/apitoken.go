package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"

	"github.com/makemcp/makemcp/keychain"
	"github.com/makemcp/makemcp/makeapi"
	"github.com/makemcp/makemcp/makeapi/scope"
	"github.com/makemcp/makemcp/tools"
)

// The API-token way in: what login shows a person at a terminal, and how
// it reads the token.

// readAPIToken reads a Make API token: on a terminal, after saying where
// to create one and which scopes to tick, without echo; else the first
// line of standard input.
func readAPIToken(ctx context.Context, o *loginOptions, s Settings) (*keychain.Credential, error) {
	var tok string
	if o.Prompter != nil {
		explainAPIToken(o.IO.Err, s)
		answer, err := o.Prompter.Secret(ctx, "Paste the token (it does not show), then press Enter: ")
		if err != nil {
			return nil, fmt.Errorf("read the API token: %w: run makemcp login again", err)
		}
		tok = strings.TrimSpace(answer)
		if tok == "" {
			return nil, errors.New("no API token pasted: run makemcp login again, and paste the token when asked")
		}
	} else {
		line, err := bufio.NewReader(io.LimitReader(o.IO.In, maxAnswer)).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("read the API token from standard input: %w", err)
		}
		tok = strings.TrimSpace(line)
		if tok == "" {
			return nil, errors.New("no API token on standard input: pipe it in, e.g. makemcp login --with-token < token.txt")
		}
	}
	if strings.ContainsFunc(tok, func(r rune) bool { return r <= ' ' || r == 0x7f }) {
		return nil, errors.New("the API token has spaces or control characters in it: pass only the token")
	}
	return &keychain.Credential{Kind: keychain.APIToken, AccessToken: tok, TokenType: "Token"}, nil
}

// explainAPIToken says where to create a token and which scopes to tick:
// those of the default toolsets first, then every scope a tool uses.
func explainAPIToken(w io.Writer, s Settings) {
	if s.ZoneFrom == "" {
		fmt.Fprintf(w, "Create a token on the API page of your Make account, %s (on your zone's host if that is not %s: the host you see in Make's address bar).\n",
			apiPage(defaultZone), defaultZone)
	} else {
		fmt.Fprintf(w, "Create a token on the API page of your Make account: %s\n", apiPage(s.Zone))
	}
	fmt.Fprintf(w, "Tick the scopes of the default tools: %s\n", strings.Join(scope.Strings(defaultToolScopes()), " "))
	fmt.Fprintf(w, "For every tool (serve --toolsets all), tick all of: %s\n", strings.Join(scope.Strings(tools.Scopes(tools.All())), " "))
}

// apiPage is the address of the page in Make where a user creates API
// tokens (Profile > API access), on the zone.
func apiPage(zone string) string {
	u, err := makeapi.ParseZone(zone)
	if err != nil {
		return "https://" + defaultZone + "/user/api"
	}
	return (&url.URL{Scheme: u.Scheme, Host: u.Host, Path: "/user/api"}).String()
}

// defaultToolScopes are the scopes the default toolsets use.
func defaultToolScopes() []scope.Scope {
	sel, _ := tools.Select(tools.All(), tools.Selection{})
	return tools.Scopes(sel)
}
