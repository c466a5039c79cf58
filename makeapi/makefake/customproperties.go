package makefake

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/makemcp/makemcp/makeapi/scope"
)

// Custom property structures, their items, and the values scenarios have
// for them. An organization has at most one structure, for its
// scenarios; its items are the fields scenarios can be given.

// The collections of custom properties.
const (
	structuresPath   = "/custom-property-structures"
	itemsPath        = "/custom-property-structure-items"
	scenarioPropPath = "/scenarios/custom-properties" // by scenario id
)

func (s *Server) routeCustomProperties() {
	h := s.handle
	h("GET /custom-property-structures", scope.CustomPropertyStructuresRead, s.listStructures)
	h("POST /custom-property-structures", scope.CustomPropertyStructuresWrite, s.createStructure)
	h("GET /custom-property-structures/{id}/custom-property-structure-items", scope.CustomPropertyStructuresRead, s.listItems)
	h("POST /custom-property-structures/{id}/custom-property-structure-items", scope.CustomPropertyStructuresWrite, s.createItem)
	h("PATCH /custom-property-structures/custom-property-structure-items/{id}", scope.CustomPropertyStructuresWrite, s.updateItem)
	h("DELETE /custom-property-structures/custom-property-structure-items/{id}", scope.CustomPropertyStructuresWrite, s.deleteItem)

	h("GET /scenarios/{id}/custom-properties", scope.ScenariosRead, s.getScenarioProperties)
	h("POST /scenarios/{id}/custom-properties", scope.ScenariosWrite, s.setScenarioProperties)
	h("PUT /scenarios/{id}/custom-properties", scope.ScenariosWrite, s.setScenarioProperties)
	h("PATCH /scenarios/{id}/custom-properties", scope.ScenariosWrite, s.setScenarioProperties)
	h("DELETE /scenarios/{id}/custom-properties", scope.ScenariosWrite, s.deleteScenarioProperties)
}

// seedCustomProperties starts the structures of Make's fixtures, given
// to org where their organization is not the account's, with the items
// of the fixtures in the first of them.
func (w *world) seedCustomProperties(org int64) error {
	structures, err := fixtureObjects("custom-property-structures/list.json", "customPropertyStructures")
	if err != nil {
		return err
	}
	for _, s := range structures {
		for _, b := range list(s["belongers"]) {
			if w.orgs.get(num(b["belongerId"])) == nil {
				b["belongerId"] = jsonNumber(org)
			}
		}
		w.collectionAt(structuresPath).put(keyText(s["id"]), s)
		w.nextID = max(w.nextID, num(s["id"]))
	}
	if len(structures) == 0 {
		return nil
	}
	for _, f := range []struct{ name, key string }{
		{"custom-property-structure-items/list.json", "customPropertyStructureItems"},
		{"custom-property-structure-items/update.json", "customPropertyStructureItem"},
	} {
		items, err := fixtureObjects(f.name, f.key)
		if err != nil {
			return err
		}
		for _, it := range items {
			it["structureId"] = structures[0]["id"]
			w.collectionAt(itemsPath).put(keyText(it["id"]), it)
			w.nextID = max(w.nextID, num(it["id"]))
		}
	}
	return nil
}

// structureBelongsTo reports whether a structure belongs to an
// organization.
func structureBelongsTo(s obj, org int64) bool {
	for _, b := range list(s["belongers"]) {
		if str(b["belongerType"]) == "organization" && num(b["belongerId"]) == org {
			return true
		}
	}
	return false
}

func (s *Server) listStructures(c *call) (any, *apiError) {
	org, err := c.queryOrg()
	if err != nil {
		return nil, err
	}
	items := slices.DeleteFunc(c.w.collectionAt(structuresPath).list(), func(s obj) bool { return !structureBelongsTo(s, org) })
	return obj{"customPropertyStructures": items}, nil
}

