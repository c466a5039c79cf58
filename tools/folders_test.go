package tools_test

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestFolderLifecycle(t *testing.T) {
	runLifecycle(t, lifecycle{
		create: "folders_create", createArgs: `{"name": "Billing"}`,
		list: "folders_list", listArgs: `{}`, update: "folders_update", del: "folders_delete",
		id: "folderId", updateArgs: `{"name": "Finance"}`,
	})
}

func TestFolderTools(t *testing.T) {
	runCases(t, []toolCase{{
		tool: "folders_create", args: `{"name": "Refunds", "parentId": 4001}`,
		want:   []req{{method: "POST", path: "/scenarios-folders", body: `{"name": "Refunds", "teamId": 3001, "parentId": 4001}`}},
		result: `{"name": "Refunds", "path": "Customer care/Refunds", "parentId": 4001, "scenariosTotal": 0, "hasChildren": false}`,
	}, {
		// null is a move to the top level, and is sent as given.
		name: "to the top",
		tool: "folders_update", args: `{"folderId": 4002, "parentId": null}`,
		want:   []req{{method: "PATCH", path: "/scenarios-folders/4002", query: "cols[]=*", body: `{"parentId": null}`}},
		result: `{"id": 4002, "name": "Exports", "path": "Exports"}`,
		check: func(t *testing.T, e *env, _ json.RawMessage) {
			top := decode[struct{ Items []struct{ ID int64 } }](t, e.ok("folders_list", map[string]any{})).Items
			if len(top) != 2 {
				t.Errorf("top-level folders after the move: %v", top)
			}
		},
	}, {
		tool: "folders_update", args: `{"folderId": 4002, "name": "Archive"}`,
		want:   []req{{method: "PATCH", path: "/scenarios-folders/4002", query: "cols[]=*", body: `{"name": "Archive"}`}},
		result: `{"id": 4002, "name": "Archive", "path": "Customer care/Archive", "parentId": 4001}`,
	}})
}

func TestFolderArguments(t *testing.T) {
	e := newEnv(t, options{})
	for _, c := range []struct{ tool, args, want string }{
		{"folders_create", `{"name": " "}`, "give the folder a name"},
		{"folders_create", `{}`, "name"},
		{"folders_update", `{"folderId": 4002}`, "nothing to change: give name or parentId"},
		{"folders_update", `{"folderId": 4002, "parentId": "top"}`, "parentId"},
	} {
		if got := e.fails(c.tool, json.RawMessage(c.args)); !strings.Contains(got, c.want) {
			t.Errorf("%s %s: %q, want it to say %q", c.tool, c.args, got, c.want)
		}
	}
	e.wantRequests()
	// Make's refusal comes back as a tool error (the fake refuses to
	// delete a folder that holds scenarios).
	if got := e.fails("folders_delete", map[string]any{"folderId": 4002}); !strings.Contains(got, "Folder is not empty") {
		t.Errorf("deleting a folder with scenarios: %q", got)
	}
	e.wantRequests(req{method: "DELETE", path: "/scenarios-folders/4002"})
}
