package makeapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/url"
)

// Connection is a team's authorized link to another service.
type Connection struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
	// AccountName is the connection type, such as "google".
	AccountName  string `json:"accountName"`
	AccountLabel string `json:"accountLabel"`
	// AccountType is how it authenticates: "oauth", "basic", ...
	AccountType    string `json:"accountType"`
	PackageName    string `json:"packageName,omitempty"`
	TeamID         int64  `json:"teamId"`
	OrganizationID int64  `json:"organizationId,omitempty"`
	// Expire is when the credential expires, empty when it does not.
	Expire      string `json:"expire,omitempty"`
	Upgradeable bool   `json:"upgradeable"`
	Editable    bool   `json:"editable"`
	Scoped      bool   `json:"scoped"`
	// ScopesCount is the number of OAuth scopes granted.
	ScopesCount int `json:"scopesCnt"`
	// Scopes are the granted OAuth scopes; GetConnection fills them.
	Scopes ConnectionScopes `json:"scopes,omitempty"`
	// Metadata describes the account, such as {"type": "email", "value": ...}.
	Metadata          json.RawMessage `json:"metadata,omitempty"`
	ConnectedSystemID string          `json:"connectedSystemId,omitempty"`
	Theme             string          `json:"theme,omitempty"`
}

// ConnectionScope is one OAuth scope of a connection.
type ConnectionScope struct {
	ID      string `json:"id"`
	Name    string `json:"name,omitempty"`
	Account string `json:"account,omitempty"`
}

// ConnectionScopes is a connection's list of scopes. Some of Make's
// answers put the scope count in "scopes" instead of a list; that reads as
// no list.
type ConnectionScopes []ConnectionScope

// UnmarshalJSON reads a list of scopes, and ignores anything else.
func (s *ConnectionScopes) UnmarshalJSON(b []byte) error {
	if b = bytes.TrimSpace(b); len(b) == 0 || b[0] != '[' {
		*s = nil
		return nil
	}
	return json.Unmarshal(b, (*[]ConnectionScope)(s))
}

// ConnectionQuery selects the connections to list.
type ConnectionQuery struct {
	// TeamID is required.
	TeamID int64
	// Types keeps connections of these types ("google", ...).
	Types []string
	// Scopes keeps, for a connection type, only connections granted all
	// of these OAuth scopes: {"google": ["https://mail.google.com/"]}. It
	// is sent as <type>[]=<scope>, as Make's SDK sends it.
	Scopes map[string][]string
	// Cols selects columns; empty asks for all.
	Cols []string
}

// ListConnections lists a team's connections: GET /connections?teamId=.
// Make does not page them.
func (c *Client) ListConnections(ctx context.Context, q ConnectionQuery) ([]Connection, error) {
	if q.TeamID == 0 {
		return nil, errors.New("makeapi: list connections: a team id is required")
	}
	v := url.Values{}
	setID(v, "teamId", q.TeamID)
	if len(q.Types) > 0 {
		v["type[]"] = q.Types
	}
	for typ, scopes := range q.Scopes {
		if typ != "" && len(scopes) > 0 {
			v[typ+"[]"] = scopes
		}
	}
	setCols(v, q.Cols)
	var out struct {
		Connections []Connection `json:"connections"`
	}
	if err := c.do(ctx, &call{method: "GET", path: "/connections", query: v, route: byTeam(q.TeamID), out: &out}); err != nil {
		return nil, err
	}
	for _, x := range out.Connections {
		c.zones.learnOwner(connectionKind, itoa(x.ID), x.TeamID)
	}
	return out.Connections, nil
}

// GetConnection returns a connection with its scopes:
// GET /connections/{id}?cols[]=*.
func (c *Client) GetConnection(ctx context.Context, id int64) (*Connection, error) {
	var out struct {
		Connection Connection `json:"connection"`
	}
	if err := c.do(ctx, &call{method: "GET", path: idPath("/connections", id, ""), rawQuery: colsAll, route: connectionRoute(id), out: &out}); err != nil {
		return nil, err
	}
	c.zones.learnOwner(connectionKind, itoa(out.Connection.ID), out.Connection.TeamID)
	return &out.Connection, nil
}

// TestConnection checks that a connection still works:
// POST /connections/{id}/test, answered {verified}. It changes nothing,
// so it is retried like a read.
func (c *Client) TestConnection(ctx context.Context, id int64) (bool, error) {
	var out struct {
		Verified bool `json:"verified"`
	}
	err := c.do(ctx, &call{method: "POST", path: idPath("/connections", id, "/test"), route: connectionRoute(id), out: &out})
	return out.Verified, err
}

// RenameConnection renames a connection: PATCH /connections/{id} {name}.
func (c *Client) RenameConnection(ctx context.Context, id int64, name string) (*Connection, error) {
	if name == "" {
		return nil, errors.New("makeapi: rename connection: a name is required")
	}
	var out struct {
		Connection Connection `json:"connection"`
	}
	body := map[string]string{"name": name}
	if err := c.do(ctx, &call{method: "PATCH", path: idPath("/connections", id, ""), body: body, route: connectionRoute(id), out: &out}); err != nil {
		return nil, err
	}
	return &out.Connection, nil
}

// DeleteConnection deletes a connection:
// DELETE /connections/{id}?confirmed=true (without the confirmation Make
// refuses to delete a connection scenarios use).
func (c *Client) DeleteConnection(ctx context.Context, id int64) error {
	return c.do(ctx, &call{method: "DELETE", path: idPath("/connections", id, ""), query: confirmed(), route: connectionRoute(id)})
}

func connectionRoute(id int64) route { return route{connectionKind, itoa(id)} }

// confirmed is the query Make's deletions need.
func confirmed() url.Values { return url.Values{"confirmed": []string{"true"}} }
