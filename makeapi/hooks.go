package makeapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
)

// Hook is a webhook or mailhook that triggers scenarios.
type Hook struct {
	ID     int64  `json:"id"`
	Name   string `json:"name"`
	TeamID int64  `json:"teamId"`
	// UDID is the hook's unique id, part of its URL.
	UDID string `json:"udid"`
	// Type is "web", "web-shared" or "mail".
	Type string `json:"type"`
	// TypeName is the hook type, such as "gateway-webhook".
	TypeName    string `json:"typeName"`
	PackageName string `json:"packageName,omitempty"`
	// URL is where the hook receives requests (or mail).
	URL        string `json:"url,omitempty"`
	Enabled    bool   `json:"enabled"`
	Gone       bool   `json:"gone"`
	Editable   bool   `json:"editable"`
	QueueCount int    `json:"queueCount"`
	QueueLimit int    `json:"queueLimit"`
	// ScenarioID is the scenario the hook triggers, 0 when none.
	ScenarioID int64 `json:"scenarioId,omitempty"`
	// Data are the hook type's settings, raw JSON.
	Data  json.RawMessage `json:"data,omitempty"`
	Theme string          `json:"theme,omitempty"`
}

// GetHook returns a hook: GET /hooks/{id}.
func (c *Client) GetHook(ctx context.Context, id int64) (*Hook, error) {
	return c.hookAnswer(ctx, &call{method: "GET", path: idPath("/hooks", id, ""), route: hookRoute(id)})
}

// RenameHook renames a hook: PATCH /hooks/{id} {name}.
func (c *Client) RenameHook(ctx context.Context, id int64, name string) (*Hook, error) {
	if name == "" {
		return nil, errors.New("makeapi: rename hook: a name is required")
	}
	return c.hookAnswer(ctx, &call{method: "PATCH", path: idPath("/hooks", id, ""),
		body: map[string]string{"name": name}, route: hookRoute(id)})
}

// UpdateHook replaces a hook's settings: POST /hooks/{id}/set-data with
// the settings as the body (the SDK's hooks.update). It reports whether
// anything changed.
func (c *Client) UpdateHook(ctx context.Context, id int64, data json.RawMessage) (bool, error) {
	if d := bytes.TrimSpace(data); len(d) == 0 || d[0] != '{' {
		return false, errors.New("makeapi: update hook: the settings must be a JSON object")
	}
	var out struct {
		Changed bool `json:"changed"`
	}
	err := c.do(ctx, &call{method: "POST", path: idPath("/hooks", id, "/set-data"), body: data, route: hookRoute(id), out: &out})
	return out.Changed, err
}

// hookAnswer performs a call answered with {hook}.
func (c *Client) hookAnswer(ctx context.Context, k *call) (*Hook, error) {
	var out struct {
		Hook Hook `json:"hook"`
	}
	k.out = &out
	if err := c.do(ctx, k); err != nil {
		return nil, err
	}
	c.zones.learnOwner(hookKind, itoa(out.Hook.ID), out.Hook.TeamID)
	return &out.Hook, nil
}

func hookRoute(id int64) route { return route{hookKind, itoa(id)} }
