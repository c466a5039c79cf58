package tools_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

func TestOrganizationLifecycles(t *testing.T) {
	for _, c := range []lifecycle{{
		create: "organizations_create", createArgs: `{"name": "Acme", "regionId": 1, "timezoneId": 113, "countryId": 4}`,
		list: "organizations_list", listArgs: `{}`, get: "organizations_get", update: "organizations_update", del: "organizations_delete",
		id: "organizationId", updateArgs: `{"name": "Acme Inc."}`, changed: "name", toValue: "Acme Inc.",
	}, {
		create: "teams_create", createArgs: `{"name": "Marketing", "operationsLimit": 5000}`,
		list: "teams_list", listArgs: `{}`, get: "teams_get", del: "teams_delete", id: "teamId",
	}} {
		t.Run(c.create, func(t *testing.T) {
			t.Parallel()
			runLifecycle(t, c)
		})
	}
}

func TestOrganizationTools(t *testing.T) {
	runCases(t, []toolCase{{
		tool: "organizations_create", args: `{"name": "Acme", "regionId": 1, "timezoneId": 164, "countryId": 6}`,
		want:   []req{{method: "POST", path: "/organizations", body: `{"name": "Acme", "regionId": 1, "timezoneId": 164, "countryId": 6}`}},
		result: `{"name": "Acme", "timezoneId": 164, "countryId": 6, "teams": [{"name": "My Team"}]}`,
		check: func(t *testing.T, e *env, res json.RawMessage) {
			// The new organization is in the account's tables: its first
			// team is listed with the others.
			org := decode[struct{ ID int64 }](t, res).ID
			teams := decode[struct{ Items []map[string]any }](t, e.ok("teams_list", map[string]any{"organizationId": org})).Items
			if len(teams) != 1 || teams[0]["name"] != "My Team" {
				t.Errorf("teams of the new organization: %v", teams)
			}
		},
	}, {
		tool: "organizations_update", args: `{"timezoneId": 164}`,
		want:   []req{{method: "PATCH", path: "/organizations/2001", body: `{"timezoneId": 164}`}},
		result: `{"id": 2001, "timezoneId": 164}`,
	}, {
		tool: "organizations_delete", args: `{"organizationId": 2001}`,
		want:   []req{{method: "DELETE", path: "/organizations/2001", query: "confirmed=true"}},
		result: `{"organizationId": 2001, "deleted": true}`,
		check: func(t *testing.T, e *env, _ json.RawMessage) {
			// Its teams went with it, and what they held.
			if msg := e.fails("teams_get", json.RawMessage(`{"teamId": 3001}`)); !strings.Contains(msg, "404") {
				t.Errorf("team of a deleted organization: %s", msg)
			}
			if msg := e.fails("scenarios_get", json.RawMessage(`{"scenarioId": 5001}`)); !strings.Contains(msg, "404") {
				t.Errorf("scenario of a deleted organization: %s", msg)
			}
		},
	}, {
		tool: "teams_create", args: `{"name": "Ops", "transferLimit": 1048576}`,
		want:   []req{{method: "POST", path: "/teams", body: `{"name": "Ops", "organizationId": 2001, "transferLimit": 1048576}`}},
		result: `{"name": "Ops", "organizationId": 2001, "transferLimit": 1048576}`,
	}, {
		tool: "teams_delete", args: `{"teamId": 3001}`,
		want:   []req{{method: "DELETE", path: "/teams/3001", query: "confirmed=true"}},
		result: `{"teamId": 3001, "deleted": true}`,
		check: func(t *testing.T, e *env, _ json.RawMessage) {
			for _, c := range []struct{ tool, args string }{
				{"scenarios_get", `{"scenarioId": 5001}`},
				{"data-stores_get", `{"dataStoreId": 8001}`},
				{"hooks_get", `{"hookId": 6001}`},
			} {
				if msg := e.fails(c.tool, json.RawMessage(c.args)); !strings.Contains(msg, "404") {
					t.Errorf("%s of a deleted team: %s", c.tool, msg)
				}
			}
		},
	}, {
		tool: "enums_countries", args: `{"limit": 2}`,
		want:   []req{{method: "GET", path: "/enums/countries"}},
		result: `{"hasMore": true, "nextOffset": 2, "items": [{"id": 4, "code": "AFG"}, {"id": 5, "code": "ALA"}]}`,
	}, {
		tool: "enums_regions", args: `{}`,
		want:   []req{{method: "GET", path: "/enums/imt-regions"}},
		result: `{"hasMore": false, "items": [{"id": 1, "name": "Local"}]}`,
	}, {
		tool: "enums_timezones", args: `{"offset": 1}`,
		want:   []req{{method: "GET", path: "/enums/timezones"}},
		result: `{"hasMore": false, "items": [{"id": 164, "code": "Europe/Rome"}]}`,
	}, {
		tool: "private-spaces_list", args: `{"limit": 1}`,
		want:   []req{{method: "GET", path: "/private-spaces", query: "organizationId=2001&cols[]=*&pg[limit]=2"}},
		result: `{"hasMore": true, "nextOffset": 1, "items": [{"id": 101, "name": "Becca's space"}]}`,
	}, {
		tool: "private-spaces_get", args: `{"privateSpaceId": 102}`,
		want:   []req{{method: "GET", path: "/private-spaces/102", query: "cols[]=*"}},
		result: `{"id": 102, "privateSpaceOwnerName": "Jan Novak", "operationsLimit": null}`,
	}, {
		name: "a limit",
		tool: "private-spaces_update", args: `{"privateSpaceId": 101, "operationsLimit": 2000}`,
		want:   []req{{method: "PATCH", path: "/private-spaces/101", body: `{"operationsLimit": 2000}`}},
		result: `{"id": 101, "operationsLimit": 2000, "transferLimit": 2147483648, "isPaused": false}`,
	}, {
		name: "no limit",
		tool: "private-spaces_update", args: `{"privateSpaceId": 101, "operationsLimit": null}`,
		want:   []req{{method: "PATCH", path: "/private-spaces/101", body: `{"operationsLimit": null}`}},
		result: `{"id": 101, "operationsLimit": null, "transferLimit": null}`,
	}, {
		name: "below usage, confirmed",
		tool: "private-spaces_update", args: `{"privateSpaceId": 101, "operationsLimit": 100, "confirmed": true}`,
		want:   []req{{method: "PATCH", path: "/private-spaces/101", query: "confirmed=true", body: `{"operationsLimit": 100}`}},
		result: `{"id": 101, "operationsLimit": 100, "isPaused": true}`,
	}})
}

