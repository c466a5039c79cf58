package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/makemcp/makemcp/internal/config"
	"github.com/makemcp/makemcp/makeapi/makefake"
)

// fakeMake starts the demo account of the fake Make on 127.0.0.1.
func fakeMake(t *testing.T) *makefake.Server {
	t.Helper()
	f, err := makefake.New(makefake.Options{Seed: makefake.Demo})
	if err != nil {
		t.Fatal(err)
	}
	f.Start()
	t.Cleanup(f.Close)
	return f
}

// The file store keeps these tests off the OS keychain; the keychain
// itself is exercised by test/e2e through the built binary.
func TestAPITokenLoginStatusTokenLogout(t *testing.T) {
	f := fakeMake(t)
	env := map[string]string{"MAKEMCP_CONFIG_DIR": t.TempDir(), "MAKEMCP_ZONE": f.Zone()}

	r := runMain(t, env, makefake.DemoToken+"\n", "login", "--with-token", "--insecure-storage")
	if r.code != 0 {
		t.Fatalf("login: %+v", r)
	}
	if r.stdout != "" || !strings.Contains(r.stderr, "as Dana Demo (dana@example.com)") {
		t.Fatalf("login printed %+v; want who is logged in, on stderr", r)
	}
	if strings.Contains(r.stderr, makefake.DemoToken) {
		t.Fatal("login printed the token")
	}
	for _, req := range f.Requests() {
		if req.Auth != "Token" {
			t.Fatalf("%s %s sent scheme %q, want Token", req.Method, req.Path, req.Auth)
		}
	}

	file, err := config.Load(env["MAKEMCP_CONFIG_DIR"])
	if err != nil {
		t.Fatal(err)
	}
	p := file.Profiles["default"]
	if p.Storage != "file" || p.Organization != 2001 || p.Team != 3001 || p.User == nil || p.User.Email != "dana@example.com" {
		t.Fatalf("saved profile = %+v", p)
	}

	r = runMain(t, env, "", "status", "--json")
	if r.code != 0 {
		t.Fatalf("status: %+v", r)
	}
	var st map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &st); err != nil {
		t.Fatalf("status --json is not JSON: %v\n%s", err, r.stdout)
	}
	for k, want := range map[string]any{"loggedIn": true, "profile": "default", "auth": "api-token", "storage": "file", "refreshable": false} {
		if st[k] != want {
			t.Errorf("status %s = %v, want %v", k, st[k], want)
		}
	}
	if _, ok := st["expiresAt"]; ok {
		t.Error("status has expiresAt for an API token")
	}
	if u, _ := st["user"].(map[string]any); u["email"] != "dana@example.com" {
		t.Errorf("status user = %v", st["user"])
	}
	if strings.Contains(r.stdout, makefake.DemoToken) {
		t.Fatal("status printed the token")
	}

	r = runMain(t, env, "", "status")
	if r.code != 0 || !strings.Contains(r.stdout, "Make API token") || !strings.Contains(r.stdout, "Acme Sandbox (2001)") {
		t.Fatalf("status: %+v", r)
	}

	r = runMain(t, env, "", "token")
	if r.code != 0 || r.stdout != makefake.DemoToken+"\n" {
		t.Fatalf("token: %+v", r)
	}

	r = runMain(t, env, "", "tools", "call", "teams_get")
	if r.code != 0 || !strings.Contains(r.stdout, `"name": "Operations"`) {
		t.Fatalf("tools call teams_get with the saved default team: %+v", r)
	}

	r = runMain(t, env, "", "logout")
	if r.code != 0 {
		t.Fatalf("logout: %+v", r)
	}
	if _, err := os.Stat(filepath.Join(env["MAKEMCP_CONFIG_DIR"], "credentials", "default.json")); !os.IsNotExist(err) {
		t.Fatalf("credential file still there after logout: %v", err)
	}
	if file, err := config.Load(env["MAKEMCP_CONFIG_DIR"]); err != nil || len(file.Profiles) != 0 {
		t.Fatalf("profiles after logout = %+v, %v; want none", file.Profiles, err)
	}
	// The profile is gone, so makemcp looks in the OS keychain again: with
	// the file store's profile, status and token say nobody is logged in.
	env["MAKE_API_TOKEN"] = ""
	file.Profiles = map[string]config.Profile{"default": {Storage: "file"}}
	if err := file.Save(env["MAKEMCP_CONFIG_DIR"]); err != nil {
		t.Fatal(err)
	}
	r = runMain(t, env, "", "status", "--json")
	if r.code != 1 || strings.TrimSpace(r.stdout) != `{"loggedIn": false}` {
		t.Fatalf("status after logout: %+v", r)
	}
	r = runMain(t, env, "", "token")
	if r.code != 1 || !strings.Contains(r.stderr, "run makemcp login") {
		t.Fatalf("token after logout: %+v", r)
	}
}

func TestAPITokenLoginRefusesBadToken(t *testing.T) {
	f := fakeMake(t)
	env := map[string]string{"MAKEMCP_CONFIG_DIR": t.TempDir(), "MAKEMCP_ZONE": f.Zone()}
	r := runMain(t, env, "11111111-2222-3333-4444-555555555555\n", "login", "--with-token", "--insecure-storage")
	if r.code != 1 || strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 || !strings.Contains(r.stderr, "Make refused this API token") {
		t.Fatalf("bad token: %+v; want one line saying Make refused it", r)
	}
	if _, err := os.Stat(filepath.Join(env["MAKEMCP_CONFIG_DIR"], "credentials", "default.json")); !os.IsNotExist(err) {
		t.Fatal("a refused token was stored")
	}
	for _, stdin := range []string{"", "   \n", "two words\n"} {
		r = runMain(t, env, stdin, "login", "--with-token", "--insecure-storage")
		if r.code != 1 || !strings.Contains(r.stderr, "token") {
			t.Errorf("stdin %q: %+v", stdin, r)
		}
	}
}

