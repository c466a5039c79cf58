package auth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/makemcp/makemcp/keychain"
)

// revokeTimeout bounds the revocation request.
const revokeTimeout = 15 * time.Second

// Revoke gives the credential's tokens back to the issuer (RFC 7009):
// the refresh token, then the access token, so that neither works even if
// a copy survives (not every issuer revokes a grant's access tokens with
// its refresh token). It returns an error wrapping ErrNoRevocation when
// the issuer has no revocation endpoint or the credential is a Make API
// token (those are revoked in Make's web app). A failure here should be
// reported as a warning: logout still deletes the stored credential. A
// nil client means http.DefaultClient.
func Revoke(ctx context.Context, client *http.Client, cred *keychain.Credential) error {
	if cred.Kind == keychain.APIToken {
		return withCause("API tokens are revoked in Make under Profile > API access", ErrNoRevocation)
	}
	issuer := cred.Issuer
	if issuer == "" {
		issuer = DefaultIssuer
	}
	if client == nil {
		client = http.DefaultClient
	}
	ctx, cancel := context.WithTimeout(ctx, revokeTimeout)
	defer cancel()
	e, err := Discover(ctx, client, issuer)
	if err != nil {
		return err
	}
	if e.RevocationURL == "" {
		return withCause(fmt.Sprintf("%s does not offer token revocation", issuer), ErrNoRevocation)
	}
	if cred.RefreshToken != "" {
		if err := revoke(ctx, client, e.RevocationURL, cred, cred.RefreshToken, "refresh_token"); err != nil {
			return err
		}
	}
	return revoke(ctx, client, e.RevocationURL, cred, cred.AccessToken, "access_token")
}

// revoke revokes one token.
func revoke(ctx context.Context, client *http.Client, endpoint string, cred *keychain.Credential, token, hint string) error {
	form := url.Values{"client_id": {cred.ClientID}, "token": {token}, "token_type_hint": {hint}}
	if cred.ClientSecret != "" {
		form.Set("client_secret", cred.ClientSecret)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, strings.NewReader(form.Encode()))
	if err != nil {
		return fmt.Errorf("revoke the token: %s", oneLine(err.Error()))
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	resp, err := noRedirects(client).Do(req)
	if err != nil {
		// url.Error names the endpoint, never the form.
		return fmt.Errorf("revoke the token: %s", oneLine(err.Error()))
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusOK {
		return nil
	}
	var oauthErr struct {
		Error       string `json:"error"`
		Description string `json:"error_description"`
	}
	_ = json.NewDecoder(io.LimitReader(resp.Body, 64<<10)).Decode(&oauthErr)
	msg := fmt.Sprintf("revoke the token at %s: HTTP %s", endpoint, resp.Status)
	if oauthErr.Error != "" {
		msg += " (" + oneLine(oauthErr.Error) + ")"
	}
	return errors.New(msg)
}
