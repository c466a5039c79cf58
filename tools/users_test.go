package tools_test

import (
	"encoding/json"
	"strings"
	"testing"
)

// A custom role's round trip: roles_list shows it for its organization,
// custom-roles_update changes it, custom-roles_delete removes it.
func TestUserLifecycles(t *testing.T) {
	runLifecycle(t, lifecycle{
		create: "custom-roles_create", createArgs: `{"name": "Auditor", "category": "organization", "permissions": [101]}`,
		list: "roles_list", listArgs: `{"organizationId": 2001}`, update: "custom-roles_update", del: "custom-roles_delete",
		id: "id", updateArgs: `{"name": "Senior auditor"}`,
	})
}

func TestUserTools(t *testing.T) {
	runCases(t, []toolCase{{
		tool: "roles_list", args: `{}`,
		want:   []req{{method: "GET", path: "/users/roles", query: "cols[]=*"}},
		result: `{"hasMore": false, "items": [{"id": 1, "name": "Admin"}]}`,
	}, {
		name: "with an organization's custom roles",
		tool: "roles_list", args: `{"organizationId": 2001, "category": "organization", "excludeRole": [1]}`,
		want: []req{{method: "GET", path: "/users/roles",
			query: "cols[]=*&organizationId=2001&category=organization&excludeRole[]=1"}},
		result: `{"hasMore": false, "items": [{"id": 42, "name": "Custom Viewer", "managementType": "custom_managed"}]}`,
	}, {
		name: "of a team's organization",
		tool: "roles_list", args: `{"teamId": 3001, "roleId": 42}`,
		want:   []req{{method: "GET", path: "/users/roles", query: "cols[]=*&teamId=3001&roleId=42"}},
		result: `{"hasMore": false, "items": [{"id": 42}]}`,
	}, {
		name: "team roles",
		tool: "roles_list", args: `{"organizationId": 2001, "category": "team"}`,
		want:   []req{{method: "GET", path: "/users/roles", query: "cols[]=*&organizationId=2001&category=team"}},
		result: `{"hasMore": false, "items": []}`,
	}, {
		tool: "roles_get", args: `{"roleId": 42}`,
		want:   []req{{method: "GET", path: "/users/roles/42"}},
		result: `{"id": 42, "permissions": ["scenarios view"]}`,
	}, {
		tool: "roles_permissions", args: `{"roleCategory": "organization", "limit": 1}`,
		want:   []req{{method: "GET", path: "/users/roles/permissions", query: "roleCategory=organization"}},
		result: `{"hasMore": true, "nextOffset": 1, "items": [{"id": 101, "name": "scenarios view", "roleCategory": "organization"}]}`,
	}, {
		name: "none of a team",
		tool: "roles_permissions", args: `{"roleCategory": "team"}`,
		want:   []req{{method: "GET", path: "/users/roles/permissions", query: "roleCategory=team"}},
		result: `{"hasMore": false, "items": []}`,
	}, {
		tool: "custom-roles_create", args: `{"name": "Editor", "category": "organization", "description": "Edits scenarios.", "permissions": [101, 102]}`,
		want: []req{{method: "POST", path: "/users/custom-roles",
			body: `{"name": "Editor", "category": "organization", "organizationId": 2001, "description": "Edits scenarios.", "permissions": [101, 102]}`}},
		result: `{"name": "Editor", "managementType": "custom_managed", "permissions": [{"id": 101, "name": "scenarios view"}, {"id": 102, "name": "scenarios edit"}]}`,
	}, {
		tool: "custom-roles_update", args: `{"id": 42, "description": null, "permissions": [101]}`,
		want: []req{{method: "PATCH", path: "/users/custom-roles/42",
			body: `{"organizationId": 2001, "description": null, "permissions": [101]}`}},
		result: `{"id": 42, "description": null, "permissions": [{"id": 101, "name": "scenarios view"}]}`,
		check: func(t *testing.T, e *env, _ json.RawMessage) {
			wantJSON(t, e.ok("roles_get", json.RawMessage(`{"roleId": 42}`)), `{"description": null, "permissions": ["scenarios view"]}`)
		},
	}, {
		// Make's SDK sends the organization in the DELETE's body.
		tool: "custom-roles_delete", args: `{"id": 42}`,
		want:   []req{{method: "DELETE", path: "/users/custom-roles/42", body: `{"organizationId": 2001}`}},
		result: `{"id": 42, "organizationId": 2001, "deleted": true}`,
		check: func(t *testing.T, e *env, _ json.RawMessage) {
			if msg := e.fails("roles_get", json.RawMessage(`{"roleId": 42}`)); !strings.Contains(msg, "404") {
				t.Errorf("roles_get after delete: %s", msg)
			}
		},
	}})
}

func TestUserToolArguments(t *testing.T) {
	e := newEnv(t, options{})
	for _, c := range []struct{ tool, args, want string }{
		{"roles_list", `{"category": "admin"}`, "category must be organization or team"},
		{"roles_permissions", `{"roleCategory": "x"}`, "roleCategory must be organization or team"},
		{"custom-roles_create", `{"name": "", "category": "team"}`, "name must be 1 to 50 characters"},
		{"custom-roles_create", `{"name": "` + strings.Repeat("x", 51) + `", "category": "team"}`, "name must be 1 to 50"},
		{"custom-roles_create", `{"name": "Auditor", "category": ""}`, "category must be organization or team"},
		{"custom-roles_create", `{"name": "Auditor"}`, "category"},
		{"custom-roles_update", `{"id": 42}`, "nothing to change"},
		{"custom-roles_delete", `{}`, "id"},
	} {
		if got := e.fails(c.tool, json.RawMessage(c.args)); !strings.Contains(got, c.want) {
			t.Errorf("%s %s: error %q, want it to say %q", c.tool, c.args, got, c.want)
		}
	}
	e.wantRequests()
	// Make checks what the schema cannot: a role grants only permissions
	// of its own category, and Make's own roles cannot be changed.
	if got := e.fails("custom-roles_create", json.RawMessage(`{"name": "Mixed", "category": "team", "permissions": [101]}`)); !strings.Contains(got, "roles_permissions") {
		t.Errorf("an organization permission in a team role: %q", got)
	}
	if got := e.fails("custom-roles_update", json.RawMessage(`{"id": 1, "name": "Boss"}`)); !strings.Contains(got, "403") {
		t.Errorf("changing Make's own Admin role: %q", got)
	}
	if got := e.fails("custom-roles_delete", json.RawMessage(`{"id": 42, "organizationId": 999}`)); !strings.Contains(got, "403") {
		t.Errorf("a custom role of an organization that is not the user's: %q", got)
	}
}

// Deleting a custom role asks the user first, naming it.
func TestUserDeletesAsk(t *testing.T) {
	runDeleteAsks(t, []deleteAsk{{
		tool: "custom-roles_delete", args: `{"id": 42}`,
		question: `Delete custom role 42 "Custom Viewer"? This cannot be undone.`,
		lookup:   &req{method: "GET", path: "/users/roles/42"},
		act:      req{method: "DELETE", path: "/users/custom-roles/42", body: `{"organizationId": 2001}`},
		get:      "roles_get", getArgs: `{"roleId": 42}`,
	}})
}
