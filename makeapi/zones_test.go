package makeapi_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/makemcp/makemcp/makeapi"
	"github.com/makemcp/makemcp/makeapi/makefake"
)

// twoZones starts a fake serving eu1.make.com (with the Demo account) and
// us1.make.com (with organization 2101 and its team 3101) over TLS.
func twoZones(t *testing.T) *makefake.Server {
	t.Helper()
	f := newFake(t, makefake.Options{Zones: []string{"eu1.make.com", "us1.make.com"}})
	if _, err := f.StartTLS(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(f.Close)
	if err := f.AddOrganization(2101, "Acme US", "us1.make.com"); err != nil {
		t.Fatal(err)
	}
	if err := f.AddTeam(3101, 2101, "US sales"); err != nil {
		t.Fatal(err)
	}
	return f
}

var onDemandBlueprint = json.RawMessage(`{"name":"US report","flow":[],"metadata":{"version":1}}`)

func TestCallsGoToTheirOrganizationsZone(t *testing.T) {
	f := twoZones(t)
	c, err := makeapi.New(makeapi.Options{Zone: "eu1.make.com", Tokens: demoTokens(), HTTPClient: f.HTTPClient()})
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()

	orgs, err := c.Organizations(ctx)
	if err != nil {
		t.Fatal(err)
	}
	zones := map[int64]string{}
	for _, o := range orgs {
		zones[o.ID] = o.Zone
	}
	if zones[2001] != "eu1.make.com" || zones[2101] != "us1.make.com" {
		t.Fatalf("zones %v", zones)
	}
	if r := lastRequest(t, f); r.Host != "eu1.make.com" {
		t.Fatalf("organizations listed at %s, want the configured zone", r.Host)
	}

	// About an organization: its zone.
	if _, err := c.GetOrganization(ctx, 2101); err != nil {
		t.Fatal(err)
	}
	if r := lastRequest(t, f); r.Host != "us1.make.com" {
		t.Fatalf("US organization asked at %s", r.Host)
	}
	// About a team: its organization's zone (learned from the listing).
	teams, _, err := c.ListTeams(ctx, makeapi.TeamQuery{OrganizationID: 2101}, makeapi.Page{})
	if err != nil || len(teams) != 1 {
		t.Fatalf("US teams = %+v, %v", teams, err)
	}
	s, err := c.CreateScenario(ctx, makeapi.ScenarioCreate{TeamID: 3101, Blueprint: onDemandBlueprint,
		Scheduling: &makeapi.Scheduling{Type: "on-demand"}})
	if err != nil {
		t.Fatal(err)
	}
	if r := lastRequest(t, f); r.Host != "us1.make.com" || r.Path != "/api/v2/scenarios" {
		t.Fatalf("US scenario created by %s %s at %s", r.Method, r.Path, r.Host)
	}
	// About a scenario: the zone of its team, learned from the answer.
	if _, err := c.GetScenario(ctx, s.ID); err != nil {
		t.Fatal(err)
	}
	if r := lastRequest(t, f); r.Host != "us1.make.com" {
		t.Fatalf("US scenario read at %s", r.Host)
	}
	if _, _, err := c.ListScenarios(ctx, makeapi.ScenarioQuery{TeamID: 3001}, makeapi.Page{}); err != nil {
		t.Fatal(err)
	}
	if r := lastRequest(t, f); r.Host != "eu1.make.com" {
		t.Fatalf("EU scenarios listed at %s", r.Host)
	}
}

func TestUnknownTeamIsLookedUpInEachZone(t *testing.T) {
	f := twoZones(t)
	c, err := makeapi.New(makeapi.Options{Zone: "eu1.make.com", Tokens: demoTokens(), HTTPClient: f.HTTPClient()})
	if err != nil {
		t.Fatal(err)
	}
	// Nothing is known yet: the client tries the configured zone, which
	// refuses; it then lists the organizations, finds two zones, and asks
	// each for team 3101 before listing its hooks there.
	hooks, err := send(c, "GET", "/hooks?teamId=3101", "", "hooks")
	if err != nil || string(hooks) != "[]" {
		t.Fatalf("hooks of the US team = %+v, %v", hooks, err)
	}
	var trail []string
	for _, r := range f.Requests() {
		trail = append(trail, r.Method+" "+r.Host+r.Path)
	}
	want := []string{
		"GET eu1.make.com/api/v2/hooks",
		"GET eu1.make.com/api/v2/organizations",
		"GET eu1.make.com/api/v2/teams/3101",
		"GET us1.make.com/api/v2/teams/3101",
		"GET us1.make.com/api/v2/hooks",
	}
	if strings.Join(trail, "\n") != strings.Join(want, "\n") {
		t.Fatalf("requests:\n%s\nwant:\n%s", strings.Join(trail, "\n"), strings.Join(want, "\n"))
	}
	// The answer is remembered.
	f.ResetRequests()
	if _, err := send(c, "GET", "/data-stores?teamId=3101", "", "dataStores"); err != nil {
		t.Fatal(err)
	}
	if rs := f.Requests(); len(rs) != 1 || rs[0].Host != "us1.make.com" {
		t.Fatalf("second call about the team: %+v", rs)
	}
}

// An account in the configured zone, as most are, costs no lookup: the
// call goes there first and Make answers it.
func TestSingleZoneNeedsNoLookup(t *testing.T) {
	f := newFake(t, makefake.Options{}).Start()
	defer f.Close()
	c, err := makeapi.New(makeapi.Options{Zone: f.Zone(), AllowedHosts: []string{f.Zone()}, Tokens: demoTokens()})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := send(c, "GET", "/hooks?teamId=3001", "", "hooks"); err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, r := range f.Requests() {
		paths = append(paths, r.Path)
	}
	if strings.Join(paths, " ") != "/api/v2/hooks" {
		t.Fatalf("requests %v, want only the call", paths)
	}
	// The demo's own zone is the listener's address, reached over plain
	// http because it is the configured zone.
	orgs, err := c.Organizations(t.Context())
	if err != nil || orgs[0].Zone != strings.TrimPrefix(f.URL(), "http://") {
		t.Fatalf("zone %+v, %v", orgs, err)
	}
}

func TestListenerAddressAsPrimaryZone(t *testing.T) {
	// Configured with the TLS listener's address: the primary zone is
	// reported under that address, other zones by name over https.
	f := twoZones(t)
	c, err := makeapi.New(makeapi.Options{Zone: f.Zone(), AllowedHosts: []string{f.Zone()}, Tokens: demoTokens(), HTTPClient: f.HTTPClient()})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetOrganization(t.Context(), 2101); err != nil {
		t.Fatal(err)
	}
	if r := lastRequest(t, f); r.Host != "us1.make.com" {
		t.Fatalf("US organization asked at %s", r.Host)
	}
	if _, err := c.GetOrganization(t.Context(), 2001); err != nil {
		t.Fatal(err)
	}
	if r := lastRequest(t, f); r.Host != f.Zone() {
		t.Fatalf("primary organization asked at %s, want %s", r.Host, f.Zone())
	}
}

func TestWrongZoneGetsMakesError(t *testing.T) {
	f := twoZones(t)
	hc := f.HTTPClient()
	get := func(url string) (int, string) {
		req, _ := http.NewRequestWithContext(t.Context(), "GET", url, nil)
		req.Header.Set("Authorization", "Token "+makefake.DemoToken)
		resp, err := hc.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	for _, tc := range []struct {
		url    string
		status int
		detail string
	}{
		{"https://eu1.make.com/api/v2/organizations/2101", 404, "Organization not found."},
		{"https://eu1.make.com/api/v2/teams?organizationId=2101", 403, "Access denied."},
		{"https://eu1.make.com/api/v2/scenarios?teamId=3101", 403, "Access denied."},
		{"https://us1.make.com/api/v2/scenarios/5001", 404, "Scenario not found."},
		{"https://us1.make.com/api/v2/teams/3001", 404, "Team not found."},
	} {
		status, body := get(tc.url)
		var e struct{ Detail, Message, Code string }
		if json.Unmarshal([]byte(body), &e) != nil || status != tc.status || e.Detail != tc.detail || e.Code == "" || e.Message == "" {
			t.Errorf("GET %s = %d %s, want %d with detail %q in Make's error shape", tc.url, status, body, tc.status, tc.detail)
		}
	}
	// Every zone lists all of the user's organizations.
	if status, body := get("https://us1.make.com/api/v2/organizations?cols[]=id&cols[]=zone"); status != 200 ||
		!strings.Contains(body, `"zone":"eu1.make.com"`) || !strings.Contains(body, `"zone":"us1.make.com"`) {
		t.Errorf("organizations at us1: %d %s", status, body)
	}
}

func TestConcurrentUse(t *testing.T) {
	f := twoZones(t)
	c, err := makeapi.New(makeapi.Options{Zone: "eu1.make.com", Tokens: demoTokens(), HTTPClient: f.HTTPClient()})
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	errs := make(chan error, 64)
	for i := range 16 {
		go func() {
			team := []int64{3001, 3101}[i%2]
			_, err := send(c, "GET", fmt.Sprintf("/hooks?teamId=%d", team), "", "hooks")
			if err == nil {
				_, err = c.GetScenario(ctx, 5001)
			}
			if err == nil {
				_, err = c.GetOrganization(ctx, []int64{2001, 2101}[i%2])
			}
			errs <- err
		}()
	}
	for range 16 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	listings, usHooks := 0, 0
	for _, r := range f.Requests() {
		// The US team's hooks may be asked for in the configured zone
		// first, which refuses; the EU team's never in the US.
		switch team := r.Query.Get("teamId"); {
		case r.Path != "/api/v2/hooks":
		case team == "3001" && r.Host != "eu1.make.com":
			t.Errorf("hooks of team %s asked at %s", team, r.Host)
		case team == "3101" && r.Host == "us1.make.com":
			usHooks++
		}
		if r.Path == "/api/v2/organizations" {
			listings++
		}
	}
	if usHooks != 8 {
		t.Errorf("the US team's hooks were asked for in the US %d times, want 8", usHooks)
	}
	// Calls that start together share one listing of the organizations.
	if listings != 1 {
		t.Errorf("organizations listed %d times, want once", listings)
	}
}

func TestRememberSkipsTheOrganizationList(t *testing.T) {
	f := newFake(t, makefake.Options{})
	c := inProcess(t, f)
	c.Remember([]makeapi.Organization{{ID: 2001, Name: "Acme Sandbox", Zone: "eu1.make.com"}}, map[int64]int64{3001: 2001})
	if _, _, err := c.ListScenarios(t.Context(), makeapi.ScenarioQuery{TeamID: 3001}, makeapi.Page{}); err != nil {
		t.Fatal(err)
	}
	for _, r := range f.Requests() {
		if r.Path == "/api/v2/organizations" {
			t.Fatalf("listed the organizations although they were remembered: %+v", f.Requests())
		}
	}
	// A team nobody remembered, in another zone, still finds its zone.
	f = twoZones(t)
	c, err := makeapi.New(makeapi.Options{Zone: "eu1.make.com", Tokens: demoTokens(), HTTPClient: f.HTTPClient()})
	if err != nil {
		t.Fatal(err)
	}
	c.Remember([]makeapi.Organization{{ID: 2001, Zone: "eu1.make.com"}}, nil)
	if _, _, err := c.ListScenarios(t.Context(), makeapi.ScenarioQuery{TeamID: 3101}, makeapi.Page{}); err != nil {
		t.Fatal(err)
	}
	if r := lastRequest(t, f); r.Host != "us1.make.com" || r.Path != "/api/v2/scenarios" {
		t.Fatalf("the US team's scenarios listed by %s %s at %s", r.Method, r.Path, r.Host)
	}
}

// A call sent to the configured zone on a guess, and refused there, is
// sent on to the right zone once: Make refuses before acting, so even a
// creation is safe to send again.
func TestRefusedGuessMovesToTheRightZone(t *testing.T) {
	f := twoZones(t)
	c, err := makeapi.New(makeapi.Options{Zone: "eu1.make.com", Tokens: demoTokens(), HTTPClient: f.HTTPClient()})
	if err != nil {
		t.Fatal(err)
	}
	s, err := c.CreateScenario(t.Context(), makeapi.ScenarioCreate{TeamID: 3101, Blueprint: onDemandBlueprint,
		Scheduling: &makeapi.Scheduling{Type: "on-demand"}})
	if err != nil {
		t.Fatal(err)
	}
	var trail []string
	for _, r := range f.Requests() {
		trail = append(trail, r.Method+" "+r.Host+r.Path)
	}
	want := []string{
		"POST eu1.make.com/api/v2/scenarios",
		"GET eu1.make.com/api/v2/organizations",
		"GET eu1.make.com/api/v2/teams/3101",
		"GET us1.make.com/api/v2/teams/3101",
		"POST us1.make.com/api/v2/scenarios",
	}
	if strings.Join(trail, "\n") != strings.Join(want, "\n") {
		t.Fatalf("requests:\n%s\nwant:\n%s", strings.Join(trail, "\n"), strings.Join(want, "\n"))
	}
	if s.TeamID != 3101 {
		t.Fatalf("scenario %+v", s)
	}

	// A refusal from a zone the client knows is the right one is the
	// answer: nothing is listed or sent again.
	f.ResetRequests()
	_, err = c.GetOrganization(t.Context(), 2001)
	if err != nil {
		t.Fatal(err)
	}
	f.Inject(makefake.Fault{Status: 403})
	if _, err := c.GetOrganization(t.Context(), 2101); !makeapi.IsForbidden(err) {
		t.Fatalf("err = %v, want Make's 403", err)
	}
	if n := len(f.Requests()); n != 2 {
		t.Fatalf("%d requests, want 2: %+v", n, f.Requests())
	}
}
