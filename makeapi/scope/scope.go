// Package scope names the OAuth scopes of Make's API. Each call Make
// serves needs one of them: <area>:read for reads, <area>:write for
// changes, and scenarios:run to run a scenario. The tools declare the
// scope they need, the fake Make checks the same constants on its routes,
// and login asks for the scopes of the tools a user will have, so a typo
// cannot compile and the three cannot drift apart.
package scope

import (
	"slices"
	"strings"
)

// Scope is one of Make's OAuth scopes, such as "scenarios:read".
type Scope string

// Make's scopes, by area. The area names are Make's own: udts are data
// structures, dlqs are incomplete executions.
const (
	AgentsRead                    Scope = "agents:read"
	AgentsWrite                   Scope = "agents:write"
	AppsRead                      Scope = "apps:read"
	AppsWrite                     Scope = "apps:write"
	ConnectionsRead               Scope = "connections:read"
	ConnectionsWrite              Scope = "connections:write"
	CredentialRequestsRead        Scope = "credential-requests:read"
	CredentialRequestsWrite       Scope = "credential-requests:write"
	CustomPropertyStructuresRead  Scope = "custom-property-structures:read"
	CustomPropertyStructuresWrite Scope = "custom-property-structures:write"
	DataStoresRead                Scope = "datastores:read"
	DataStoresWrite               Scope = "datastores:write"
	DevicesRead                   Scope = "devices:read"
	DevicesWrite                  Scope = "devices:write"
	DLQsRead                      Scope = "dlqs:read"
	DLQsWrite                     Scope = "dlqs:write"
	FunctionsRead                 Scope = "functions:read"
	FunctionsWrite                Scope = "functions:write"
	HooksRead                     Scope = "hooks:read"
	HooksWrite                    Scope = "hooks:write"
	KeysRead                      Scope = "keys:read"
	KeysWrite                     Scope = "keys:write"
	OrganizationVariablesRead     Scope = "organization-variables:read"
	OrganizationVariablesWrite    Scope = "organization-variables:write"
	OrganizationsRead             Scope = "organizations:read"
	OrganizationsWrite            Scope = "organizations:write"
	PrivateSpacesRead             Scope = "private-spaces:read"
	PrivateSpacesWrite            Scope = "private-spaces:write"
	ScenariosRead                 Scope = "scenarios:read"
	ScenariosRun                  Scope = "scenarios:run"
	ScenariosWrite                Scope = "scenarios:write"
	SDKAppsRead                   Scope = "sdk-apps:read"
	SDKAppsWrite                  Scope = "sdk-apps:write"
	TeamVariablesRead             Scope = "team-variables:read"
	TeamVariablesWrite            Scope = "team-variables:write"
	TeamsRead                     Scope = "teams:read"
	TeamsWrite                    Scope = "teams:write"
	TemplatesRead                 Scope = "templates:read"
	TemplatesWrite                Scope = "templates:write"
	UDTsRead                      Scope = "udts:read"
	UDTsWrite                     Scope = "udts:write"
	UserRead                      Scope = "user:read"
	UserWrite                     Scope = "user:write"
)

// All lists every scope Make defines, sorted.
var All = []Scope{
	AgentsRead, AgentsWrite, AppsRead, AppsWrite, ConnectionsRead, ConnectionsWrite,
	CredentialRequestsRead, CredentialRequestsWrite, CustomPropertyStructuresRead, CustomPropertyStructuresWrite,
	DataStoresRead, DataStoresWrite, DevicesRead, DevicesWrite, DLQsRead, DLQsWrite,
	FunctionsRead, FunctionsWrite, HooksRead, HooksWrite, KeysRead, KeysWrite,
	OrganizationVariablesRead, OrganizationVariablesWrite, OrganizationsRead, OrganizationsWrite,
	PrivateSpacesRead, PrivateSpacesWrite, ScenariosRead, ScenariosRun, ScenariosWrite,
	SDKAppsRead, SDKAppsWrite, TeamVariablesRead, TeamVariablesWrite, TeamsRead, TeamsWrite,
	TemplatesRead, TemplatesWrite, UDTsRead, UDTsWrite, UserRead, UserWrite,
}

// Strings returns the scopes as strings, in order.
func Strings(scopes []Scope) []string {
	out := make([]string, len(scopes))
	for i, s := range scopes {
		out[i] = string(s)
	}
	return out
}

// Granted reports whether granted, a credential's scopes, holds s.
func Granted(granted []string, s Scope) bool { return slices.Contains(granted, string(s)) }

// Area is the part of the scope before the colon: "scenarios" for
// scenarios:read.
func (s Scope) Area() string {
	area, _, _ := strings.Cut(string(s), ":")
	return area
}
