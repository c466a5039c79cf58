package makeapi_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/makemcp/makemcp/makeapi"
	"github.com/makemcp/makemcp/makeapi/makefake"
)

// These tests drive the Demo account through the client, over real HTTP
// on 127.0.0.1 unless time matters, and check that each change shows in
// later calls.

// started returns a started demo fake and a client for it over the network.
func started(t *testing.T, o makefake.Options) (*makefake.Server, *makeapi.Client) {
	t.Helper()
	f := newFake(t, o).Start()
	t.Cleanup(f.Close)
	c, err := makeapi.New(makeapi.Options{Zone: f.Zone(), AllowedHosts: []string{f.Zone()}, Tokens: demoTokens()})
	if err != nil {
		t.Fatal(err)
	}
	return f, c
}

func TestScenarioLifecycle(t *testing.T) {
	_, c := started(t, makefake.Options{})
	ctx := t.Context()

	orgs, err := c.Organizations(ctx)
	if err != nil || len(orgs) != 1 || orgs[0].ID != 2001 {
		t.Fatalf("organizations = %+v, %v", orgs, err)
	}
	var onDemand []int64
	for s, err := range c.AllScenarios(ctx, makeapi.ScenarioQuery{TeamID: 3001}) {
		if err != nil {
			t.Fatal(err)
		}
		if s.IsActive && s.OnDemand() {
			onDemand = append(onDemand, s.ID)
		}
	}
	if !slices.Equal(onDemand, []int64{5001, 5002, 5006}) {
		t.Fatalf("active on-demand scenarios %v, want 5001 5002 5006", onDemand)
	}

	created, err := c.CreateScenario(ctx, makeapi.ScenarioCreate{
		TeamID: 3001, FolderID: 4001,
		Blueprint: json.RawMessage(`{"name":"Echo","flow":[{"id":1,"module":"scenario-service:ReturnData","version":1,
			"mapper":{"echo":"{{var.input.text}}"}}],"metadata":{"version":1},
			"interface":{"input":[{"name":"text","type":"text","required":true}],"output":[{"name":"echo","type":"text"}]}}`),
		Scheduling: &makeapi.Scheduling{Type: makeapi.SchedulingOnDemand},
	})
	if err != nil {
		t.Fatal(err)
	}
	if created.Name != "Echo" || created.IsActive || created.FolderID != 4001 || !created.OnDemand() {
		t.Fatalf("created %+v", created)
	}
	in, err := c.ScenarioInterface(ctx, created.ID)
	if err != nil || len(in.Input) != 1 || in.Input[0].Name != "text" || !in.Input[0].Required {
		t.Fatalf("interface of the new scenario = %+v, %v", in, err)
	}

	// A new scenario is inactive, and inactive scenarios do not run.
	_, err = c.RunScenario(ctx, created.ID, makeapi.RunRequest{Data: json.RawMessage(`{"text":"hi"}`), Responsive: true})
	if errorsStatus(err) != 400 {
		t.Fatalf("run of an inactive scenario: %v", err)
	}
	if active, err := c.ActivateScenario(ctx, created.ID); err != nil || !active {
		t.Fatalf("activate = %v, %v", active, err)
	}
	if _, err := c.ActivateScenario(ctx, created.ID); errorsStatus(err) != 400 {
		t.Fatalf("activating an active scenario: %v, want Make's 400", err)
	}
	res, err := c.RunScenario(ctx, created.ID, makeapi.RunRequest{Data: json.RawMessage(`{"text":"hi"}`), Responsive: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != makeapi.ExecutionOK || !jsonEqual(res.Outputs, []byte(`{"echo":"hi"}`)) || len(res.ExecutionID) != 32 {
		t.Fatalf("run result %+v (outputs %s)", res, res.Outputs)
	}
	logs, _, err := c.ListExecutions(ctx, created.ID, makeapi.ExecutionQuery{}, makeapi.Page{})
	if err != nil || len(logs) != 1 || logs[0].ID != res.ExecutionID || logs[0].Status != makeapi.ExecutionOK {
		t.Fatalf("logs after a run = %+v, %v", logs, err)
	}
	if l, err := c.GetExecution(ctx, created.ID, res.ExecutionID); err != nil || l.Type != "manual" {
		t.Fatalf("execution log = %+v, %v", l, err)
	}

	// A rename keeps the interface (no empty metadata is sent).
	up, err := c.UpdateScenario(ctx, created.ID, makeapi.ScenarioUpdate{Name: "Echo back", Description: ptr("Says it again.")})
	if err != nil || up.Name != "Echo back" || up.Description != "Says it again." {
		t.Fatalf("update = %+v, %v", up, err)
	}
	if in, err := c.ScenarioInterface(ctx, created.ID); err != nil || len(in.Input) != 1 {
		t.Fatalf("interface after a rename = %+v, %v", in, err)
	}

	// Interface changes show in the blueprint's metadata, and blueprint
	// updates add versions.
	_, err = c.SetScenarioInterface(ctx, created.ID, makeapi.Interface{
		Input: []makeapi.Field{{Name: "text", Type: "text"}, {Name: "times", Type: "number", Default: json.RawMessage(`2`)}}})
	if err != nil {
		t.Fatal(err)
	}
	bp, err := c.ScenarioBlueprint(ctx, created.ID)
	if err != nil || len(bp.Interface.Input) != 2 || bp.Scheduling.Type != "on-demand" || !json.Valid(bp.Blueprint) {
		t.Fatalf("blueprint = %+v, %v", bp, err)
	}
	if _, err := c.UpdateScenario(ctx, created.ID, makeapi.ScenarioUpdate{Blueprint: bp.Blueprint, Interface: &bp.Interface}); err != nil {
		t.Fatal(err)
	}
	type version struct{ Version int64 }
	if versions := call[[]version](t, c, "GET", fmt.Sprintf("/scenarios/%d/blueprints", created.ID), "", "scenariosBlueprints"); len(versions) != 2 || versions[0].Version != 2 {
		t.Fatalf("versions = %+v", versions)
	}

	if active, err := c.DeactivateScenario(ctx, created.ID); err != nil || active {
		t.Fatalf("deactivate = %v, %v", active, err)
	}
	call[any](t, c, "DELETE", fmt.Sprintf("/scenarios/%d", created.ID), "", "")
	if _, err := c.GetScenario(ctx, created.ID); !makeapi.IsNotFound(err) {
		t.Fatalf("get after delete: %v", err)
	}
}

func TestCreateScenarioNeedsItsParts(t *testing.T) {
	_, c := started(t, makefake.Options{})
	for _, sc := range []makeapi.ScenarioCreate{
		{Blueprint: json.RawMessage(`{"flow":[]}`), Scheduling: &makeapi.Scheduling{Type: "on-demand"}},
		{TeamID: 3001, Scheduling: &makeapi.Scheduling{Type: "on-demand"}},
		{TeamID: 3001, Blueprint: json.RawMessage(`{"name":"x","flow":[]}`)},
		{TeamID: 3001, Blueprint: json.RawMessage(`[1,2]`), Scheduling: &makeapi.Scheduling{Type: "on-demand"}},
	} {
		if _, err := c.CreateScenario(t.Context(), sc); err == nil {
			t.Errorf("CreateScenario(%+v) succeeded", sc)
		}
	}
	// A blueprint given as a JSON string is accepted, as by Make's SDK.
	s, err := c.CreateScenario(t.Context(), makeapi.ScenarioCreate{TeamID: 3001,
		Blueprint: json.RawMessage(`"{\"name\":\"From a string\",\"flow\":[],\"metadata\":{}}"`), Scheduling: &makeapi.Scheduling{Type: "indefinitely", Interval: 900}})
	if err != nil || s.Name != "From a string" || s.Scheduling.Interval != 900 {
		t.Fatalf("create from a string = %+v, %v", s, err)
	}
}

func TestLongRunGoesOnAfterTheResponsiveLimit(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFake(t, makefake.Options{RunDuration: 2 * time.Minute})
		c := inProcess(t, f, func(o *makeapi.Options) { o.Timeout = 5 * time.Second })
		ctx := t.Context()
		start := time.Now()
		res, err := c.RunScenario(ctx, 5001, makeapi.RunRequest{Data: json.RawMessage(`{"name":"Ada"}`), Responsive: true})
		if !errors.Is(err, makeapi.ErrRunTimeout) {
			t.Fatalf("err = %v, want ErrRunTimeout", err)
		}
		if waited := time.Since(start); waited != makefake.ResponsiveLimit {
			t.Fatalf("the run answered after %v, want Make's 40s limit (not the client's 5s timeout)", waited)
		}
		if res == nil || len(res.ExecutionID) != 32 {
			t.Fatalf("result %+v: want the execution to follow", res)
		}
		if !strings.Contains(err.Error(), "scenario 5001 is still running after Make's 40 s limit: execution "+res.ExecutionID+" goes on") {
			t.Fatalf("message %q", err)
		}
		if n := f.Count("POST", "/api/v2/scenarios/5001/run"); n != 1 {
			t.Fatalf("%d run requests", n)
		}

		d, err := c.ExecutionDetail(ctx, 5001, res.ExecutionID)
		if err != nil || d.Status != makeapi.StatusRunning {
			t.Fatalf("detail while running = %+v, %v", d, err)
		}
		// One run at a time.
		_, err = c.RunScenario(ctx, 5001, makeapi.RunRequest{Data: json.RawMessage(`{"name":"Bob"}`)})
		var apiErr *makeapi.Error
		if !errors.As(err, &apiErr) || apiErr.Message != "Scenario is already being executed." {
			t.Fatalf("second run while the first goes on: %v", err)
		}

		time.Sleep(2 * time.Minute)
		d, err = c.ExecutionDetail(ctx, 5001, res.ExecutionID)
		if err != nil || d.Status != makeapi.StatusSuccess || !jsonEqual(d.Outputs, []byte(`{"greeting":"Hello, Ada! Thanks for being with us.","language":"en"}`)) {
			t.Fatalf("detail after the run = %+v (%s), %v", d, d.Outputs, err)
		}
	})
}