func TestEnvironmentToken(t *testing.T) {
	f := fakeMake(t)
	env := map[string]string{"MAKEMCP_ZONE": f.Zone(), "MAKE_API_TOKEN": makefake.DemoToken}
	r := runMain(t, env, "", "status", "--json")
	var st map[string]any
	if r.code != 0 || json.Unmarshal([]byte(r.stdout), &st) != nil || st["storage"] != "env" || st["auth"] != "api-token" {
		t.Fatalf("status with MAKE_API_TOKEN: %+v", r)
	}
	if u, _ := st["user"].(map[string]any); u["name"] != "Dana Demo" {
		t.Errorf("status user = %v, want the token's user from Make", st["user"])
	}
	r = runMain(t, env, "", "token")
	if r.stdout != makefake.DemoToken+"\n" {
		t.Fatalf("token with MAKE_API_TOKEN: %+v", r)
	}
}

func TestOAuthLoginNeedsClientID(t *testing.T) {
	r := runMain(t, nil, "", "login")
	if r.code != 1 || !strings.Contains(r.stderr, "--client-id") || !strings.Contains(r.stderr, "--with-token") {
		t.Fatalf("login without a client ID: %+v", r)
	}
}

func TestServeFlagErrors(t *testing.T) {
	for _, tc := range []struct {
		env  map[string]string
		args []string
		want string
	}{
		{nil, []string{"tools", "list", "--demo", "--toolsets", "nope"}, `unknown toolset "nope"`},
		{nil, []string{"tools", "list", "--demo", "--tools", "nope_list"}, `unknown tool "nope_list"`},
		{map[string]string{"MAKEMCP_READ_ONLY": "maybe"}, []string{"tools", "list", "--demo"}, "MAKEMCP_READ_ONLY"},
		{map[string]string{"MAKEMCP_TEAM": "x"}, []string{"tools", "list", "--demo"}, "MAKEMCP_TEAM"},
		{nil, []string{"tools", "call", "--demo", "users_me", "[1]"}, "one JSON object"},
		{nil, []string{"tools", "call", "--demo", "scenarios_get", `{"scenarioId": 999999}`}, "Make API: 404"},
	} {
		r := runMain(t, tc.env, "", tc.args...)
		if r.code != 1 || !strings.Contains(r.stderr, tc.want) || strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 {
			t.Errorf("%v: %+v; want one line with %q", tc.args, r, tc.want)
		}
	}
}

func TestToolsListFilters(t *testing.T) {
	r := runMain(t, nil, "", "tools", "list", "--demo", "--toolsets", "all", "--read-only", "--json")
	var list []struct {
		Name        string `json:"name"`
		Annotations struct {
			ReadOnly bool `json:"readOnlyHint"`
		} `json:"annotations"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &list); err != nil || len(list) == 0 {
		t.Fatalf("tools list --json: %v\n%+v", err, r)
	}
	for _, tool := range list {
		if !tool.Annotations.ReadOnly {
			t.Errorf("--read-only listed %s", tool.Name)
		}
	}
	r = runMain(t, map[string]string{"MAKEMCP_TOOLSETS": "hooks", "MAKEMCP_EXCLUDE_TOOLS": "hooks_delete"}, "", "tools", "list", "--demo")
	if !strings.Contains(r.stdout, "hooks_list") || strings.Contains(r.stdout, "hooks_delete") || strings.Contains(r.stdout, "scenarios_list") {
		t.Fatalf("MAKEMCP_TOOLSETS=hooks without hooks_delete:\n%s", r.stdout)
	}
}

func TestLogoutAll(t *testing.T) {
	f := fakeMake(t)
	env := map[string]string{"MAKEMCP_CONFIG_DIR": t.TempDir(), "MAKEMCP_ZONE": f.Zone()}
	for _, p := range []string{"default", "work"} {
		if r := runMain(t, env, makefake.DemoToken+"\n", "login", "--with-token", "--insecure-storage", "--profile", p); r.code != 0 {
			t.Fatalf("login %s: %+v", p, r)
		}
	}
	if r := runMain(t, env, "", "token", "--profile", "work"); r.stdout != makefake.DemoToken+"\n" {
		t.Fatalf("token --profile work: %+v", r)
	}
	r := runMain(t, env, "", "logout", "--all")
	if r.code != 0 || !strings.Contains(r.stderr, `Logged out of profile "default"`) || !strings.Contains(r.stderr, `Logged out of profile "work"`) {
		t.Fatalf("logout --all: %+v", r)
	}
	entries, _ := os.ReadDir(filepath.Join(env["MAKEMCP_CONFIG_DIR"], "credentials"))
	if len(entries) != 0 {
		t.Fatalf("credential files left after logout --all: %v", entries)
	}
	if file, _ := config.Load(env["MAKEMCP_CONFIG_DIR"]); len(file.Profiles) != 0 {
		t.Fatalf("profiles left after logout --all: %v", file.Profiles)
	}
}
