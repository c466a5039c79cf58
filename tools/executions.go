package tools

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/makemcp/makemcp/makeapi"
	"github.com/makemcp/makemcp/makeapi/scope"
)

// The executions toolset: what runs of a scenario did, and the runs that
// stopped halfway and wait to be retried (Make's incomplete executions).

func executionTools() []Tool {
	return []Tool{executionsList, executionsGet, executionsGetDetail,
		incompleteExecutionsList, incompleteExecutionsGet, incompleteExecutionsRetry}
}

// executionsListArgs are the arguments of executions_list.
type executionsListArgs struct {
	ScenarioID int64  `json:"scenarioId" jsonschema:"The scenario whose executions to list."`
	Status     string `json:"status,omitempty" jsonschema:"Only executions that ended so: success, warning or error."`
	From       int64  `json:"from,omitempty" jsonschema:"Only executions from this time on, in Unix milliseconds."`
	To         int64  `json:"to,omitempty" jsonschema:"Only executions up to this time, in Unix milliseconds."`
	Paging
}

// executionSummary is an execution as executions_list shows it.
type executionSummary struct {
	ID         string    `json:"id" jsonschema:"The executionId executions_get and executions_get-detail take."`
	Status     string    `json:"status" jsonschema:"success, warning, error, or running."`
	Type       string    `json:"type,omitempty" jsonschema:"How the run started, such as auto or manual."`
	Duration   int64     `json:"duration" jsonschema:"How long it ran, in milliseconds."`
	Operations int64     `json:"operations"`
	Timestamp  time.Time `json:"timestamp,omitzero"`
}

// execution is one execution of a scenario, as executions_get shows it.
type execution struct {
	ID             string    `json:"id"`
	Status         string    `json:"status" jsonschema:"success, warning, error, or running."`
	Type           string    `json:"type,omitempty" jsonschema:"How the run started, such as auto or manual."`
	Instant        bool      `json:"instant" jsonschema:"It ran as soon as data arrived."`
	Duration       int64     `json:"duration" jsonschema:"How long it ran, in milliseconds."`
	Operations     int64     `json:"operations"`
	Centicredits   int64     `json:"centicredits" jsonschema:"Credits used, in hundredths."`
	Transfer       int64     `json:"transfer" jsonschema:"Data transferred, in bytes."`
	OrganizationID int64     `json:"organizationId,omitempty"`
	TeamID         int64     `json:"teamId"`
	AuthorID       int64     `json:"authorId,omitempty" jsonschema:"The user who started it, for manual runs."`
	Timestamp      time.Time `json:"timestamp,omitzero"`
}

// executionStatus names a log entry's status; Make logs a run that is
// still going with status 0.
func executionStatus(s int) string {
	switch s {
	case makeapi.ExecutionOK:
		return "success"
	case makeapi.ExecutionWarning:
		return "warning"
	case makeapi.ExecutionFailed:
		return "error"
	case 0:
		return "running"
	}
	return strconv.Itoa(s)
}

// statusCodes are the filters executions_list takes, as Make numbers them.
var statusCodes = map[string]int{"success": makeapi.ExecutionOK, "warning": makeapi.ExecutionWarning, "error": makeapi.ExecutionFailed}

