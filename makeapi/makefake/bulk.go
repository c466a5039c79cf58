package makefake

import (
	"crypto/tls"
	"fmt"
)

// Large accounts, for benchmarks and load tests.

// AddOnDemandScenarios adds n active on-demand scenarios to a team and
// returns their ids, in order. They take, in turn, the interface and
// blueprint of the Demo seed's active on-demand scenarios ("Greet a
// customer", "Open a support ticket", "Build quarterly report"), so each
// has inputs of Make's field types and a run returns outputs built from
// them. Their runs take Options.RunDuration. Their names are "Bench
// scenario 1" and on.
func (s *Server) AddOnDemandScenarios(teamID int64, n int) ([]int64, error) {
	if n < 0 {
		return nil, fmt.Errorf("makefake: %d scenarios: n must not be negative", n)
	}
	models, err := onDemandModels()
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.w.teams.get(teamID) == nil {
		return nil, fmt.Errorf("makefake: no team %d", teamID)
	}
	t := stamp(now())
	ids := make([]int64, n)
	for i := range n {
		m := models[i%len(models)]
		id := s.w.newID()
		name := "Bench scenario " + itoa(int64(i+1))
		sc := clone(m.Scenario)
		merge(sc, obj{
			"id": jsonNumber(id), "name": name, "teamId": jsonNumber(teamID), "folderId": nil,
			"isActive": true, "islinked": true, "scheduling": obj{"type": "on-demand"},
			"lastEdit": t, "created": t, "operations": jsonNumber(0), "transfer": jsonNumber(0),
		})
		s.w.scenarios.put(sc)
		s.w.interfaces[id] = clone(m.Interface)
		bp := clone(m.Blueprint)
		bp["name"] = name
		s.w.setBlueprint(id, bp, t)
		ids[i] = id
	}
	return ids, nil
}

// onDemandModels are the Demo seed's active on-demand scenarios with
// inputs.
func onDemandModels() ([]seedScenario, error) {
	var sd seed
	if err := decode(demoJSON, &sd); err != nil {
		return nil, fmt.Errorf("makefake: demo seed: %w", err)
	}
	var out []seedScenario
	for _, sc := range sd.Scenarios {
		sched, _ := sc.Scenario["scheduling"].(map[string]any)
		in, _ := sc.Interface["input"].([]any)
		if truthy(sc.Scenario["isActive"]) && str(sched["type"]) == "on-demand" && len(in) > 0 && sc.Blueprint != nil {
			out = append(out, sc)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("makefake: the demo seed has no active on-demand scenario with inputs")
	}
	return out, nil
}

// SetAPILimit sets an organization's license.apiLimit, the requests a
// minute its plan allows, which clients read to pace themselves.
func (s *Server) SetAPILimit(orgID int64, perMinute int) error {
	if perMinute <= 0 {
		return fmt.Errorf("makefake: API limit %d: must be positive", perMinute)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.w.orgs.get(orgID)
	if o == nil {
		return fmt.Errorf("makefake: no organization %d", orgID)
	}
	lic, _ := o["license"].(map[string]any)
	if lic == nil {
		lic = obj{}
		o["license"] = lic
	}
	lic["apiLimit"] = jsonNumber(int64(perMinute))
	return nil
}

// TLSConfig is the server side of the fake's https, as StartTLS serves it:
// its certificate for 127.0.0.1, ::1, localhost and every zone host,
// signed by the CA of CACertPEM. It lets a caller serve Handler through a
// listener of its own, for instance wrapped in middleware that times the
// fake's answers.
func (s *Server) TLSConfig() (*tls.Config, error) {
	c, err := s.certificates()
	if err != nil {
		return nil, err
	}
	return c.serverConfig(), nil
}
