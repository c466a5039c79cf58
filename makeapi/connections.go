package makeapi

import (
	"bytes"
	"context"
	"encoding/json"
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

func connectionRoute(id int64) route { return route{connectionKind, itoa(id)} }