var executionsList = define(meta{
	Name:        "executions_list",
	Title:       "List executions",
	Description: "List a scenario's past runs, newest first, each with its executionId, status, duration and operations used; filter by status and time. Returns a page: pass nextOffset as offset for more. executions_get-detail then shows a run's outputs or error.",
	Toolset:     Executions, Scope: scope.ScenariosRead, Kind: Read,
},
	func(ctx context.Context, c *Call, in executionsListArgs) (List[executionSummary], error) {
		var q makeapi.ExecutionQuery
		if in.Status != "" {
			code, ok := statusCodes[strings.ToLower(in.Status)]
			if !ok {
				return List[executionSummary]{}, fmt.Errorf("status %q: use success, warning or error", in.Status)
			}
			q.Status = code
		}
		if in.From != 0 {
			q.From = time.UnixMilli(in.From)
		}
		if in.To != 0 {
			q.To = time.UnixMilli(in.To)
		}
		logs, _, err := c.Client.ListExecutions(ctx, in.ScenarioID, q, in.page())
		if err != nil {
			return List[executionSummary]{}, err
		}
		return newList(logs, in.Paging, func(e makeapi.Execution) executionSummary {
			return executionSummary{ID: e.ID, Status: executionStatus(e.Status), Type: e.Type,
				Duration: e.Duration, Operations: e.Operations, Timestamp: e.Timestamp}
		}), nil
	})

// executionRef names one execution of a scenario.
type executionRef struct {
	ScenarioID  int64  `json:"scenarioId" jsonschema:"The scenario the execution belongs to."`
	ExecutionID string `json:"executionId" jsonschema:"The execution's id, 32 hexadecimal digits, as scenarios_run or executions_list return it."`
}

var executionsGet = define(meta{
	Name:        "executions_get",
	Title:       "Get execution",
	Description: "Get one execution's record: status, how it started, duration, operations, credits and data used. For its outputs or why it failed, use executions_get-detail.",
	Toolset:     Executions, Scope: scope.ScenariosRead, Kind: Read,
},
	func(ctx context.Context, c *Call, in executionRef) (*execution, error) {
		e, err := c.Client.GetExecution(ctx, in.ScenarioID, in.ExecutionID)
		if err != nil {
			return nil, err
		}
		return &execution{ID: e.ID, Status: executionStatus(e.Status), Type: e.Type, Instant: e.Instant,
			Duration: e.Duration, Operations: e.Operations, Centicredits: e.Centicredits, Transfer: e.Transfer,
			OrganizationID: e.OrganizationID, TeamID: e.TeamID, AuthorID: e.AuthorID, Timestamp: e.Timestamp}, nil
	})

// executionDetail is the result of executions_get-detail.
type executionDetail struct {
	ScenarioID   int64           `json:"scenarioId"`
	ExecutionID  string          `json:"executionId"`
	Status       string          `json:"status" jsonschema:"running, success, warning or error."`
	Outputs      json.RawMessage `json:"outputs,omitempty" jsonschema:"The scenario's outputs, once it succeeded. Left out when larger than 16 KB."`
	OutputsBytes int             `json:"outputsBytes,omitempty" jsonschema:"The outputs' size as JSON, in bytes."`
	Error        *executionError `json:"error,omitempty" jsonschema:"Why it failed or warned."`
	Note         string          `json:"note,omitempty" jsonschema:"What to do next: wait for a running execution, or where to read outputs that were left out."`
}

// executionError says why an execution failed.
type executionError struct {
	Name    string `json:"name,omitempty"`
	Message string `json:"message"`
	Module  string `json:"module,omitempty" jsonschema:"The module it failed in."`
	App     string `json:"app,omitempty" jsonschema:"The app of that module."`
}

var executionsGetDetail = define(meta{
	Name:        "executions_get-detail",
	Title:       "Get execution result",
	Description: "Get an execution's outcome: running, success, warning or error, its outputs, and for a failure the error and the module it happened in. Use it after scenarios_run, and always before running a failed scenario again. Outputs larger than 16 KB are left out, with the resource to read them from.",
	Toolset:     Executions, Scope: scope.ScenariosRead, Kind: Read,
},
	func(ctx context.Context, c *Call, in executionRef) (*executionDetail, error) {
		d, err := c.Client.ExecutionDetail(ctx, in.ScenarioID, in.ExecutionID)
		if err != nil {
			return nil, err
		}
		out := &executionDetail{ScenarioID: in.ScenarioID, ExecutionID: in.ExecutionID, Status: strings.ToLower(d.Status)}
		if len(d.Outputs) > 0 {
			out.OutputsBytes = len(d.Outputs)
			if len(d.Outputs) <= maxOutputBytes {
				out.Outputs = d.Outputs
			} else {
				out.Note = fmt.Sprintf("the outputs are %d bytes, too many to include: read the resource %s for them",
					len(d.Outputs), ExecutionURI(in.ScenarioID, in.ExecutionID))
			}
		}
		if e := d.Error; e != nil {
			out.Error = &executionError{Name: e.Name, Message: e.Message}
			if m := e.CauseModule; m != nil {
				out.Error.Module, out.Error.App = m.Name, m.AppName
			}
		}
		if d.Status == makeapi.StatusRunning {
			out.Note = "the execution is still running: call again later"
		}
		return out, nil
	})

