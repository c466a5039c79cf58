package tools_test

import (
	"encoding/json"
	"strings"
	"testing"
)

// The runs of the demo's incomplete execution: the run that stopped
// (failedExecution), then one per retry.
func TestIncompleteExecutionRunTools(t *testing.T) {
	runCases(t, []toolCase{{
		tool: "executions_list-for-incomp-exec", args: `{"incompleteExecutionId": "` + demoDLQ + `"}`,
		want:   []req{{method: "GET", path: "/dlqs/" + demoDLQ + "/logs", query: "pg[limit]=21"}},
		result: `{"hasMore": false, "items": [{"id": "` + failedExecution + `"}]}`,
	}, {
		// Each retry is a run, newest first.
		name: "after retries",
		tool: "incomplete-executions_retry", args: `{"incompleteExecutionId": "` + demoDLQ + `"}`,
		want: []req{{method: "POST", path: "/dlqs/" + demoDLQ + "/retry"}},
		check: func(t *testing.T, e *env, _ json.RawMessage) {
			e.ok("incomplete-executions_retry", map[string]any{"incompleteExecutionId": demoDLQ})
			e.takeRequests()
			page := decode[struct {
				Items      []struct{ ID string }
				HasMore    bool
				NextOffset int
			}](t, e.ok("executions_list-for-incomp-exec", map[string]any{"incompleteExecutionId": demoDLQ, "limit": 2}))
			e.wantRequests(req{method: "GET", path: "/dlqs/" + demoDLQ + "/logs", query: "pg[limit]=3"})
			if len(page.Items) != 2 || !page.HasMore || page.NextOffset != 2 {
				t.Fatalf("first page of 3 runs: %+v", page)
			}
			last := decode[struct{ Items []struct{ ID string } }](t, e.ok("executions_list-for-incomp-exec",
				map[string]any{"incompleteExecutionId": demoDLQ, "limit": 2, "offset": 2})).Items
			if len(last) != 1 || last[0].ID != failedExecution {
				t.Errorf("last page: %+v, want the run that stopped", last)
			}
			run := decode[struct {
				ID     string
				Status int
			}](t, e.ok("executions_get-for-incomp-exec", map[string]any{"incompleteExecutionId": demoDLQ, "executionId": page.Items[0].ID}))
			if run.ID != page.Items[0].ID || run.Status != 3 {
				t.Errorf("the latest retry: %+v", run)
			}
		},
	}, {
		tool: "executions_get-for-incomp-exec", args: `{"incompleteExecutionId": "` + demoDLQ + `", "executionId": "` + failedExecution + `"}`,
		want:   []req{{method: "GET", path: "/dlqs/" + demoDLQ + "/logs/" + failedExecution}},
		result: `{"id": "` + failedExecution + `"}`,
	}})
}

func TestIncompleteExecutionRunArguments(t *testing.T) {
	e := newEnv(t, options{})
	for _, c := range []struct{ args, want string }{
		{`{"incompleteExecutionId": "` + demoDLQ + `", "executionId": ".."}`, "executionId"},
		{`{"incompleteExecutionId": "..", "executionId": "` + failedExecution + `"}`, "incompleteExecutionId"},
		{`{"incompleteExecutionId": "` + demoDLQ + `"}`, "executionId"},
	} {
		if got := e.fails("executions_get-for-incomp-exec", json.RawMessage(c.args)); !strings.Contains(got, c.want) {
			t.Errorf("%s: %q, want it to say %q", c.args, got, c.want)
		}
	}
	e.wantRequests()
	if got := e.fails("executions_get-for-incomp-exec", map[string]any{"incompleteExecutionId": demoDLQ, "executionId": "ffff"}); !strings.Contains(got, "404") {
		t.Errorf("unknown run: %q", got)
	}
}
