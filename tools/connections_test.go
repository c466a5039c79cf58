package tools_test

import (
	"encoding/json"
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