func (s *Server) createStructure(c *call) (any, *apiError) {
	b, err := c.bodyObject()
	if err != nil {
		return nil, err
	}
	if str(b["associatedType"]) != "scenario" || str(b["belongerType"]) != "organization" {
		return nil, errBadRequest("Validation failed.", "associatedType must be scenario and belongerType organization.")
	}
	org, err := requiredID(b, "belongerId")
	if err != nil {
		return nil, err
	}
	if err := c.orgHere(org); err != nil {
		return nil, err
	}
	if c.w.scenarioStructure(org) != nil {
		return nil, imError("IM005", "The organization has a custom property structure for scenarios already.")
	}
	id := c.w.newID()
	st := obj{"id": jsonNumber(id), "created": stamp(now()),
		"belongers": []any{obj{"belongerId": jsonNumber(org), "belongerType": "organization", "associatedTypes": []any{"scenario"}}}}
	c.w.collectionAt(structuresPath).put(itoa(id), st)
	return obj{"customPropertyStructure": st}, nil
}

// scenarioStructure is the custom property structure of an
// organization's scenarios, or nil.
func (w *world) scenarioStructure(org int64) obj {
	for _, s := range w.collectionAt(structuresPath).list() {
		if structureBelongsTo(s, org) {
			return s
		}
	}
	return nil
}

// structureHere finds the structure a path names, in this zone.
func (c *call) structureHere() (obj, *apiError) {
	s := c.w.collectionAt(structuresPath).byKey[c.r.PathValue("id")]
	if s == nil {
		return nil, errNotFound("Custom property structure")
	}
	for _, b := range list(s["belongers"]) {
		if c.orgHere(num(b["belongerId"])) == nil {
			return s, nil
		}
	}
	return nil, errNotFound("Custom property structure")
}

// itemsOf lists the items of a structure.
func (w *world) itemsOf(structure obj) []obj {
	return slices.DeleteFunc(w.collectionAt(itemsPath).list(), func(it obj) bool {
		return num(it["structureId"]) != num(structure["id"])
	})
}

func (s *Server) listItems(c *call) (any, *apiError) {
	st, err := c.structureHere()
	if err != nil {
		return nil, err
	}
	q := c.r.URL.Query()
	id, err := c.queryID("id")
	if err != nil {
		return nil, err
	}
	patterns := map[string]*regexp.Regexp{}
	for _, k := range []string{"name", "label", "description"} {
		if v, ok := q[k]; ok {
			re, rerr := regexp.Compile("(?i)" + v[0])
			if rerr != nil {
				return nil, errBadRequest("Validation failed.", "Parameter '"+k+"' is not a valid regular expression.")
			}
			patterns[k] = re
		}
	}
	typ, required := q.Get("type"), q.Get("required")
	if typ != "" && !slices.Contains(itemTypes, typ) {
		return nil, errBadRequest("Validation failed.", "Unknown type '"+typ+"'.")
	}
	if required != "" && required != "true" && required != "false" {
		return nil, errBadRequest("Validation failed.", "Parameter 'required' must be true or false.")
	}
	items := slices.DeleteFunc(c.w.itemsOf(st), func(it obj) bool {
		for k, re := range patterns {
			if !re.MatchString(str(it[k])) {
				return true
			}
		}
		return (id != 0 && num(it["id"]) != id) || (typ != "" && str(it["type"]) != typ) ||
			(required != "" && truthy(it["required"]) != (required == "true"))
	})
	page, pg, err := c.page(items, "id", "asc", s.opts.MaxPageSize)
	if err != nil {
		return nil, err
	}
	return obj{"customPropertyStructureItems": projectAll(page, c.cols(nil)), "pg": pg}, nil
}

// itemTypes are the types a custom property can have; the last two take
// options.
var itemTypes = []string{"boolean", "number", "shortText", "longText", "date", "dropdown", "multiselect"}

var itemName = regexp.MustCompile(`^[a-zA-Z_$][0-9a-zA-Z_$]*$`)

func hasOptions(typ string) bool { return typ == "dropdown" || typ == "multiselect" }

