package makefake

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"slices"
	"strings"
)

// Data stores, their records, data structures and scenario folders.

// dataStore is a data store as answered: its record count and size are
// those of its records now.
func (w *world) dataStore(o obj) obj {
	out := clone(o)
	size := 0
	for _, r := range w.records[num(o["id"])] {
		b, _ := json.Marshal(r.data)
		size += len(b)
	}
	out["records"] = len(w.records[num(o["id"])])
	out["size"] = itoa(int64(size))
	return out
}

func (s *Server) listDataStores(c *call) (any, *apiError) {
	teamID, err := c.requiredTeam()
	if err != nil {
		return nil, err
	}
	var list []obj
	for _, o := range c.w.dataStores.list(func(o obj) bool { return num(o["teamId"]) == teamID }) {
		list = append(list, c.w.dataStore(o))
	}
	items, pg, err := c.page(list, "name", "asc", s.opts.MaxPageSize)
	if err != nil {
		return nil, err
	}
	if items == nil {
		items = []obj{}
	}
	return obj{"dataStores": projectAll(items, c.cols(nil)), "pg": pg}, nil
}

func (s *Server) getDataStore(c *call) (any, *apiError) {
	o, _, err := c.owned(c.w.dataStores, "Data store")
	if err != nil {
		return nil, err
	}
	return obj{"dataStore": project(c.w.dataStore(o), c.cols(nil))}, nil
}

// dataStoreBody is what POST and PATCH /data-stores take.
type dataStoreBody struct {
	Name            any `json:"name"`
	TeamID          any `json:"teamId"`
	DataStructureID any `json:"datastructureId"`
	MaxSizeMB       any `json:"maxSizeMB"`
}

// apply checks and sets the fields given.
func (b *dataStoreBody) apply(c *call, o obj, teamID int64) *apiError {
	if b.Name != nil {
		name, ok := b.Name.(string)
		if !ok || strings.TrimSpace(name) == "" {
			return errBadRequest("Validation failed.", "Parameter 'name' must be a non-empty string.")
		}
		o["name"] = name
	}
	if b.DataStructureID != nil {
		id := num(b.DataStructureID)
		if d := c.w.dataStructures.get(id); d == nil || num(d["teamId"]) != teamID {
			return errBadRequest("Validation failed.", "Data structure not found in the team.")
		}
		o["datastructureId"] = id
	}
	if b.MaxSizeMB != nil {
		mb := num(b.MaxSizeMB)
		if !isNumber(b.MaxSizeMB) || mb < 1 {
			return errBadRequest("Validation failed.", "Parameter 'maxSizeMB' must be a positive number.")
		}
		o["maxSize"] = itoa(mb << 20)
	}
	return nil
}

func (s *Server) createDataStore(c *call) (any, *apiError) {
	var b dataStoreBody
	if err := c.decode(&b); err != nil {
		return nil, err
	}
	var missing []string
	for k, v := range map[string]any{"name": b.Name, "teamId": b.TeamID, "maxSizeMB": b.MaxSizeMB} {
		if v == nil {
			missing = append(missing, "Missing value of required parameter '"+k+"'.")
		}
	}
	if len(missing) > 0 {
		slices.Sort(missing)
		return nil, errBadRequest("Validation failed.", missing...)
	}
	teamID := num(b.TeamID)
	if err := c.teamHere(teamID); err != nil {
		return nil, err
	}
	o := obj{"id": c.w.newID(), "teamId": teamID, "datastructureId": nil}
	if err := b.apply(c, o, teamID); err != nil {
		return nil, err
	}
	c.w.dataStores.put(o)
	return obj{"dataStore": c.w.dataStore(o)}, nil
}

func (s *Server) updateDataStore(c *call) (any, *apiError) {
	o, _, err := c.owned(c.w.dataStores, "Data store")
	if err != nil {
		return nil, err
	}
	var b dataStoreBody
	if err := c.decode(&b); err != nil {
		return nil, err
	}
	if err := b.apply(c, o, num(o["teamId"])); err != nil {
		return nil, err
	}
	return obj{"dataStore": c.w.dataStore(o)}, nil
}

func (s *Server) deleteDataStore(c *call) (any, *apiError) {
	id, out, err := c.deleteOwned(c.w.dataStores, "Data store", "dataStore")
	if err == nil {
		delete(c.w.records, id)
	}
	return out, err
}

