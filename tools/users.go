package tools

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/makemcp/makemcp/makeapi/scope"
)

// The users toolset: the roles users can hold in organizations and
// teams, the permissions roles grant, and an organization's own custom
// roles.

func userTools() []Tool {
	return []Tool{rolesList, rolesGet, rolesPermissions, customRolesCreate, customRolesUpdate, customRolesDelete}
}

// roleKinds are the two kinds of role: held in an organization, or
// in a team.
var roleKinds = []string{"organization", "team"}

func checkRoleKind(name, v string) error {
	if v != "" && !slices.Contains(roleKinds, v) {
		return fmt.Errorf("%s must be organization or team, not %q", name, v)
	}
	return nil
}

type rolesListArgs struct {
	Category    string  `json:"category,omitempty" jsonschema:"organization or team: only roles of that kind."`
	ExcludeRole []int64 `json:"excludeRole,omitempty" jsonschema:"Role ids to leave out."`
	RoleID      int64   `json:"roleId,omitempty" jsonschema:"Only the role with this id."`
	// Neither id is defaulted: without them, Make lists only its own
	// roles, and with one it adds that organization's custom roles.
	OrganizationID int64 `json:"organizationId,omitempty" jsonschema:"Also list this organization's custom roles."`
	TeamID         int64 `json:"teamId,omitempty" jsonschema:"Also list the custom roles of this team's organization."`
	Paging
}

func (a rolesListArgs) validate() error { return checkRoleKind("category", a.Category) }

var rolesList = listTool[rolesListArgs, Object](endpoint{
	Name: "roles_list", Title: "List roles", Toolset: Users, Scope: scope.UserRead, Kind: Read,
	Description: "List the roles users can hold in organizations and teams, with the permissions each grants. Custom roles are listed only for a given organizationId or teamId.",
	Method:      "GET", Path: "/users/roles?cols[]=*", Answer: "usersRoles",
})

type roleID struct {
	RoleID int64 `json:"roleId" jsonschema:"The role's id (roles_list shows them)."`
}

var rolesGet = endpointTool[roleID, Object](endpoint{
	Name: "roles_get", Title: "Get role", Toolset: Users, Scope: scope.UserRead, Kind: Read,
	Description: "Get a role with the permissions it grants.",
	Method:      "GET", Path: "/users/roles/{roleId}", Answer: "usersRole",
})

type rolesPermissionsArgs struct {
	RoleCategory string `json:"roleCategory,omitempty" jsonschema:"organization or team: only permissions roles of that kind can grant."`
	Paging
}

func (a rolesPermissionsArgs) validate() error { return checkRoleKind("roleCategory", a.RoleCategory) }

var rolesPermissions = listTool[rolesPermissionsArgs, Object](endpoint{
	Name: "roles_permissions", Title: "List role permissions", Toolset: Users, Scope: scope.UserRead, Kind: Read,
	Description: "List the permissions a role can grant, each with its id (what custom roles take), name and the permissions it requires.",
	Method:      "GET", Path: "/users/roles/permissions", Answer: "usersRolesPermissions",
})

// roleName checks a custom role's name as Make does: 1 to 50 characters.
func roleName(name string, required bool) error {
	switch n := utf8.RuneCountInString(name); {
	case n == 0 && !required:
		return nil
	case strings.TrimSpace(name) == "" || n > 50:
		return errors.New("name must be 1 to 50 characters, not blank")
	}
	return nil
}

type customRolesCreateArgs struct {
	Name     string `json:"name" jsonschema:"The role's name, 1 to 50 characters."`
	Category string `json:"category" jsonschema:"organization or team: where the role is held."`
	organizationArg
	Description *string `json:"description,omitempty" jsonschema:"What the role is for."`
	Permissions []int64 `json:"permissions,omitempty" jsonschema:"The ids of the permissions it grants (roles_permissions lists them)."`
}

func (a customRolesCreateArgs) validate() error {
	if err := roleName(a.Name, true); err != nil {
		return err
	}
	if a.Category == "" {
		return errors.New("category must be organization or team")
	}
	return checkRoleKind("category", a.Category)
}

var customRolesCreate = endpointTool[customRolesCreateArgs, Object](endpoint{
	Name: "custom-roles_create", Title: "Create custom role", Toolset: Users, Scope: scope.UserWrite, Kind: Create,
	Description: "Create an organization's own role for its organization or its teams, granting the permissions given. Returns the role.",
	Doc:         "Custom roles need the customRoles feature of the organization's plan.",
	Method:      "POST", Path: "/users/custom-roles", Answer: "role",
})

type customRoleID struct {
	ID int64 `json:"id" jsonschema:"The custom role's id (roles_list with organizationId shows them)."`
	organizationArg
}

type customRolesUpdateArgs struct {
	customRoleID
	Name        string  `json:"name,omitempty" jsonschema:"A new name, 1 to 50 characters."`
	Description *string `json:"description,omitempty" jsonschema:"A new description; null to clear it."`
	Permissions []int64 `json:"permissions,omitempty" jsonschema:"The permission ids it grants from now on, replacing the current ones."`
}

func (a customRolesUpdateArgs) validate() error { return roleName(a.Name, false) }

var customRolesUpdate = endpointTool[customRolesUpdateArgs, Object](endpoint{
	Name: "custom-roles_update", Title: "Update custom role", Toolset: Users, Scope: scope.UserWrite, Kind: Update,
	Description: "Rename a custom role, change its description, or replace the permissions it grants. Returns the role.",
	Method:      "PATCH", Path: "/users/custom-roles/{id}", Answer: "role",
	Shape: needsOneOf("name", "description", "permissions"),
})

var customRolesDelete = endpointTool[customRoleID, Object](endpoint{
	Name: "custom-roles_delete", Title: "Delete custom role", Toolset: Users, Scope: scope.UserWrite, Kind: Delete,
	Description: "Delete a custom role no user holds. This cannot be undone; the user is asked to confirm.",
	// Make takes the organization in the body of the DELETE.
	Method: "DELETE", Path: "/users/custom-roles/{id}",
	AskPath: "/users/roles/{id}", AskAnswer: "usersRole",
	Ask: `Delete custom role {{.id}} {{printf "%q" .name}}? This cannot be undone.`,
})