// applyItem sets the fields an item's create or update gives.
func applyItem(it, b obj) *apiError {
	for k, v := range b {
		switch k {
		case "name", "type":
			if it[k] != nil && it[k] != v {
				return errBadRequest("Validation failed.", "An item's "+k+" cannot be changed.")
			}
		case "label":
			if _, err := requiredText(b, k, 64); err != nil {
				return err
			}
		case "description":
			if d, ok := v.(string); (!ok && v != nil) || len([]rune(d)) > 1024 {
				return errBadRequest("Validation failed.", "Parameter 'description' must be a string of at most 1024 characters.")
			}
		case "required":
			if _, ok := v.(bool); !ok {
				return errBadRequest("Validation failed.", "Parameter 'required' must be true or false.")
			}
		case "options":
			if v == nil {
				break
			}
			seen := map[string]bool{}
			for _, o := range list(v) {
				val, ok := o["value"].(string)
				if !ok || val == "" || len([]rune(val)) > 250 || seen[val] {
					return errBadRequest("Validation failed.", "Each option needs a value, unique, of at most 250 characters.")
				}
				seen[val] = true
			}
			if len(seen) == 0 || len(seen) != len(v.([]any)) {
				return errBadRequest("Validation failed.", "Parameter 'options' must be a list of {\"value\": ...} objects.")
			}
		default:
			return errBadRequest("Validation failed.", "Unknown parameter '"+k+"'.")
		}
		it[k] = v
	}
	if hasOptions(str(it["type"])) != (it["options"] != nil) {
		return errBadRequest("Validation failed.", "Options are required for dropdown and multiselect items, and not allowed for others.")
	}
	return nil
}

func (s *Server) createItem(c *call) (any, *apiError) {
	st, err := c.structureHere()
	if err != nil {
		return nil, err
	}
	b, err := c.bodyObject()
	if err != nil {
		return nil, err
	}
	name, err := requiredText(b, "name", 64)
	if err != nil {
		return nil, err
	}
	if !itemName.MatchString(name) {
		return nil, errBadRequest("Validation failed.", "Parameter 'name' must start with a letter, _ or $ and hold only letters, digits, _ and $.")
	}
	if _, err := requiredText(b, "label", 64); err != nil {
		return nil, err
	}
	if !slices.Contains(itemTypes, str(b["type"])) {
		return nil, errBadRequest("Validation failed.", "Parameter 'type' must be one of "+strings.Join(itemTypes, ", ")+".")
	}
	if _, ok := b["required"].(bool); !ok {
		return nil, errBadRequest("Validation failed.", "Missing value of required parameter 'required'.")
	}
	for _, it := range c.w.itemsOf(st) {
		if str(it["name"]) == name {
			return nil, imError("IM005", "The structure has an item named '"+name+"' already.")
		}
	}
	it := obj{"structureId": st["id"], "description": nil, "options": nil}
	if err := applyItem(it, b); err != nil {
		return nil, err
	}
	id := c.w.newID()
	it["id"] = jsonNumber(id)
	c.w.collectionAt(itemsPath).put(itoa(id), it)
	return obj{"customPropertyStructureItem": it}, nil
}

// itemHere finds the item a path names, in a structure of this zone.
func (c *call) itemHere() (obj, *apiError) {
	it := c.w.collectionAt(itemsPath).byKey[c.r.PathValue("id")]
	if it == nil {
		return nil, errNotFound("Custom property structure item")
	}
	st := c.w.collectionAt(structuresPath).byKey[keyText(it["structureId"])]
	for _, b := range list(st["belongers"]) {
		if c.orgHere(num(b["belongerId"])) == nil {
			return it, nil
		}
	}
	return nil, errNotFound("Custom property structure item")
}

func (s *Server) updateItem(c *call) (any, *apiError) {
	it, err := c.itemHere()
	if err != nil {
		return nil, err
	}
	b, err := c.bodyObject()
	if err != nil {
		return nil, err
	}
	changed := clone(it)
	if err := applyItem(changed, b); err != nil {
		return nil, err
	}
	merge(it, changed)
	return obj{"customPropertyStructureItem": it}, nil
}

