package makefake

import (
	"cmp"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"time"
)

// obj is a Make object as JSON holds it. Numbers read from seeds are
// json.Number, so that large ids and counts keep every digit.
type obj = map[string]any

// table holds objects by id, in insertion order.
type table struct {
	byID  map[int64]obj
	order []int64
}

func newTable() *table { return &table{byID: map[int64]obj{}} }

func (t *table) get(id int64) obj { return t.byID[id] }

func (t *table) put(o obj) {
	id := num(o["id"])
	if _, ok := t.byID[id]; !ok {
		t.order = append(t.order, id)
	}
	t.byID[id] = o
}

func (t *table) del(id int64) {
	delete(t.byID, id)
	t.order = slices.DeleteFunc(t.order, func(x int64) bool { return x == id })
}

// list returns the objects that keep reports true for, in order.
func (t *table) list(keep func(obj) bool) []obj {
	var out []obj
	for _, id := range t.order {
		if o := t.byID[id]; keep == nil || keep(o) {
			out = append(out, o)
		}
	}
	return out
}

func (t *table) maxID() int64 {
	var m int64
	for id := range t.byID {
		m = max(m, id)
	}
	return m
}

// execution is one scenario run.
type execution struct {
	id         string
	scenarioID int64
	started    time.Time
	done       time.Time
	status     int // 1 success, 2 warning, 3 error
	outputs    any
	// log is a seeded log entry; runs build theirs when read.
	log obj
}

// running reports whether the execution is still going at t. Seeded
// executions are history: always finished.
func (e *execution) running(t time.Time) bool { return e.log == nil && t.Before(e.done) }

// record is one data store record.
type record struct {
	key  string
	data obj
}

// world is the account's state. Every access holds Server.mu.
type world struct {
	user obj

	orgs, teams, scenarios, folders, connections, hooks, dataStores, dataStructures *table

	// orgZone is the zone index of each organization (absent: primary).
	orgZone map[int64]int
	// folderTeam is each folder's team (Make's folder objects omit it).
	folderTeam map[int64]int64
	// blueprints hold each scenario's {blueprint, created, last_edit,
	// idSequence}; versions its saved versions.
	blueprints map[int64]obj
	versions   map[int64][]obj
	// interfaces hold each scenario's {input, output}.
	interfaces  map[int64]obj
	runDuration map[int64]time.Duration

	executions map[string]*execution
	// dlqs are incomplete executions by id, with their scenario.
	dlqs     map[string]obj
	dlqOrder []string
	dlqScen  map[string]int64

	records map[int64][]*record
	// connectionData holds the settings connections were made with (an
	// API key, a client id), which Make never shows.
	connectionData map[int64]obj

	// collections hold the objects of the generic resources, by the
	// path of their collection.
	collections map[string]*collection

	nextID int64
}

func newWorld() *world {
	return &world{
		orgs: newTable(), teams: newTable(), scenarios: newTable(), folders: newTable(),
		connections: newTable(), hooks: newTable(), dataStores: newTable(), dataStructures: newTable(),
		orgZone: map[int64]int{}, folderTeam: map[int64]int64{},
		blueprints: map[int64]obj{}, versions: map[int64][]obj{}, interfaces: map[int64]obj{},
		runDuration: map[int64]time.Duration{},
		executions:  map[string]*execution{}, dlqs: map[string]obj{}, dlqScen: map[string]int64{},
		records: map[int64][]*record{}, collections: map[string]*collection{}, connectionData: map[int64]obj{},
	}
}

func (w *world) addOrganization(o obj, zone int) {
	w.orgs.put(o)
	if zone != 0 {
		w.orgZone[num(o["id"])] = zone
	}
}

// newID returns an id no object has.
func (w *world) newID() int64 {
	w.nextID++
	return w.nextID
}

// orgOfTeam returns the organization a team belongs to, 0 if unknown.
func (w *world) orgOfTeam(teamID int64) int64 {
	if t := w.teams.get(teamID); t != nil {
		return num(t["organizationId"])
	}
	return 0
}

// zoneOfOrg returns an organization's zone index.
func (w *world) zoneOfOrg(orgID int64) int { return w.orgZone[orgID] }

// zoneOfTeam returns a team's zone index.
func (w *world) zoneOfTeam(teamID int64) int { return w.zoneOfOrg(w.orgOfTeam(teamID)) }

// teamsOf lists the teams of an organization as {id, name}.
func (w *world) teamsOf(orgID int64) []any {
	out := []any{}
	for _, t := range w.teams.list(func(t obj) bool { return num(t["organizationId"]) == orgID }) {
		out = append(out, obj{"id": t["id"], "name": t["name"]})
	}
	return out
}

// num reads an id or count from a JSON value; 0 when it is none.
func num(v any) int64 {
	switch n := v.(type) {
	case json.Number:
		i, err := n.Int64()
		if err != nil {
			f, _ := n.Float64()
			return int64(f)
		}
		return i
	case int64:
		return n
	case int:
		return int64(n)
	case float64:
		return int64(n)
	case string:
		i, _ := strconv.ParseInt(n, 10, 64)
		return i
	}
	return 0
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

func truthy(v any) bool {
	b, _ := v.(bool)
	return b
}

// clone copies an object deeply enough that the caller may change it.
func clone(o obj) obj {
	b, _ := json.Marshal(o)
	var c obj
	_ = decode(b, &c)
	return c
}

// project keeps the columns asked for ("*" keeps all).
func project(o obj, cols []string) obj {
	if len(cols) == 0 || slices.Contains(cols, "*") {
		return o
	}
	out := obj{}
	for _, c := range cols {
		if v, ok := o[c]; ok {
			out[c] = v
		}
	}
	return out
}

// compare orders two JSON values: numbers by value, others as text.
func compare(a, b any) int {
	if isNumber(a) && isNumber(b) {
		return cmp.Compare(float(a), float(b))
	}
	return cmp.Compare(fmt.Sprint(a), fmt.Sprint(b))
}

func isNumber(v any) bool {
	switch v.(type) {
	case json.Number, int64, int, float64:
		return true
	}
	return false
}

func float(v any) float64 {
	switch n := v.(type) {
	case json.Number:
		f, _ := n.Float64()
		return f
	case int64:
		return float64(n)
	case int:
		return float64(n)
	case float64:
		return n
	}
	return 0
}

// merge sets every key of patch on o.
func merge(o, patch obj) { maps.Copy(o, patch) }

// now is the fake's clock: package time, so testing/synctest controls it.
func now() time.Time { return time.Now().UTC() }

// stamp formats a time as Make does.
func stamp(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }
