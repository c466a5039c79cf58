package makefake

import (
	"embed"
	"fmt"
	"io/fs"
	"time"
)

//go:embed demo.json
var demoJSON []byte

//go:embed fixtures
var fixtures embed.FS

// FixtureFS holds Make's own response fixtures (from the tests of
// @makehq/sdk, MIT licence): one folder a resource, one file a call, such
// as "scenarios/get.json", the body of GET /scenarios/{id}.
var FixtureFS fs.FS = mustSub(fixtures, "fixtures")

func mustSub(f fs.FS, dir string) fs.FS {
	sub, err := fs.Sub(f, dir)
	if err != nil {
		panic(err)
	}
	return sub
}

// seed is an account's content, in Make's shapes.
type seed struct {
	User                 obj             `json:"user"`
	Organizations        []obj           `json:"organizations"`
	Teams                []obj           `json:"teams"`
	Folders              []seedFolder    `json:"folders"`
	Scenarios            []seedScenario  `json:"scenarios"`
	Executions           []seedExecution `json:"executions"`
	IncompleteExecutions []seedDLQ       `json:"incompleteExecutions"`
	Connections          []obj           `json:"connections"`
	Hooks                []obj           `json:"hooks"`
	DataStructures       []obj           `json:"dataStructures"`
	DataStores           []seedDataStore `json:"dataStores"`
}

type seedFolder struct {
	TeamID int64 `json:"teamId"`
	Folder obj   `json:"folder"`
}

type seedScenario struct {
	Scenario  obj   `json:"scenario"`
	Blueprint obj   `json:"blueprint"`
	Interface obj   `json:"interface"`
	Versions  []obj `json:"versions"`
	// RunDuration is how long a run takes, as time.ParseDuration reads it.
	RunDuration string `json:"runDuration"`
}

type seedExecution struct {
	ScenarioID int64 `json:"scenarioId"`
	Log        obj   `json:"log"`
	Outputs    any   `json:"outputs"`
}

type seedDLQ struct {
	ScenarioID int64 `json:"scenarioId"`
	DLQ        obj   `json:"dlq"`
}

type seedDataStore struct {
	DataStore obj   `json:"dataStore"`
	Records   []obj `json:"records"`
}

// loadSeed builds the world a seed describes.
func loadSeed(name Seed) (*world, error) {
	var sd seed
	switch name {
	case Demo:
		if err := decode(demoJSON, &sd); err != nil {
			return nil, fmt.Errorf("makefake: demo seed: %w", err)
		}
	case Fixtures:
		var err error
		if sd, err = fixtureSeed(); err != nil {
			return nil, fmt.Errorf("makefake: fixtures seed: %w", err)
		}
	default:
		return nil, fmt.Errorf("makefake: unknown seed %q: use Demo or Fixtures", name)
	}
	return sd.world()
}

