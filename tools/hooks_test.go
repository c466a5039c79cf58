package tools_test

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestHookTools(t *testing.T) {
	runCases(t, []toolCase{{
		tool: "hooks_list", args: `{}`,
		want: []req{{method: "GET", path: "/hooks", query: "teamId=3001&pg[limit]=21"}},
		result: `{"hasMore": false, "items": [{"id": 6001, "name": "New lead webhook", "teamId": 3001, "typeName": "gateway-webhook",
			"url": "https://hook.eu1.make.com/q7w4n2k9x1m5c8v3b6z0l4j7h2g5f8d1", "enabled": true, "scenarioId": 5003, "queueCount": 0}]}`,
	}, {
		name: "filtered",
		tool: "hooks_list", args: `{"typeName": "gateway-mailhook", "assigned": false}`,
		want:   []req{{method: "GET", path: "/hooks", query: "teamId=3001&typeName=gateway-mailhook&assigned=false&pg[limit]=21"}},
		result: `{"hasMore": false, "items": []}`,
	}, {
		tool: "hooks_get", args: `{"hookId": 6001}`,
		want:   []req{{method: "GET", path: "/hooks/6001"}},
		result: `{"id": 6001, "udid": "q7w4n2k9x1m5c8v3b6z0l4j7h2g5f8d1", "type": "web", "queueLimit": 10000, "data": {"headers": false, "method": false}}`,
	}, {
		tool: "hooks_create", args: `{"name": "Orders", "typeName": "gateway-webhook", "data": {"headers": true}}`,
		want: []req{{method: "POST", path: "/hooks", query: "useDefaults=requiredOnly",
			body: `{"name": "Orders", "teamId": 3001, "typeName": "gateway-webhook", "headers": true}`}},
		result: `{"name": "Orders", "teamId": 3001, "typeName": "gateway-webhook", "enabled": true,
			"data": {"headers": true, "method": false, "stringify": false}}`,
		check: func(t *testing.T, e *env, res json.RawMessage) {
			if url := decode[struct{ URL string }](t, res).URL; !strings.Contains(url, "/wh/") {
				t.Errorf("new hook's url %q", url)
			}
		},
	}, {
		tool: "hooks_update", args: `{"hookId": 6001, "name": "Leads", "data": {"headers": true}}`,
		want: []req{
			{method: "PATCH", path: "/hooks/6001", body: `{"name": "Leads"}`},
			{method: "POST", path: "/hooks/6001/set-data", body: `{"headers": true}`},
			{method: "GET", path: "/hooks/6001"},
		},
		result: `{"id": 6001, "name": "Leads", "settingsChanged": true, "data": {"headers": true, "method": false}}`,
	}, {
		name: "settings unchanged",
		tool: "hooks_update", args: `{"hookId": 6001, "data": {"headers": false}}`,
		want: []req{
			{method: "POST", path: "/hooks/6001/set-data", body: `{"headers": false}`},
			{method: "GET", path: "/hooks/6001"},
		},
		result: `{"id": 6001, "name": "New lead webhook", "settingsChanged": false}`,
	}, {
		tool: "hooks_disable", args: `{"hookId": 6001}`,
		want:   []req{{method: "POST", path: "/hooks/6001/disable"}},
		result: `{"hookId": 6001, "enabled": false}`,
		check: func(t *testing.T, e *env, _ json.RawMessage) {
			if h, err := e.api.GetHook(t.Context(), 6001); err != nil || h.Enabled {
				t.Errorf("hook after disable: %+v, %v", h, err)
			}
		},
	}, {
		tool: "hooks_enable", args: `{"hookId": 6001}`,
		want:   []req{{method: "POST", path: "/hooks/6001/enable"}},
		result: `{"hookId": 6001, "enabled": true}`,
	}, {
		tool: "hooks_delete", args: `{"hookId": 6001}`,
		want:   []req{{method: "DELETE", path: "/hooks/6001", query: "confirmed=true"}},
		result: `{"hookId": 6001, "deleted": true}`,
		check: func(t *testing.T, e *env, _ json.RawMessage) {
			if _, err := e.api.GetHook(t.Context(), 6001); err == nil {
				t.Error("hook 6001 is still there")
			}
		},
	}})
}

func TestHookToolArguments(t *testing.T) {
	e := newEnv(t, options{})
	for _, c := range []struct{ tool, args, want string }{
		{"hooks_update", `{"hookId": 6001}`, "nothing to change"},
		{"hooks_update", `{"hookId": 6001, "data": [1]}`, "data"},
		{"hooks_create", `{"name": "", "typeName": "gateway-webhook"}`, "must not be empty"},
		{"hooks_create", `{"name": "x"}`, "typeName"},
	} {
		if got := e.fails(c.tool, json.RawMessage(c.args)); !strings.Contains(got, c.want) {
			t.Errorf("%s %s: error %q, want it to say %q", c.tool, c.args, got, c.want)
		}
	}
	e.wantRequests()
}
