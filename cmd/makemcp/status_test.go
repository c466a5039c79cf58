package main

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/makemcp/makemcp/makeapi/makefake"
)

// status says what the credential can do: its scopes, and the tools serve
// leaves out for lack of one; and what is known of whose it is.
func TestStatusSaysWhatTheCredentialCanDo(t *testing.T) {
	f := fakeMake(t)
	f.AddToken(narrowToken, makefake.APIToken, "scenarios:read", "scenarios:write", "scenarios:run")
	// Make answers 403 to /users/me for a token without user:read.
	f.Inject(makefake.Fault{Path: "/api/v2/users/me", Status: 403})
	env := map[string]string{"MAKEMCP_CONFIG_DIR": t.TempDir(), "MAKEMCP_ZONE": f.Zone(), "MAKEMCP_TEAM": "3001"}
	r := runMain(t, env, narrowToken+"\n", "login", "--with-token", "--insecure-storage")
	if r.code != 0 || !strings.Contains(r.stderr, "Warning: the token lacks user:read") || !strings.Contains(r.stderr, "with a Make API token") {
		t.Fatalf("login with a token without user:read: %+v", r)
	}

	r = runMain(t, env, "", "status")
	for _, want := range []string{
		"Logged in to " + zoneHost(f.Zone()) + " with a Make API token\n",
		"  scopes:         scenarios:read scenarios:write scenarios:run\n",
		"organizations_list, organizations_get (without organizations:read)",
		"teams_list, teams_get (without teams:read)",
		"team 3001",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("status does not say %q:\n%s", want, r.stdout)
		}
	}
	if strings.Contains(r.stdout, "unknown user") || strings.Contains(r.stdout, narrowToken) {
		t.Errorf("status:\n%s", r.stdout)
	}

	r = runMain(t, env, "", "status", "--json")
	var st struct {
		User         any                 `json:"user"`
		Scopes       []string            `json:"scopes"`
		ToolsLeftOut map[string][]string `json:"toolsLeftOut"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &st); err != nil {
		t.Fatalf("status --json: %v\n%s", err, r.stdout)
	}
	if st.User != nil || !slices.Contains(st.ToolsLeftOut["teams:read"], "teams_list") || len(st.ToolsLeftOut["scenarios:read"]) != 0 {
		t.Errorf("status --json: %s", r.stdout)
	}

	// A credential with every scope the default tools need leaves none out.
	env = map[string]string{"MAKE_API_TOKEN": makefake.DemoToken, "MAKEMCP_ZONE": fakeMake(t).Zone()}
	if r := runMain(t, env, "", "status"); !strings.Contains(r.stdout, "as Dana Demo") || !strings.Contains(r.stdout, "  tools:          every tool of the default toolsets\n") {
		t.Errorf("status with every scope:\n%s", r.stdout)
	}
}
