package main

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/makemcp/makemcp/internal/config"
	"github.com/makemcp/makemcp/keychain"
	"github.com/makemcp/makemcp/makeapi/makefake"
)

// token --header prints the header for either kind of credential.
func TestTokenHeader(t *testing.T) {
	f := fakeMake(t)
	env := map[string]string{"MAKE_API_TOKEN": makefake.DemoToken, "MAKEMCP_ZONE": f.Zone()}
	if r := runMain(t, env, "", "token", "--header"); r.code != 0 || r.stdout != "Authorization: Token "+makefake.DemoToken+"\n" || r.stderr != "" {
		t.Errorf("token --header with an API token: %+v", r)
	}
	if r := runMain(t, env, "", "token"); r.stdout != makefake.DemoToken+"\n" || r.stderr != "" {
		t.Errorf("token into a pipe: %+v; want the token alone", r)
	}
}

// The curl line of docs/auth.md works with either kind of credential:
// the header comes from makemcp token --header. ("Bearer $(makemcp
// token)", which it replaced, fails for an API token.)
func TestDocsCurlWorksForBothCredentials(t *testing.T) {
	docs, err := os.ReadFile(filepath.Join("..", "..", "docs", "auth.md"))
	if err != nil {
		t.Fatal(err)
	}
	const curl = `curl -H "$(makemcp token --header)" https://eu1.make.com/api/v2/users/me`
	if !strings.Contains(string(docs), curl) {
		t.Fatalf("docs/auth.md has no %q", curl)
	}
	f := fakeMake(t)
	const oauthToken = "an-oauth-access-token-for-the-fake"
	f.AddToken(oauthToken, makefake.OAuth, makefake.AllScopes...)
	get := func(t *testing.T, header string) int {
		name, value, ok := strings.Cut(strings.TrimSpace(header), ": ")
		if !ok {
			t.Fatalf("not a header: %q", header)
		}
		req, _ := http.NewRequest("GET", f.Zone()+"/api/v2/users/me", nil)
		req.Header.Set(name, value)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}

	t.Run("API token", func(t *testing.T) {
		env := map[string]string{"MAKE_API_TOKEN": makefake.DemoToken, "MAKEMCP_ZONE": f.Zone()}
		r := runMain(t, env, "", "token", "--header")
		if code := get(t, r.stdout); r.code != 0 || code != 200 {
			t.Errorf("curl with %q: %d", r.stdout, code)
		}
		if code := get(t, "Authorization: Bearer "+makefake.DemoToken); code != 401 {
			t.Errorf("an API token as a Bearer token got %d, want Make's 401", code)
		}
	})
	t.Run("OAuth", func(t *testing.T) {
		dir := t.TempDir()
		cred := &keychain.Credential{Kind: keychain.OAuth, AccessToken: oauthToken, TokenType: "Bearer", Expiry: time.Now().Add(time.Hour)}
		if err := keychain.NewFile(dir).Save(t.Context(), defaultProfile, cred); err != nil {
			t.Fatal(err)
		}
		file := &config.File{Profiles: map[string]config.Profile{defaultProfile: {Storage: storageFile, Zone: f.Zone()}}}
		if err := file.Save(dir); err != nil {
			t.Fatal(err)
		}
		r := runMain(t, map[string]string{"MAKEMCP_CONFIG_DIR": dir}, "", "token", "--header")
		if r.stdout != "Authorization: Bearer "+oauthToken+"\n" {
			t.Fatalf("token --header: %+v", r)
		}
		if code := get(t, r.stdout); code != 200 {
			t.Errorf("curl with %q: %d", r.stdout, code)
		}
	})
}