func TestClientStopsWaitingForARunThatNeverAnswers(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFake(t, makefake.Options{})
		f.Inject(makefake.Fault{Method: "POST", Path: "/api/v2/scenarios/5001/run", Delay: time.Hour})
		c := inProcess(t, f, func(o *makeapi.Options) { o.Timeout = 5 * time.Second })
		start := time.Now()
		_, err := c.RunScenario(t.Context(), 5001, makeapi.RunRequest{Data: json.RawMessage(`{"name":"Ada"}`), Responsive: true})
		if !errors.Is(err, makeapi.ErrRunTimeout) || !errors.Is(err, makeapi.ErrTimeout) {
			t.Fatalf("err = %v, want ErrRunTimeout", err)
		}
		// Past Make's 40 s limit and the time Make takes to say so, but not
		// an hour; and the run is not sent again.
		if waited := time.Since(start); waited <= makefake.ResponsiveLimit || waited > time.Minute {
			t.Fatalf("waited %v", waited)
		}
		if n := f.Count("POST", "/api/v2/scenarios/5001/run"); n != 1 {
			t.Fatalf("%d run requests", n)
		}
	})
}

func TestDemoQuarterlyReportOutlivesTheLimit(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFake(t, makefake.Options{})
		c := inProcess(t, f)
		res, err := c.RunScenario(t.Context(), 5006, makeapi.RunRequest{Data: json.RawMessage(`{"quarter":"Q3","year":2024}`), Responsive: true})
		if !errors.Is(err, makeapi.ErrRunTimeout) || res.ExecutionID == "" {
			t.Fatalf("run = %+v, %v; want the 40s timeout", res, err)
		}
		time.Sleep(40 * time.Second)
		d, err := c.ExecutionDetail(t.Context(), 5006, res.ExecutionID)
		if err != nil || d.Status != makeapi.StatusSuccess || !jsonEqual(d.Outputs, []byte(`{"reportUrl":"https://reports.example.com/2024-Q3.pdf"}`)) {
			t.Fatalf("detail = %+v (%s), %v", d, d.Outputs, err)
		}
	})
}

