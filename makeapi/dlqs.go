package makeapi

import (
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
