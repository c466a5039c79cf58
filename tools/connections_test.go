package tools_test

import (
	"encoding/json"
	"strings"
	"testing"
)

const connectionCols = "cols[]=id&cols[]=name&cols[]=accountName&cols[]=accountLabel&cols[]=accountType&cols[]=teamId&cols[]=expire"

func TestConnectionTools(t *testing.T) {
	runCases(t, []toolCase{{
		tool: "connections_list", args: `{}`,
		want: []req{{method: "GET", path: "/connections", query: "teamId=3001&" + connectionCols}},
		result: `{"hasMore": false, "items": [
			{"id": 9001, "name": "Gmail (dana@example.com)", "accountName": "google-email", "accountLabel": "Gmail", "accountType": "oauth", "teamId": 3001},
			{"id": 9002, "name": "Slack (Acme)", "accountName": "slack2", "expire": "2025-01-31T00:00:00.000Z"}]}`,
		check: func(t *testing.T, e *env, res json.RawMessage) {
			if items := decode[struct{ Items []map[string]any }](t, res).Items; items[0]["expire"] != nil || items[0]["metadata"] != nil {
				t.Errorf("summary %v: want no expiry when none, and no metadata", items[0])
			}
		},
	}, {
		name: "by type and scope, paged",
		tool: "connections_list", args: `{"type": ["google-email", "slack2"], "scopes": {"slack2": ["chat:write"]}, "limit": 1}`,
		want: []req{{method: "GET", path: "/connections",
			query: "teamId=3001&type[]=google-email&type[]=slack2&slack2[]=chat:write&" + connectionCols}},
		result: `{"hasMore": true, "nextOffset": 1, "items": [{"id": 9001}]}`,
	}, {
		tool: "connections_get", args: `{"connectionId": 9001}`,
		want: []req{{method: "GET", path: "/connections/9001", query: "cols[]=*"}},
		result: `{"id": 9001, "accountName": "google-email", "scopesCnt": 2, "metadata": {"type": "email", "value": "dana@example.com"},
			"scopes": [{"id": "https://www.googleapis.com/auth/gmail.send"}, {"id": "https://www.googleapis.com/auth/userinfo.email"}]}`,
	}, {
		tool: "connections_verify", args: `{"connectionId": 9001}`,
		want:   []req{{method: "POST", path: "/connections/9001/test"}},
		result: `{"connectionId": 9001, "verified": true}`,
	}, {
		name: "expired",
		tool: "connections_verify", args: `{"connectionId": 9002}`,
		want:   []req{{method: "POST", path: "/connections/9002/test"}},
		result: `{"connectionId": 9002, "verified": false, "note": "the app refused the connection: the user must reauthorize it in Make"}`,
	}})
}

func TestConnectionWriteTools(t *testing.T) {
	runCases(t, []toolCase{{
		// Make takes the name as accountName and the type as accountType,
		// the settings beside them, and the team in the query.
		tool: "connections_create", args: `{"name": "Billing API", "accountName": "http", "data": {"apiKey": "k3y", "name": "ignored"}, "scope": ["read"]}`,
		want: []req{{method: "POST", path: "/connections", query: "teamId=3001",
			body: `{"accountName": "Billing API", "accountType": "http", "apiKey": "k3y", "scopes": ["read"]}`}},
		result: `{"name": "Billing API", "accountName": "http", "teamId": 3001}`,
		check: func(t *testing.T, e *env, res json.RawMessage) {
			if strings.Contains(string(res), "k3y") {
				t.Errorf("the new connection shows its secret: %s", res)
			}
		},
	}, {
		tool: "connections_update", args: `{"connectionId": 9001, "name": "Gmail (ops)"}`,
		want: []req{
			{method: "PATCH", path: "/connections/9001", body: `{"name": "Gmail (ops)"}`},
			{method: "GET", path: "/connections/9001", query: "cols[]=*"},
		},
		result: `{"id": 9001, "name": "Gmail (ops)", "accountName": "google-email"}`,
	}, {
		tool: "connections_delete", args: `{"connectionId": 9002}`,
		want:   []req{{method: "DELETE", path: "/connections/9002", query: "confirmed=true"}},
		result: `{"connectionId": 9002, "deleted": true}`,
	}})
}

func TestConnectionLifecycle(t *testing.T) {
	runLifecycle(t, lifecycle{
		create: "connections_create", createArgs: `{"name": "Billing API", "accountName": "http", "data": {"apiKey": "k3y"}}`,
		list: "connections_list", listArgs: `{}`, get: "connections_get", update: "connections_update", del: "connections_delete",
		id: "connectionId", updateArgs: `{"name": "Billing API (old)"}`, changed: "name", toValue: "Billing API (old)",
	})
}

// A connection's settings change; Make says whether they differed.
func TestConnectionSettings(t *testing.T) {
	e := newEnv(t, options{})
	id := decode[struct{ ID int64 }](t, e.ok("connections_create", map[string]any{"name": "CRM", "accountName": "http", "data": map[string]any{"apiKey": "a"}})).ID
	for i, want := range []bool{true, false} {
		got := decode[struct{ DataChanged *bool }](t, e.ok("connections_update", map[string]any{"connectionId": id, "data": map[string]any{"apiKey": "b"}}))
		if got.DataChanged == nil || *got.DataChanged != want {
			t.Errorf("update %d: dataChanged %v, want %v", i, got.DataChanged, want)
		}
	}
	e.takeRequests()
	e.ok("connections_update", map[string]any{"connectionId": id, "name": "CRM (old)", "data": map[string]any{"apiKey": "c"}})
	path := "/connections/" + itoa(int(id))
	e.wantRequests(
		req{method: "PATCH", path: path, body: `{"name": "CRM (old)"}`},
		req{method: "POST", path: path + "/set-data", body: `{"apiKey": "c"}`},
		req{method: "GET", path: path, query: "cols[]=*"})
	// Make refuses to edit the settings of some connections.
	if got := e.fails("connections_update", map[string]any{"connectionId": 9001, "data": map[string]any{"x": 1}}); !strings.Contains(got, "Cannot edit this connection") {
		t.Errorf("uneditable connection: %q", got)
	}
	e.takeRequests()
	for _, c := range []struct{ args, want string }{
		{`{"connectionId": 9001}`, "nothing to change"},
		{`{"name": " ", "accountName": "http"}`, "give the connection a name"},
		{`{"name": "X", "accountName": "http", "data": "apiKey"}`, "data"},
	} {
		tool := "connections_update"
		if strings.Contains(c.args, "accountName") {
			tool = "connections_create"
		}
		if got := e.fails(tool, json.RawMessage(c.args)); !strings.Contains(got, c.want) {
			t.Errorf("%s %s: %q, want it to say %q", tool, c.args, got, c.want)
		}
	}
	e.wantRequests()
}
