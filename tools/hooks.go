package tools

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/makemcp/makemcp/makeapi"
	"github.com/makemcp/makemcp/makeapi/scope"
)

// The hooks toolset: webhooks and mailhooks, the addresses that trigger
// scenarios when data arrives.

func hookTools() []Tool {
	return []Tool{hooksList, hooksGet, hooksCreate, hooksUpdate, hooksEnable, hooksDisable, hooksDelete}
}

// HooksListArgs are the arguments of hooks_list.
type HooksListArgs struct {
	TeamID   int64  `json:"teamId,omitempty" jsonschema:"The team whose hooks to list. Omit it to use the default team."`
	TypeName string `json:"typeName,omitempty" jsonschema:"Only hooks of this type, such as gateway-webhook or gateway-mailhook."`
	Assigned *bool  `json:"assigned,omitempty" jsonschema:"true for hooks a scenario uses, false for unused ones."`
	Paging
}

// HookSummary is a hook as hooks_list shows it.
type HookSummary struct {
	ID         int64  `json:"id"`
	Name       string `json:"name"`
	TeamID     int64  `json:"teamId"`
	TypeName   string `json:"typeName" jsonschema:"The hook type, such as gateway-webhook."`
	URL        string `json:"url,omitempty" jsonschema:"Where it receives requests, or its mail address."`
	Enabled    bool   `json:"enabled"`
	ScenarioID int64  `json:"scenarioId,omitempty" jsonschema:"The scenario it triggers."`
	QueueCount int    `json:"queueCount" jsonschema:"Requests waiting to be processed."`
}

var hooksList = define(meta{
	Name:        "hooks_list",
	Title:       "List hooks",
	Description: "List a team's webhooks and mailhooks, each with its id, type, address, whether it is enabled and the scenario it triggers. Returns a page: pass nextOffset as offset for more.",
	Toolset:     Hooks, Scope: scope.HooksRead, Kind: Read,
},
	func(ctx context.Context, c *Call, in HooksListArgs) (List[HookSummary], error) {
		team, err := c.team(in.TeamID)
		if err != nil {
			return List[HookSummary]{}, err
		}
		hooks, _, err := c.Client.ListHooks(ctx, makeapi.HookQuery{TeamID: team, TypeName: in.TypeName, Assigned: in.Assigned}, in.page())
		if err != nil {
			return List[HookSummary]{}, err
		}
		return newList(hooks, in.Paging, func(h makeapi.Hook) HookSummary {
			return HookSummary{ID: h.ID, Name: h.Name, TeamID: h.TeamID, TypeName: h.TypeName, URL: h.URL,
				Enabled: h.Enabled, ScenarioID: h.ScenarioID, QueueCount: h.QueueCount}
		}), nil
	})

// HookID is the argument of tools about one hook.
type HookID struct {
	HookID int64 `json:"hookId" jsonschema:"The hook's id (hooks_list shows them)."`
}

var hooksGet = define(meta{
	Name:        "hooks_get",
	Title:       "Get hook",
	Description: "Get a webhook or mailhook in full: its address, type, settings, queue and the scenario it triggers.",
	Toolset:     Hooks, Scope: scope.HooksRead, Kind: Read,
},
	func(ctx context.Context, c *Call, in HookID) (*makeapi.Hook, error) {
		return c.Client.GetHook(ctx, in.HookID)
	})

// HooksCreateArgs are the arguments of hooks_create.
type HooksCreateArgs struct {
	TeamID   int64  `json:"teamId,omitempty" jsonschema:"The team to create the hook in. Omit it to use the default team."`
	Name     string `json:"name" jsonschema:"The hook's name, at most 128 characters."`
	TypeName string `json:"typeName" jsonschema:"gateway-webhook for a custom webhook (receives HTTP requests), gateway-mailhook for a custom mailhook (receives mail), or an app's hook type."`
	Data     Object `json:"data,omitempty" jsonschema:"The hook type's settings. Required settings with a default may be left out (for gateway-webhook: method, headers and stringify, all false)."`
}

