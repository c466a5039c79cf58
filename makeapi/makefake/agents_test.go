package makefake_test

import (
	"testing"

	"github.com/makemcp/makemcp/makeapi/makefake"
)

// The demo organization's agent, and the system it connects.
const (
	agent  = "a1b2c3d4-e5f6-7890-abcd-ef1234567890"
	system = "b2c3d4e5-f6a7-8901-bcde-f12345678901"
)

// Agents and connected systems name their organization in the query, as
// Make's do: without it, or with another, Make refuses.
func TestAgentCallsNameTheirOrganization(t *testing.T) {
	_, hc, api := demo(t, makefake.Options{})
	isMakeError(t, do(t, hc, "GET", api+"/agents/"+agent, ""), 400, "Validation failed.")
	isMakeError(t, do(t, hc, "GET", api+"/agents/"+agent+"?organizationId=999", ""), 403, "Access denied.")
	isMakeError(t, do(t, hc, "GET", api+"/connected-systems?organizationId=2001", ""), 400, "Validation failed.")
	isMakeError(t, do(t, hc, "POST", api+"/agent/register", `{"name":"B"}`), 400, "Validation failed.")
	if a := do(t, hc, "GET", api+"/agents/"+agent+"?organizationId=2001", ""); a.status != 200 || a.body["agent"] == nil {
		t.Fatalf("agent: %d %s", a.status, a.raw)
	}
	// An agent of another of the user's organizations is not this one's.
	a := do(t, hc, "POST", api+"/organizations", `{"name":"Other","regionId":1,"timezoneId":113,"countryId":4}`)
	other := jsonID(a.body["organization"].(map[string]any)["id"])
	isMakeError(t, do(t, hc, "GET", api+"/agents/"+agent+"?organizationId="+other, ""), 404, "Agent not found.")
	isMakeError(t, do(t, hc, "GET", api+"/connected-systems/"+system+"?organizationId="+other, ""), 404, "ConnectedSystem not found.")
	isMakeError(t, do(t, hc, "GET", api+"/connected-systems?organizationId="+other+"&agentId="+agent, ""), 404, "Agent not found.")
	isMakeError(t, do(t, hc, "POST", api+"/connected-systems?organizationId="+other,
		`{"name":"S","agentId":"`+agent+`","appName":"http","inputs":{}}`), 400, "Validation failed.")
}

// An agent's deletion takes the systems it connects with it.
func TestDeletingAnAgentDeletesItsSystems(t *testing.T) {
	_, hc, api := demo(t, makefake.Options{})
	if a := do(t, hc, "DELETE", api+"/agents/"+agent+"?organizationId=2001", ""); a.status != 200 || a.body["agent"] != agent {
		t.Fatalf("delete agent: %d %s", a.status, a.raw)
	}
	isMakeError(t, do(t, hc, "GET", api+"/connected-systems/"+system+"?organizationId=2001", ""), 404, "ConnectedSystem not found.")
}

func TestAgentScopes(t *testing.T) {
	wantScopes(t, []scopeCase{
		{"GET", "/agents?organizationId=2001", "", "agents:read"},
		{"POST", "/agent/register?organizationId=2001", `{"name":"B"}`, "agents:write"},
		{"GET", "/connected-systems?organizationId=2001&agentId=" + agent, "", "agents:read"},
		{"DELETE", "/connected-systems/" + system + "?organizationId=2001", "", "agents:write"},
		{"GET", "/enums/connected-system-apps", "", "agents:read"},
	})
}

func TestFixturesSeedServesAgentObjects(t *testing.T) {
	wantFixtures(t, []fixtureCase{
		{"enums/connected-system-apps.json", "connectedSystemApps", "/enums/connected-system-apps"},
		{"on-prem-agents/app-config.json", "inputs", "/agents/" + agent + "/apps/sap-agent/config?organizationId=5"},
	}, nil)
}