// spec is the data structure of a data store, and whether it is strict.
func (w *world) spec(ds obj) ([]any, bool) {
	d := w.dataStructures.get(num(ds["datastructureId"]))
	if d == nil {
		return []any{}, false
	}
	spec, _ := d["spec"].([]any)
	if spec == nil {
		spec = []any{}
	}
	return spec, truthy(d["strict"])
}

// checkRecord checks a record against its store's data structure.
func (w *world) checkRecord(ds obj, data map[string]any) *apiError {
	spec, strict := w.spec(ds)
	problems := checkInputs(spec, data)
	if strict {
		for k := range data {
			if !slices.ContainsFunc(spec, func(f any) bool { m, _ := f.(map[string]any); return str(m["name"]) == k }) {
				problems = append(problems, "Field '"+k+"' is not in the data structure.")
			}
		}
	}
	if len(problems) > 0 {
		slices.Sort(problems)
		return errBadRequest("Record does not match the data structure.", problems...)
	}
	return nil
}

func (s *Server) listRecords(c *call) (any, *apiError) {
	ds, id, err := c.owned(c.w.dataStores, "Data store")
	if err != nil {
		return nil, err
	}
	recs := c.w.records[id]
	all := make([]obj, len(recs))
	for i, r := range recs {
		all[i] = obj{"key": r.key, "data": r.data}
	}
	items, pg, err := c.page(all, "", "", 10)
	if err != nil {
		return nil, err
	}
	if items == nil {
		items = []obj{}
	}
	spec, strict := c.w.spec(ds)
	return obj{"records": items, "spec": spec, "strict": strict, "count": len(recs),
		"pg": obj{"limit": pg["limit"], "offset": pg["offset"]}}, nil
}

// recordBody reads a record's data: the body itself, or {key, data}.
func (c *call) recordData(v any) (map[string]any, *apiError) {
	data, ok := v.(map[string]any)
	if !ok {
		return nil, errBadRequest("Validation failed.", "The record's data must be an object.")
	}
	return data, nil
}

func (w *world) findRecord(dsID int64, key string) *record {
	for _, r := range w.records[dsID] {
		if r.key == key {
			return r
		}
	}
	return nil
}

func (s *Server) createRecord(c *call) (any, *apiError) {
	ds, id, err := c.owned(c.w.dataStores, "Data store")
	if err != nil {
		return nil, err
	}
	var b struct {
		Key  any `json:"key"`
		Data any `json:"data"`
	}
	if err := c.decode(&b); err != nil {
		return nil, err
	}
	data, err := c.recordData(b.Data)
	if err != nil {
		return nil, err
	}
	key, _ := b.Key.(string)
	if b.Key != nil && key == "" {
		return nil, errBadRequest("Validation failed.", "Parameter 'key' must be a non-empty string.")
	}
	if key == "" {
		var k [6]byte
		_, _ = rand.Read(k[:])
		key = hex.EncodeToString(k[:])
	}
	if c.w.findRecord(id, key) != nil {
		return nil, errBadRequest("Record with key '" + key + "' already exists.")
	}
	if err := c.w.checkRecord(ds, data); err != nil {
		return nil, err
	}
	c.w.records[id] = append(c.w.records[id], &record{key: key, data: data})
	return obj{"key": key, "data": data}, nil
}

// updateRecord changes the fields given and keeps the others.
func (s *Server) updateRecord(c *call) (any, *apiError) {
	ds, id, err := c.owned(c.w.dataStores, "Data store")
	if err != nil {
		return nil, err
	}
	var patch any
	if err := c.decode(&patch); err != nil {
		return nil, err
	}
	fields, err := c.recordData(patch)
	if err != nil {
		return nil, err
	}
	r := c.w.findRecord(id, c.r.PathValue("key"))
	if r == nil {
		return nil, errNotFound("Record")
	}
	merged := clone(r.data)
	merge(merged, fields)
	if err := c.w.checkRecord(ds, merged); err != nil {
		return nil, err
	}
	r.data = merged
	return obj{"key": r.key, "data": r.data}, nil
}