func (s *Server) deleteItem(c *call) (any, *apiError) {
	it, err := c.itemHere()
	if err != nil {
		return nil, err
	}
	name := str(it["name"])
	values := c.w.collectionAt(scenarioPropPath)
	var holding []obj
	for _, v := range values.list() {
		if _, ok := v[name]; ok {
			holding = append(holding, v)
		}
	}
	if len(holding) > 0 && !c.confirmed() {
		return nil, imError("IM004", fmt.Sprintf("%d scenarios have data for this item: confirm to delete it with their data.", len(holding)))
	}
	for _, v := range holding {
		delete(v, name)
	}
	c.w.collectionAt(itemsPath).del(keyText(it["id"]))
	return obj{"customPropertyStructureItem": it["id"]}, nil
}

// dropStructure deletes a structure, its items and the values scenarios
// had for them.
func (w *world) dropStructure(s obj) {
	for _, it := range w.itemsOf(s) {
		for _, v := range w.collectionAt(scenarioPropPath).list() {
			delete(v, str(it["name"]))
		}
		w.collectionAt(itemsPath).del(keyText(it["id"]))
	}
	w.collectionAt(structuresPath).del(keyText(s["id"]))
}

func (s *Server) getScenarioProperties(c *call) (any, *apiError) {
	_, id, err := c.owned(c.w.scenarios, "Scenario")
	if err != nil {
		return nil, err
	}
	v := c.w.collectionAt(scenarioPropPath).byKey[itoa(id)]
	if v == nil {
		v = obj{}
	}
	return obj{"customProperties": v, "scenarioId": jsonNumber(id)}, nil
}

// setScenarioProperties fills in (POST), replaces (PUT) or changes
// (PATCH) a scenario's custom property values, checked against its
// organization's structure.
func (s *Server) setScenarioProperties(c *call) (any, *apiError) {
	sc, id, err := c.owned(c.w.scenarios, "Scenario")
	if err != nil {
		return nil, err
	}
	b, err := c.bodyObject()
	if err != nil {
		return nil, err
	}
	st := c.w.scenarioStructure(c.w.orgOfTeam(num(sc["teamId"])))
	if st == nil {
		return nil, imError("IM027", "The organization has no custom property structure for scenarios.")
	}
	values := c.w.collectionAt(scenarioPropPath)
	old := values.byKey[itoa(id)]
	next := obj{}
	switch c.r.Method {
	case "POST":
		if old != nil {
			return nil, imError("IM005", "The scenario has custom property data already: update or replace it.")
		}
	case "PUT":
		if old == nil {
			return nil, imError("IM013", "The scenario has no custom property data yet: create it first.")
		}
	case "PATCH":
		if old == nil {
			return nil, imError("IM013", "The scenario has no custom property data yet: create it first.")
		}
		next = clone(old)
	}
	items := map[string]obj{}
	for _, it := range c.w.itemsOf(st) {
		items[str(it["name"])] = it
	}
	for k, v := range b {
		if items[k] == nil {
			return nil, errBadRequest("Validation failed.", "The structure has no item '"+k+"': custom-property-structure-items_list lists them.")
		}
		if v == nil {
			delete(next, k)
		} else {
			next[k] = v
		}
	}
	for name, it := range items {
		if _, ok := next[name]; !ok && truthy(it["required"]) {
			return nil, errBadRequest("Validation failed.", "Missing value of required item '"+name+"'.")
		}
	}
	values.put(itoa(id), next)
	return obj{"customProperties": next, "scenarioId": jsonNumber(id)}, nil
}

func (s *Server) deleteScenarioProperties(c *call) (any, *apiError) {
	_, id, err := c.owned(c.w.scenarios, "Scenario")
	if err != nil {
		return nil, err
	}
	c.w.collectionAt(scenarioPropPath).del(itoa(id))
	return obj{"ok": jsonNumber(1)}, nil
}
