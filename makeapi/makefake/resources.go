package makefake

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"

	"github.com/makemcp/makemcp/makeapi/scope"
)

// Most of Make's API is collections of objects that a team or an
// organization owns: list them, get, create, change and delete one. The
// fake serves those generically from a table of resources, each seeded
// from Make's own fixtures; the calls that are more than that (runs,
// records, interfaces) have handlers of their own.

// resource is one collection of Make's API.
type resource struct {
	// path is the collection under /api/v2, with a {name} for each id of
	// the object it hangs from ("/sdk/apps/{appName}/{appVersion}/modules").
	path string
	// key is the field that names a member: "id" (a number the fake
	// assigns) unless set, such as "name" for the objects whose creator
	// names them.
	key string
	// one and many are the keys of the answer's object and list, such as
	// "key" and "keys".
	one, many string
	// read and write are the scopes its calls need.
	read, write scope.Scope
	// owner is "teamId" or "organizationId" when a team or an organization
	// owns the objects: a listing names it in its query, a creation in its
	// body (or query), and every call reaches only the objects whose owner
	// lives in the zone it was sent to.
	owner string
	// confirm says a deletion needs ?confirmed=true.
	confirm bool
	// fixtures names the files of Make's fixtures whose objects the
	// account starts with: a listing and a get, such as "keys/list.json"
	// and "keys/get.json".
	fixtures []string
	// only lists the calls served, among "list", "get", "create",
	// "update", "replace" and "delete"; empty serves all but "replace".
	only []string
}

// serves reports whether r serves a call.
func (r *resource) serves(call string) bool {
	if len(r.only) == 0 {
		return call != "replace"
	}
	return slices.Contains(r.only, call)
}

// memberKey is the field naming a member.
func (r *resource) memberKey() string { return cmpOr(r.key, "id") }

// resources lists the collections the fake serves generically, by area.
var resources = slices.Concat(
	[]*resource{
		{path: "/keys", one: "key", many: "keys", read: scope.KeysRead, write: scope.KeysWrite, owner: "teamId", confirm: true,
			fixtures: []string{"keys/list.json", "keys/get.json"}},
	},
	workspaceResources,
	adminResources,
	sdkAppResources,
)

// collection holds a resource's objects under one parent, by key, in
// insertion order.
type collection struct {
	byKey map[string]obj
	order []string
}

func (c *collection) put(key string, o obj) {
	if _, ok := c.byKey[key]; !ok {
		c.order = append(c.order, key)
	}
	c.byKey[key] = o
}

func (c *collection) del(key string) {
	delete(c.byKey, key)
	c.order = slices.DeleteFunc(c.order, func(k string) bool { return k == key })
}

func (c *collection) list() []obj {
	out := make([]obj, 0, len(c.order))
	for _, k := range c.order {
		out = append(out, c.byKey[k])
	}
	return out
}

// collectionAt is the collection at a concrete path, such as
// "/sdk/apps/my-app/1/modules", made empty on first use.
func (w *world) collectionAt(path string) *collection {
	c := w.collections[path]
	if c == nil {
		c = &collection{byKey: map[string]obj{}}
		w.collections[path] = c
	}
	return c
}

// routeResources registers the calls of every resource.
func (s *Server) routeResources() {
	for _, r := range resources {
		member := r.path + "/{id}"
		if r.serves("list") {
			s.handle("GET "+r.path, r.read, r.list)
		}
		if r.serves("create") {
			s.handle("POST "+r.path, r.write, r.create)
		}
		if r.serves("get") {
			s.handle("GET "+member, r.read, r.get)
		}
		if r.serves("update") {
			s.handle("PATCH "+member, r.write, r.update)
		}
		if r.serves("replace") {
			s.handle("PUT "+member, r.write, r.update)
		}
		if r.serves("delete") {
			s.handle("DELETE "+member, r.write, r.delete)
		}
	}
}

// seedResources fills every resource's collection from its fixtures.
// Objects the fixtures give no owner belong to owner, the account's
// first team or organization, as the resource needs.
func (w *world) seedResources(team, org int64) error {
	for _, r := range resources {
		if strings.Contains(r.path, "{") {
			continue // nested collections start empty
		}
		c := w.collectionAt(r.path)
		for _, name := range r.fixtures {
			objs, err := fixtureListed(name, r.one, r.many)
			if err != nil {
				return err
			}
			for _, o := range objs {
				switch r.owner {
				case "teamId":
					if w.teams.get(num(o["teamId"])) == nil {
						o["teamId"] = jsonNumber(team)
					}
				case "organizationId":
					if w.orgs.get(num(o["organizationId"])) == nil {
						o["organizationId"] = jsonNumber(org)
					}
				}
				key := keyText(o[r.memberKey()])
				if c.byKey[key] == nil { // the listing's object, else the get's
					c.put(key, o)
				} else {
					merge(c.byKey[key], o)
				}
				w.nextID = max(w.nextID, num(o["id"]))
			}
		}
	}
	return nil
}

