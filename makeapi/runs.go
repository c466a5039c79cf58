package makeapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// RunRequest is the body of a scenario run.
type RunRequest struct {
	// Data are the scenario's inputs, a JSON object keyed by the names of
	// its interface's input fields.
	Data json.RawMessage `json:"data,omitempty"`
	// Responsive makes Make wait for the run to finish, up to 40 s, and
	// answer with its status and outputs.
	Responsive bool `json:"responsive"`
	// CallbackURL is called when the run finishes.
	CallbackURL string `json:"callbackUrl,omitempty"`
}

// Statuses of a finished execution, in RunResult.Status and
// Execution.Status.
const (
	ExecutionOK      = 1
	ExecutionWarning = 2
	ExecutionFailed  = 3
)

// RunResult is Make's answer to a run.
type RunResult struct {
	ExecutionID string `json:"executionId"`
	// Status is set for responsive runs: ExecutionOK,
	// ExecutionWarning or ExecutionFailed.
	Status int `json:"status,omitempty"`
	// Outputs are the run's outputs, for responsive runs of scenarios
	// whose interface has outputs.
	Outputs json.RawMessage `json:"outputs,omitempty"`
}

// ErrRunTimeout is in the chain of RunScenario's error when a responsive
// run outlived Make's 40 s limit (or the client's wait for it). The run
// goes on; when Make named it, RunScenario also returns a RunResult whose
// ExecutionID can be polled with ExecutionDetail.
var ErrRunTimeout = errors.New("the scenario run did not finish within Make's 40 s limit; it goes on in the background")

// runLimit is how long Make holds a responsive run, and runWaitTimeout how
// long the client waits for one (the limit plus time for Make to answer).
const (
	runLimit       = 40 * time.Second
	runWaitTimeout = runLimit + 15*time.Second
)

// RunScenario runs an active scenario: POST /scenarios/{id}/run with body
// {data, responsive, callbackUrl}. A run is never retried, whatever
// happens: a second request would be a second run.
//
// When a responsive run takes longer than Make's limit, Make answers with
// a timeout while the run goes on; RunScenario then returns an error
// wrapping ErrRunTimeout, and a RunResult naming the execution when Make
// named it. (How Make words that answer is not documented: a 408 or 504,
// or a 5xx whose body carries an executionId, counts as one.)
func (c *Client) RunScenario(ctx context.Context, id int64, r RunRequest) (*RunResult, error) {
	k := &call{method: "POST", path: idPath("/scenarios", id, "/run"), body: r,
		route: byScenario(id), retry: retryNever}
	if r.Responsive {
		k.wait = runWaitTimeout
	}
	var out RunResult
	k.out = &out
	err := c.do(ctx, k)
	if err == nil {
		return &out, nil
	}
	var apiErr *Error
	switch {
	case errors.As(err, &apiErr) && (apiErr.Status == 408 || apiErr.Status == 504 ||
		apiErr.Status >= 500 && apiErr.executionID != ""):
		res := &RunResult{ExecutionID: apiErr.executionID}
		return res, &runTimeoutError{scenario: id, execution: res.ExecutionID, err: err}
	case r.Responsive && errors.Is(err, ErrTimeout) && ctx.Err() == nil:
		return nil, &runTimeoutError{scenario: id, err: err}
	}
	return nil, err
}

// runTimeoutError is a responsive run that outlived the wait for it.
type runTimeoutError struct {
	scenario  int64
	execution string
	err       error
}

func (e *runTimeoutError) Error() string {
	if e.execution != "" {
		return fmt.Sprintf("scenario %d is still running after Make's 40 s limit: execution %s goes on; check it later (%v)", e.scenario, e.execution, e.err)
	}
	return fmt.Sprintf("scenario %d is still running after Make's 40 s limit: its run goes on; check its executions later (%v)", e.scenario, e.err)
}

func (e *runTimeoutError) Unwrap() []error { return []error{ErrRunTimeout, e.err} }