func TestRunInTheBackground(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFake(t, makefake.Options{})
		f.SetRunDuration(5002, 90*time.Second)
		c := inProcess(t, f)
		start := time.Now()
		res, err := c.RunScenario(t.Context(), 5002, makeapi.RunRequest{
			Data: json.RawMessage(`{"subject":"Printer on fire","category":"technical","customer":{"name":"Ada","email":"ada@example.com"},"tags":["hw"],"urgent":true,"priority":5,"dueDate":"2025-03-11T00:00:00.000Z"}`)})
		if err != nil || res.ExecutionID == "" || res.Outputs != nil || time.Since(start) != 0 {
			t.Fatalf("background run = %+v, %v after %v", res, err, time.Since(start))
		}
		logs, _, err := c.ListExecutions(t.Context(), 5002, makeapi.ExecutionQuery{}, makeapi.Page{})
		if err != nil || len(logs) != 1 || logs[0].Status != 0 {
			t.Fatalf("logs while running = %+v, %v", logs, err)
		}
		time.Sleep(90 * time.Second)
		d, err := c.ExecutionDetail(t.Context(), 5002, res.ExecutionID)
		want := `{"ticketId":"TCK-1042","status":"open","subject":"Printer on fire","customer":{"name":"Ada","email":"ada@example.com"}}`
		if err != nil || d.Status != makeapi.StatusSuccess || !jsonEqual(d.Outputs, []byte(want)) {
			t.Fatalf("detail = %+v (%s), %v", d, d.Outputs, err)
		}
		logs, _, err = c.ListExecutions(t.Context(), 5002, makeapi.ExecutionQuery{Status: makeapi.ExecutionOK}, makeapi.Page{})
		if err != nil || len(logs) != 1 || logs[0].Duration != 90_000 {
			t.Fatalf("logs after the run = %+v, %v", logs, err)
		}
	})
}

