package makeapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/makemcp/makemcp/makeapi"
	"github.com/makemcp/makemcp/makeapi/makefake"
)

// requestCase is one API call: what the client must send (from Make's API
// documentation and what @makehq/sdk 1.6.10 sends), and the fixture of
// Make's answer it must decode without losing what tools use.
type requestCase struct {
	name string
	call func(context.Context, *makeapi.Client) (any, error)
	// viaDo makes the call through Client.Do from method, path, query,
	// body and pick, and decodes the answer into as (unless nil): the
	// calls that the tools' endpoint table describes.
	viaDo bool
	as    any

	method, path string
	query        url.Values
	// body is the JSON the request must carry; "" for none.
	body string
	// stringFields are body fields that must be JSON strings holding
	// this JSON (Make takes scenario blueprints and schedulings so).
	stringFields map[string]string

	// fixture answers the call; pick selects the part of it the result
	// holds ("" for all of it).
	fixture, pick string
	// answer is the canned answer when Make's fixtures have none.
	answer string
	// notKept are fixture fields (dotted paths, [] for list items) the
	// typed result deliberately leaves out.
	notKept []string
	// view turns the result into the fixture's shape, when they differ.
	view func(any) any
}

var blueprintIO = `{"name":"Simple scenario","flow":[{"id":2,"module":"scenario-service:ReturnData","version":2,"parameters":{},"mapper":{"greeting":"Hello, {{var.input.name}}!"}}],"metadata":{"version":1},"io":{"input_spec":[{"name":"name","type":"text"}],"output_spec":[{"name":"greeting","type":"text"}]}}`

