package tools_test

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestCredentialRequestTools(t *testing.T) {
	runCases(t, []toolCase{{
		tool: "credential-requests_list", args: `{"status": "pending"}`,
		want:   []req{{method: "GET", path: "/credential-requests/requests", query: "teamId=3001&status=pending&cols[]=*"}},
		result: `{"hasMore": false, "items": [{"id": "req-123", "name": "Google Workspace Access", "status": "pending"}]}`,
	}, {
		tool: "credential-requests_get", args: `{"requestId": "req-123"}`,
		want:   []req{{method: "GET", path: "/credential-requests/requests/req-123/detail"}},
		result: `{"id": "req-123", "credentials": [{"id": "cred-456", "state": "pending"}, {"id": "cred-789"}]}`,
	}, {
		tool: "credential-requests_create", args: `{"name": "Google", "credentials": [{"appName": "google", "appModules": ["*"]}]}`,
		want: []req{{method: "POST", path: "/credential-requests/actions/create",
			body: `{"name": "Google", "teamId": 3001, "credentials": [{"appName": "google", "appModules": ["*"]}]}`}},
		result: `{"request": {"name": "Google", "teamId": 3001, "status": "pending"}}`,
		check: func(t *testing.T, e *env, res json.RawMessage) {
			if uri := decode[struct{ PublicURI string }](t, res).PublicURI; !strings.HasSuffix(uri, "/authorize") {
				t.Errorf("publicUri %q", uri)
			}
		},
	}, {
		tool: "credential-requests_create-by-credentials", args: `{"teamId": 3001, "keys": [{"type": "apikeyauth", "prefill": {"soft": {"name": "CRM"}}}]}`,
		want: []req{{method: "POST", path: "/credential-requests/actions/create-by-credentials",
			body: `{"teamId": 3001, "keys": [{"type": "apikeyauth", "prefill": {"soft": {"name": "CRM"}}}]}`}},
		result: `{"credentials": [{"component": "keychain", "type": "apikeyauth", "state": "pending"}]}`,
	}, {
		tool: "credential-requests_extend-connection", args: `{"connectionId": 9002, "scopes": ["chat:write", "channels:read"]}`,
		want: []req{{method: "POST", path: "/credential-requests/actions/extend",
			body: `{"connectionId": 9002, "scopes": ["chat:write", "channels:read"]}`}},
		result: `{"request": {"teamId": 3001, "status": "pending"}}`,
	}, {
		tool: "credential-requests_list-app-modules-with-creds", args: `{"appName": "slack", "appVersion": "latest", "limit": 2}`,
		want:   []req{{method: "GET", path: "/credential-requests/apps/slack/latest/modules-with-credentials"}},
		result: `{"hasMore": true, "nextOffset": 2, "items": [{"id": "CreateMessage"}, {"id": "WatchMessages"}]}`,
	}, {
		name: "version number",
		tool: "credential-requests_list-app-modules-with-creds", args: `{"appName": "slack", "appVersion": 4}`,
		want: []req{{method: "GET", path: "/credential-requests/apps/slack/4/modules-with-credentials"}},
	}, {
		// Without a reason, nothing but the call.
		tool: "credential-requests_credential-decline", args: `{"credentialId": "cred-456"}`,
		want:   []req{{method: "POST", path: "/credential-requests/credentials/cred-456/decline"}},
		result: `{"id": "cred-456", "state": "declined", "declineReason": null}`,
	}, {
		name: "with a reason",
		tool: "credential-requests_credential-decline", args: `{"credentialId": "cred-456", "reason": "Not needed"}`,
		want:   []req{{method: "POST", path: "/credential-requests/credentials/cred-456/decline", body: `{"reason": "Not needed"}`}},
		result: `{"id": "cred-456", "state": "declined", "declineReason": "Not needed"}`,
	}, {
		tool: "credential-requests_credential-delete", args: `{"credentialId": "cred-789"}`,
		want:   []req{{method: "POST", path: "/credential-requests/credentials/cred-789/delete-remote"}},
		result: `{"id": "cred-789", "state": "pending"}`,
	}, {
		tool: "credential-requests_delete", args: `{"requestId": "req-123"}`,
		want:   []req{{method: "DELETE", path: "/credential-requests/requests/req-123", query: "confirmed=true"}},
		result: `{"requestId": "req-123", "deleted": true}`,
		check: func(t *testing.T, e *env, _ json.RawMessage) {
			if got := e.fails("credential-requests_credential-decline", map[string]any{"credentialId": "cred-456"}); !strings.Contains(got, "404") {
				t.Errorf("a credential of a deleted request: %q", got)
			}
		},
	}})
}