// A limit below a private space's usage pauses it, so Make wants it
// confirmed; the tool says so rather than confirming on its own.
func TestPrivateSpaceLimitBelowUsage(t *testing.T) {
	e := newEnv(t, options{})
	msg := e.fails("private-spaces_update", json.RawMessage(`{"privateSpaceId": 101, "operationsLimit": 100}`))
	if !strings.Contains(msg, "IM004") || !strings.Contains(msg, "confirm") {
		t.Errorf("limit below usage without confirmed: %q", msg)
	}
	e.wantRequests(req{method: "PATCH", path: "/private-spaces/101", body: `{"operationsLimit": 100}`})
	got := decode[map[string]any](t, e.ok("private-spaces_get", json.RawMessage(`{"privateSpaceId": 101}`)))
	if got["operationsLimit"] != 1000.0 || got["isPaused"] != false {
		t.Errorf("after a refused update: %v", got)
	}
}

func TestOrganizationToolArguments(t *testing.T) {
	e := newEnv(t, options{})
	for _, c := range []struct{ tool, args, want string }{
		// Deleting an organization or a team needs its id even with a
		// default: a forgotten argument must not delete the default one.
		{"organizations_delete", `{}`, "never defaulted"},
		{"teams_delete", `{}`, "never defaulted"},
		{"organizations_create", `{"name": " ", "regionId": 1, "timezoneId": 113, "countryId": 4}`, "name must not be empty"},
		{"organizations_create", `{"name": "Acme", "timezoneId": 113, "countryId": 4}`, "regionId"},
		{"organizations_update", `{}`, "nothing to change"},
		{"teams_create", `{}`, "name"},
		{"private-spaces_update", `{"privateSpaceId": 101}`, "nothing to change: give operationsLimit"},
		{"private-spaces_update", `{"privateSpaceId": 101, "operationsLimit": -1}`, "at least 0"},
		{"private-spaces_update", `{"privateSpaceId": 101, "operationsLimit": "lots"}`, "operationsLimit"},
		{"private-spaces_get", `{"privateSpaceId": "101"}`, "privateSpaceId"},
	} {
		if got := e.fails(c.tool, json.RawMessage(c.args)); !strings.Contains(got, c.want) {
			t.Errorf("%s %s: error %q, want it to say %q", c.tool, c.args, got, c.want)
		}
	}
	e.wantRequests()
	// Make refuses a region it does not have.
	got := e.fails("organizations_create", json.RawMessage(`{"name": "Acme", "regionId": 99, "timezoneId": 113, "countryId": 4}`))
	if !strings.Contains(got, "400") || !strings.Contains(got, "enums_regions") {
		t.Errorf("unknown region: %q", got)
	}
}

