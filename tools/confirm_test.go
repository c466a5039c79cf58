package tools_test

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"

	"github.com/makemcp/makemcp/makeapi"
	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// asker is a client's elicitation handler that answers every question
// the same way and remembers the questions.
type asker struct {
	action string
	mu     sync.Mutex
	asked  []string
}

func (a *asker) handle(_ context.Context, req *mcp.ElicitRequest) (*mcp.ElicitResult, error) {
	a.mu.Lock()
	a.asked = append(a.asked, req.Params.Message)
	a.mu.Unlock()
	if a.action != "accept" {
		return &mcp.ElicitResult{Action: a.action}, nil
	}
	return &mcp.ElicitResult{Action: "accept", Content: map[string]any{"confirm": true}}, nil
}

func (a *asker) questions() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]string(nil), a.asked...)
}

// A destructive tool asks a client that can be asked, and changes nothing
// unless the user says yes; a client that cannot be asked is not.
func TestConfirmation(t *testing.T) {
	type destructive struct {
		tool, args, question string
		// lookup is the request that reads the name for the question;
		// acts are the requests that act on the user's yes.
		lookup req
		acts   []req
		// state reads what the tool changes, to compare before and after.
		state func(*env) string
	}
	scenario := func(id int64) func(*env) string {
		return func(e *env) string {
			s, err := e.api.GetScenario(context.Background(), id)
			if err != nil {
				return err.Error()
			}
			b, _ := e.api.ScenarioBlueprint(context.Background(), id)
			return s.Name + string(b.Blueprint)
		}
	}
	cases := []destructive{{
		tool: "scenarios_delete", args: `{"scenarioId": 5004}`,
		question: `Delete scenario 5004 "Weekly digest email"? This cannot be undone.`,
		lookup:   req{method: "GET", path: "/scenarios/5004", query: "cols[]=*"},
		acts:     []req{{method: "DELETE", path: "/scenarios/5004"}},
		state:    scenario(5004),
	}, {
		tool: "scenarios_update", args: `{"scenarioId": 5001, "blueprint": {"name": "Greet", "flow": [], "metadata": {"version": 1}}}`,
		question: `Replace the blueprint of scenario 5001 "Greet a customer"? Its current modules and settings are overwritten.`,
		lookup:   req{method: "GET", path: "/scenarios/5001", query: "cols[]=*"},
		acts: []req{{method: "GET", path: "/scenarios/5001/interface"},
			{method: "PATCH", path: "/scenarios/5001", query: "cols[]=*", body: "-"}},
		state: scenario(5001),
	}, {
		tool: "hooks_delete", args: `{"hookId": 6001}`,
		question: `Delete hook 6001 "New lead webhook", which triggers scenario 5003? Its address stops working; this cannot be undone.`,
		lookup:   req{method: "GET", path: "/hooks/6001"},
		acts:     []req{{method: "DELETE", path: "/hooks/6001", query: "confirmed=true"}},
		state: func(e *env) string {
			h, err := e.api.GetHook(context.Background(), 6001)
			if err != nil {
				return err.Error()
			}
			return h.Name
		},
	}, {
		tool: "data-stores_delete", args: `{"dataStoreId": 8001}`,
		question: `Delete data store 8001 "Customers" and its 5 records? This cannot be undone.`,
		lookup:   req{method: "GET", path: "/data-stores/8001", query: "cols[]=*"},
		acts:     []req{{method: "DELETE", path: "/data-stores/8001", query: "confirmed=true"}},
		state:    records,
	}, {
		tool: "data-store-records_delete", args: `{"dataStoreId": 8001, "keys": ["` + ada + `"]}`,
		question: `Delete record "` + ada + `" from data store 8001 "Customers"? This cannot be undone.`,
		lookup:   req{method: "GET", path: "/data-stores/8001", query: "cols[]=*"},
		acts:     []req{{method: "DELETE", path: "/data-stores/8001/data", query: "confirmed=true", body: `{"keys": ["` + ada + `"]}`}},
		state:    records,
	}}
	for _, protocol := range []string{"", "2025-11-25"} {
		for _, c := range cases {
			actions := []string{"decline", "accept", ""}
			if c.tool == "scenarios_delete" {
				actions = append(actions, "cancel")
			}
			for _, action := range actions {
				name := c.tool + "/" + action
				if action == "" {
					name = c.tool + "/no elicitation"
				}
				if protocol != "" {
					name += "/" + protocol
				}
				t.Run(name, func(t *testing.T) {
					t.Parallel()
					a := &asker{action: action}
					o := options{protocol: protocol}
					if action != "" {
						o.client.ElicitationHandler = a.handle
					}
					e := newEnv(t, o)
					before := c.state(e)
					e.takeRequests()
					res := e.call(c.tool, json.RawMessage(c.args))
					switch action {
					case "accept":
						if res.IsError {
							t.Fatalf("accepted, yet: %s", text(res))
						}
						e.wantRequests(append([]req{c.lookup}, c.acts...)...)
					case "":
						if res.IsError {
							t.Fatalf("no elicitation, yet: %s", text(res))
						}
						e.wantRequests(c.acts...)
					default:
						if !res.IsError || text(res) != "the user declined: nothing was changed" {
							t.Fatalf("%s: result %s, want the declined error", action, text(res))
						}
						e.wantRequests(c.lookup)
					}
					after := c.state(e)
					if changed := after != before; changed != (action == "accept" || action == "") {
						t.Errorf("state changed: %v after %q", changed, action)
					}
					want := []string{c.question}
					if action == "" {
						want = nil
					}
					if got := a.questions(); strings.Join(got, "|") != strings.Join(want, "|") {
						t.Errorf("questions asked %q, want %q", got, want)
					}
				})
			}
		}
	}
}

func records(e *env) string {
	recs, _, err := e.api.ListRecords(context.Background(), 8001, makeapi.Page{Limit: 100})
	if err != nil {
		return err.Error()
	}
	var keys []string
	for _, r := range recs {
		keys = append(keys, r.Key)
	}
	return strings.Join(keys, ",")
}

// A client that shows only URL elicitation cannot confirm in a form: the
// host's approval, driven by destructiveHint, stands in.
func TestConfirmationURLOnlyClient(t *testing.T) {
	a := &asker{action: "decline"}
	e := newEnv(t, options{protocol: "2025-11-25", client: mcp.ClientOptions{
		ElicitationHandler: a.handle,
		Capabilities:       &mcp.ClientCapabilities{Elicitation: &mcp.ElicitationCapabilities{URL: &mcp.URLElicitationCapabilities{}}},
	}})
	e.ok("scenarios_delete", map[string]any{"scenarioId": 5004})
	if q := a.questions(); len(q) != 0 {
		t.Errorf("asked %q of a client that cannot show a form", q)
	}
}