var requestCases = []requestCase{
	// Users.
	{
		name: "Me", call: func(ctx context.Context, c *makeapi.Client) (any, error) { return c.Me(ctx) },
		method: "GET", path: "/api/v2/users/me",
		fixture: "users/me.json", pick: "authUser", notKept: []string{"features"},
	},
	{
		name: "CurrentAuthorization", call: func(ctx context.Context, c *makeapi.Client) (any, error) { return c.CurrentAuthorization(ctx) },
		method: "GET", path: "/api/v2/users/me/current-authorization",
		fixture: "users/current-authorization.json", pick: "authorization",
	},

	// Organizations and teams.
	{
		name: "Organizations", call: func(ctx context.Context, c *makeapi.Client) (any, error) { return c.Organizations(ctx) },
		method: "GET", path: "/api/v2/organizations",
		query:   url.Values{"cols[]": {"id", "name", "zone"}, "pg[limit]": {"500"}},
		fixture: "organizations/list.json", pick: "organizations", notKept: []string{"[].privateSpaces"},
	},
	{
		name: "GetOrganization", call: func(ctx context.Context, c *makeapi.Client) (any, error) { return c.GetOrganization(ctx, 10) },
		method: "GET", path: "/api/v2/organizations/10",
		fixture: "organizations/get.json", pick: "organization",
		notKept: []string{"nextReset", "operations", "transfer", "operationsExt", "transferExt", "unusedOperations",
			"unusedTransfer", "deleted", "features", "privateSpaces", "license.apps", "license.fulltext", "license.iolimit"},
	},
	{
		name: "ListTeams", call: func(ctx context.Context, c *makeapi.Client) (any, error) {
			teams, _, err := c.ListTeams(ctx, makeapi.TeamQuery{OrganizationID: 5}, makeapi.Page{Limit: 100, SortBy: "name", SortDir: "asc"})
			return teams, err
		},
		method: "GET", path: "/api/v2/teams",
		query:   url.Values{"organizationId": {"5"}, "cols[]": {"*"}, "pg[limit]": {"100"}, "pg[sortBy]": {"name"}, "pg[sortDir]": {"asc"}},
		fixture: "teams/list.json", pick: "teams",
	},
	{
		name: "GetTeam", viaDo: true, as: new(makeapi.Team),
		method: "GET", path: "/api/v2/teams/1",
		fixture: "teams/get.json", pick: "team", notKept: []string{"scenarioDrafts"},
	},

	// Scenarios.
	{
		name: "ListScenarios by team", call: func(ctx context.Context, c *makeapi.Client) (any, error) {
			s, _, err := c.ListScenarios(ctx, makeapi.ScenarioQuery{TeamID: 18}, makeapi.Page{Limit: 10, Offset: 20, SortBy: "name", SortDir: "desc"})
			return s, err
		},
		method: "GET", path: "/api/v2/scenarios",
		query:   url.Values{"teamId": {"18"}, "cols[]": {"*"}, "pg[limit]": {"10"}, "pg[offset]": {"20"}, "pg[sortBy]": {"name"}, "pg[sortDir]": {"desc"}},
		fixture: "scenarios/list.json", pick: "scenarios", notKept: []string{"[].deviceId", "[].deviceScope"},
	},
	{
		name: "ListScenarios by organization and folder", call: func(ctx context.Context, c *makeapi.Client) (any, error) {
			s, _, err := c.ListScenarios(ctx, makeapi.ScenarioQuery{OrganizationID: 5, FolderID: 99, IsActive: ptr(false), Cols: []string{"id", "name"}}, makeapi.Page{})
			return s, err
		},
		method: "GET", path: "/api/v2/scenarios",
		query:   url.Values{"organizationId": {"5"}, "folderId": {"99"}, "isActive": {"false"}, "cols[]": {"id", "name"}},
		fixture: "scenarios/list.json", pick: "scenarios", notKept: []string{"[].deviceId", "[].deviceScope"},
	},
	{
		name: "GetScenario", call: func(ctx context.Context, c *makeapi.Client) (any, error) { return c.GetScenario(ctx, 925) },
		method: "GET", path: "/api/v2/scenarios/925", query: url.Values{"cols[]": {"*"}},
		fixture: "scenarios/get.json", pick: "scenario", notKept: []string{"deviceId", "deviceScope"},
	},
	{
		// The SDK's normalizePayload: blueprint and scheduling as JSON
		// strings, the blueprint's io moved into metadata.
		name: "CreateScenario", call: func(ctx context.Context, c *makeapi.Client) (any, error) {
			return c.CreateScenario(ctx, makeapi.ScenarioCreate{
				TeamID: 215, FolderID: 7, Blueprint: json.RawMessage(blueprintIO),
				Scheduling: &makeapi.Scheduling{Type: "indefinitely", Interval: 900}, Confirmed: true,
			})
		},
		method: "POST", path: "/api/v2/scenarios", query: url.Values{"cols[]": {"*"}, "confirmed": {"true"}},
		body: `{"teamId":215,"folderId":7,"metadata":{"input_spec":[{"name":"name","type":"text"}],"output_spec":[{"name":"greeting","type":"text"}]}}`,
		stringFields: map[string]string{
			"blueprint":  `{"name":"Simple scenario","flow":[{"id":2,"module":"scenario-service:ReturnData","version":2,"parameters":{},"mapper":{"greeting":"Hello, {{var.input.name}}!"}}],"metadata":{"version":1}}`,
			"scheduling": `{"type":"indefinitely","interval":900}`,
		},
		fixture: "scenarios/create.json", pick: "scenario", notKept: []string{"deviceId", "deviceScope"},
	},
	{
		name: "CreateScenario with the scheduling in the blueprint", call: func(ctx context.Context, c *makeapi.Client) (any, error) {
			return c.CreateScenario(ctx, makeapi.ScenarioCreate{TeamID: 215,
				Blueprint: json.RawMessage(`{"name":"On demand","flow":[],"metadata":{},"scheduling":{"type":"on-demand"}}`)})
		},
		method: "POST", path: "/api/v2/scenarios", query: url.Values{"cols[]": {"*"}},
		body: `{"teamId":215,"metadata":{"input_spec":[],"output_spec":[]}}`,
		stringFields: map[string]string{
			"blueprint":  `{"name":"On demand","flow":[],"metadata":{}}`,
			"scheduling": `{"type":"on-demand"}`,
		},
		fixture: "scenarios/create.json", pick: "scenario", notKept: []string{"deviceId", "deviceScope"},
	},
	{
		// A rename sends no metadata: an empty interface would wipe the
		// scenario's (unlike the SDK, which always sends it).
		name: "UpdateScenario", call: func(ctx context.Context, c *makeapi.Client) (any, error) {
			return c.UpdateScenario(ctx, 925, makeapi.ScenarioUpdate{Name: "New scenario", Description: ptr(""),
				Scheduling: &makeapi.Scheduling{Type: "indefinitely", Interval: 900}})
		},
		method: "PATCH", path: "/api/v2/scenarios/925", query: url.Values{"cols[]": {"*"}},
		body:         `{"name":"New scenario","description":""}`,
		stringFields: map[string]string{"scheduling": `{"type":"indefinitely","interval":900}`},
		fixture:      "scenarios/update.json", pick: "scenario", notKept: []string{"deviceId", "deviceScope"},
	},
	{
		name: "UpdateScenario with a blueprint and its interface", call: func(ctx context.Context, c *makeapi.Client) (any, error) {
			return c.UpdateScenario(ctx, 925, makeapi.ScenarioUpdate{
				Blueprint: json.RawMessage(`{"name":"B","flow":[],"metadata":{},"interface":{"input":[{"name":"q","type":"text","required":true}],"output":null}}`)})
		},
		method: "PATCH", path: "/api/v2/scenarios/925", query: url.Values{"cols[]": {"*"}},
		body:         `{"metadata":{"input_spec":[{"name":"q","type":"text","required":true}],"output_spec":[]}}`,
		stringFields: map[string]string{"blueprint": `{"name":"B","flow":[],"metadata":{}}`},
		fixture:      "scenarios/update.json", pick: "scenario", notKept: []string{"deviceId", "deviceScope"},
	},
	{
		name: "DeleteScenario", viaDo: true,
		method: "DELETE", path: "/api/v2/scenarios/925", answer: `{"scenario":925}`,
	},
	{
		name: "ActivateScenario", call: func(ctx context.Context, c *makeapi.Client) (any, error) { return c.ActivateScenario(ctx, 5) },
		method: "POST", path: "/api/v2/scenarios/5/start",
		fixture: "scenarios/activate.json", pick: "scenario.isActive",
	},
	{
		name: "DeactivateScenario", call: func(ctx context.Context, c *makeapi.Client) (any, error) { return c.DeactivateScenario(ctx, 5) },
		method: "POST", path: "/api/v2/scenarios/5/stop",
		fixture: "scenarios/deactivate.json", pick: "scenario.isActive",
	},
	{
		name: "RunScenario responsive", call: func(ctx context.Context, c *makeapi.Client) (any, error) {
			return c.RunScenario(ctx, 925, makeapi.RunRequest{Data: json.RawMessage(`{"email":"a@example.com"}`), Responsive: true})
		},
		method: "POST", path: "/api/v2/scenarios/925/run",
		body:    `{"data":{"email":"a@example.com"},"responsive":true}`,
		fixture: "scenarios/run.json",
	},
	{
		name: "RunScenario in the background", call: func(ctx context.Context, c *makeapi.Client) (any, error) {
			return c.RunScenario(ctx, 925, makeapi.RunRequest{CallbackURL: "https://example.com/done"})
		},
		method: "POST", path: "/api/v2/scenarios/925/run",
		body:    `{"responsive":false,"callbackUrl":"https://example.com/done"}`,
		fixture: "scenarios/run.json",
	},
	{
		name: "ScenarioInterface", call: func(ctx context.Context, c *makeapi.Client) (any, error) { return c.ScenarioInterface(ctx, 925) },
		method: "GET", path: "/api/v2/scenarios/925/interface",
		fixture: "scenarios/interface.json", pick: "interface",
	},
	{
		name: "SetScenarioInterface", call: func(ctx context.Context, c *makeapi.Client) (any, error) {
			return c.SetScenarioInterface(ctx, 925, makeapi.Interface{Input: []makeapi.Field{
				{Name: "userName", Type: "text", Default: json.RawMessage(`"John Doe"`), Required: true},
				{Name: "employeeID", Type: "number"},
			}})
		},
		method: "PATCH", path: "/api/v2/scenarios/925/interface",
		body:    `{"interface":{"input":[{"name":"userName","type":"text","default":"John Doe","required":true},{"name":"employeeID","type":"number"}],"output":[]}}`,
		fixture: "scenarios/update-interface.json", pick: "interface",
	},
	{
		name: "ScenarioBlueprint", call: func(ctx context.Context, c *makeapi.Client) (any, error) { return c.ScenarioBlueprint(ctx, 925) },
		method: "GET", path: "/api/v2/scenarios/925/blueprint",
		fixture: "blueprints/get.json", pick: "response",
		view: func(v any) any {
			b := v.(*makeapi.Blueprint)
			return map[string]any{
				"blueprint": b.Blueprint, "scheduling": b.Scheduling, "idSequence": b.IDSequence,
				"created": b.Created, "last_edit": b.LastEdit,
				"metadata": map[string]any{"input_spec": b.Interface.Input, "output_spec": b.Interface.Output},
			}
		},
	},
	{
		name: "ListExecutions", call: func(ctx context.Context, c *makeapi.Client) (any, error) {
			from, to := time.UnixMilli(1632395547000), time.UnixMilli(1632395548000)
			l, _, err := c.ListExecutions(ctx, 1229, makeapi.ExecutionQuery{Status: makeapi.ExecutionOK, From: from, To: to}, makeapi.Page{Limit: 50})
			return l, err
		},
		method: "GET", path: "/api/v2/scenarios/1229/logs",
		query:   url.Values{"status": {"1"}, "from": {"1632395547000"}, "to": {"1632395548000"}, "pg[limit]": {"50"}},
		fixture: "executions/list.json", pick: "scenarioLogs",
	},
	{
		name: "GetExecution", call: func(ctx context.Context, c *makeapi.Client) (any, error) {
			return c.GetExecution(ctx, 5, "cc1c49323b344687a324888762206003")
		},
		method: "GET", path: "/api/v2/scenarios/5/logs/cc1c49323b344687a324888762206003",
		fixture: "executions/get.json", pick: "scenarioLog",
	},
	{
		name: "ExecutionDetail", call: func(ctx context.Context, c *makeapi.Client) (any, error) {
			return c.ExecutionDetail(ctx, 925, "9c4874979d974c3ebdef1e8aaa7dc452")
		},
		method: "GET", path: "/api/v2/scenarios/925/executions/9c4874979d974c3ebdef1e8aaa7dc452",
		fixture: "executions/get-detail.json",
	},

	// Incomplete executions.
	{
		name: "ListIncompleteExecutions", viaDo: true, as: new([]makeapi.IncompleteExecution),
		method: "GET", path: "/api/v2/dlqs", query: url.Values{"scenarioId": {"3"}},
		fixture: "incomplete-executions/list.json", pick: "dlqs",
	},
	{
		name: "GetIncompleteExecution", viaDo: true, as: new(makeapi.IncompleteExecution),
		method: "GET", path: "/api/v2/dlqs/a07e16f2ad134bf49cf83a00aa95c0a5",
		fixture: "incomplete-executions/get.json", pick: "dlq", notKept: []string{"deleted", "index"},
	},
	{
		name: "RetryIncompleteExecution", viaDo: true,
		method: "POST", path: "/api/v2/dlqs/a07e16f2ad134bf49cf83a00aa95c0a5/retry", answer: `{}`,
	},

	// Connections.
	{
		name: "ListConnections", viaDo: true, as: new([]makeapi.Connection),
		method: "GET", path: "/api/v2/connections",
		query: url.Values{"teamId": {"22"}, "type[]": {"google", "airtable2"}, "cols[]": {"*"},
			"google[]": {"https://mail.google.com/", "openid"}},
		fixture: "connections/list.json", pick: "connections", notKept: []string{"[].uid"},
	},
	{
		name: "GetConnection", viaDo: true, as: new(makeapi.Connection),
		method: "GET", path: "/api/v2/connections/93", query: url.Values{"cols[]": {"*"}},
		fixture: "connections/get.json", pick: "connection", notKept: []string{"uid"},
	},
	{
		name: "TestConnection", call: func(ctx context.Context, c *makeapi.Client) (any, error) { return c.TestConnection(ctx, 93) },
		method: "POST", path: "/api/v2/connections/93/test",
		fixture: "connections/verify.json", pick: "verified",
	},
	{
		name: "RenameConnection", viaDo: true, as: new(makeapi.Connection),
		method: "PATCH", path: "/api/v2/connections/93", body: `{"name":"New Name"}`,
		fixture: "connections/rename.json", pick: "connection", notKept: []string{"uid"},
	},
	{
		name: "DeleteConnection", viaDo: true,
		method: "DELETE", path: "/api/v2/connections/93", query: url.Values{"confirmed": {"true"}}, answer: `{"connection":93}`,
	},

	// Hooks.
	{
		name: "ListHooks", viaDo: true, as: new([]makeapi.Hook),
		method: "GET", path: "/api/v2/hooks",
		query:   url.Values{"teamId": {"4"}, "typeName": {"gateway-webhook"}, "assigned": {"true"}, "pg[limit]": {"20"}},
		fixture: "hooks/list.json", pick: "hooks",
	},
	{
		name: "GetHook", call: func(ctx context.Context, c *makeapi.Client) (any, error) { return c.GetHook(ctx, 58) },
		method: "GET", path: "/api/v2/hooks/58",
		fixture: "hooks/get.json", pick: "hook",
	},
	{
		// The SDK's hooks.create: settings flattened beside name, teamId
		// and typeName, and useDefaults=requiredOnly.
		name: "CreateHook", viaDo: true, as: new(makeapi.Hook),
		method: "POST", path: "/api/v2/hooks", query: url.Values{"useDefaults": {"requiredOnly"}},
		body:    `{"name":"jotform hook 1","teamId":4,"typeName":"jotform","__IMTCONN__":96,"formId":"91282545501352"}`,
		fixture: "hooks/create.json", pick: "hook",
	},
	{
		name: "RenameHook", call: func(ctx context.Context, c *makeapi.Client) (any, error) {
			return c.RenameHook(ctx, 46, "jotform hook 2")
		},
		method: "PATCH", path: "/api/v2/hooks/46", body: `{"name":"jotform hook 2"}`,
		fixture: "hooks/update.json", pick: "hook",
	},
	{
		name: "UpdateHook", call: func(ctx context.Context, c *makeapi.Client) (any, error) {
			return c.UpdateHook(ctx, 46, json.RawMessage(`{"headers":true,"method":true}`))
		},
		method: "POST", path: "/api/v2/hooks/46/set-data", body: `{"headers":true,"method":true}`,
		fixture: "hooks/update-data.json", pick: "changed",
	},
	{
		name: "EnableHook", viaDo: true,
		method: "POST", path: "/api/v2/hooks/46/enable", fixture: "hooks/enable.json", pick: "-",
	},
	{
		name: "DisableHook", viaDo: true,
		method: "POST", path: "/api/v2/hooks/46/disable", fixture: "hooks/disable.json", pick: "-",
	},
	{
		name: "DeleteHook", viaDo: true,
		method: "DELETE", path: "/api/v2/hooks/46", query: url.Values{"confirmed": {"true"}}, answer: `{"hook":46}`,
	},

	// Data stores and records.
	{
		name: "ListDataStores", viaDo: true, as: new([]makeapi.DataStore),
		method: "GET", path: "/api/v2/data-stores",
		query:   url.Values{"teamId": {"123"}, "cols[]": {"*"}, "pg[limit]": {"10"}},
		fixture: "data-stores/list.json", pick: "dataStores",
	},
	{
		name: "GetDataStore", viaDo: true, as: new(makeapi.DataStore),
		method: "GET", path: "/api/v2/data-stores/137", query: url.Values{"cols[]": {"*"}},
		fixture: "data-stores/get.json", pick: "dataStore",
	},
	{
		name: "CreateDataStore", viaDo: true, as: new(makeapi.DataStore),
		method: "POST", path: "/api/v2/data-stores", body: `{"name":"Customers","teamId":123,"datastructureId":123,"maxSizeMB":1}`,
		fixture: "data-stores/create.json", pick: "dataStore",
	},
	{
		name: "UpdateDataStore", viaDo: true, as: new(makeapi.DataStore),
		method: "PATCH", path: "/api/v2/data-stores/137", body: `{"name":"Customers","maxSizeMB":2}`,
		fixture: "data-stores/update.json", pick: "dataStore",
	},
	{
		name: "DeleteDataStore", viaDo: true,
		method: "DELETE", path: "/api/v2/data-stores/137", query: url.Values{"confirmed": {"true"}}, answer: `{"dataStore":137}`,
	},
	{
		name: "ListRecords", call: func(ctx context.Context, c *makeapi.Client) (any, error) {
			r, _, err := c.ListRecords(ctx, 137, makeapi.Page{Limit: 10, Offset: 10, SortBy: "ignored"})
			return r, err
		},
		method: "GET", path: "/api/v2/data-stores/137/data", query: url.Values{"pg[limit]": {"10"}, "pg[offset]": {"10"}},
		fixture: "data-store-records/list.json", pick: "records",
	},
	{
		name: "CreateRecord", viaDo: true, as: new(makeapi.Record),
		method: "POST", path: "/api/v2/data-stores/137/data",
		body:    `{"key":"8f7162828bc0","data":{"name":"Alice Brown","email":"alice.brown@example.com","status":"active"}}`,
		fixture: "data-store-records/create.json",
	},
	{
		name: "CreateRecord with a key chosen by Make", viaDo: true, as: new(makeapi.Record),
		method: "POST", path: "/api/v2/data-stores/137/data", body: `{"data":{"name":"Alice Brown"}}`,
		fixture: "data-store-records/create.json",
	},
	{
		name: "UpdateRecord", viaDo: true, as: new(makeapi.Record),
		method: "PATCH", path: "/api/v2/data-stores/137/data/8f7162828bc0",
		body:    `{"email":"john.updated@example.com","status":"inactive"}`,
		fixture: "data-store-records/update.json",
	},
	{
		name: "ReplaceRecord", viaDo: true, as: new(makeapi.Record),
		method: "PUT", path: "/api/v2/data-stores/137/data/8f7162828bc0",
		body:    `{"name":"John Smith","email":"john.smith@example.com","status":"active"}`,
		fixture: "data-store-records/replace.json",
	},
	{
		name: "DeleteRecords", viaDo: true,
		method: "DELETE", path: "/api/v2/data-stores/137/data", query: url.Values{"confirmed": {"true"}},
		body: `{"keys":["ecc4819b2260","8f7162828bc0"]}`, answer: `{"keys":["ecc4819b2260","8f7162828bc0"]}`,
	},

	// Data structures and folders.
	{
		name: "ListDataStructures", viaDo: true, as: new([]makeapi.DataStructure),
		method: "GET", path: "/api/v2/data-structures", query: url.Values{"teamId": {"1"}, "cols[]": {"*"}},
		fixture: "data-structures/list.json", pick: "dataStructures",
	},
	{
		name: "GetDataStructure", viaDo: true, as: new(makeapi.DataStructure),
		method: "GET", path: "/api/v2/data-structures/9",
		fixture: "data-structures/get.json", pick: "dataStructure",
	},
	{
		name: "ListFolders", call: func(ctx context.Context, c *makeapi.Client) (any, error) {
			return c.ListFolders(ctx, makeapi.FolderQuery{TeamID: 5, ParentID: 1576, AllDescendants: true})
		},
		method: "GET", path: "/api/v2/scenarios-folders",
		query:   url.Values{"teamId": {"5"}, "parentId": {"1576"}, "childrenDepth": {"all"}, "cols[]": {"*"}},
		fixture: "folders/list.json", pick: "scenariosFolders",
		notKept: []string{"[].position", "[].children[].position"},
	},
}

