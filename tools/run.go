package tools

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/makemcp/makemcp/makeapi"
)

// runResult is what running a scenario returns, from scenarios_run and
// from every run_scenario_<id> tool.
type runResult struct {
	ExecutionID string `json:"executionId,omitempty" jsonschema:"The execution's id: executions_get-detail reads its status and outputs later."`
	// Status is "success", "warning", "error", or "running" when the run
	// outlived makemcp's wait and goes on in Make.
	Status  string          `json:"status" jsonschema:"success, warning, error, or running when the run goes on in Make after makemcp stopped waiting."`
	Outputs json.RawMessage `json:"outputs,omitempty" jsonschema:"The scenario's outputs, as its interface defines them."`
	Error   string          `json:"error,omitempty" jsonschema:"Why the run failed or warned, when Make said."`
	Note    string          `json:"note,omitempty" jsonschema:"What to do next, when the run is still going or its outputs were left out."`
}

// Defaults for Deps.RunWait and Deps.PollEvery.
const (
	defaultRunWait   = 2 * time.Minute
	defaultPollEvery = 2 * time.Second
	// progressEvery is how often a waiting run reports progress, which
	// also keeps hosts that time out idle calls from giving up on it.
	progressEvery = 5 * time.Second
)

// maxOutputBytes bounds the outputs a run or an execution detail returns
// inline; larger ones are left to the execution resource.
const maxOutputBytes = 16 << 10

// runScenario runs a scenario and waits for its result. Make holds a
// responsive run for up to 40 s; past that the run goes on, and
// runScenario polls its execution until it ends, RunWait passes or the
// call is cancelled, reporting progress meanwhile. A run is never
// retried: a second request would be a second run.
func (c *Call) runScenario(ctx context.Context, scenarioID int64, run makeapi.RunRequest) (*runResult, error) {
	run.Responsive = true
	start := time.Now()
	stop := c.reportWhileWaiting(ctx, start, fmt.Sprintf("scenario %d is running", scenarioID))
	res, err := c.Client.RunScenario(ctx, scenarioID, run)
	stop()
	switch {
	case err == nil:
		return finished(res.ExecutionID, detailStatus(res.Status), res.Outputs, "").capOutputs(scenarioID), nil
	case ctx.Err() != nil:
		// Make had the run and no execution id to give yet.
		return nil, fmt.Errorf("cancelled before Make answered; the run may go on in Make: find it with executions_list for scenario %d", scenarioID)
	case !errors.Is(err, makeapi.ErrRunTimeout):
		return nil, err
	case res == nil || res.ExecutionID == "":
		return &runResult{Status: "running", Note: fmt.Sprintf(
			"the run goes on in Make beyond its 40 s limit; find it with executions_list for scenario %d", scenarioID)}, nil
	}
	r, err := c.pollExecution(ctx, scenarioID, res.ExecutionID, start)
	if err != nil {
		return nil, err
	}
	return r.capOutputs(scenarioID), nil
}

// capOutputs leaves out outputs larger than maxOutputBytes, with a note
// naming the resource that holds them.
func (r *runResult) capOutputs(scenarioID int64) *runResult {
	if len(r.Outputs) <= maxOutputBytes || r.ExecutionID == "" {
		return r
	}
	r.Note = fmt.Sprintf("the outputs are %d bytes, too many to include: read the resource %s for them",
		len(r.Outputs), ExecutionURI(scenarioID, r.ExecutionID))
	r.Outputs = nil
	return r
}

// pollExecution waits for a running execution to end.
func (c *Call) pollExecution(ctx context.Context, scenarioID int64, executionID string, start time.Time) (*runResult, error) {
	wait := cmp.Or(c.RunWait, defaultRunWait)
	every := cmp.Or(c.PollEvery, defaultPollEvery)
	deadline := start.Add(wait)
	for {
		d, err := c.Client.ExecutionDetail(ctx, scenarioID, executionID)
		if ctx.Err() != nil {
			return stoppedWaiting(scenarioID, executionID, start), nil
		}
		if err != nil {
			return nil, err
		}
		if d.Status != makeapi.StatusRunning {
			var msg string
			if d.Error != nil {
				msg = d.Error.Message
			}
			return finished(executionID, d.Status, d.Outputs, msg), nil
		}
		elapsed := time.Since(start)
		c.progress(ctx, elapsed.Seconds(), wait.Seconds(),
			fmt.Sprintf("execution %s is still running after %s", executionID, elapsed.Round(time.Second)))
		if time.Now().Add(every).After(deadline) {
			return &runResult{ExecutionID: executionID, Status: "running", Note: fmt.Sprintf(
				"still running after %s; call executions_get-detail with scenarioId %d and executionId %s to get the result later",
				elapsed.Round(time.Second), scenarioID, executionID)}, nil
		}
		select {
		case <-ctx.Done():
			return stoppedWaiting(scenarioID, executionID, start), nil
		case <-time.After(every):
		}
	}
}

// stoppedWaiting is the answer to a call cancelled while its run went on
// in Make: the run is not stopped by that, and the execution id lets the
// model (or the host, which may still log the answer) follow it.
func stoppedWaiting(scenarioID int64, executionID string, start time.Time) *runResult {
	return &runResult{ExecutionID: executionID, Status: "running", Note: fmt.Sprintf(
		"the call was cancelled after %s, but the run goes on in Make: call executions_get-detail with scenarioId %d and executionId %s to get its result",
		time.Since(start).Round(time.Second), scenarioID, executionID)}
}

// reportWhileWaiting sends a progress notification every progressEvery
// until the returned stop is called.
func (c *Call) reportWhileWaiting(ctx context.Context, start time.Time, what string) (stop func()) {
	if c.Request == nil || c.Request.Params.GetProgressToken() == nil {
		return func() {}
	}
	done := make(chan struct{})
	go func() {
		t := time.NewTicker(progressEvery)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-ctx.Done():
				return
			case <-t.C:
				elapsed := time.Since(start)
				c.progress(ctx, elapsed.Seconds(), 0, fmt.Sprintf("%s (%s)", what, elapsed.Round(time.Second)))
			}
		}
	}()
	return func() { close(done) }
}

// finished describes a run that ended; status is an execution detail's
// (makeapi.StatusSuccess, StatusWarning or StatusError).
func finished(executionID, status string, outputs json.RawMessage, errMsg string) *runResult {
	r := &runResult{ExecutionID: executionID, Outputs: outputs, Error: errMsg}
	switch status {
	case makeapi.StatusWarning:
		r.Status = "warning"
	case makeapi.StatusError:
		r.Status = "error"
	default:
		r.Status = "success"
	}
	return r
}

// detailStatus turns the numeric status of a run's answer into the
// status an execution detail would report.
func detailStatus(code int) string {
	switch code {
	case makeapi.ExecutionWarning:
		return makeapi.StatusWarning
	case makeapi.ExecutionFailed:
		return makeapi.StatusError
	}
	return makeapi.StatusSuccess
}