var hooksCreate = define(meta{
	Name:        "hooks_create",
	Title:       "Create hook",
	Description: "Create a webhook or mailhook for a team. Returns the hook with its address (url); a scenario whose first module is the matching trigger then runs when data arrives there.",
	Toolset:     Hooks, Scope: scope.HooksWrite, Kind: Create,
},
	func(ctx context.Context, c *Call, in HooksCreateArgs) (*makeapi.Hook, error) {
		team, err := c.team(in.TeamID)
		if err != nil {
			return nil, err
		}
		if in.Name == "" || in.TypeName == "" {
			return nil, errors.New("name and typeName must not be empty")
		}
		return c.Client.CreateHook(ctx, makeapi.HookCreate{Name: in.Name, TeamID: team, TypeName: in.TypeName,
			Data: json.RawMessage(in.Data)})
	})

// HooksUpdateArgs are the arguments of hooks_update.
type HooksUpdateArgs struct {
	HookID int64  `json:"hookId" jsonschema:"The hook to change."`
	Name   string `json:"name,omitempty" jsonschema:"A new name."`
	Data   Object `json:"data,omitempty" jsonschema:"Settings to change, such as {\"headers\": true}; settings not given keep their values."`
}

// HookUpdated is the result of hooks_update.
type HookUpdated struct {
	makeapi.Hook
	SettingsChanged bool `json:"settingsChanged" jsonschema:"The settings given differed from the hook's."`
}

var hooksUpdate = define(meta{
	Name:        "hooks_update",
	Title:       "Update hook",
	Description: "Rename a webhook or mailhook, or change its settings (data). Returns the hook as it is afterwards.",
	Toolset:     Hooks, Scope: scope.HooksWrite, Kind: Update,
},
	func(ctx context.Context, c *Call, in HooksUpdateArgs) (*HookUpdated, error) {
		if in.Name == "" && len(in.Data) == 0 {
			return nil, errors.New("nothing to change: give name, data or both")
		}
		out := &HookUpdated{}
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

// HookState is the result of hooks_enable and hooks_disable.
type HookState struct {
	HookID  int64 `json:"hookId"`
	Enabled bool  `json:"enabled"`
}

var hooksEnable = define(meta{
	Name:        "hooks_enable",
	Title:       "Enable hook",
	Description: "Enable a webhook or mailhook, so that it accepts data and triggers its scenario again.",
	Toolset:     Hooks, Scope: scope.HooksWrite, Kind: Switch,
},
	func(ctx context.Context, c *Call, in HookID) (*HookState, error) {
		if err := c.Client.EnableHook(ctx, in.HookID); err != nil {
			return nil, err
		}
		return &HookState{HookID: in.HookID, Enabled: true}, nil
	})

var hooksDisable = define(meta{
	Name:        "hooks_disable",
	Title:       "Disable hook",
	Description: "Disable a webhook or mailhook: it stops accepting data until enabled again. The hook and its address are kept.",
	Toolset:     Hooks, Scope: scope.HooksWrite, Kind: Switch,
},
	func(ctx context.Context, c *Call, in HookID) (*HookState, error) {
		if err := c.Client.DisableHook(ctx, in.HookID); err != nil {
			return nil, err
		}
		return &HookState{HookID: in.HookID, Enabled: false}, nil
	})

// HookDeleted is the result of hooks_delete.
type HookDeleted struct {
	HookID  int64 `json:"hookId"`
	Deleted bool  `json:"deleted"`
}

var hooksDelete = define(meta{
	Name:        "hooks_delete",
	Title:       "Delete hook",
	Description: "Delete a webhook or mailhook; its address stops working for good. This cannot be undone; the user is asked to confirm. To pause it instead, use hooks_disable.",
	Toolset:     Hooks, Scope: scope.HooksWrite, Kind: Delete,
},
	func(ctx context.Context, c *Call, in HookID) (*HookDeleted, error) {
		err := c.confirm(ctx, func() (string, error) {
			h, err := c.Client.GetHook(ctx, in.HookID)
			if err != nil {
				return "", err
			}
			q := fmt.Sprintf("Delete hook %d %q? Its address stops working; this cannot be undone.", h.ID, h.Name)
			if h.ScenarioID != 0 {
				q = fmt.Sprintf("Delete hook %d %q, which triggers scenario %d? Its address stops working; this cannot be undone.", h.ID, h.Name, h.ScenarioID)
			}
			return q, nil
		})
		if err != nil {
			return nil, err
		}
		if err := c.Client.DeleteHook(ctx, in.HookID); err != nil {
			return nil, err
		}
		return &HookDeleted{HookID: in.HookID, Deleted: true}, nil
	})