func TestRequestsAndFixtures(t *testing.T) {
	for _, tc := range requestCases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake(t, makefake.Options{})
			c := inProcess(t, f)
			answer := []byte(tc.answer)
			if tc.fixture != "" {
				var err error
				if answer, err = fs.ReadFile(makefake.FixtureFS, tc.fixture); err != nil {
					t.Fatal(err)
				}
			}
			f.Inject(makefake.Fault{Method: tc.method, Path: tc.path, Count: 1, Body: answer})

			got, err := tc.run(t.Context(), c)
			if err != nil {
				t.Fatalf("call: %v", err)
			}
			checkRequest(t, lastRequest(t, f), tc)

			if tc.fixture == "" || tc.pick == "-" {
				return
			}
			var want any
			if err := json.Unmarshal(answer, &want); err != nil {
				t.Fatal(err)
			}
			for part := range strings.SplitSeq(tc.pick, ".") {
				if part != "" {
					want = want.(map[string]any)[part]
				}
			}
			if tc.view != nil {
				got = tc.view(got)
			}
			b, err := json.Marshal(got)
			if err != nil {
				t.Fatal(err)
			}
			var gotJSON any
			if err := json.Unmarshal(b, &gotJSON); err != nil {
				t.Fatal(err)
			}
			for _, p := range lossless(gotJSON, want, "", tc.notKept) {
				t.Error(p)
			}
		})
	}
}

