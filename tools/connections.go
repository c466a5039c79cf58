package tools

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/makemcp/makemcp/makeapi"
	"github.com/makemcp/makemcp/makeapi/scope"
)

// The connections toolset: the team's authorized links to other apps,
// which scenario modules use.

func connectionTools() []Tool {
	return []Tool{connectionsList, connectionsGet, connectionsCreate, connectionsUpdate, connectionsVerify, connectionsDelete}
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

// connectionsCreateArgs are the arguments of connections_create, named as
// in Make's catalogue: name is the connection's own name, accountName its
// type.
type connectionsCreateArgs struct {
	Name        string   `json:"name" jsonschema:"The new connection's name, as people see it."`
	AccountName string   `json:"accountName" jsonschema:"The connection's type, such as google or slack2 (connections_list shows the types in accountName)."`
	TeamID      int64    `json:"teamId,omitempty" default:"team" jsonschema:"The team to create it in. Omit it to use the default team."`
	Data        Object   `json:"data,omitempty" jsonschema:"The settings its type takes, such as {\"apiKey\": ...}."`
	Scope       []string `json:"scope,omitempty" jsonschema:"OAuth scopes to ask for, for the types that take them."`
}

func (a connectionsCreateArgs) validate() error {
	if strings.TrimSpace(a.Name) == "" || strings.TrimSpace(a.AccountName) == "" {
		return errors.New("give the connection a name and its type (accountName)")
	}
	return nil
}

var connectionsCreate = endpointTool[connectionsCreateArgs, Object](endpoint{
	Name: "connections_create", Title: "Create connection", Toolset: Connections, Scope: scope.ConnectionsWrite, Kind: Create,
	Description: "Create a connection to another app in a team: its name, its type (accountName) and the settings the type takes, such as an API key. Returns the connection.",
	Doc: "Make's API calls the connection's name `accountName` and its type `accountType`; like Make's SDK, makemcp " +
		"takes them as `name` and `accountName` and sends them under Make's names, with the settings of `data` beside them. " +
		"Make's SDK drops `scope` (though its own type for the request has the field `scopes`); makemcp sends it as `scopes`.",
	Method: "POST", Path: "/connections", Query: []string{"teamId"}, Answer: "connection",
	Shape: connectionBody,
})

// connectionBody lays out a new connection as Make takes it: the settings
// of data, then the name as accountName and the type as accountType.
func connectionBody(args map[string]json.RawMessage) error {
	name, typ, scopes := args["name"], args["accountName"], args["scope"]
	delete(args, "accountName")
	delete(args, "scope")
	if err := flatten("data")(args); err != nil {
		return err
	}
	delete(args, "name") // sent as accountName; a name among the settings is dropped, as Make's SDK drops it
	args["accountName"], args["accountType"] = name, typ
	if scopes != nil {
		args["scopes"] = scopes
	}
	return nil
}

// connectionsUpdateArgs are the arguments of connections_update.
type connectionsUpdateArgs struct {
	ConnectionID int64  `json:"connectionId" jsonschema:"The connection to change."`
	Name         string `json:"name,omitempty" jsonschema:"A new name."`
	Data         Object `json:"data,omitempty" jsonschema:"Settings to change, such as a new API key; connections_get shows the type."`
}

var connectionsUpdate = define(meta{
	Name:        "connections_update",
	Title:       "Update connection",
	Description: "Rename a connection, or change its settings (data), such as a new API key. Returns the connection afterwards, with dataChanged when data was given.",
	Toolset:     Connections, Scope: scope.ConnectionsWrite, Kind: Update,
},
	func(ctx context.Context, c *Call, in connectionsUpdateArgs) (*Object, error) {
		if strings.TrimSpace(in.Name) == "" && len(in.Data) == 0 {
			return nil, errors.New("nothing to change: give name, data or both")
		}
		id := map[string]string{"connectionId": strconv.FormatInt(in.ConnectionID, 10)}
		if in.Name != "" {
			body, _ := json.Marshal(map[string]string{"name": in.Name})
			if _, err := c.Client.Do(ctx, makeapi.Request{Method: "PATCH", Path: "/connections/{connectionId}",
				Params: id, Body: body, Answer: "connection", Effect: makeapi.Sets}); err != nil {
				return nil, err
			}
		}
		var changed json.RawMessage
		if len(in.Data) > 0 {
			// Make answers {"changed": bool}: a value, not an object.
			v, err := c.Client.Do(ctx, makeapi.Request{Method: "POST", Path: "/connections/{connectionId}/set-data",
				Params: id, Body: json.RawMessage(in.Data), Effect: makeapi.Sets})
			if err != nil {
				return nil, err
			}
			var answer struct{ Changed *bool }
			if json.Unmarshal(v, &answer) != nil || answer.Changed == nil {
				return nil, fmt.Errorf("Make API POST /connections/%d/set-data: the answer holds no \"changed\"", in.ConnectionID)
			}
			changed, _ = json.Marshal(*answer.Changed)
		}
		v, err := c.Client.Do(ctx, makeapi.Request{Method: "GET", Path: "/connections/{connectionId}?cols[]=*",
			Params: id, Answer: "connection"})
		if err != nil {
			return nil, err
		}
		var conn map[string]json.RawMessage
		if err := json.Unmarshal(v, &conn); err != nil {
			return nil, fmt.Errorf("Make API GET /connections/%d: unexpected answer: %v", in.ConnectionID, err)
		}
		if changed != nil {
			conn["dataChanged"] = changed
		}
		b, err := json.Marshal(conn)
		out := Object(b)
		return &out, err
	})

// connectionDeleted is the result of connections_delete.
type connectionDeleted struct {
	ConnectionID int64 `json:"connectionId"`
	Deleted      bool  `json:"deleted"`
}

var connectionsDelete = endpointTool[connectionID, connectionDeleted](endpoint{
	Name: "connections_delete", Title: "Delete connection", Toolset: Connections, Scope: scope.ConnectionsWrite, Kind: Delete,
	Description: "Delete a connection; scenarios using it fail until given another. This cannot be undone; the user is asked to confirm.",
	Method:      "DELETE", Path: "/connections/{connectionId}?confirmed=true",
	AskPath: "/connections/{connectionId}?cols[]=*", AskAnswer: "connection",
	Ask: `Delete connection {{.id}} {{printf "%q" .name}} ({{.accountLabel}})? Scenarios using it stop working; this cannot be undone.`,
})