func (sd *seed) world() (*world, error) {
	w := newWorld()
	w.user = sd.User
	for _, o := range sd.Organizations {
		w.addOrganization(o, 0)
	}
	for _, t := range sd.Teams {
		w.teams.put(t)
	}
	for _, f := range sd.Folders {
		w.folders.put(f.Folder)
		w.folderTeam[num(f.Folder["id"])] = f.TeamID
	}
	for _, s := range sd.Scenarios {
		id := num(s.Scenario["id"])
		w.scenarios.put(s.Scenario)
		if s.Interface != nil {
			w.interfaces[id] = s.Interface
		}
		bp := s.Blueprint
		if bp == nil {
			bp = obj{"name": s.Scenario["name"], "flow": []any{}, "metadata": obj{"version": jsonNumber(1)}}
		}
		w.setBlueprint(id, bp, cmpOr(str(s.Scenario["lastEdit"]), str(s.Scenario["created"])))
		if created := str(s.Scenario["created"]); created != "" {
			w.blueprints[id]["created"] = created
		}
		if s.Versions != nil {
			w.versions[id] = s.Versions
		}
		if s.RunDuration != "" {
			d, err := time.ParseDuration(s.RunDuration)
			if err != nil {
				return nil, fmt.Errorf("scenario %d: runDuration: %w", id, err)
			}
			w.runDuration[id] = d
		}
	}
	for _, e := range sd.Executions {
		start, err := time.Parse(time.RFC3339Nano, str(e.Log["timestamp"]))
		if err != nil {
			return nil, fmt.Errorf("execution %v: timestamp: %w", e.Log["id"], err)
		}
		w.executions[str(e.Log["id"])] = &execution{
			id: str(e.Log["id"]), scenarioID: e.ScenarioID, started: start,
			done:   start.Add(time.Duration(num(e.Log["duration"])) * time.Millisecond),
			status: int(num(e.Log["status"])), outputs: e.Outputs, log: e.Log,
		}
	}
	for _, d := range sd.IncompleteExecutions {
		id := str(d.DLQ["id"])
		w.dlqs[id] = d.DLQ
		w.dlqOrder = append(w.dlqOrder, id)
		w.dlqScen[id] = d.ScenarioID
	}
	for _, c := range sd.Connections {
		w.connections.put(c)
	}
	for _, h := range sd.Hooks {
		w.hooks.put(h)
	}
	for _, d := range sd.DataStructures {
		w.dataStructures.put(d)
	}
	for _, d := range sd.DataStores {
		id := num(d.DataStore["id"])
		w.dataStores.put(d.DataStore)
		for _, r := range d.Records {
			data, _ := r["data"].(map[string]any)
			w.records[id] = append(w.records[id], &record{key: str(r["key"]), data: data})
		}
	}
	w.linkTeams()
	for _, t := range []*table{w.orgs, w.teams, w.scenarios, w.folders, w.connections, w.hooks, w.dataStores, w.dataStructures} {
		w.nextID = max(w.nextID, t.maxID())
	}
	var team, org int64
	if len(w.teams.order) > 0 {
		team = w.teams.order[0]
	}
	if len(w.orgs.order) > 0 {
		org = w.orgs.order[0]
	}
	if err := w.seedResources(team, org); err != nil {
		return nil, err
	}
	if err := w.seedSDKApps(); err != nil {
		return nil, err
	}
	if err := w.seedAdmin(org); err != nil {
		return nil, err
	}
	return w, nil
}

// linkTeams adds the teams that objects refer to but the seed lacks, in
// the first organization, and the organizations teams refer to: Make's
// fixtures come from separate tests and do not always agree.
func (w *world) linkTeams() {
	firstOrg := int64(0)
	if ids := w.orgs.order; len(ids) > 0 {
		firstOrg = ids[0]
	}
	for _, t := range []*table{w.scenarios, w.connections, w.hooks, w.dataStores, w.dataStructures} {
		for _, o := range t.list(nil) {
			id := num(o["teamId"])
			if id != 0 && w.teams.get(id) == nil {
				w.teams.put(obj{"id": jsonNumber(id), "name": "Team " + itoa(id), "organizationId": jsonNumber(firstOrg)})
			}
		}
	}
	for _, t := range w.teams.list(nil) {
		id := num(t["organizationId"])
		if id != 0 && w.orgs.get(id) == nil {
			w.orgs.put(obj{"id": jsonNumber(id), "name": "Organization " + itoa(id), "timezoneId": jsonNumber(113)})
		}
	}
}

// readFixture reads the JSON object a fixture file holds.
func readFixture(name string) (obj, error) {
	b, err := fs.ReadFile(FixtureFS, name)
	if err != nil {
		return nil, err
	}
	var o obj
	if err := decode(b, &o); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return o, nil
}

// fixtureListed reads the objects a fixture answers: those of its list
// under many, then its single object under one, as a listing or a get
// of Make's answers.
func fixtureListed(name, one, many string) ([]obj, error) {
	answer, err := readFixture(name)
	if err != nil {
		return nil, err
	}
	objs := list(answer[many])
	if o, ok := answer[one].(map[string]any); ok {
		objs = append(objs, o)
	}
	return objs, nil
}

