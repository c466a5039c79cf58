package tools

import "github.com/makemcp/makemcp/makeapi/scope"

// The incomplete-executions toolset: the runs of an incomplete execution,
// the one that stopped and each retry since.

func incompleteExecutionTools() []Tool {
	return []Tool{executionsListForIncomplete, executionsGetForIncomplete}
}

// incompleteRunsListArgs are the arguments of
// executions_list-for-incomp-exec.
type incompleteRunsListArgs struct {
	IncompleteExecutionID string `json:"incompleteExecutionId" jsonschema:"The incomplete execution (incomplete-executions_list shows them)."`
	Paging
}

var executionsListForIncomplete = listTool[incompleteRunsListArgs, Object](endpoint{
	Name: "executions_list-for-incomp-exec", Title: "List runs of incomplete execution", Toolset: IncompleteExecutions, Scope: scope.DLQsRead, Kind: Read,
	Description: "List the runs of an incomplete execution, newest first: the run that stopped and each retry, with its id, status (1 success, 2 warning, 3 error), duration and operations. Returns a page: pass nextOffset as offset for more.",
	Doc: "Make's SDK takes `limit` but sends no paging, so it shows only Make's first page; makemcp pages the list " +
		"with `pg[limit]` and `pg[offset]`, as for `executions_list`.",
	Method: "GET", Path: "/dlqs/{incompleteExecutionId}/logs", Answer: "dlqLogs", Pages: true,
})

// incompleteRunRef names one run of an incomplete execution.
type incompleteRunRef struct {
	IncompleteExecutionID string `json:"incompleteExecutionId" jsonschema:"The incomplete execution."`
	ExecutionID           string `json:"executionId" jsonschema:"The run's id, as executions_list-for-incomp-exec shows it; may be a UUID with dashes."`
}

var executionsGetForIncomplete = endpointTool[incompleteRunRef, Object](endpoint{
	Name: "executions_get-for-incomp-exec", Title: "Get run of incomplete execution", Toolset: IncompleteExecutions, Scope: scope.DLQsRead, Kind: Read,
	Description: "Get one run of an incomplete execution: its status (1 success, 2 warning, 3 error), when it ran, how it started, duration, operations and data used.",
	Method:      "GET", Path: "/dlqs/{incompleteExecutionId}/logs/{executionId}", Answer: "dlqLog",
})
