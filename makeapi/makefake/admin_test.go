package makefake_test

import (
	"encoding/json"
	"io/fs"
	"reflect"
	"strings"
	"testing"

	"github.com/makemcp/makemcp/makeapi/makefake"
)

// Organizations and teams created through the API live in the same
// tables the listings read, in the zone they were created at.
func TestOrganizationsAndTeamsAreWritable(t *testing.T) {
	f, err := makefake.New(makefake.Options{Zones: []string{"eu1.make.com", "us1.make.com"}})
	if err != nil {
		t.Fatal(err)
	}
	hc := f.InProcessClient()
	eu, us := "https://eu1.make.com/api/v2", "https://us1.make.com/api/v2"

	isMakeError(t, do(t, hc, "POST", us+"/organizations", `{"name":"Acme US","regionId":1,"timezoneId":113}`), 400, "Validation failed.")
	a := do(t, hc, "POST", us+"/organizations", `{"name":"Acme US","regionId":1,"timezoneId":113,"countryId":4}`)
	org, ok := a.body["organization"].(map[string]any)
	if a.status != 200 || !ok || org["zone"] != "us1.make.com" {
		t.Fatalf("create at us1: %d %s", a.status, a.raw)
	}
	id := jsonID(org["id"])
	listed := do(t, hc, "GET", eu+"/organizations?cols[]=id&cols[]=zone", "").body["organizations"].([]any)
	found := false
	for _, o := range listed {
		if o := o.(map[string]any); jsonID(o["id"]) == id {
			found = o["zone"] == "us1.make.com"
		}
	}
	if !found {
		t.Errorf("the listing (at any zone) lacks organization %s at us1: %v", id, listed)
	}
	isMakeError(t, do(t, hc, "GET", eu+"/organizations/"+id, ""), 404, "Organization not found.")
	isMakeError(t, do(t, hc, "PATCH", eu+"/organizations/"+id, `{"name":"x"}`), 404, "Organization not found.")
	isMakeError(t, do(t, hc, "POST", eu+"/teams", `{"name":"Ops","organizationId":`+id+`}`), 403, "Access denied.")

	a = do(t, hc, "POST", us+"/teams", `{"name":"Ops","organizationId":`+id+`}`)
	if a.status != 200 {
		t.Fatalf("team at us1: %d %s", a.status, a.raw)
	}
	team := jsonID(a.body["team"].(map[string]any)["id"])
	if teams := do(t, hc, "GET", us+"/teams?organizationId="+id, "").body["teams"].([]any); len(teams) != 2 {
		t.Errorf("teams of the new organization (its first, and Ops): %v", teams)
	}
	isMakeError(t, do(t, hc, "DELETE", us+"/teams/"+team, ""), 400, "Deletion needs confirmation.")
	if a := do(t, hc, "DELETE", us+"/teams/"+team+"?confirmed=true", ""); a.status != 200 {
		t.Fatalf("delete team: %d %s", a.status, a.raw)
	}
	isMakeError(t, do(t, hc, "GET", us+"/teams/"+team, ""), 404, "Team not found.")

	isMakeError(t, do(t, hc, "DELETE", us+"/organizations/"+id, ""), 400, "Deletion needs confirmation.")
	if a := do(t, hc, "DELETE", us+"/organizations/"+id+"?confirmed=true", ""); a.status != 200 {
		t.Fatalf("delete organization: %d %s", a.status, a.raw)
	}
	isMakeError(t, do(t, hc, "GET", us+"/organizations/"+id, ""), 404, "Organization not found.")
	isMakeError(t, do(t, hc, "GET", us+"/teams?organizationId="+id, ""), 403, "Access denied.")
}

// Deleting a team deletes what it owns, in the generic collections too.
func TestDeletingATeamDeletesWhatItOwns(t *testing.T) {
	_, hc, api := demo(t, makefake.Options{})
	a := do(t, hc, "POST", api+"/keys", `{"name":"K","teamId":3001,"typeName":"apikeyauth","parameters":{}}`)
	key := jsonID(a.body["key"].(map[string]any)["id"])
	if a := do(t, hc, "DELETE", api+"/teams/3001?confirmed=true", ""); a.status != 200 {
		t.Fatalf("delete team: %d %s", a.status, a.raw)
	}
	for _, path := range []string{"/scenarios/5001", "/hooks/6001", "/data-stores/8001", "/connections/9001", "/keys/" + key} {
		if a := do(t, hc, "GET", api+path, ""); a.status != 404 {
			t.Errorf("GET %s after its team was deleted: %d %s", path, a.status, a.raw)
		}
	}
}