// deleteAsk is a delete tool's call, which must ask the user first.
type deleteAsk struct {
	tool, args, question string
	// lookup reads the name for the question; act deletes.
	lookup *req
	act    req
	// get reads what the tool deletes, after prepare made it.
	get, getArgs      string
	prepare, prepArgs string
}

// runDeleteAsks checks that each delete asks the user its question,
// deletes nothing when the user declines, and deletes when the user
// accepts.
func runDeleteAsks(t *testing.T, cases []deleteAsk) {
	for _, c := range cases {
		for _, action := range []string{"decline", "accept"} {
			t.Run(c.tool+"/"+action, func(t *testing.T) {
				t.Parallel()
				a := &asker{action: action}
				e := newEnv(t, options{client: mcp.ClientOptions{ElicitationHandler: a.handle}})
				if c.prepare != "" {
					e.ok(c.prepare, json.RawMessage(c.prepArgs))
				}
				before := text(e.call(c.get, json.RawMessage(c.getArgs)))
				e.takeRequests()
				res := e.call(c.tool, json.RawMessage(c.args))
				var want []req
				if c.lookup != nil {
					want = append(want, *c.lookup)
				}
				if action == "accept" {
					if res.IsError {
						t.Fatalf("accepted, yet: %s", text(res))
					}
					want = append(want, c.act)
				} else if !res.IsError || text(res) != "the user declined: nothing was changed" {
					t.Fatalf("declined: result %s", text(res))
				}
				e.wantRequests(want...)
				if q := a.questions(); len(q) != 1 || q[0] != c.question {
					t.Errorf("asked %q, want %q", q, c.question)
				}
				after := text(e.call(c.get, json.RawMessage(c.getArgs)))
				if (after != before) != (action == "accept") {
					t.Errorf("%s: before %s\nafter %s", action, before, after)
				}
			})
		}
	}
}

// Deleting an organization or a team asks the user first, naming it.
func TestOrganizationDeletesAsk(t *testing.T) {
	runDeleteAsks(t, []deleteAsk{{
		tool: "organizations_delete", args: `{"organizationId": 2001}`,
		question: `Delete organization 2001 "Acme Sandbox" and its 1 team, with all their scenarios, connections and data? This cannot be undone.`,
		lookup:   &req{method: "GET", path: "/organizations/2001"},
		act:      req{method: "DELETE", path: "/organizations/2001", query: "confirmed=true"},
		get:      "organizations_get", getArgs: `{"organizationId": 2001}`,
	}, {
		tool: "teams_delete", args: `{"teamId": 3001}`,
		question: `Delete team 3001 "Operations" with all its scenarios, connections, webhooks and data stores? This cannot be undone.`,
		lookup:   &req{method: "GET", path: "/teams/3001"},
		act:      req{method: "DELETE", path: "/teams/3001", query: "confirmed=true"},
		get:      "teams_get", getArgs: `{"teamId": 3001}`,
	}})
}
