package makeapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log"

	"github.com/makemcp/makemcp/makeapi"
	"github.com/makemcp/makemcp/makeapi/makefake"
)

// Scenarios that are active and run on demand can be offered as tools:
// their interface's inputs are the tool's arguments, their outputs its
// result. This runs against the demo sandbox that `makemcp serve --demo`
// uses.
func Example() {
	demo, err := makefake.StartDemo()
	if err != nil {
		log.Fatal(err)
	}
	defer demo.Close()
	c, err := makeapi.New(makeapi.Options{Zone: demo.Zone(), AllowedHosts: []string{demo.Zone()}, Tokens: makeapi.StaticToken(makefake.DemoToken, "Token")})
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()

	for s, err := range c.AllScenarios(ctx, makeapi.ScenarioQuery{TeamID: 3001}) {
		if err != nil {
			log.Fatal(err)
		}
		if !s.IsActive || !s.OnDemand() {
			continue
		}
		in, err := c.ScenarioInterface(ctx, s.ID)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("run_scenario_%d %q: %d inputs, %d outputs\n", s.ID, s.Name, len(in.Input), len(in.Output))
	}

	res, err := c.RunScenario(ctx, 5001, makeapi.RunRequest{Data: json.RawMessage(`{"name":"Ada","language":"cs"}`), Responsive: true})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res.Status == makeapi.ExecutionOK, string(res.Outputs))

	_, err = c.RunScenario(ctx, 5001, makeapi.RunRequest{Data: json.RawMessage(`{}`), Responsive: true})
	fmt.Println(err)
	// Output:
	// run_scenario_5001 "Greet a customer": 2 inputs, 2 outputs
	// run_scenario_5002 "Open a support ticket": 8 inputs, 4 outputs
	// run_scenario_5006 "Build quarterly report": 3 inputs, 1 outputs
	// true {"greeting":"Hello, Ada! Thanks for being with us.","language":"cs"}
	// Make API: 400 Invalid scenario inputs: Missing value of required parameter 'name' (SC400)
}
