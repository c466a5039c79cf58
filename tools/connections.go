package tools

import (
	"context"

	"github.com/makemcp/makemcp/makeapi"
	"github.com/makemcp/makemcp/makeapi/scope"
)

// The connections toolset: the team's authorized links to other apps,
// which scenario modules use.

func connectionTools() []Tool {
	return []Tool{connectionsList, connectionsGet, connectionsVerify}
}

// connectionsListArgs are the arguments of connections_list.
type connectionsListArgs struct {
	TeamID int64               `json:"teamId,omitempty" default:"team" jsonschema:"The team whose connections to list. Omit it to use the default team."`
	Type   []string            `json:"type,omitempty" jsonschema:"Only connections of these types, such as google or slack2 (a connection's accountName)."`
	Scopes map[string][]string `json:"scopes,omitempty" jsonschema:"Only connections granted these OAuth scopes, by type: {\"google\": [\"https://www.googleapis.com/auth/drive\"]}."`
	Paging
}

// connectionSummary is a connection as connections_list shows it.
type connectionSummary struct {
	ID           int64  `json:"id"`
	Name         string `json:"name"`
	AccountName  string `json:"accountName" jsonschema:"The connection's type, such as google-email."`
	AccountLabel string `json:"accountLabel,omitempty" jsonschema:"The app's name, such as Gmail."`
	AccountType  string `json:"accountType,omitempty" jsonschema:"How it authenticates, such as oauth or basic."`
	TeamID       int64  `json:"teamId"`
	Expire       string `json:"expire,omitempty" jsonschema:"When its credential expires."`
}

// connectionCols are the columns connections_list asks Make for: those of
// connectionSummary.
const connectionCols = "cols[]=id&cols[]=name&cols[]=accountName&cols[]=accountLabel&cols[]=accountType&cols[]=teamId&cols[]=expire"

var connectionsList = listTool[connectionsListArgs, connectionSummary](endpoint{
	Name: "connections_list", Title: "List connections", Toolset: Connections, Scope: scope.ConnectionsRead, Kind: Read,
	Description: "List a team's connections to other apps (Gmail, Slack, ...), each with its id, name, type and expiry; filter by type or granted OAuth scopes. Use it to find the connectionId a module's parameters take. Returns a page: pass nextOffset as offset for more.",
	// Make does not page connections. It takes the scopes to filter by
	// as <type>[]=<scope>, as Make's SDK sends them.
	Method: "GET", Path: "/connections?" + connectionCols, Answer: "connections", Shape: flatten("scopes"),
})

// connectionID is the argument of tools about one connection.
type connectionID struct {
	ConnectionID int64 `json:"connectionId" jsonschema:"The connection's id (connections_list shows them)."`
}

var connectionsGet = endpointTool[connectionID, makeapi.Connection](endpoint{
	Name: "connections_get", Title: "Get connection", Toolset: Connections, Scope: scope.ConnectionsRead, Kind: Read,
	Description: "Get a connection in full: its type, account, expiry and granted OAuth scopes.",
	Method:      "GET", Path: "/connections/{connectionId}?cols[]=*", Answer: "connection",
})

// connectionVerified is the result of connections_verify.
type connectionVerified struct {
	ConnectionID int64  `json:"connectionId"`
	Verified     bool   `json:"verified" jsonschema:"The app accepted the connection's credential."`
	Note         string `json:"note,omitempty"`
}

var connectionsVerify = define(meta{
	Name:        "connections_verify",
	Title:       "Verify connection",
	Description: "Check that a connection still works: Make signs in to the app with it. Use it when a scenario fails on a module's connection. Returns whether the app accepted it; changes nothing.",
	Toolset:     Connections, Scope: scope.ConnectionsWrite, Kind: Check,
},
	func(ctx context.Context, c *Call, in connectionID) (*connectionVerified, error) {
		ok, err := c.Client.TestConnection(ctx, in.ConnectionID)
		if err != nil {
			return nil, err
		}
		out := &connectionVerified{ConnectionID: in.ConnectionID, Verified: ok}
		if !ok {
			out.Note = "the app refused the connection: the user must reauthorize it in Make"
		}
		return out, nil
	})
