package makeapi

import (
	"context"
	"encoding/json"
	"net/url"
	"strconv"
	"time"
)

// Execution is one entry of a scenario's execution log.
type Execution struct {
	// ID is the execution id, 32 hexadecimal digits.
	ID    string `json:"id"`
	IMTID string `json:"imtId"`
	// Status is ExecutionOK, ExecutionWarning or ExecutionFailed.
	Status int `json:"status"`
	// Type is how the run started: "auto", "manual", ...
	Type    string `json:"type"`
	Instant bool   `json:"instant"`
	// Duration is in milliseconds.
	Duration       int64     `json:"duration"`
	Operations     int64     `json:"operations"`
	Centicredits   int64     `json:"centicredits"`
	Transfer       int64     `json:"transfer"`
	OrganizationID int64     `json:"organizationId,omitempty"`
	TeamID         int64     `json:"teamId"`
	AuthorID       int64     `json:"authorId,omitempty"`
	Timestamp      time.Time `json:"timestamp,omitzero"`
}

// ExecutionQuery filters a scenario's execution log.
type ExecutionQuery struct {
	// Status keeps executions with this status (ExecutionOK, ...).
	Status int
	// From and To bound the executions' time.
	From, To time.Time
}

// ListExecutions lists one page of a scenario's execution log, newest
// first: GET /scenarios/{id}/logs (status, from, to in milliseconds, pg).
// Make pages logs by pg[limit]; there is no All iterator because Make's
// logs page with a cursor of their own rather than pg[offset].
func (c *Client) ListExecutions(ctx context.Context, scenarioID int64, q ExecutionQuery, p Page) ([]Execution, PageInfo, error) {
	v := url.Values{}
	if q.Status != 0 {
		v.Set("status", strconv.Itoa(q.Status))
	}
	if !q.From.IsZero() {
		v.Set("from", strconv.FormatInt(q.From.UnixMilli(), 10))
	}
	if !q.To.IsZero() {
		v.Set("to", strconv.FormatInt(q.To.UnixMilli(), 10))
	}
	setPage(v, p)
	var out struct {
		Logs []Execution `json:"scenarioLogs"`
		Pg   PageInfo    `json:"pg"`
	}
	err := c.do(ctx, &call{method: "GET", path: idPath("/scenarios", scenarioID, "/logs"), query: v,
		route: byScenario(scenarioID), out: &out})
	return out.Logs, out.Pg, err
}

// GetExecution returns one entry of a scenario's execution log:
// GET /scenarios/{id}/logs/{executionId}.
func (c *Client) GetExecution(ctx context.Context, scenarioID int64, executionID string) (*Execution, error) {
	path, err := keyPath(idPath("/scenarios", scenarioID, "/logs"), "executionId", executionID, "")
	if err != nil {
		return nil, err
	}
	var out struct {
		Log Execution `json:"scenarioLog"`
	}
	if err := c.do(ctx, &call{method: "GET", path: path, route: byScenario(scenarioID), out: &out}); err != nil {
		return nil, err
	}
	return &out.Log, nil
}

// Statuses in ExecutionDetail.Status.
const (
	StatusRunning = "RUNNING"
	StatusSuccess = "SUCCESS"
	StatusWarning = "WARNING"
	StatusError   = "ERROR"
)

// ExecutionDetail is the state and result of one execution.
type ExecutionDetail struct {
	// Status is StatusRunning until the execution ends.
	Status string `json:"status"`
	// Outputs are the scenario's outputs, raw JSON, once it succeeded.
	Outputs json.RawMessage `json:"outputs,omitempty"`
	// Error is set when the execution ended with a warning or an error.
	Error *ExecutionError `json:"error,omitempty"`
}

// ExecutionError says why an execution failed.
type ExecutionError struct {
	Name        string       `json:"name"`
	Message     string       `json:"message"`
	CauseModule *CauseModule `json:"causeModule,omitempty"`
}

// CauseModule is the module an execution failed in.
type CauseModule struct {
	Name    string `json:"name"`
	AppName string `json:"appName"`
}

// ExecutionDetail returns the state and result of an execution:
// GET /scenarios/{id}/executions/{executionId}. Poll it after a
// responsive run outlived Make's limit, until Status is not StatusRunning.
func (c *Client) ExecutionDetail(ctx context.Context, scenarioID int64, executionID string) (*ExecutionDetail, error) {
	path, err := keyPath(idPath("/scenarios", scenarioID, "/executions"), "executionId", executionID, "")
	if err != nil {
		return nil, err
	}
	var out ExecutionDetail
	if err := c.do(ctx, &call{method: "GET", path: path, route: byScenario(scenarioID), out: &out}); err != nil {
		return nil, err
	}
	return &out, nil
}