// A private space's transfer limit follows its operations limit, and a
// limit below what it used pauses it, once confirmed.
func TestPrivateSpaceLimits(t *testing.T) {
	_, hc, api := demo(t, makefake.Options{})
	a := do(t, hc, "PATCH", api+"/private-spaces/101", `{"operationsLimit":100}`)
	if a.status != 400 || a.body["code"] != "IM004" {
		t.Fatalf("limit below usage, unconfirmed: %d %s", a.status, a.raw)
	}
	a = do(t, hc, "PATCH", api+"/private-spaces/101?confirmed=true", `{"operationsLimit":100}`)
	ps := a.body["privateSpace"].(map[string]any)
	if ps["operationsLimit"] != 100.0 || ps["transferLimit"] != 107374182.0 || ps["isPaused"] != true {
		t.Fatalf("confirmed limit below usage: %s", a.raw)
	}
	isMakeError(t, do(t, hc, "PATCH", api+"/private-spaces/101", `{"operationsLimit":-1}`), 400, "Validation failed.")
	isMakeError(t, do(t, hc, "PATCH", api+"/private-spaces/101", `{"operationsLimit":1.5}`), 400, "Validation failed.")
	isMakeError(t, do(t, hc, "PATCH", api+"/private-spaces/101", `{"name":"Mine"}`), 400, "Validation failed.")
	isMakeError(t, do(t, hc, "GET", api+"/private-spaces", ""), 400, "Validation failed.")
	if a := do(t, hc, "GET", api+"/private-spaces?organizationId=2001&externalId=none", ""); len(a.body["privateSpaces"].([]any)) != 0 {
		t.Errorf("filtered by an external id no space has: %s", a.raw)
	}
}

// scopeCase is a call that needs a scope the caller lacks.
type scopeCase struct{ method, path, body, scope string }

// wantScopes checks that each call is refused, naming the scope it
// needs, to a caller with user:read only.
func wantScopes(t *testing.T, cases []scopeCase) {
	t.Helper()
	f, hc, api := demo(t, makefake.Options{})
	f.AddToken("jwt-me", makefake.OAuth, "user:read")
	for _, tc := range cases {
		a := do(t, hc, tc.method, api+tc.path, tc.body, "Bearer jwt-me")
		isMakeError(t, a, 403, "Access denied.")
		if !strings.Contains(a.raw, tc.scope) {
			t.Errorf("%s %s: 403 does not name %s: %s", tc.method, tc.path, tc.scope, a.raw)
		}
	}
}

// fixtureCase is a call whose answer holds a fixture's object under key.
type fixtureCase struct{ fixture, key, path string }

// wantFixtures checks that the fixtures seed answers each call with the
// object of Make's fixture. edit adjusts a fixture first, where the seed
// had to change it.
func wantFixtures(t *testing.T, cases []fixtureCase, edit func(key string, want map[string]any)) {
	t.Helper()
	_, hc, api := demo(t, makefake.Options{Seed: makefake.Fixtures})
	for _, tc := range cases {
		b, err := fs.ReadFile(makefake.FixtureFS, tc.fixture)
		if err != nil {
			t.Fatal(err)
		}
		var want map[string]any
		if err := json.Unmarshal(b, &want); err != nil {
			t.Fatal(err)
		}
		if edit != nil {
			edit(tc.key, want)
		}
		a := do(t, hc, "GET", api+tc.path, "")
		if a.status != 200 || !reflect.DeepEqual(a.body[tc.key], want[tc.key]) {
			t.Errorf("GET %s = %d %s\nwant the fixture's %v", tc.path, a.status, a.raw, want[tc.key])
		}
	}
}

func TestOrganizationScopes(t *testing.T) {
	wantScopes(t, []scopeCase{
		{"POST", "/organizations", `{"name":"A","regionId":1,"timezoneId":113,"countryId":4}`, "organizations:write"},
		{"PATCH", "/organizations/2001", `{"name":"A"}`, "organizations:write"},
		{"POST", "/teams", `{"name":"T","organizationId":2001}`, "teams:write"},
		{"DELETE", "/teams/3001?confirmed=true", "", "teams:write"},
		{"GET", "/private-spaces?organizationId=2001", "", "private-spaces:read"},
		{"PATCH", "/private-spaces/101", `{"operationsLimit":null}`, "private-spaces:write"},
	})
	// Make's enums need no scope.
	f, hc, api := demo(t, makefake.Options{})
	f.AddToken("jwt-none", makefake.OAuth)
	for _, path := range []string{"/enums/countries", "/enums/imt-regions", "/enums/timezones"} {
		if a := do(t, hc, "GET", api+path, "", "Bearer jwt-none"); a.status != 200 {
			t.Errorf("GET %s without scopes: %d %s", path, a.status, a.raw)
		}
	}
}

func TestFixturesSeedServesOrganizationObjects(t *testing.T) {
	wantFixtures(t, []fixtureCase{
		{"private-spaces/get.json", "privateSpace", "/private-spaces/101"},
		{"enums/countries.json", "countries", "/enums/countries"},
		{"enums/regions.json", "imtRegions", "/enums/imt-regions"},
		{"enums/timezones.json", "timezones", "/enums/timezones"},
	}, nil)
}
