package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/makemcp/makemcp/makeapi/makefake"
)

// With MAKE_API_TOKEN and no login, the account's only organization and
// team are the defaults: scenarios_list needs no ids.
func TestEnvironmentTokenUsesTheOnlyTeam(t *testing.T) {
	f := fakeMake(t)
	env := map[string]string{"MAKE_API_TOKEN": makefake.DemoToken, "MAKEMCP_ZONE": f.Zone()}
	r := runMain(t, env, "", "tools", "call", "scenarios_list")
	var page struct {
		Items []struct {
			ID     int64 `json:"id"`
			TeamID int64 `json:"teamId"`
		} `json:"items"`
	}
	if r.code != 0 || json.Unmarshal([]byte(r.stdout), &page) != nil || len(page.Items) == 0 {
		t.Fatalf("scenarios_list with MAKE_API_TOKEN and no ids: %+v", r)
	}
	for _, s := range page.Items {
		if s.TeamID != 3001 {
			t.Errorf("scenario %d of team %d; want the only team's, 3001", s.ID, s.TeamID)
		}
	}
	asked := false
	for _, req := range f.Requests() {
		asked = asked || req.Path == "/api/v2/scenarios" && req.Query.Get("teamId") == "3001"
	}
	if !asked {
		t.Error("scenarios_list did not ask for team 3001's scenarios")
	}
}

// With several teams or organizations, a call that needs one says which
// ids there are and how to choose, on one line.
func TestEnvironmentTokenWithSeveralTeams(t *testing.T) {
	f := fakeMake(t)
	if err := f.AddTeam(3002, 2001, "Sales"); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"MAKE_API_TOKEN": makefake.DemoToken, "MAKEMCP_ZONE": f.Zone()}
	r := runMain(t, env, "", "tools", "call", "scenarios_list")
	for _, want := range []string{"teamId is required", "Operations (3001)", "Sales (3002)", "--team", "MAKEMCP_TEAM"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr %q does not say %q", r.stderr, want)
		}
	}
	if r.code != 1 || strings.Count(r.stderr, "\n") != 1 || strings.Contains(r.stderr, makefake.DemoToken) {
		t.Errorf("several teams: %+v; want one error line", r)
	}
	env["MAKEMCP_TEAM"] = "3002"
	if r := runMain(t, env, "", "tools", "call", "scenarios_list"); r.code != 0 {
		t.Errorf("with MAKEMCP_TEAM: %+v", r)
	}

	g := fakeMake(t)
	if err := g.AddOrganization(2002, "Beta", ""); err != nil {
		t.Fatal(err)
	}
	env = map[string]string{"MAKE_API_TOKEN": makefake.DemoToken, "MAKEMCP_ZONE": g.Zone()}
	r = runMain(t, env, "", "tools", "call", "scenarios_list")
	for _, want := range []string{"teamId is required", "(2001)", "Beta (2002)", "--team or MAKEMCP_TEAM"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("several organizations: stderr %q does not say %q", r.stderr, want)
		}
	}
}

// Finding MAKE_API_TOKEN's defaults waits for the first call that needs
// them: listing the tools asks Make nothing.
func TestEnvironmentTokenStartsWithoutMake(t *testing.T) {
	f := fakeMake(t)
	env := map[string]string{"MAKE_API_TOKEN": makefake.DemoToken, "MAKEMCP_ZONE": f.Zone()}
	if r := runMain(t, env, "", "tools", "list"); r.code != 0 || !strings.Contains(r.stdout, "scenarios_list") {
		t.Fatalf("tools list: %+v", r)
	}
	if n := len(f.Requests()); n != 0 {
		t.Errorf("listing the tools sent %d requests to Make", n)
	}
}