// incompleteExecutionsListArgs are the arguments of
// incomplete-executions_list.
type incompleteExecutionsListArgs struct {
	ScenarioID int64 `json:"scenarioId" jsonschema:"The scenario whose incomplete executions to list."`
	Paging
}

// incompleteExecutionSummary is an incomplete execution as
// incomplete-executions_list shows it.
type incompleteExecutionSummary struct {
	ID       string    `json:"id" jsonschema:"The incompleteExecutionId the other incomplete-executions tools take."`
	Reason   string    `json:"reason,omitempty" jsonschema:"Why the run stopped."`
	Created  time.Time `json:"created,omitzero"`
	Attempts int       `json:"attempts" jsonschema:"How often it was retried."`
	Resolved bool      `json:"resolved"`
	Retry    bool      `json:"retry" jsonschema:"A retry is queued or automatic."`
}

var incompleteExecutionsList = listTool[incompleteExecutionsListArgs, incompleteExecutionSummary](endpoint{
	Name: "incomplete-executions_list", Title: "List incomplete executions", Toolset: Executions, Scope: scope.DLQsRead, Kind: Read,
	Description: "List a scenario's incomplete executions: runs that stopped on an error and were kept so they can be retried, each with its id, the reason and whether it is resolved. Returns a page: pass nextOffset as offset for more.",
	Method:      "GET", Path: "/dlqs", Answer: "dlqs",
})

// incompleteExecutionID is the argument of tools about one incomplete
// execution.
type incompleteExecutionID struct {
	IncompleteExecutionID string `json:"incompleteExecutionId" jsonschema:"The incomplete execution's id (incomplete-executions_list shows them)."`
}

var incompleteExecutionsGet = endpointTool[incompleteExecutionID, makeapi.IncompleteExecution](endpoint{
	Name: "incomplete-executions_get", Title: "Get incomplete execution", Toolset: Executions, Scope: scope.DLQsRead, Kind: Read,
	Description: "Get an incomplete execution: its scenario, why it stopped, when, its size and retry attempts, and whether it is resolved.",
	Method:      "GET", Path: "/dlqs/{incompleteExecutionId}", Answer: "dlq",
})

// retryQueued is the result of incomplete-executions_retry.
type retryQueued struct {
	IncompleteExecutionID string `json:"incompleteExecutionId"`
	Queued                bool   `json:"queued"`
	Note                  string `json:"note"`
}

var incompleteExecutionsRetry = endpointTool[incompleteExecutionID, retryQueued](endpoint{
	Name: "incomplete-executions_retry", Title: "Retry incomplete execution", Toolset: Executions, Scope: scope.DLQsWrite, Kind: Run,
	Description: "Queue an incomplete execution to run again from where it stopped, after the cause was fixed. The retry acts on the services its remaining modules reach, and is not repeated by makemcp. Check the outcome with incomplete-executions_get or executions_list.",
	Method:      "POST", Path: "/dlqs/{incompleteExecutionId}/retry",
	Result: `{"queued": true, "note": "Make runs it shortly; incomplete-executions_get shows whether it is resolved"}`,
})
