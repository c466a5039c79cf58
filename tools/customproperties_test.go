package tools_test

import (
	"encoding/json"
	"strings"
	"testing"
)

// The demo organization's scenarios have a custom property structure (2)
// with a required dropdown companyTeam, a required multiselect categories
// and an optional boolean highPriority.

func TestCustomPropertyLifecycles(t *testing.T) {
	runLifecycle(t, lifecycle{
		create:     "custom-property-structure-items_create",
		createArgs: `{"customPropertyStructureId": 2, "name": "location", "label": "Location", "type": "shortText", "required": false}`,
		list:       "custom-property-structure-items_list", listArgs: `{"customPropertyStructureId": 2}`,
		update: "custom-property-structure-items_update", del: "custom-property-structure-items_delete",
		id: "customPropertyStructureItemId", updateArgs: `{"label": "Office"}`,
	})
}

func TestCustomPropertyTools(t *testing.T) {
	runCases(t, []toolCase{{
		tool: "custom-property-structures_list", args: `{}`,
		want:   []req{{method: "GET", path: "/custom-property-structures", query: "organizationId=2001"}},
		result: `{"hasMore": false, "items": [{"id": 2, "belongers": [{"belongerId": 2001, "belongerType": "organization"}]}]}`,
	}, {
		name: "filtered",
		tool: "custom-property-structure-items_list", args: `{"customPropertyStructureId": 2, "type": "dropdown", "required": true, "name": "^company"}`,
		want: []req{{method: "GET", path: "/custom-property-structures/2/custom-property-structure-items",
			query: "cols[]=*&type=dropdown&required=true&name=^company&pg[limit]=21"}},
		result: `{"hasMore": false, "items": [{"id": 43, "name": "companyTeam"}]}`,
	}, {
		name: "optional ones",
		tool: "custom-property-structure-items_list", args: `{"customPropertyStructureId": 2, "required": false}`,
		want: []req{{method: "GET", path: "/custom-property-structures/2/custom-property-structure-items",
			query: "cols[]=*&required=false&pg[limit]=21"}},
		result: `{"hasMore": false, "items": [{"id": 54, "name": "highPriority"}]}`,
	}, {
		tool: "custom-property-structure-items_create",
		args: `{"customPropertyStructureId": 2, "name": "region", "label": "Region", "type": "dropdown", "options": [{"value": "EU"}, {"value": "US"}], "required": false}`,
		want: []req{{method: "POST", path: "/custom-property-structures/2/custom-property-structure-items",
			body: `{"name": "region", "label": "Region", "type": "dropdown", "options": [{"value": "EU"}, {"value": "US"}], "required": false}`}},
		result: `{"name": "region", "structureId": 2, "options": [{"value": "EU"}, {"value": "US"}]}`,
	}, {
		tool: "custom-property-structure-items_update", args: `{"customPropertyStructureItemId": 54, "required": false, "description": "Urgent ones."}`,
		want: []req{{method: "PATCH", path: "/custom-property-structures/custom-property-structure-items/54",
			body: `{"required": false, "description": "Urgent ones."}`}},
		result: `{"id": 54, "required": false, "description": "Urgent ones."}`,
	}, {
		tool: "custom-property-structure-items_delete", args: `{"customPropertyStructureItemId": 54}`,
		want:   []req{{method: "DELETE", path: "/custom-property-structures/custom-property-structure-items/54"}},
		result: `{"customPropertyStructureItemId": 54, "deleted": true}`,
	}, {
		name: "confirmed",
		tool: "custom-property-structure-items_delete", args: `{"customPropertyStructureItemId": 54, "confirmed": true}`,
		want:   []req{{method: "DELETE", path: "/custom-property-structures/custom-property-structure-items/54", query: "confirmed=true"}},
		result: `{"customPropertyStructureItemId": 54, "confirmed": true, "deleted": true}`,
	}, {
		tool: "scenario-custom-properties_get", args: `{"scenarioId": 5001}`,
		want:   []req{{method: "GET", path: "/scenarios/5001/custom-properties"}},
		result: `{"scenarioId": 5001, "customProperties": {}}`,
	}, {
		tool: "scenario-custom-properties_create", args: `{"scenarioId": 5001, "customProperties": {"companyTeam": "Product", "categories": ["Accounting"]}}`,
		want:   []req{{method: "POST", path: "/scenarios/5001/custom-properties", body: `{"companyTeam": "Product", "categories": ["Accounting"]}`}},
		result: `{"scenarioId": 5001, "customProperties": {"companyTeam": "Product", "categories": ["Accounting"]}}`,
	}})
}

