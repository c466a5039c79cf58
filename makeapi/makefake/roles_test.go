package makefake_test

import (
	"testing"

	"github.com/makemcp/makemcp/makeapi/makefake"
)

// Custom roles are listed for their organization only, and only they can
// be changed; Make's own roles are listed for everyone.
func TestCustomRolesBelongToTheirOrganization(t *testing.T) {
	_, hc, api := demo(t, makefake.Options{})
	ids := func(path string) []string {
		var out []string
		for _, r := range do(t, hc, "GET", api+path, "").body["usersRoles"].([]any) {
			out = append(out, jsonID(r.(map[string]any)["id"]))
		}
		return out
	}
	if got := ids("/users/roles"); len(got) != 1 || got[0] != "1" {
		t.Errorf("roles without an organization: %v, want Make's own (1)", got)
	}
	if got := ids("/users/roles?organizationId=2001"); len(got) != 2 {
		t.Errorf("roles of organization 2001: %v, want Make's own and its custom role", got)
	}
	isMakeError(t, do(t, hc, "PATCH", api+"/users/custom-roles/1", `{"organizationId":2001,"name":"Boss"}`), 403, "Access denied.")
	isMakeError(t, do(t, hc, "DELETE", api+"/users/custom-roles/42", ""), 400, "Missing request body.")
	isMakeError(t, do(t, hc, "DELETE", api+"/users/custom-roles/42", `{}`), 400, "Validation failed.")
	if a := do(t, hc, "DELETE", api+"/users/custom-roles/42", `{"organizationId":2001}`); a.status != 200 || jsonID(a.body["roleId"]) != "42" {
		t.Fatalf("delete custom role: %d %s", a.status, a.raw)
	}
	isMakeError(t, do(t, hc, "GET", api+"/users/roles/42", ""), 404, "UsersRole not found.")
}

func TestRoleScopes(t *testing.T) {
	wantScopes(t, []scopeCase{
		{"POST", "/users/custom-roles", `{"name":"R","category":"team","organizationId":2001}`, "user:write"},
		{"PATCH", "/users/custom-roles/42", `{"organizationId":2001,"name":"R"}`, "user:write"},
	})
}

func TestFixturesSeedServesRoleObjects(t *testing.T) {
	wantFixtures(t, []fixtureCase{
		{"roles/get.json", "usersRole", "/users/roles/42"},
		{"roles/permissions.json", "usersRolesPermissions", "/users/roles/permissions"},
	}, nil)
}
