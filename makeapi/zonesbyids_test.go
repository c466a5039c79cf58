package makeapi_test

import (
	"encoding/json"
	"net/url"
	"testing"

	"github.com/makemcp/makemcp/makeapi"
)

// A call about an object whose answers name no team (an on-premise agent,
// a custom role) goes to the zone of the organization it names in its
// query or body, not to the configured zone.
func TestObjectsWithoutATeamGoToTheirOrganizationsZone(t *testing.T) {
	f := twoZones(t)
	c, err := makeapi.New(makeapi.Options{Zone: "eu1.make.com", Tokens: demoTokens(), HTTPClient: f.HTTPClient()})
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	if _, err := c.Organizations(ctx); err != nil {
		t.Fatal(err)
	}
	us := url.Values{"organizationId": {"2101"}}
	v, err := c.Do(ctx, makeapi.Request{Method: "POST", Path: "/agent/register", Query: us,
		Body: json.RawMessage(`{"name":"US bridge"}`), Answer: "agent", Effect: makeapi.Creates})
	if err != nil {
		t.Fatal(err)
	}
	var agent struct{ ID string }
	if err := json.Unmarshal(v, &agent); err != nil || agent.ID == "" {
		t.Fatalf("agent %s: %v", v, err)
	}
	f.ResetRequests()
	for _, r := range []makeapi.Request{
		{Method: "GET", Path: "/agents/{agentId}", Params: map[string]string{"agentId": agent.ID}, Query: us, Answer: "agent"},
		{Method: "PATCH", Path: "/agents/{agentId}", Params: map[string]string{"agentId": agent.ID}, Query: us,
			Body: json.RawMessage(`{"name":"US bridge 2"}`), Answer: "agent", Effect: makeapi.Sets},
		{Method: "POST", Path: "/users/custom-roles", Body: json.RawMessage(`{"name":"R","category":"organization","organizationId":2101}`),
			Answer: "role", Effect: makeapi.Creates},
	} {
		if _, err := c.Do(ctx, r); err != nil {
			t.Errorf("%s %s: %v", r.Method, r.Path, err)
		}
	}
	for _, r := range f.Requests() {
		if r.Host != "us1.make.com" {
			t.Errorf("%s %s went to %s, want us1.make.com, the zone of organization 2101", r.Method, r.Path, r.Host)
		}
	}
	// An object the client has placed stays where it is.
	f.ResetRequests()
	if _, err := c.Do(ctx, makeapi.Request{Method: "GET", Path: "/teams/{teamId}", Params: map[string]string{"teamId": "3001"},
		Query: url.Values{"organizationId": {"2101"}}, Answer: "team"}); err != nil {
		t.Fatal(err)
	}
	if r := lastRequest(t, f); r.Host != "eu1.make.com" {
		t.Errorf("team 3001 asked at %s, want its own zone eu1.make.com", r.Host)
	}
}
