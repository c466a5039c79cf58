package tools

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/makemcp/makemcp/makeapi"
	"github.com/makemcp/makemcp/makeapi/scope"
)

// The hooks toolset: webhooks and mailhooks, the addresses that trigger
// scenarios when data arrives.

func hookTools() []Tool {
	return []Tool{hooksList, hooksGet, hooksCreate, hooksUpdate, hooksEnable, hooksDisable, hooksDelete}
}

// hooksListArgs are the arguments of hooks_list.
type hooksListArgs struct {
	TeamID   int64  `json:"teamId,omitempty" default:"team" jsonschema:"The team whose hooks to list. Omit it to use the default team."`
	TypeName string `json:"typeName,omitempty" jsonschema:"Only hooks of this type, such as gateway-webhook or gateway-mailhook."`
	Assigned *bool  `json:"assigned,omitempty" jsonschema:"true for hooks a scenario uses, false for unused ones."`
	Paging
}

// hookSummary is a hook as hooks_list shows it.
type hookSummary struct {
	ID         int64  `json:"id"`
	Name       string `json:"name"`
	TeamID     int64  `json:"teamId"`
	TypeName   string `json:"typeName" jsonschema:"The hook type, such as gateway-webhook."`
	URL        string `json:"url,omitempty" jsonschema:"Where it receives requests, or its mail address."`
	Enabled    bool   `json:"enabled"`
	ScenarioID int64  `json:"scenarioId,omitempty" jsonschema:"The scenario it triggers."`
	QueueCount int    `json:"queueCount" jsonschema:"Requests waiting to be processed."`
}

var hooksList = listTool[hooksListArgs, hookSummary](endpoint{
	Name: "hooks_list", Title: "List hooks", Toolset: Hooks, Scope: scope.HooksRead, Kind: Read,
	Description: "List a team's webhooks and mailhooks, each with its id, type, address, whether it is enabled and the scenario it triggers. Returns a page: pass nextOffset as offset for more.",
	Method:      "GET", Path: "/hooks", Answer: "hooks", Pages: true,
})

// hookID is the argument of tools about one hook.
type hookID struct {
	HookID int64 `json:"hookId" jsonschema:"The hook's id (hooks_list shows them)."`
}

var hooksGet = endpointTool[hookID, makeapi.Hook](endpoint{
	Name: "hooks_get", Title: "Get hook", Toolset: Hooks, Scope: scope.HooksRead, Kind: Read,
	Description: "Get a webhook or mailhook in full: its address, type, settings, queue and the scenario it triggers.",
	Method:      "GET", Path: "/hooks/{hookId}", Answer: "hook",
})

// hooksCreateArgs are the arguments of hooks_create.
type hooksCreateArgs struct {
	TeamID   int64  `json:"teamId,omitempty" default:"team" jsonschema:"The team to create the hook in. Omit it to use the default team."`
	Name     string `json:"name" jsonschema:"The hook's name, at most 128 characters."`
	TypeName string `json:"typeName" jsonschema:"gateway-webhook for a custom webhook (receives HTTP requests), gateway-mailhook for a custom mailhook (receives mail), or an app's hook type."`
	Data     Object `json:"data,omitempty" jsonschema:"The hook type's settings. Required settings with a default may be left out (for gateway-webhook: method, headers and stringify, all false)."`
}

func (a hooksCreateArgs) validate() error {
	if a.Name == "" || a.TypeName == "" {
		return errors.New("name and typeName must not be empty")
	}
	return nil
}

var hooksCreate = endpointTool[hooksCreateArgs, makeapi.Hook](endpoint{
	Name: "hooks_create", Title: "Create hook", Toolset: Hooks, Scope: scope.HooksWrite, Kind: Create,
	Description: "Create a webhook or mailhook for a team. Returns the hook with its address (url); a scenario whose first module is the matching trigger then runs when data arrives there.",
	// Make takes the hook type's settings beside the name, and fills in
	// the required settings left out with their defaults.
	Method: "POST", Path: "/hooks?useDefaults=requiredOnly", Answer: "hook", Shape: flatten("data"),
})

// hooksUpdateArgs are the arguments of hooks_update.
type hooksUpdateArgs struct {
	HookID int64  `json:"hookId" jsonschema:"The hook to change."`
	Name   string `json:"name,omitempty" jsonschema:"A new name."`
	Data   Object `json:"data,omitempty" jsonschema:"Settings to change, such as {\"headers\": true}; settings not given keep their values."`
}

// hookUpdated is the result of hooks_update.
type hookUpdated struct {
	makeapi.Hook
	SettingsChanged bool `json:"settingsChanged" jsonschema:"The settings given differed from the hook's."`
}

var hooksUpdate = define(meta{
	Name:        "hooks_update",
	Title:       "Update hook",
	Description: "Rename a webhook or mailhook, or change its settings (data). Returns the hook as it is afterwards.",
	Toolset:     Hooks, Scope: scope.HooksWrite, Kind: Update,
},
	func(ctx context.Context, c *Call, in hooksUpdateArgs) (*hookUpdated, error) {
		if in.Name == "" && len(in.Data) == 0 {
			return nil, errors.New("nothing to change: give name, data or both")
		}
		out := &hookUpdated{}
		if in.Name != "" {
			if _, err := c.Client.RenameHook(ctx, in.HookID, in.Name); err != nil {
				return nil, err
			}
		}
		if len(in.Data) > 0 {
			changed, err := c.Client.UpdateHook(ctx, in.HookID, json.RawMessage(in.Data))
			if err != nil {
				return nil, err
			}
			out.SettingsChanged = changed
		}
		h, err := c.Client.GetHook(ctx, in.HookID)
		if err != nil {
			return nil, err
		}
		out.Hook = *h
		return out, nil
	})

// hookState is the result of hooks_enable and hooks_disable.
type hookState struct {
	HookID  int64 `json:"hookId"`
	Enabled bool  `json:"enabled"`
}

var hooksEnable = endpointTool[hookID, hookState](endpoint{
	Name: "hooks_enable", Title: "Enable hook", Toolset: Hooks, Scope: scope.HooksWrite, Kind: Switch,
	Description: "Enable a webhook or mailhook, so that it accepts data and triggers its scenario again.",
	Method:      "POST", Path: "/hooks/{hookId}/enable", Result: `{"enabled": true}`,
})

var hooksDisable = endpointTool[hookID, hookState](endpoint{
	Name: "hooks_disable", Title: "Disable hook", Toolset: Hooks, Scope: scope.HooksWrite, Kind: Switch,
	Description: "Disable a webhook or mailhook: it stops accepting data until enabled again. The hook and its address are kept.",
	Method:      "POST", Path: "/hooks/{hookId}/disable", Result: `{"enabled": false}`,
})

// hookDeleted is the result of hooks_delete.
type hookDeleted struct {
	HookID  int64 `json:"hookId"`
	Deleted bool  `json:"deleted"`
}

var hooksDelete = endpointTool[hookID, hookDeleted](endpoint{
	Name: "hooks_delete", Title: "Delete hook", Toolset: Hooks, Scope: scope.HooksWrite, Kind: Delete,
	Description: "Delete a webhook or mailhook; its address stops working for good. This cannot be undone; the user is asked to confirm. To pause it instead, use hooks_disable.",
	Method:      "DELETE", Path: "/hooks/{hookId}?confirmed=true",
	AskAnswer: "hook",
	Ask: `Delete hook {{.id}} {{printf "%q" .name}}{{if .scenarioId}}, which triggers scenario {{.scenarioId}}{{end}}?` +
		` Its address stops working; this cannot be undone.`,
})
