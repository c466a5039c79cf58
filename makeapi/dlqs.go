package makeapi

import (
	"context"
	"errors"
	"net/url"
	"time"
)

// IncompleteExecution is a run that stopped on an error and was kept for
// a retry (Make's DLQ). Listings fill fewer fields than a get.
type IncompleteExecution struct {
	ID           string `json:"id"`
	ScenarioID   int64  `json:"scenarioId,omitempty"`
	ScenarioName string `json:"scenarioName,omitempty"`
	// TeamID and TeamName are Make's "companyId" and "companyName".
	TeamID      int64     `json:"companyId,omitempty"`
	TeamName    string    `json:"companyName,omitempty"`
	Reason      string    `json:"reason,omitempty"`
	Resolved    bool      `json:"resolved"`
	Retry       bool      `json:"retry"`
	Attempts    int       `json:"attempts"`
	Size        int64     `json:"size"`
	Created     time.Time `json:"created,omitzero"`
	ExecutionID string    `json:"executionId,omitempty"`
}

// ListIncompleteExecutions lists a scenario's incomplete executions:
// GET /dlqs?scenarioId=.
func (c *Client) ListIncompleteExecutions(ctx context.Context, scenarioID int64) ([]IncompleteExecution, error) {
	v := url.Values{}
	setID(v, "scenarioId", scenarioID)
	var out struct {
		DLQs []IncompleteExecution `json:"dlqs"`
	}
	if err := c.do(ctx, &call{method: "GET", path: "/dlqs", query: v, route: byScenario(scenarioID), out: &out}); err != nil {
		return nil, err
	}
	if t, ok := c.zones.teamOf(byScenario(scenarioID)); ok {
		for _, d := range out.DLQs {
			c.zones.learnOwner(dlqKind, d.ID, t)
		}
	}
	return out.DLQs, nil
}

// GetIncompleteExecution returns an incomplete execution: GET /dlqs/{id}.
func (c *Client) GetIncompleteExecution(ctx context.Context, id string) (*IncompleteExecution, error) {
	if id == "" {
		return nil, errors.New("makeapi: get incomplete execution: an id is required")
	}
	var out struct {
		DLQ IncompleteExecution `json:"dlq"`
	}
	if err := c.do(ctx, &call{method: "GET", path: keyPath("/dlqs", id, ""), route: dlqRoute(id), out: &out}); err != nil {
		return nil, err
	}
	return &out.DLQ, nil
}

// RetryIncompleteExecution queues an incomplete execution to run again:
// POST /dlqs/{id}/retry. It is not repeated after a failure, since a
// repeat could run it twice.
func (c *Client) RetryIncompleteExecution(ctx context.Context, id string) error {
	if id == "" {
		return errors.New("makeapi: retry incomplete execution: an id is required")
	}
	return c.do(ctx, &call{method: "POST", path: keyPath("/dlqs", id, "/retry"), route: dlqRoute(id), retry: retryRateLimited})
}

func dlqRoute(id string) route { return route{dlqKind, id} }
