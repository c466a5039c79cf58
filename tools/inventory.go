package tools

//go:generate go run ./gen

import (
	"fmt"
	"slices"
	"strings"

	"github.com/makemcp/makemcp/makeapi/scope"
)

// Toolset names a group of tools, the unit of --toolsets. Toolsets follow
// Make's areas.
type Toolset string

// The toolsets, in the order tools/list shows them.
const (
	Account              Toolset = "account"
	Scenarios            Toolset = "scenarios"
	Authoring            Toolset = "authoring"
	Executions           Toolset = "executions"
	IncompleteExecutions Toolset = "incomplete-executions"
	Connections          Toolset = "connections"
	CredentialRequests   Toolset = "credential-requests"
	Hooks                Toolset = "hooks"
	Data                 Toolset = "data"
	Keys                 Toolset = "keys"
	Functions            Toolset = "functions"
	Devices              Toolset = "devices"
	Templates            Toolset = "templates"
	Organizations        Toolset = "organizations"
	Users                Toolset = "users"
	CustomProperties     Toolset = "custom-properties"
	Agents               Toolset = "agents"
	SDKApps              Toolset = "sdk-apps"
)

// Toolsets lists every toolset in the order tools/list shows them.
var Toolsets = []Toolset{Account, Scenarios, Authoring, Executions, IncompleteExecutions, Connections,
	CredentialRequests, Hooks, Data, Keys, Functions, Devices, Templates, Organizations, Users,
	CustomProperties, Agents, SDKApps}

// toolsetInfo says what each toolset holds, and whether serve offers it
// when --toolsets is not given. The default ones are the core loop of
// finding a team, reading and running its scenarios and checking their
// executions, which keeps tools/list small.
var toolsetInfo = map[Toolset]struct {
	description string
	isDefault   bool
}{
	Account:   {"The user, organizations and teams.", true},
	Scenarios: {"Scenarios: find and read them, their blueprints and interfaces, activate, deactivate and run them; folders.", true},
	// Editing blueprints is for deliberate work, and its schemas are the
	// largest: it is not in the default, which keeps tools/list small.
	Authoring:            {"Create, change and delete scenarios, their interfaces and folders.", false},
	Executions:           {"Execution logs and details, and incomplete executions.", true},
	IncompleteExecutions: {"The logs of an incomplete execution's runs.", false},
	Connections:          {"Connections to other apps: create, read, change, verify and delete them.", false},
	CredentialRequests:   {"Credential requests: ask someone for the connections and keys a scenario needs.", false},
	Hooks:                {"Webhooks and mailhooks that trigger scenarios.", false},
	Data:                 {"Data stores, their records, and data structures.", false},
	Keys:                 {"Keys: the secrets (API keys, certificates) modules sign requests with.", false},
	Functions:            {"Custom functions: JavaScript a team's scenarios call in their mappings.", false},
	Devices:              {"Mobile devices connected to a team.", false},
	Templates:            {"Make's public scenario templates.", false},
	Organizations:        {"Create, change and delete organizations and teams; private spaces; countries, regions and time zones.", false},
	Users:                {"User roles and custom roles.", false},
	CustomProperties:     {"Custom properties: the fields an organization adds to its scenarios, and their values.", false},
	Agents:               {"On-premise agents and the systems they connect.", false},
	SDKApps:              {"Custom apps (Make's SDK apps): their modules, RPCs, functions, connections, webhooks and endpoints.", false},
}

// Description says what the toolset holds.
func (ts Toolset) Description() string { return toolsetInfo[ts].description }

// Default reports whether serve offers the toolset when --toolsets is not
// given.
func (ts Toolset) Default() bool { return toolsetInfo[ts].isDefault }

// All returns every tool makemcp has, grouped by toolset.
func All() []Tool {
	return slices.Concat(
		accountTools(),
		scenarioAreaTools(),
		executionTools(),
		incompleteExecutionTools(),
		connectionTools(),
		credentialRequestTools(),
		hookTools(),
		dataTools(),
		keyTools(),
		functionTools(),
		deviceTools(),
		templateTools(),
		organizationTools(),
		userTools(),
		customPropertyTools(),
		agentTools(),
		sdkAppTools(),
	)
}

// Selection is what the user asked serve to expose.
type Selection struct {
	// Toolsets are toolset names, or "all", or "default"; none means
	// "default".
	Toolsets []string
	// Tools adds single tools; Exclude removes them.
	Tools   []string
	Exclude []string
	// ReadOnly keeps only tools whose readOnlyHint is true. It wins over
	// every other choice.
	ReadOnly bool
	// Scopes, when not nil, are the credential's granted scopes: tools
	// needing a scope outside them are left out, since every call would
	// fail.
	Scopes []string
}

// Select applies s to tools, keeping their order. Unknown toolset or tool
// names are an error that lists the known ones.
func Select(tools []Tool, s Selection) ([]Tool, error) {
	sets, err := expandToolsets(s.Toolsets)
	if err != nil {
		return nil, err
	}
	byName := make(map[string]bool, len(tools))
	for _, t := range tools {
		byName[t.Def.Name] = true
	}
	for _, n := range slices.Concat(s.Tools, s.Exclude) {
		if !byName[n] {
			return nil, fmt.Errorf("unknown tool %q: run `makemcp tools list` to see the tool names", n)
		}
	}
	var out []Tool
	for _, t := range tools {
		keep := sets[t.Toolset] || slices.Contains(s.Tools, t.Def.Name)
		keep = keep && !slices.Contains(s.Exclude, t.Def.Name)
		keep = keep && (!s.ReadOnly || t.ReadOnly())
		keep = keep && (s.Scopes == nil || t.Scope == "" || scope.Granted(s.Scopes, t.Scope))
		if keep {
			out = append(out, t)
		}
	}
	return out, nil
}

// expandToolsets turns the names given to --toolsets into a set.
func expandToolsets(names []string) (map[Toolset]bool, error) {
	sets := map[Toolset]bool{}
	if len(names) == 0 {
		names = []string{"default"}
	}
	for _, n := range names {
		switch n = strings.TrimSpace(n); n {
		case "":
		case "all":
			for _, ts := range Toolsets {
				sets[ts] = true
			}
		case "default":
			for _, ts := range Toolsets {
				sets[ts] = sets[ts] || ts.Default()
			}
		default:
			if !slices.Contains(Toolsets, Toolset(n)) {
				return nil, fmt.Errorf("unknown toolset %q: use all, default, or some of %s", n, ToolsetNames())
			}
			sets[Toolset(n)] = true
		}
	}
	return sets, nil
}

// ToolsetNames lists the toolset names, comma separated.
func ToolsetNames() string {
	names := make([]string, len(Toolsets))
	for i, ts := range Toolsets {
		names[i] = string(ts)
	}
	return strings.Join(names, ", ")
}

// Scopes returns the Make scopes the given tools need, sorted, without
// duplicates: what login asks for.
func Scopes(tools []Tool) []scope.Scope {
	var scopes []scope.Scope
	for _, t := range tools {
		if t.Scope != "" && !slices.Contains(scopes, t.Scope) {
			scopes = append(scopes, t.Scope)
		}
	}
	slices.Sort(scopes)
	return scopes
}