// keyText is a member's key as a path holds it.
func keyText(v any) string {
	switch k := v.(type) {
	case string:
		return k
	case nil:
		return ""
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// collectionOf is the collection a request is about: the resource's path
// with the request's ids of the objects it hangs from.
func (r *resource) collectionOf(c *call) *collection {
	path := r.path
	for _, seg := range strings.Split(r.path, "/") {
		if name, ok := strings.CutPrefix(seg, "{"); ok {
			name = strings.TrimSuffix(name, "}")
			path = strings.Replace(path, seg, c.r.PathValue(name), 1)
		}
	}
	return c.w.collectionAt(path)
}

// ownerHere checks that an owner id lives in the zone the request came to.
func (r *resource) ownerHere(c *call, id int64) *apiError {
	switch r.owner {
	case "teamId":
		return c.teamHere(id)
	case "organizationId":
		return c.orgHere(id)
	}
	return nil
}

// member finds the object a request's path names, in this zone.
func (r *resource) member(c *call) (obj, string, *apiError) {
	key := c.r.PathValue("id")
	o := r.collectionOf(c).byKey[key]
	if o == nil || (r.owner != "" && r.ownerHere(c, num(o[r.owner])) != nil) {
		return nil, "", errNotFound(r.what())
	}
	return o, key, nil
}

// what names the resource in messages: "Key" for "key".
func (r *resource) what() string {
	if r.one == "" {
		return "Object"
	}
	return strings.ToUpper(r.one[:1]) + r.one[1:]
}

func (r *resource) list(c *call) (any, *apiError) {
	items := r.collectionOf(c).list()
	if r.owner != "" {
		id, err := c.queryID(r.owner)
		if err != nil {
			return nil, err
		}
		if id == 0 {
			return nil, errBadRequest("Validation failed.", "Missing value of required parameter '"+r.owner+"'.")
		}
		if err := r.ownerHere(c, id); err != nil {
			return nil, err
		}
		items = slices.DeleteFunc(items, func(o obj) bool { return num(o[r.owner]) != id })
	}
	page, pg, err := c.page(items, "", "", c.s.opts.MaxPageSize)
	if err != nil {
		return nil, err
	}
	return obj{r.many: projectAll(page, c.cols(nil)), "pg": pg}, nil
}

func (r *resource) get(c *call) (any, *apiError) {
	o, _, err := r.member(c)
	if err != nil {
		return nil, err
	}
	return obj{r.one: project(o, c.cols(nil))}, nil
}

func (r *resource) create(c *call) (any, *apiError) {
	var body map[string]any
	if err := c.decode(&body); err != nil {
		return nil, err
	}
	if r.owner != "" {
		id := num(body[r.owner])
		if id == 0 {
			q, err := c.queryID(r.owner)
			if err != nil {
				return nil, err
			}
			id = q
		}
		if id == 0 {
			return nil, errBadRequest("Validation failed.", "Missing value of required parameter '"+r.owner+"'.")
		}
		if err := r.ownerHere(c, id); err != nil {
			return nil, err
		}
		body[r.owner] = jsonNumber(id)
	}
	coll := r.collectionOf(c)
	key := keyText(body[r.memberKey()])
	switch {
	case r.memberKey() == "id":
		id := c.w.newID()
		body["id"], key = jsonNumber(id), itoa(id)
	case key == "":
		return nil, errBadRequest("Validation failed.", "Missing value of required parameter '"+r.memberKey()+"'.")
	case coll.byKey[key] != nil:
		return nil, errBadRequest("Validation failed.", r.what()+" '"+key+"' already exists.")
	}
	coll.put(key, body)
	return obj{r.one: body}, nil
}

// update changes the fields a PATCH gives, or replaces the object with a
// PUT's; the key and owner stay.
func (r *resource) update(c *call) (any, *apiError) {
	o, key, err := r.member(c)
	if err != nil {
		return nil, err
	}
	var body map[string]any
	if err := c.decode(&body); err != nil {
		return nil, err
	}
	keep := obj{r.memberKey(): o[r.memberKey()]}
	if r.owner != "" {
		keep[r.owner] = o[r.owner]
	}
	if c.r.Method == http.MethodPut {
		o = obj{}
	}
	merge(o, body)
	merge(o, keep)
	r.collectionOf(c).put(key, o)
	return obj{r.one: o}, nil
}

func (r *resource) delete(c *call) (any, *apiError) {
	o, key, err := r.member(c)
	if err != nil {
		return nil, err
	}
	if r.confirm && !c.confirmed() {
		return nil, errNotConfirmed()
	}
	r.collectionOf(c).del(key)
	return obj{r.one: o[r.memberKey()]}, nil
}
