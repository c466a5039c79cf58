package makefake

import (
	"fmt"
	"slices"

	"github.com/makemcp/makemcp/makeapi/scope"
)

// Roles, the permissions they grant, and an organization's custom roles.
// Make's own roles and the custom ones are one collection, which
// roles_get reads generically.

var roleResources = []*resource{roleResource}

var roleResource = &resource{path: "/users/roles", one: "usersRole", many: "usersRoles", read: scope.UserRead, write: scope.UserWrite,
	fixtures: []string{"roles/list.json", "roles/get.json"}, only: []string{"get"}}

// permissionsPath is the collection of the permissions roles grant.
const permissionsPath = "/users/roles/permissions"

func (s *Server) routeRoles() {
	h := s.handle
	h("GET /users/roles", scope.UserRead, s.listRoles)
	h("GET "+permissionsPath, scope.UserRead, s.listPermissions)
	h("POST /users/custom-roles", scope.UserWrite, s.createCustomRole)
	h("PATCH /users/custom-roles/{id}", scope.UserWrite, s.updateCustomRole)
	h("DELETE /users/custom-roles/{id}", scope.UserWrite, s.deleteCustomRole)
}

// seedRoles starts the permissions, and gives the custom roles of
// organizations the account lacks to org.
func (w *world) seedRoles(org int64) error {
	perms, err := fixtureObjects("roles/permissions.json", "usersRolesPermissions")
	if err != nil {
		return err
	}
	for _, p := range perms {
		w.collectionAt(permissionsPath).put(keyText(p["id"]), p)
	}
	for _, r := range w.collectionAt(roleResource.path).list() {
		if isCustomRole(r) && w.orgs.get(num(r["organizationId"])) == nil {
			r["organizationId"] = jsonNumber(org)
		}
	}
	return nil
}

// isCustomRole reports whether a role is one an organization made.
func isCustomRole(r obj) bool { return str(r["managementType"]) == "custom_managed" }

var roleCategories = []string{"organization", "team"}

func (s *Server) listRoles(c *call) (any, *apiError) {
	q := c.r.URL.Query()
	category := q.Get("category")
	if category != "" && !slices.Contains(roleCategories, category) {
		return nil, errBadRequest("Validation failed.", "Parameter 'category' must be organization or team.")
	}
	var exclude []int64
	for _, v := range q["excludeRole[]"] {
		exclude = append(exclude, num(v))
	}
	roleID, err := c.queryID("roleId")
	if err != nil {
		return nil, err
	}
	org, err := c.queryID("organizationId")
	if err != nil {
		return nil, err
	}
	team, err := c.queryID("teamId")
	if err != nil {
		return nil, err
	}
	if team != 0 {
		if err := c.teamHere(team); err != nil {
			return nil, err
		}
		org = c.w.orgOfTeam(team)
	} else if org != 0 {
		if err := c.orgHere(org); err != nil {
			return nil, err
		}
	}
	items := slices.DeleteFunc(c.w.collectionAt(roleResource.path).list(), func(r obj) bool {
		id := num(r["id"])
		return (category != "" && str(r["category"]) != category) ||
			slices.Contains(exclude, id) || (roleID != 0 && id != roleID) ||
			(isCustomRole(r) && (org == 0 || num(r["organizationId"]) != org))
	})
	return obj{"usersRoles": projectAll(items, c.cols(nil))}, nil
}

func (s *Server) listPermissions(c *call) (any, *apiError) {
	category := c.r.URL.Query().Get("roleCategory")
	if category != "" && !slices.Contains(roleCategories, category) {
		return nil, errBadRequest("Validation failed.", "Parameter 'roleCategory' must be organization or team.")
	}
	items := slices.DeleteFunc(c.w.collectionAt(permissionsPath).list(), func(p obj) bool {
		return category != "" && str(p["roleCategory"]) != category
	})
	return obj{"usersRolesPermissions": items}, nil
}

