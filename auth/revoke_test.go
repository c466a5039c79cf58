package auth

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/makemcp/makemcp/internal/testenv"
	"github.com/makemcp/makemcp/keychain"
)

func TestRevoke(t *testing.T) {
	t.Parallel()
	t.Run("refresh token, public client", func(t *testing.T) {
		srv := testenv.StartOAuthServer(t, testenv.OAuthServerOptions{})
		cred := login(t, srv)
		if err := Revoke(context.Background(), nil, cred); err != nil {
			t.Fatal(err)
		}
		if got := srv.TokenStatus(t, cred.RefreshToken).Status; got != "revoked" {
			t.Errorf("refresh token is %q at the issuer", got)
		}
		// The access token goes too: a copy of it must not work for the
		// rest of its hour.
		if got := srv.Userinfo(t, cred.AccessToken); got != http.StatusUnauthorized {
			t.Errorf("userinfo with the access token after Revoke: %d", got)
		}
	})
	t.Run("refresh token, confidential client", func(t *testing.T) {
		srv := testenv.StartOAuthServer(t, testenv.OAuthServerOptions{ClientSecret: "s3"})
		cred := login(t, srv)
		if err := Revoke(context.Background(), nil, cred); err != nil {
			t.Fatal(err)
		}
		if got := srv.TokenStatus(t, cred.RefreshToken).Status; got != "revoked" {
			t.Errorf("refresh token is %q at the issuer", got)
		}
		// Without the secret the issuer refuses, and says so in one line.
		cred.ClientSecret = ""
		err := Revoke(context.Background(), nil, cred)
		if err == nil || !strings.Contains(err.Error(), "401") || strings.Contains(err.Error(), cred.RefreshToken) {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("access token when there is no refresh token", func(t *testing.T) {
		srv := testenv.StartOAuthServer(t, testenv.OAuthServerOptions{Refresh: "none"})
		cred := login(t, srv)
		if err := Revoke(context.Background(), nil, cred); err != nil {
			t.Fatal(err)
		}
		if got := srv.Userinfo(t, cred.AccessToken); got != http.StatusUnauthorized {
			t.Errorf("userinfo with the revoked access token: %d", got)
		}
	})
}

func TestRevokeWithoutEndpoint(t *testing.T) {
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode(map[string]string{
			"issuer": srv.URL, "authorization_endpoint": srv.URL + "/a", "token_endpoint": srv.URL + "/t",
		})
	}))
	defer srv.Close()
	err := Revoke(context.Background(), nil, &keychain.Credential{Kind: keychain.OAuth, AccessToken: "a", Issuer: srv.URL})
	if !errors.Is(err, ErrNoRevocation) {
		t.Fatalf("err = %v, want ErrNoRevocation", err)
	}
	err = Revoke(context.Background(), nil, &keychain.Credential{Kind: keychain.APIToken, AccessToken: "a"})
	if !errors.Is(err, ErrNoRevocation) {
		t.Fatalf("API token: err = %v, want ErrNoRevocation", err)
	}
}
