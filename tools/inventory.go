package tools

//go:generate go run ./gendoc -o ../docs/tools.md

import (
	"fmt"
	"slices"
	"strings"
)

// Toolset is a named group of tools, the unit of --toolsets.
type Toolset struct {
	Name        string
	Description string
	// Default toolsets are served when --toolsets is not given: the core
	// loop of finding a team, reading and running its scenarios and
	// checking their executions, which keeps tools/list small.
	Default bool
}

// Toolsets lists every toolset in the order tools/list shows them.
var Toolsets = []Toolset{
	{"account", "The user, organizations and teams.", true},
	{"scenarios", "Scenarios: find and read them, their blueprints and interfaces, activate, deactivate and run them; folders.", true},
	// Editing blueprints is for deliberate work, and its schemas are the
	// largest: it is not in the default, which keeps tools/list small.
	{"authoring", "Create, change and delete scenarios and their interfaces.", false},
	{"executions", "Execution logs and details, and incomplete executions.", true},
	{"connections", "Connections to other apps: list, read and verify them.", false},
	{"hooks", "Webhooks and mailhooks that trigger scenarios.", false},
	{"data", "Data stores, their records, and data structures.", false},
}

// All returns every tool makemcp has, grouped by toolset.
func All() []Tool {
	return slices.Concat(
		accountTools(),
		scenarioTools(),
		executionTools(),
		connectionTools(),
		hookTools(),
		dataTools(),
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
		keep = keep && (s.Scopes == nil || t.Scope == "" || slices.Contains(s.Scopes, t.Scope))
		if keep {
			out = append(out, t)
		}
	}
	return out, nil
}

// expandToolsets turns the names given to --toolsets into a set.
func expandToolsets(names []string) (map[string]bool, error) {
	sets := map[string]bool{}
	if len(names) == 0 {
		names = []string{"default"}
	}
	for _, n := range names {
		switch n = strings.TrimSpace(n); n {
		case "":
		case "all":
			for _, ts := range Toolsets {
				sets[ts.Name] = true
			}
		case "default":
			for _, ts := range Toolsets {
				sets[ts.Name] = sets[ts.Name] || ts.Default
			}
		default:
			if !slices.ContainsFunc(Toolsets, func(ts Toolset) bool { return ts.Name == n }) {
				return nil, fmt.Errorf("unknown toolset %q: use all, default, or some of %s", n, ToolsetNames())
			}
			sets[n] = true
		}
	}
	return sets, nil
}

// ToolsetNames lists the toolset names, comma separated.
func ToolsetNames() string {
	names := make([]string, len(Toolsets))
	for i, ts := range Toolsets {
		names[i] = ts.Name
	}
	return strings.Join(names, ", ")
}

// Scopes returns the Make scopes the given tools need, sorted, without
// duplicates: what login asks for.
func Scopes(tools []Tool) []string {
	var scopes []string
	for _, t := range tools {
		if t.Scope != "" && !slices.Contains(scopes, t.Scope) {
			scopes = append(scopes, t.Scope)
		}
	}
	slices.Sort(scopes)
	return scopes
}
