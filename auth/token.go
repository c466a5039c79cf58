package auth

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/makemcp/makemcp/keychain"
	"golang.org/x/oauth2"
)

// oauthConfig is the golang.org/x/oauth2 view of one client at one
// issuer. Client credentials always go in the form body: public clients
// send only client_id, confidential ones client_secret_post as Make
// expects.
func oauthConfig(e *Endpoints, clientID, clientSecret string) *oauth2.Config {
	return &oauth2.Config{
		ClientID:     clientID,
		ClientSecret: clientSecret,
		Endpoint: oauth2.Endpoint{
			AuthURL:   e.AuthURL,
			TokenURL:  e.TokenURL,
			AuthStyle: oauth2.AuthStyleInParams,
		},
	}
}

// applyToken copies a token response into c. A response without a
// refresh token keeps c's (RFC 6749 section 6 lets the issuer keep the
// old one valid), and one without a scope keeps c's scopes.
func applyToken(c *keychain.Credential, tok *oauth2.Token, now time.Time) {
	c.Kind = keychain.OAuth
	c.AccessToken = tok.AccessToken
	c.TokenType = tok.Type()
	if tok.RefreshToken != "" {
		c.RefreshToken = tok.RefreshToken
	}
	c.Expiry = tok.Expiry
	c.IssuedAt = issuedAt(tok, now)
	if s, ok := tok.Extra("scope").(string); ok && strings.TrimSpace(s) != "" {
		c.Scopes = SplitScopes(s)
	}
}

// issuedAt is when the token's lifetime started: oauth2 computes Expiry
// as its own clock plus expires_in, so subtracting expires_in gives the
// same instant on the same clock.
func issuedAt(tok *oauth2.Token, now time.Time) time.Time {
	if tok.ExpiresIn > 0 && !tok.Expiry.IsZero() {
		return tok.Expiry.Add(-time.Duration(tok.ExpiresIn) * time.Second)
	}
	return now
}

// SplitScopes splits a scope list separated by spaces or commas, as
// Make accepts both, dropping empty entries and repeats.
func SplitScopes(s string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' || r == '\n' }) {
		if !slices.Contains(out, f) {
			out = append(out, f)
		}
	}
	return out
}

// withoutOpenID is the granted scopes when the issuer does not list them:
// what was asked for, less openid, which is not a Make permission.
func withoutOpenID(scopes []string) []string {
	var out []string
	for _, s := range scopes {
		if s != "openid" {
			out = append(out, s)
		}
	}
	return out
}

// tokenError turns an error from the token endpoint into one line: the
// OAuth error code and description when the issuer sent them, never the
// response body (which may echo what was sent).
func tokenError(err error) string {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		switch {
		case re.ErrorCode != "" && re.ErrorDescription != "":
			return fmt.Sprintf("%s: %s", oneLine(re.ErrorCode), oneLine(re.ErrorDescription))
		case re.ErrorCode != "":
			return oneLine(re.ErrorCode)
		case re.Response != nil:
			return "HTTP " + re.Response.Status
		}
	}
	return oneLine(err.Error())
}
