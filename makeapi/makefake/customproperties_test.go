package makefake_test

import (
	"testing"

	"github.com/makemcp/makemcp/makeapi/makefake"
)

// Items belong to their structure: listed, changed and deleted only
// through an organization of the zone that owns it.
func TestCustomPropertyItems(t *testing.T) {
	f, err := makefake.New(makefake.Options{Zones: []string{"eu1.make.com", "us1.make.com"}})
	if err != nil {
		t.Fatal(err)
	}
	hc := f.InProcessClient()
	eu, us := "https://eu1.make.com/api/v2", "https://us1.make.com/api/v2"
	isMakeError(t, do(t, hc, "GET", us+"/custom-property-structures/2/custom-property-structure-items", ""), 404, "Custom property structure not found.")
	isMakeError(t, do(t, hc, "PATCH", us+"/custom-property-structures/custom-property-structure-items/54", `{"label":"L"}`), 404, "Custom property structure item not found.")
	a := do(t, hc, "GET", eu+"/custom-property-structures/2/custom-property-structure-items?label=PRIORITY", "")
	if items := a.body["customPropertyStructureItems"].([]any); len(items) != 1 || jsonID(items[0].(map[string]any)["id"]) != "54" {
		t.Errorf("items whose label matches PRIORITY in any case: %s", a.raw)
	}
	isMakeError(t, do(t, hc, "GET", eu+"/custom-property-structures/2/custom-property-structure-items?name=(", ""), 400, "Validation failed.")
	isMakeError(t, do(t, hc, "PATCH", eu+"/custom-property-structures/custom-property-structure-items/54", `{"type":"number"}`), 400, "Validation failed.")
	isMakeError(t, do(t, hc, "POST", eu+"/custom-property-structures", `{"associatedType":"scenario","belongerType":"organization","belongerId":2001}`), 400,
		"The organization has a custom property structure for scenarios already.")
}

func TestCustomPropertyScopes(t *testing.T) {
	wantScopes(t, []scopeCase{
		{"GET", "/custom-property-structures?organizationId=2001", "", "custom-property-structures:read"},
		{"POST", "/custom-property-structures/2/custom-property-structure-items", `{"name":"n","label":"L","type":"number","required":true}`, "custom-property-structures:write"},
		{"GET", "/scenarios/5001/custom-properties", "", "scenarios:read"},
		{"PUT", "/scenarios/5001/custom-properties", `{}`, "scenarios:write"},
	})
}

func TestFixturesSeedServesCustomPropertyObjects(t *testing.T) {
	wantFixtures(t, []fixtureCase{
		{"custom-property-structures/list.json", "customPropertyStructures", "/custom-property-structures?organizationId=5"},
	}, func(key string, want map[string]any) {
		// The fixture's organization (57) is not the account's: its
		// structure belongs to the account's first organization.
		want[key].([]any)[0].(map[string]any)["belongers"].([]any)[0].(map[string]any)["belongerId"] = 5.0
	})
}