func TestHooks(t *testing.T) {
	_, c := started(t, makefake.Options{})
	ctx := t.Context()
	h := call[makeapi.Hook](t, c, "POST", "/hooks?useDefaults=requiredOnly",
		`{"name": "Orders", "teamId": 3001, "typeName": "gateway-webhook", "headers": true}`, "hook")
	if !h.Enabled || h.Type != "web" || len(h.UDID) != 32 || !jsonEqual(h.Data, []byte(`{"headers":true,"method":false,"stringify":false}`)) {
		t.Fatalf("created hook %+v (data %s)", h, h.Data)
	}
	hook := fmt.Sprintf("/hooks/%d", h.ID)
	call[any](t, c, "POST", hook+"/disable", "", "")
	if got, _ := c.GetHook(ctx, h.ID); got.Enabled {
		t.Fatal("hook still enabled")
	}
	call[any](t, c, "POST", hook+"/enable", "", "")
	if changed, err := c.UpdateHook(ctx, h.ID, json.RawMessage(`{"method":true}`)); err != nil || !changed {
		t.Fatalf("update = %v, %v", changed, err)
	}
	if r, err := c.RenameHook(ctx, h.ID, "Orders in"); err != nil || r.Name != "Orders in" {
		t.Fatalf("rename = %+v, %v", r, err)
	}
	type ping struct {
		Address  string
		Attached bool
	}
	if p := call[ping](t, c, "GET", hook+"/ping", "", ""); p.Attached || p.Address != h.URL {
		t.Fatalf("ping = %+v", p)
	}
	if p := call[ping](t, c, "GET", "/hooks/6001/ping", "", ""); !p.Attached {
		t.Fatal("the demo's hook is attached to a scenario")
	}
	var names []string
	for _, h := range call[[]makeapi.Hook](t, c, "GET", "/hooks?teamId=3001", "", "hooks") {
		names = append(names, h.Name)
	}
	if !slices.Equal(names, []string{"New lead webhook", "Orders in"}) {
		t.Fatalf("hooks %v", names)
	}
	call[any](t, c, "DELETE", hook+"?confirmed=true", "", "")
	if _, err := c.GetHook(ctx, h.ID); !makeapi.IsNotFound(err) {
		t.Fatalf("get after delete: %v", err)
	}
}

