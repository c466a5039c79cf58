package tools_test

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestFunctionLifecycle(t *testing.T) {
	runLifecycle(t, lifecycle{
		create: "functions_create", createArgs: `{"name": "double", "code": "function double(x) { return x * 2; }"}`,
		list: "functions_list", listArgs: `{}`, get: "functions_get", update: "functions_update", del: "functions_delete",
		id: "functionId", updateArgs: `{"description": "Twice x."}`, changed: "description", toValue: "Twice x.",
	})
}

func TestFunctionTools(t *testing.T) {
	const code = "function double(x) { return x * 2; }"
	runCases(t, []toolCase{{
		// Make takes the team in the query, and a description, empty when
		// none is given.
		tool: "functions_create", args: `{"name": "double", "code": "` + code + `"}`,
		want:   []req{{method: "POST", path: "/functions", query: "teamId=3001", body: `{"name": "double", "code": "` + code + `", "description": ""}`}},
		result: `{"name": "double", "args": "(x)", "description": ""}`,
	}, {
		tool: "functions_check", args: `{"code": "` + code + `"}`,
		want:   []req{{method: "POST", path: "/functions/eval", query: "teamId=3001", body: `{"code": "` + code + `"}`}},
		result: `{"success": true, "error": null}`,
	}, {
		name: "bad code",
		tool: "functions_check", args: `{"teamId": 3001, "code": "function double(x) { return x * 2;"}`,
		want:   []req{{method: "POST", path: "/functions/eval", query: "teamId=3001", body: `{"code": "function double(x) { return x * 2;"}`}},
		result: `{"success": false, "error": "SyntaxError: Unexpected end of input"}`,
	}})
}

func TestFunctionArguments(t *testing.T) {
	e := newEnv(t, options{})
	for _, c := range []struct{ tool, args, want string }{
		{"functions_create", `{"name": "f", "code": " "}`, "give the function a name and its code"},
		{"functions_create", `{"code": "function f() {}"}`, "name"},
		{"functions_update", `{"functionId": 2}`, "nothing to change"},
		{"functions_check", `{}`, "code"},
	} {
		if got := e.fails(c.tool, json.RawMessage(c.args)); !strings.Contains(got, c.want) {
			t.Errorf("%s %s: %q, want it to say %q", c.tool, c.args, got, c.want)
		}
	}
	e.wantRequests()
	// Make checks the code it keeps.
	if got := e.fails("functions_create", map[string]any{"name": "f", "code": "return 1"}); !strings.Contains(got, "Invalid function code") {
		t.Errorf("bad code kept: %q", got)
	}
}
