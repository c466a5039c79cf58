package makeapi

import (
	"context"
	"encoding/json"
	"time"
)

// Blueprint is a scenario's blueprint with what Make keeps beside it.
type Blueprint struct {
	// Blueprint is the blueprint itself (name, flow, metadata), opaque
	// here: send it back in ScenarioUpdate.Blueprint after editing.
	Blueprint  json.RawMessage `json:"blueprint"`
	Scheduling Scheduling      `json:"scheduling"`
	// Interface is the scenario's interface, stored with the blueprint as
	// metadata.input_spec and metadata.output_spec.
	Interface  Interface `json:"interface"`
	IDSequence int64     `json:"idSequence"`
	Created    time.Time `json:"created,omitzero"`
	LastEdit   time.Time `json:"lastEdit,omitzero"`
}

// ScenarioBlueprint returns a scenario's current blueprint:
// GET /scenarios/{id}/blueprint, whose answer is {code, response}.
func (c *Client) ScenarioBlueprint(ctx context.Context, id int64) (*Blueprint, error) {
	var out struct {
		Response struct {
			Blueprint  json.RawMessage  `json:"blueprint"`
			Scheduling Scheduling       `json:"scheduling"`
			IDSequence int64            `json:"idSequence"`
			Created    time.Time        `json:"created"`
			LastEdit   time.Time        `json:"last_edit"`
			Metadata   scenarioMetadata `json:"metadata"`
		} `json:"response"`
	}
	if err := c.do(ctx, &call{method: "GET", path: idPath("/scenarios", id, "/blueprint"), route: byScenario(id), out: &out}); err != nil {
		return nil, err
	}
	r := out.Response
	b := &Blueprint{
		Blueprint: r.Blueprint, Scheduling: r.Scheduling, IDSequence: r.IDSequence,
		Created: r.Created, LastEdit: r.LastEdit,
		Interface: Interface{Input: r.Metadata.InputSpec, Output: r.Metadata.OutputSpec},
	}
	b.Interface.fill()
	return b, nil
}