// run makes the case's call.
func (tc requestCase) run(ctx context.Context, c *makeapi.Client) (any, error) {
	if !tc.viaDo {
		return tc.call(ctx, c)
	}
	r := makeapi.Request{Method: tc.method, Path: strings.TrimPrefix(tc.path, "/api/v2"), Query: tc.query}
	if tc.pick != "-" {
		r.Answer = tc.pick
	}
	if tc.body != "" {
		r.Body = json.RawMessage(tc.body)
	}
	v, err := c.Do(ctx, r)
	if err != nil || tc.as == nil {
		return nil, err
	}
	return tc.as, json.Unmarshal(v, tc.as)
}

// checkRequest compares what the fake received with what Make expects.
func checkRequest(t *testing.T, r makefake.Request, tc requestCase) {
	t.Helper()
	if r.Method != tc.method || r.Path != tc.path {
		t.Errorf("request %s %s, want %s %s", r.Method, r.Path, tc.method, tc.path)
	}
	want := tc.query
	if want == nil {
		want = url.Values{}
	}
	if !reflect.DeepEqual(r.Query, want) {
		t.Errorf("query %v, want %v", r.Query, want)
	}
	if r.Auth != "Token" {
		t.Errorf("Authorization scheme %q, want Token", r.Auth)
	}
	if tc.body == "" {
		if len(r.Body) != 0 {
			t.Errorf("body %s, want none", r.Body)
		}
		return
	}
	var body map[string]any
	if err := json.Unmarshal(r.Body, &body); err != nil {
		// Not an object: compare as JSON.
		if !jsonEqual(r.Body, []byte(tc.body)) {
			t.Errorf("body %s, want %s", r.Body, tc.body)
		}
		return
	}
	for field, wantJSON := range tc.stringFields {
		s, ok := body[field].(string)
		if !ok {
			t.Errorf("body field %q is %T, want a JSON string", field, body[field])
			continue
		}
		if !jsonEqual([]byte(s), []byte(wantJSON)) {
			t.Errorf("body field %q holds %s, want %s", field, s, wantJSON)
		}
		delete(body, field)
	}
	rest, _ := json.Marshal(body)
	if !jsonEqual(rest, []byte(tc.body)) {
		t.Errorf("body %s, want %s", rest, tc.body)
	}
}