// A request made shows up in the list, and its detail holds the
// credentials asked for.
func TestCredentialRequestRoundTrip(t *testing.T) {
	e := newEnv(t, options{})
	made := decode[struct {
		Request struct{ ID string }
	}](t, e.ok("credential-requests_create-by-credentials", map[string]any{"name": "CRM access",
		"connections": []any{map[string]any{"type": "google", "scope": []string{"drive"}}}}))
	list := decode[struct{ Items []struct{ ID string } }](t, e.ok("credential-requests_list", map[string]any{"name": "CRM"})).Items
	if len(list) != 1 || list[0].ID != made.Request.ID {
		t.Fatalf("listed %v, want the request %s alone", list, made.Request.ID)
	}
	detail := decode[struct {
		Credentials []struct{ ID, State, Name string }
	}](t, e.ok("credential-requests_get", map[string]any{"requestId": made.Request.ID}))
	if len(detail.Credentials) != 1 || detail.Credentials[0].Name != "google" || detail.Credentials[0].State != "pending" {
		t.Fatalf("detail %+v", detail)
	}
	e.ok("credential-requests_delete", map[string]any{"requestId": made.Request.ID})
	if got := e.fails("credential-requests_get", map[string]any{"requestId": made.Request.ID}); !strings.Contains(got, "404") {
		t.Errorf("get after delete: %q", got)
	}
}

// Ids go into paths: one that would leave its segment is refused before
// any request.
func TestCredentialRequestArguments(t *testing.T) {
	e := newEnv(t, options{})
	for _, c := range []struct{ tool, args, want string }{
		{"credential-requests_get", `{"requestId": ".."}`, "requestId"},
		{"credential-requests_delete", `{"requestId": "req-123/detail"}`, "requestId"},
		{"credential-requests_credential-decline", `{"credentialId": ""}`, "credentialId"},
		{"credential-requests_credential-delete", `{"credentialId": "../requests"}`, "credentialId"},
		{"credential-requests_list-app-modules-with-creds", `{"appName": "..", "appVersion": 1}`, "appName"},
		{"credential-requests_list-app-modules-with-creds", `{"appName": "slack", "appVersion": true}`, "appVersion"},
		{"credential-requests_list-app-modules-with-creds", `{"appName": "slack"}`, "appVersion"},
		{"credential-requests_create", `{"credentials": []}`, "credentials: give 1 to 64 apps"},
		{"credential-requests_create", `{"credentials": [{"appName": "google"}]}`, "appModules or appEndpoints"},
		{"credential-requests_create-by-credentials", `{}`, "at least one connection or key"},
		{"credential-requests_extend-connection", `{"connectionId": 9002, "scopes": []}`, "at least one OAuth scope"},
	} {
		if got := e.fails(c.tool, json.RawMessage(c.args)); !strings.Contains(got, c.want) {
			t.Errorf("%s %s: %q, want it to say %q", c.tool, c.args, got, c.want)
		}
	}
	e.wantRequests()
	// Make refuses to extend a connection by scopes it has.
	if got := e.fails("credential-requests_extend-connection", map[string]any{"connectionId": 9002, "scopes": []string{"chat:write"}}); !strings.Contains(got, "already has all the requested scopes") {
		t.Errorf("extending by a granted scope: %q", got)
	}
}