func TestDataStoresAndRecords(t *testing.T) {
	_, c := started(t, makefake.Options{})
	ctx := t.Context()
	stores := call[[]makeapi.DataStore](t, c, "GET", "/data-stores?teamId=3001", "", "dataStores")
	if len(stores) != 1 || stores[0].Records != 5 || stores[0].DataStructureID != 7001 {
		t.Fatalf("data stores = %+v", stores)
	}
	ds := call[makeapi.DataStructure](t, c, "GET", "/data-structures/7001", "", "dataStructure")
	if len(ds.Spec) != 5 || ds.Spec[2].Type != "select" || len(ds.Spec[2].Options) != 3 {
		t.Fatalf("data structure = %+v", ds)
	}
	// Records page by pg[limit]/pg[offset]; Make's default page is 10.
	first, _, err := c.ListRecords(ctx, 8001, makeapi.Page{Limit: 2})
	if err != nil || len(first) != 2 || first[0].Key != "a1c9e3f0b2d4" {
		t.Fatalf("first page = %+v, %v", first, err)
	}
	rec := call[makeapi.Record](t, c, "POST", "/data-stores/8001/data",
		`{"data": {"name":"Barbara Liskov","email":"barbara@example.com","plan":"pro"}}`, "")
	if len(rec.Key) != 12 {
		t.Fatalf("create = %+v", rec)
	}
	if _, err := send(c, "POST", "/data-stores/8001/data", `{"data": {"name":"No email"}}`, ""); errorsStatus(err) != 400 {
		t.Fatalf("a record missing a required field: %v", err)
	}
	record := "/data-stores/8001/data/" + rec.Key
	if up := call[makeapi.Record](t, c, "PATCH", record, `{"vip":true}`, ""); !jsonEqual(up.Data, []byte(`{"name":"Barbara Liskov","email":"barbara@example.com","plan":"pro","vip":true}`)) {
		t.Fatalf("update = %s", up.Data)
	}
	if rep := call[makeapi.Record](t, c, "PUT", record, `{"name":"B. Liskov","email":"bl@example.com"}`, ""); !jsonEqual(rep.Data, []byte(`{"name":"B. Liskov","email":"bl@example.com"}`)) {
		t.Fatalf("replace = %s", rep.Data)
	}
	all, _, err := c.ListRecords(ctx, 8001, makeapi.Page{Limit: 100})
	if err != nil || len(all) != 6 || all[5].Key != rec.Key {
		t.Fatalf("all records %+v, %v", all, err)
	}
	call[any](t, c, "DELETE", "/data-stores/8001/data?confirmed=true", `{"keys": ["`+rec.Key+`", "a1c9e3f0b2d4"]}`, "")
	if d := call[makeapi.DataStore](t, c, "GET", "/data-stores/8001", "", "dataStore"); d.Records != 4 {
		t.Fatalf("data store after deleting 2 = %+v", d)
	}

	created := call[makeapi.DataStore](t, c, "POST", "/data-stores", `{"name": "Leads", "teamId": 3001, "maxSizeMB": 2}`, "dataStore")
	if created.MaxSize != "2097152" || created.Records != 0 {
		t.Fatalf("create data store = %+v", created)
	}
	store := fmt.Sprintf("/data-stores/%d", created.ID)
	if u := call[makeapi.DataStore](t, c, "PATCH", store, `{"name": "Hot leads", "datastructureId": 7001}`, "dataStore"); u.Name != "Hot leads" || u.DataStructureID != 7001 {
		t.Fatalf("update data store = %+v", u)
	}
	if _, err := send(c, "DELETE", store, "", ""); errorsStatus(err) != 400 {
		t.Fatalf("a deletion without confirmed=true: %v, want Make's 400", err)
	}
	call[any](t, c, "DELETE", store+"?confirmed=true", "", "")
	if _, err := send(c, "GET", store, "", "dataStore"); !makeapi.IsNotFound(err) {
		t.Fatalf("get after delete: %v", err)
	}
}