// lossless lists the fields of want that got lost or changed in got.
// Fields Make sent as null, false, 0, "" or empty are lost only if got
// holds something else; times compare as instants; notKept paths are
// skipped.
func lossless(got, want any, path string, notKept []string) []string {
	if slices.Contains(notKept, path) {
		return nil
	}
	switch w := want.(type) {
	case map[string]any:
		g, _ := got.(map[string]any)
		var problems []string
		for k, wv := range w {
			p := strings.TrimPrefix(path+"."+k, ".")
			gv, ok := g[k]
			if !ok {
				if !isZero(wv) && !slices.Contains(notKept, p) {
					problems = append(problems, fmt.Sprintf("%s: lost (fixture has %v)", p, wv))
				}
				continue
			}
			problems = append(problems, lossless(gv, wv, p, notKept)...)
		}
		return problems
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			if len(w) == 0 && isZero(got) {
				return nil
			}
			return []string{fmt.Sprintf("%s: got %v, want %d items", path, got, len(w))}
		}
		var problems []string
		for i := range w {
			problems = append(problems, lossless(g[i], w[i], path+"[]", notKept)...)
		}
		return problems
	case string:
		if gs, ok := got.(string); ok && gs != w {
			gt, err1 := time.Parse(time.RFC3339Nano, gs)
			wt, err2 := time.Parse(time.RFC3339Nano, w)
			if err1 == nil && err2 == nil && gt.Equal(wt) {
				return nil
			}
		}
	}
	if isZero(want) && isZero(got) {
		return nil
	}
	if !reflect.DeepEqual(got, want) {
		return []string{fmt.Sprintf("%s: got %v, want %v", path, got, want)}
	}
	return nil
}

func isZero(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case bool:
		return !x
	case float64:
		return x == 0
	case string:
		return x == "" || x == "0001-01-01T00:00:00Z"
	case []any:
		return len(x) == 0
	case map[string]any:
		return len(x) == 0
	}
	return false
}