// A scenario's values follow the structure: filled in once, then changed
// or replaced, and deleted; each write checks the required items.
func TestScenarioCustomProperties(t *testing.T) {
	e := newEnv(t, options{})
	call := func(tool, args string) json.RawMessage { return e.ok(tool, json.RawMessage(args)) }

	if msg := e.fails("scenario-custom-properties_update", json.RawMessage(`{"scenarioId": 5001, "customProperties": {"highPriority": true}}`)); !strings.Contains(msg, "IM013") {
		t.Errorf("update before any values: %q", msg)
	}
	if msg := e.fails("scenario-custom-properties_create", json.RawMessage(`{"scenarioId": 5001, "customProperties": {"companyTeam": "Product"}}`)); !strings.Contains(msg, "categories") {
		t.Errorf("create without a required item: %q", msg)
	}
	call("scenario-custom-properties_create", `{"scenarioId": 5001, "customProperties": {"companyTeam": "Product", "categories": ["Accounting"]}}`)
	if msg := e.fails("scenario-custom-properties_create", json.RawMessage(`{"scenarioId": 5001, "customProperties": {"companyTeam": "Product", "categories": []}}`)); !strings.Contains(msg, "IM005") {
		t.Errorf("second create: %q", msg)
	}

	e.takeRequests()
	wantJSON(t, call("scenario-custom-properties_update", `{"scenarioId": 5001, "customProperties": {"highPriority": true}}`),
		`{"customProperties": {"companyTeam": "Product", "categories": ["Accounting"], "highPriority": true}}`)
	e.wantRequests(req{method: "PATCH", path: "/scenarios/5001/custom-properties", body: `{"highPriority": true}`})

	// null clears an item, but a required one cannot be cleared.
	wantJSON(t, call("scenario-custom-properties_update", `{"scenarioId": 5001, "customProperties": {"highPriority": null}}`),
		`{"customProperties": {"companyTeam": "Product", "categories": ["Accounting"]}}`)
	if msg := e.fails("scenario-custom-properties_update", json.RawMessage(`{"scenarioId": 5001, "customProperties": {"companyTeam": null}}`)); !strings.Contains(msg, "companyTeam") {
		t.Errorf("clearing a required item: %q", msg)
	}

	e.takeRequests()
	got := call("scenario-custom-properties_replace", `{"scenarioId": 5001, "customProperties": {"companyTeam": "Engineering", "categories": ["Development"]}}`)
	e.wantRequests(req{method: "PUT", path: "/scenarios/5001/custom-properties", body: `{"companyTeam": "Engineering", "categories": ["Development"]}`})
	if strings.Contains(string(got), "highPriority") {
		t.Errorf("replace kept an item not given: %s", got)
	}
	wantJSON(t, call("scenario-custom-properties_get", `{"scenarioId": 5001}`), `{"customProperties": {"companyTeam": "Engineering"}}`)

	// Deleting an item scenarios have values for needs confirmed, and
	// takes the values with it.
	if msg := e.fails("custom-property-structure-items_delete", json.RawMessage(`{"customPropertyStructureItemId": 43}`)); !strings.Contains(msg, "IM004") {
		t.Errorf("deleting an item with values, unconfirmed: %q", msg)
	}
	call("custom-property-structure-items_delete", `{"customPropertyStructureItemId": 43, "confirmed": true}`)
	if got := call("scenario-custom-properties_get", `{"scenarioId": 5001}`); strings.Contains(string(got), "companyTeam") {
		t.Errorf("values of a deleted item remain: %s", got)
	}

	e.takeRequests()
	call("scenario-custom-properties_delete", `{"scenarioId": 5001}`)
	e.wantRequests(req{method: "DELETE", path: "/scenarios/5001/custom-properties"})
	wantJSON(t, call("scenario-custom-properties_get", `{"scenarioId": 5001}`), `{"customProperties": {}}`)

	for _, tool := range []string{"scenario-custom-properties_get", "scenario-custom-properties_delete"} {
		if msg := e.fails(tool, json.RawMessage(`{"scenarioId": 999999}`)); !strings.Contains(msg, "404") {
			t.Errorf("%s of an unknown scenario: %q", tool, msg)
		}
	}
	if msg := e.fails("scenario-custom-properties_create", json.RawMessage(`{"scenarioId": 5001, "customProperties": {"companyTeam": "x", "categories": [], "nope": 1}}`)); !strings.Contains(msg, "custom-property-structure-items_list") {
		t.Errorf("an item the structure lacks: %q", msg)
	}
}

// An organization has at most one structure for its scenarios.
func TestCustomPropertyStructurePerOrganization(t *testing.T) {
	e := newEnv(t, options{})
	args := json.RawMessage(`{"associatedType": "scenario", "belongerType": "organization", "belongerId": 2001}`)
	if msg := e.fails("custom-property-structures_create", args); !strings.Contains(msg, "IM005") {
		t.Errorf("a second structure: %q", msg)
	}
	org := decode[struct{ ID int64 }](t, e.ok("organizations_create", json.RawMessage(`{"name": "Acme", "regionId": 1, "timezoneId": 113, "countryId": 4}`))).ID
	e.takeRequests()
	created := decode[map[string]any](t, e.ok("custom-property-structures_create",
		map[string]any{"associatedType": "scenario", "belongerType": "organization", "belongerId": org}))
	e.wantRequests(req{method: "POST", path: "/custom-property-structures", body: string(mustJSON(
		map[string]any{"associatedType": "scenario", "belongerType": "organization", "belongerId": org}))})
	items := decode[struct{ Items []map[string]any }](t, e.ok("custom-property-structures_list", map[string]any{"organizationId": org})).Items
	if len(items) != 1 || items[0]["id"] != created["id"] {
		t.Errorf("structures of the new organization: %v, want the one created (%v)", items, created["id"])
	}
}

