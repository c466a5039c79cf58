package tools_test

import (
	"encoding/json"
	"strings"
	"testing"
)

// Demo executions and incomplete executions.
const (
	greetExecution  = "4f0c2a1b9d8e47f6a3b5c6d7e8f90123" // scenario 5001, success, with outputs
	failedExecution = "0b1c2d3e4f5a46789b0c1d2e3f4a5b6c" // scenario 5003, error
	demoDLQ         = "5e6f7a8b9c0d41e2f3a4b5c6d7e8f901" // scenario 5003
)

func TestExecutionTools(t *testing.T) {
	runCases(t, []toolCase{{
		tool: "executions_list", args: `{"scenarioId": 5003}`,
		want: []req{{method: "GET", path: "/scenarios/5003/logs", query: "pg[limit]=21"}},
		result: `{"hasMore": false, "items": [
			{"id": "c7d8e9f0a1b24c3d8e9f0a1b2c3d4e5f", "status": "success", "type": "auto", "duration": 1702, "operations": 2, "timestamp": "2025-03-06T08:00:00Z"},
			{"id": "` + failedExecution + `", "status": "error", "duration": 30122},
			{"id": "9a8b7c6d5e4f40312a1b2c3d4e5f6071", "status": "success"}]}`,
	}, {
		name: "filtered",
		tool: "executions_list", args: `{"scenarioId": 5003, "status": "error", "from": 1741000000000, "to": 1741200000000, "limit": 1}`,
		want:   []req{{method: "GET", path: "/scenarios/5003/logs", query: "status=3&from=1741000000000&to=1741200000000&pg[limit]=2"}},
		result: `{"hasMore": false, "items": [{"id": "` + failedExecution + `", "status": "error"}]}`,
	}, {
		tool: "executions_get", args: `{"scenarioId": 5003, "executionId": "` + failedExecution + `"}`,
		want: []req{{method: "GET", path: "/scenarios/5003/logs/" + failedExecution}},
		result: `{"id": "` + failedExecution + `", "status": "error", "type": "auto", "instant": true, "duration": 30122,
			"operations": 1, "centicredits": 100, "transfer": 602, "organizationId": 2001, "teamId": 3001}`,
	}, {
		tool: "executions_get-detail", args: `{"scenarioId": 5001, "executionId": "` + greetExecution + `"}`,
		want: []req{{method: "GET", path: "/scenarios/5001/executions/" + greetExecution}},
		result: `{"scenarioId": 5001, "executionId": "` + greetExecution + `", "status": "success",
			"outputs": {"greeting": "Hello, Ada! Thanks for being with us.", "language": "en"}, "outputsBytes": 68}`,
	}, {
		name: "failed",
		tool: "executions_get-detail", args: `{"scenarioId": 5003, "executionId": "` + failedExecution + `"}`,
		want:   []req{{method: "GET", path: "/scenarios/5003/executions/" + failedExecution}},
		result: `{"status": "error", "error": {"name": "RuntimeError", "message": "An error occurred while executing the scenario."}}`,
	}, {
		tool: "incomplete-executions_list", args: `{"scenarioId": 5003}`,
		want: []req{{method: "GET", path: "/dlqs", query: "scenarioId=5003"}},
		result: `{"hasMore": false, "items": [{"id": "` + demoDLQ + `", "reason": "Connection refused by crm.example.com.",
			"created": "2025-03-05T08:00:30.122Z", "attempts": 0, "resolved": false, "retry": false}]}`,
	}, {
		tool: "incomplete-executions_get", args: `{"incompleteExecutionId": "` + demoDLQ + `"}`,
		want: []req{{method: "GET", path: "/dlqs/" + demoDLQ}},
		result: `{"id": "` + demoDLQ + `", "scenarioId": 5003, "scenarioName": "Sync new leads to the CRM", "companyId": 3001,
			"executionId": "` + failedExecution + `", "size": 412}`,
	}, {
		tool: "incomplete-executions_retry", args: `{"incompleteExecutionId": "` + demoDLQ + `"}`,
		want:   []req{{method: "POST", path: "/dlqs/" + demoDLQ + "/retry"}},
		result: `{"incompleteExecutionId": "` + demoDLQ + `", "queued": true}`,
		check: func(t *testing.T, e *env, _ json.RawMessage) {
			if d := e.get("/dlqs/"+demoDLQ, "dlq"); d["retry"] != true || d["attempts"] != 1.0 {
				t.Errorf("after retry: %+v; want retry queued, one attempt", d)
			}
		},
	}})
}

func TestExecutionDetailOutputsCapped(t *testing.T) {
	e := newEnv(t, options{})
	// A run of scenario 5001 returns what it is given: a long name makes
	// outputs past the cap.
	long := strings.Repeat("a", 20<<10)
	run := decode[struct{ ExecutionID, Note string }](t, e.ok("scenarios_run", map[string]any{
		"scenarioId": 5001, "data": map[string]any{"name": long}}))
	if want := "make://scenarios/5001/executions/" + run.ExecutionID; !strings.Contains(run.Note, want) {
		t.Errorf("scenarios_run note %q: want it to name %s", run.Note, want)
	}
	res := e.ok("executions_get-detail", map[string]any{"scenarioId": 5001, "executionId": run.ExecutionID})
	d := decode[struct {
		Outputs      json.RawMessage
		OutputsBytes int
		Note         string
	}](t, res)
	if d.Outputs != nil || d.OutputsBytes <= 16<<10 || !strings.Contains(d.Note, "make://scenarios/5001/executions/"+run.ExecutionID) {
		t.Errorf("detail of large outputs = %s: want them left out, their size and the resource named", res)
	}
}

func TestExecutionToolArguments(t *testing.T) {
	e := newEnv(t, options{})
	if got := e.fails("executions_list", map[string]any{"scenarioId": 5003, "status": "done"}); !strings.Contains(got, `status "done": use success, warning or error`) {
		t.Errorf("bad status: %q", got)
	}
	e.wantRequests()
	got := e.fails("incomplete-executions_retry", map[string]any{"incompleteExecutionId": "0123456789abcdef0123456789abcdef"})
	if !strings.Contains(got, "404 Incomplete execution not found") {
		t.Errorf("unknown incomplete execution: %q", got)
	}
}