// customRoleAnswer is a custom role as Make answers its writes: with its
// permissions as {id, name} where its listing names them.
func (w *world) customRoleAnswer(r obj) obj {
	out := clone(r)
	byName := map[string]obj{}
	for _, p := range w.collectionAt(permissionsPath).list() {
		byName[str(p["name"])] = p
	}
	perms := []any{}
	names, _ := r["permissions"].([]any)
	for _, name := range names {
		perms = append(perms, obj{"id": byName[str(name)]["id"], "name": name})
	}
	out["permissions"] = perms
	delete(out, "organizationId")
	return out
}

// applyRole sets the fields a custom role's create or update gives.
func (w *world) applyRole(r, b obj) *apiError {
	for k, v := range b {
		switch k {
		case "organizationId":
		case "name":
			if _, err := requiredText(b, "name", 50); err != nil {
				return err
			}
			r[k] = v
		case "description":
			if _, ok := v.(string); !ok && v != nil {
				return errBadRequest("Validation failed.", "Parameter 'description' must be a string or null.")
			}
			r[k] = v
		case "permissions":
			ids, ok := v.([]any)
			if !ok {
				return errBadRequest("Validation failed.", "Parameter 'permissions' must be a list of permission ids.")
			}
			names := []any{}
			for _, id := range ids {
				p := w.collectionAt(permissionsPath).byKey[keyText(id)]
				if p == nil || str(p["roleCategory"]) != str(r["category"]) {
					return errBadRequest("Validation failed.", fmt.Sprintf("Permission %v is not one a %s role can grant: roles_permissions lists them.", id, r["category"]))
				}
				names = append(names, p["name"])
			}
			r[k] = names
		case "category":
			if r["category"] != nil && r["category"] != v {
				return errBadRequest("Validation failed.", "A role's category cannot be changed.")
			}
		default:
			return errBadRequest("Validation failed.", "Unknown parameter '"+k+"'.")
		}
	}
	return nil
}

func (s *Server) createCustomRole(c *call) (any, *apiError) {
	b, err := c.bodyObject()
	if err != nil {
		return nil, err
	}
	if _, err := requiredText(b, "name", 50); err != nil {
		return nil, err
	}
	category := str(b["category"])
	if !slices.Contains(roleCategories, category) {
		return nil, errBadRequest("Validation failed.", "Parameter 'category' must be organization or team.")
	}
	org, err := requiredID(b, "organizationId")
	if err != nil {
		return nil, err
	}
	if err := c.orgHere(org); err != nil {
		return nil, err
	}
	id := c.w.newID()
	r := obj{"id": jsonNumber(id), "category": category, "subsidiary": true, "managementType": "custom_managed",
		"description": nil, "organizationId": jsonNumber(org), "permissions": []any{}}
	if err := c.w.applyRole(r, b); err != nil {
		return nil, err
	}
	c.w.collectionAt(roleResource.path).put(itoa(id), r)
	return obj{"role": c.w.customRoleAnswer(r)}, nil
}

// customRole finds the custom role a path names, of the organization the
// body names.
func (c *call) customRole() (obj, obj, *apiError) {
	b, err := c.bodyObject()
	if err != nil {
		return nil, nil, err
	}
	org, err := requiredID(b, "organizationId")
	if err != nil {
		return nil, nil, err
	}
	if err := c.orgHere(org); err != nil {
		return nil, nil, err
	}
	r := c.w.collectionAt(roleResource.path).byKey[c.r.PathValue("id")]
	switch {
	case r == nil || (isCustomRole(r) && num(r["organizationId"]) != org):
		return nil, nil, errNotFound("Role")
	case !isCustomRole(r):
		return nil, nil, errForbidden("Only custom roles can be changed or deleted.")
	}
	return r, b, nil
}

func (s *Server) updateCustomRole(c *call) (any, *apiError) {
	r, b, err := c.customRole()
	if err != nil {
		return nil, err
	}
	changed := clone(r)
	if err := c.w.applyRole(changed, b); err != nil {
		return nil, err
	}
	merge(r, changed)
	return obj{"role": c.w.customRoleAnswer(r)}, nil
}

func (s *Server) deleteCustomRole(c *call) (any, *apiError) {
	r, _, err := c.customRole()
	if err != nil {
		return nil, err
	}
	c.w.collectionAt(roleResource.path).del(keyText(r["id"]))
	return obj{"roleId": r["id"]}, nil
}