// replaceRecord replaces a record, or creates it under the key.
func (s *Server) replaceRecord(c *call) (any, *apiError) {
	ds, id, err := c.owned(c.w.dataStores, "Data store")
	if err != nil {
		return nil, err
	}
	var v any
	if err := c.decode(&v); err != nil {
		return nil, err
	}
	data, err := c.recordData(v)
	if err != nil {
		return nil, err
	}
	if err := c.w.checkRecord(ds, data); err != nil {
		return nil, err
	}
	key := c.r.PathValue("key")
	if r := c.w.findRecord(id, key); r != nil {
		r.data = data
	} else {
		c.w.records[id] = append(c.w.records[id], &record{key: key, data: data})
	}
	return obj{"key": key, "data": data}, nil
}

// deleteRecords deletes the records named by {keys}, or all of them with
// {all: true}.
func (s *Server) deleteRecords(c *call) (any, *apiError) {
	_, id, err := c.owned(c.w.dataStores, "Data store")
	if err != nil {
		return nil, err
	}
	if !c.confirmed() {
		return nil, errNotConfirmed()
	}
	var b struct {
		Keys []string `json:"keys"`
		All  bool     `json:"all"`
	}
	if err := c.decode(&b); err != nil {
		return nil, err
	}
	if len(b.Keys) == 0 && !b.All {
		return nil, errBadRequest("Validation failed.", "Missing value of required parameter 'keys'.")
	}
	deleted := []string{}
	c.w.records[id] = slices.DeleteFunc(c.w.records[id], func(r *record) bool {
		if b.All || slices.Contains(b.Keys, r.key) {
			deleted = append(deleted, r.key)
			return true
		}
		return false
	})
	return obj{"keys": deleted}, nil
}

// dataStructureCols are the columns of a data structure listing without
// cols[]: Make lists structures without their spec.
var dataStructureCols = []string{"id", "name", "teamId"}

func (s *Server) listDataStructures(c *call) (any, *apiError) {
	teamID, err := c.requiredTeam()
	if err != nil {
		return nil, err
	}
	list := c.w.dataStructures.list(func(o obj) bool { return num(o["teamId"]) == teamID })
	items, pg, err := c.page(list, "name", "asc", s.opts.MaxPageSize)
	if err != nil {
		return nil, err
	}
	if items == nil {
		items = []obj{}
	}
	return obj{"dataStructures": projectAll(items, c.cols(dataStructureCols)), "pg": pg}, nil
}

func (s *Server) getDataStructure(c *call) (any, *apiError) {
	o, _, err := c.owned(c.w.dataStructures, "Data structure")
	if err != nil {
		return nil, err
	}
	return obj{"dataStructure": o}, nil
}

// listFolders lists a team's folders under a parent (top level without
// parentId), each with its direct children, or all descendants with
// childrenDepth=all.
func (s *Server) listFolders(c *call) (any, *apiError) {
	teamID, err := c.requiredTeam()
	if err != nil {
		return nil, err
	}
	parentID, err := c.queryID("parentId")
	if err != nil {
		return nil, err
	}
	deep := c.r.URL.Query().Get("childrenDepth") == "all"
	out := []obj{}
	for _, f := range c.w.childFolders(teamID, parentID) {
		out = append(out, c.w.folder(f, teamID, deep, true))
	}
	return obj{"scenariosFolders": projectAll(out, c.cols(nil))}, nil
}

func (w *world) childFolders(teamID, parentID int64) []obj {
	return w.folders.list(func(f obj) bool {
		return w.folderTeam[num(f["id"])] == teamID && num(f["parentId"]) == parentID
	})
}

// folder is a folder as listed, with its scenario counts and children.
func (w *world) folder(f obj, teamID int64, deep, withChildren bool) obj {
	id := num(f["id"])
	out := clone(f)
	total := len(w.scenarios.list(func(s obj) bool { return num(s["folderId"]) == id }))
	subtree := total
	kids := w.childFolders(teamID, id)
	var children []any
	for _, k := range kids {
		child := w.folder(k, teamID, deep, deep)
		subtree += int(num(child["scenariosSubtreeTotal"]))
		children = append(children, child)
	}
	out["scenariosTotal"] = total
	out["scenariosSubtreeTotal"] = subtree
	out["hasChildren"] = len(kids) > 0
	delete(out, "children")
	if withChildren && len(children) > 0 {
		out["children"] = children
	}
	return out
}
