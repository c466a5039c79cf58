package makeapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"net/url"
	"strconv"
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

// HookQuery selects the hooks to list.
type HookQuery struct {
	// TeamID is required.
	TeamID int64
	// TypeName keeps hooks of one type, such as "gateway-webhook".
	TypeName string
	// Assigned, when set, keeps hooks that are (or are not) used by a
	// scenario.
	Assigned *bool
}

// ListHooks lists one page of a team's hooks: GET /hooks?teamId=.
func (c *Client) ListHooks(ctx context.Context, q HookQuery, p Page) ([]Hook, PageInfo, error) {
	if q.TeamID == 0 {
		return nil, PageInfo{}, errors.New("makeapi: list hooks: a team id is required")
	}
	v := url.Values{}
	setID(v, "teamId", q.TeamID)
	if q.TypeName != "" {
		v.Set("typeName", q.TypeName)
	}
	if q.Assigned != nil {
		v.Set("assigned", strconv.FormatBool(*q.Assigned))
	}
	setPage(v, p)
	var out struct {
		Hooks []Hook   `json:"hooks"`
		Pg    PageInfo `json:"pg"`
	}
	if err := c.do(ctx, &call{method: "GET", path: "/hooks", query: v, route: byTeam(q.TeamID), out: &out}); err != nil {
		return nil, PageInfo{}, err
	}
	for _, h := range out.Hooks {
		c.zones.learnOwner(hookKind, itoa(h.ID), h.TeamID)
	}
	return out.Hooks, out.Pg, nil
}

// AllHooks iterates over all of a team's hooks.
func (c *Client) AllHooks(ctx context.Context, q HookQuery) iter.Seq2[Hook, error] {
	return all(ctx, func(ctx context.Context, p Page) ([]Hook, PageInfo, error) { return c.ListHooks(ctx, q, p) })
}

// GetHook returns a hook: GET /hooks/{id}.
func (c *Client) GetHook(ctx context.Context, id int64) (*Hook, error) {
	return c.hookAnswer(ctx, &call{method: "GET", path: idPath("/hooks", id, ""), route: hookRoute(id)})
}

// HookCreate is a new hook.
type HookCreate struct {
	Name   string
	TeamID int64
	// TypeName is the hook type: "gateway-webhook" for a custom webhook,
	// "gateway-mailhook" for a custom mailhook, or an app's hook type.
	TypeName string
	// Data are the hook type's settings, a JSON object. Required settings
	// with a default in the hook type (method, headers, stringify for
	// gateway-webhook) may be left out.
	Data json.RawMessage
}

// CreateHook creates a hook: POST /hooks?useDefaults=requiredOnly, with
// the settings of Data flattened into the body beside name, teamId and
// typeName, as Make's SDK sends them.
func (c *Client) CreateHook(ctx context.Context, h HookCreate) (*Hook, error) {
	if h.TeamID == 0 || h.Name == "" || h.TypeName == "" {
		return nil, errors.New("makeapi: create hook: a team id, a name and a type name are required")
	}
	body := map[string]json.RawMessage{}
	if d := bytes.TrimSpace(h.Data); len(d) > 0 && !isNull(d) {
		if err := json.Unmarshal(d, &body); err != nil || body == nil {
			return nil, fmt.Errorf("makeapi: create hook: Data is not a JSON object")
		}
	}
	body["name"], _ = json.Marshal(h.Name)
	body["teamId"], _ = json.Marshal(h.TeamID)
	body["typeName"], _ = json.Marshal(h.TypeName)
	q := url.Values{"useDefaults": []string{"requiredOnly"}}
	return c.hookAnswer(ctx, &call{method: "POST", path: "/hooks", query: q, body: body,
		route: byTeam(h.TeamID), retry: retryRateLimited})
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

// EnableHook lets a hook accept data again: POST /hooks/{id}/enable.
func (c *Client) EnableHook(ctx context.Context, id int64) error {
	return c.do(ctx, &call{method: "POST", path: idPath("/hooks", id, "/enable"), route: hookRoute(id)})
}

// DisableHook stops a hook from accepting data: POST /hooks/{id}/disable.
func (c *Client) DisableHook(ctx context.Context, id int64) error {
	return c.do(ctx, &call{method: "POST", path: idPath("/hooks", id, "/disable"), route: hookRoute(id)})
}

// HookPing is a hook's state.
type HookPing struct {
	Address string `json:"address"`
	// Attached reports whether a scenario uses the hook.
	Attached bool `json:"attached"`
	// Learning reports whether the hook is learning its data structure.
	Learning bool `json:"learning"`
	Gone     bool `json:"gone"`
}

// PingHook returns a hook's state: GET /hooks/{id}/ping.
func (c *Client) PingHook(ctx context.Context, id int64) (*HookPing, error) {
	var out HookPing
	if err := c.do(ctx, &call{method: "GET", path: idPath("/hooks", id, "/ping"), route: hookRoute(id), out: &out}); err != nil {
		return nil, err
	}
	return &out, nil
}

// DeleteHook deletes a hook: DELETE /hooks/{id}?confirmed=true.
func (c *Client) DeleteHook(ctx context.Context, id int64) error {
	return c.do(ctx, &call{method: "DELETE", path: idPath("/hooks", id, ""), query: confirmed(), route: hookRoute(id)})
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