// fixtureSeed gathers the objects of Make's fixtures into a seed. Where
// a listing and a get hold the same id, the get (the fuller object) wins.
func fixtureSeed() (seed, error) {
	var sd seed
	files := map[string]obj{}
	for _, name := range []string{
		"users/me.json", "organizations/list.json", "organizations/get.json",
		"teams/list.json", "teams/get.json", "scenarios/list.json", "scenarios/get.json",
		"scenarios/interface.json", "blueprints/get.json", "blueprints/versions.json",
		"executions/list.json", "executions/get.json", "executions/get-detail.json",
		"incomplete-executions/list.json", "incomplete-executions/get.json",
		"connections/list.json", "connections/get.json", "hooks/list.json", "hooks/get.json",
		"data-stores/list.json", "data-stores/get.json", "data-store-records/list.json",
		"data-structures/list.json", "data-structures/get.json", "folders/list.json",
	} {
		o, err := readFixture(name)
		if err != nil {
			return sd, err
		}
		files[name] = o
	}
	sd.User, _ = files["users/me.json"]["authUser"].(map[string]any)
	sd.Organizations = merged(files["organizations/list.json"]["organizations"], files["organizations/get.json"]["organization"])
	sd.Teams = merged(files["teams/list.json"]["teams"], files["teams/get.json"]["team"])

	// The scenario of scenarios/get.json carries the blueprint, interface
	// and executions of the other fixtures.
	main := files["scenarios/get.json"]["scenario"].(map[string]any)
	mainID := num(main["id"])
	for _, s := range merged(files["scenarios/list.json"]["scenarios"], main) {
		ss := seedScenario{Scenario: s}
		if num(s["id"]) == mainID {
			resp, _ := files["blueprints/get.json"]["response"].(map[string]any)
			ss.Blueprint, _ = resp["blueprint"].(map[string]any)
			ss.Interface, _ = files["scenarios/interface.json"]["interface"].(map[string]any)
			for _, v := range list(files["blueprints/versions.json"]["scenariosBlueprints"]) {
				v["scenarioId"] = jsonNumber(mainID)
				ss.Versions = append(ss.Versions, v)
			}
		}
		sd.Scenarios = append(sd.Scenarios, ss)
	}
	detail := files["executions/get-detail.json"]["outputs"]
	for i, l := range merged(files["executions/list.json"]["scenarioLogs"], files["executions/get.json"]["scenarioLog"]) {
		e := seedExecution{ScenarioID: mainID, Log: l}
		if i == 0 {
			e.Outputs = detail
		}
		sd.Executions = append(sd.Executions, e)
	}
	for _, d := range merged(files["incomplete-executions/list.json"]["dlqs"], files["incomplete-executions/get.json"]["dlq"]) {
		sd.IncompleteExecutions = append(sd.IncompleteExecutions, seedDLQ{ScenarioID: mainID, DLQ: d})
	}
	sd.Connections = merged(files["connections/list.json"]["connections"], files["connections/get.json"]["connection"])
	sd.Hooks = merged(files["hooks/list.json"]["hooks"], files["hooks/get.json"]["hook"])
	sd.DataStructures = merged(files["data-structures/list.json"]["dataStructures"], files["data-structures/get.json"]["dataStructure"])
	records := list(files["data-store-records/list.json"]["records"])
	for _, d := range merged(files["data-stores/list.json"]["dataStores"], files["data-stores/get.json"]["dataStore"]) {
		sd.DataStores = append(sd.DataStores, seedDataStore{DataStore: d, Records: records})
	}
	// Folders come nested; the world keeps them flat, in the team of the
	// first scenario.
	var team int64
	if len(sd.Scenarios) > 0 {
		team = num(sd.Scenarios[0].Scenario["teamId"])
	}
	var flatten func(any)
	flatten = func(v any) {
		for _, f := range list(v) {
			kids := f["children"]
			delete(f, "children")
			sd.Folders = append(sd.Folders, seedFolder{TeamID: team, Folder: f})
			flatten(kids)
		}
	}
	flatten(files["folders/list.json"]["scenariosFolders"])
	return sd, nil
}

// merged lists the objects of a listing, with a get's object replacing
// the listed one of the same id or added after them.
func merged(listing any, get any) []obj {
	out := list(listing)
	g, ok := get.(map[string]any)
	if !ok {
		return out
	}
	for i, o := range out {
		// Ids are numbers or (executions, incomplete executions) strings.
		if fmt.Sprint(o["id"]) == fmt.Sprint(g["id"]) {
			out[i] = g
			return out
		}
	}
	return append(out, g)
}

// list reads a JSON array of objects.
func list(v any) []obj {
	arr, _ := v.([]any)
	var out []obj
	for _, e := range arr {
		if o, ok := e.(map[string]any); ok {
			out = append(out, o)
		}
	}
	return out
}