func TestCustomPropertyToolArguments(t *testing.T) {
	e := newEnv(t, options{})
	for _, c := range []struct{ tool, args, want string }{
		{"custom-property-structures_create", `{"associatedType": "team", "belongerType": "organization", "belongerId": 2001}`, `associatedType must be "scenario"`},
		{"custom-property-structures_create", `{"associatedType": "scenario", "belongerType": "organization"}`, "belongerId"},
		{"custom-property-structure-items_list", `{"customPropertyStructureId": 2, "type": "text"}`, "type must be one of"},
		{"custom-property-structure-items_create", `{"customPropertyStructureId": 2, "name": "1st", "label": "L", "type": "number", "required": true}`, "name must start with"},
		{"custom-property-structure-items_create", `{"customPropertyStructureId": 2, "name": "n", "label": " ", "type": "number", "required": true}`, "label must be"},
		{"custom-property-structure-items_create", `{"customPropertyStructureId": 2, "name": "n", "label": "L", "type": "dropdown", "required": true}`, "options are required"},
		{"custom-property-structure-items_create", `{"customPropertyStructureId": 2, "name": "n", "label": "L", "type": "number", "options": [{"value": "a"}], "required": true}`, "not allowed for others"},
		{"custom-property-structure-items_create", `{"customPropertyStructureId": 2, "name": "n", "label": "L", "type": "dropdown", "options": [{"value": "a"}, {"value": "a"}], "required": true}`, "unique"},
		{"custom-property-structure-items_create", `{"customPropertyStructureId": 2, "name": "n", "label": "L", "type": "text", "required": true}`, "type must be one of"},
		{"custom-property-structure-items_create", `{"customPropertyStructureId": 2, "name": "n", "label": "L", "type": "number"}`, "required"},
		{"custom-property-structure-items_update", `{"customPropertyStructureItemId": 54}`, "nothing to change"},
		{"scenario-custom-properties_create", `{"scenarioId": 5001}`, "customProperties"},
		{"scenario-custom-properties_update", `{"scenarioId": 5001, "customProperties": ["a"]}`, "customProperties"},
	} {
		if got := e.fails(c.tool, json.RawMessage(c.args)); !strings.Contains(got, c.want) {
			t.Errorf("%s %s: error %q, want it to say %q", c.tool, c.args, got, c.want)
		}
	}
	e.wantRequests()
	// Make checks what the schema cannot.
	if got := e.fails("custom-property-structure-items_create", json.RawMessage(`{"customPropertyStructureId": 2, "name": "companyTeam", "label": "Team", "type": "shortText", "required": false}`)); !strings.Contains(got, "IM005") {
		t.Errorf("an item name in use: %q", got)
	}
	if got := e.fails("custom-property-structure-items_update", json.RawMessage(`{"customPropertyStructureItemId": 54, "options": [{"value": "a"}]}`)); !strings.Contains(got, "dropdown and multiselect") {
		t.Errorf("options for a boolean item: %q", got)
	}
	if got := e.fails("custom-property-structure-items_list", json.RawMessage(`{"customPropertyStructureId": 999}`)); !strings.Contains(got, "404") {
		t.Errorf("items of an unknown structure: %q", got)
	}
}

// Deleting a scenario's values or an item asks the user first.
func TestCustomPropertyDeletesAsk(t *testing.T) {
	runDeleteAsks(t, []deleteAsk{{
		tool: "scenario-custom-properties_delete", args: `{"scenarioId": 5001}`,
		question: `Delete the custom property values of scenario 5001 "Greet a customer"? This cannot be undone.`,
		lookup:   &req{method: "GET", path: "/scenarios/5001"},
		act:      req{method: "DELETE", path: "/scenarios/5001/custom-properties"},
		get:      "scenario-custom-properties_get", getArgs: `{"scenarioId": 5001}`,
		prepare:  "scenario-custom-properties_create",
		prepArgs: `{"scenarioId": 5001, "customProperties": {"companyTeam": "Product", "categories": ["Accounting"]}}`,
	}, {
		tool: "custom-property-structure-items_delete", args: `{"customPropertyStructureItemId": 54}`,
		question: `Delete custom property structure item 54? This cannot be undone.`,
		act:      req{method: "DELETE", path: "/custom-property-structures/custom-property-structure-items/54"},
		get:      "custom-property-structure-items_list", getArgs: `{"customPropertyStructureId": 2, "id": 54}`,
	}})
}