func TestConnectionsFoldersTeamsAndIncompleteExecutions(t *testing.T) {
	_, c := started(t, makefake.Options{})
	ctx := t.Context()
	if conns := call[[]makeapi.Connection](t, c, "GET", "/connections?teamId=3001&type[]=google-email", "", "connections"); len(conns) != 1 || conns[0].ID != 9001 {
		t.Fatalf("connections = %+v", conns)
	}
	scoped := call[[]makeapi.Connection](t, c, "GET", "/connections?teamId=3001&google-email[]=https://www.googleapis.com/auth/gmail.send&slack2[]=channels:read", "", "connections")
	if len(scoped) != 1 || scoped[0].ID != 9001 {
		t.Fatalf("connections with scopes = %+v", scoped)
	}
	if conn := call[makeapi.Connection](t, c, "GET", "/connections/9001?cols[]=*", "", "connection"); len(conn.Scopes) != 2 || conn.ScopesCount != 2 {
		t.Fatalf("connection = %+v", conn)
	}
	if ok, err := c.TestConnection(ctx, 9001); err != nil || !ok {
		t.Fatalf("test of a live connection = %v, %v", ok, err)
	}
	if ok, err := c.TestConnection(ctx, 9002); err != nil || ok {
		t.Fatalf("test of an expired connection = %v, %v", ok, err)
	}
	if r := call[makeapi.Connection](t, c, "PATCH", "/connections/9002", `{"name": "Slack (old)"}`, "connection"); r.Name != "Slack (old)" {
		t.Fatalf("rename = %+v", r)
	}
	call[any](t, c, "DELETE", "/connections/9002?confirmed=true", "", "")
	if _, err := send(c, "GET", "/connections/9002", "", "connection"); !makeapi.IsNotFound(err) {
		t.Fatalf("get after delete: %v", err)
	}

	folders, err := c.ListFolders(ctx, makeapi.FolderQuery{TeamID: 3001})
	if err != nil || len(folders) != 1 || folders[0].ScenariosTotal != 2 || folders[0].ScenariosSubtreeTotal != 3 ||
		len(folders[0].Children) != 1 || folders[0].Children[0].Path != "Customer care/Exports" {
		t.Fatalf("folders = %+v, %v", folders, err)
	}

	var teams []makeapi.Team
	for tm, err := range c.AllTeams(ctx, makeapi.TeamQuery{OrganizationID: 2001}) {
		if err != nil {
			t.Fatal(err)
		}
		teams = append(teams, tm)
	}
	if len(teams) != 1 || teams[0].Name != "Operations" {
		t.Fatalf("teams = %+v", teams)
	}
	org, err := c.GetOrganization(ctx, 2001)
	if err != nil || org.License == nil || org.License.APILimit != 120 || len(org.Teams) != 1 {
		t.Fatalf("organization = %+v, %v", org, err)
	}
	me, err := c.Me(ctx)
	if err != nil || me.Email != "dana@example.com" {
		t.Fatalf("me = %+v, %v", me, err)
	}

	dlqs := call[[]makeapi.IncompleteExecution](t, c, "GET", "/dlqs?scenarioId=5003", "", "dlqs")
	if len(dlqs) != 1 || dlqs[0].Reason == "" {
		t.Fatalf("incomplete executions = %+v", dlqs)
	}
	call[any](t, c, "POST", "/dlqs/"+dlqs[0].ID+"/retry", "", "")
	if d := call[makeapi.IncompleteExecution](t, c, "GET", "/dlqs/"+dlqs[0].ID, "", "dlq"); !d.Retry || d.Attempts != 1 {
		t.Fatalf("after retry = %+v", d)
	}
}

func TestIteratorsFollowTheLimitMakeApplies(t *testing.T) {
	// Make may apply a smaller pg[limit] than asked for; the iterator must
	// not take a clamped page for the last one.
	_, c := started(t, makefake.Options{MaxPageSize: 2})
	ctx := t.Context()
	var ids []int64
	for s, err := range c.AllScenarios(ctx, makeapi.ScenarioQuery{OrganizationID: 2001}) {
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, s.ID)
	}
	if !slices.Equal(ids, []int64{5001, 5002, 5003, 5004, 5005, 5006}) {
		t.Fatalf("all scenarios in pages of 2: %v", ids)
	}
	page, info, err := c.ListScenarios(ctx, makeapi.ScenarioQuery{TeamID: 3001}, makeapi.Page{Limit: 100, Offset: 1, SortBy: "name", SortDir: "desc"})
	if err != nil || info.Limit != 2 || info.Offset != 1 || info.SortBy != "name" || len(page) != 2 || page[0].Name != "Sync new leads to the CRM" {
		t.Fatalf("page = %v, %+v, %v", page, info, err)
	}
	// Stopping early sends no more requests.
	n := 0
	for _, err := range c.AllScenarios(ctx, makeapi.ScenarioQuery{TeamID: 3001}) {
		if err != nil {
			t.Fatal(err)
		}
		if n++; n == 3 {
			break
		}
	}
	// An error ends the iteration with that error.
	for _, err := range c.AllScenarios(ctx, makeapi.ScenarioQuery{TeamID: 999}) {
		if !makeapi.IsForbidden(err) {
			t.Fatalf("iterating another zone's team: %v", err)
		}
	}
}
