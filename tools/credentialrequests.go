package tools

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/makemcp/makemcp/makeapi/scope"
)

// The credential-requests toolset: asking someone to authorize the
// connections and keys a scenario needs, through a page Make hosts, and
// following what became of each.

func credentialRequestTools() []Tool {
	return []Tool{credentialRequestsList, credentialRequestsGet, credentialRequestsCreate,
		credentialRequestsCreateByCredentials, credentialRequestsExtendConnection,
		credentialRequestsListAppModules, credentialRequestsDecline, credentialRequestsDeleteCredential,
		credentialRequestsDelete}
}

type credentialRequestsListArgs struct {
	teamArg
	UserID         int64           `json:"userId,omitempty" jsonschema:"Only requests made by this user."`
	MakeProviderID json.RawMessage `json:"makeProviderId,omitempty" jsonschema:"Only requests with this Make provider id (a string or a number)."`
	Status         string          `json:"status,omitempty" jsonschema:"Only requests in this status, such as pending or approved."`
	Name           string          `json:"name,omitempty" jsonschema:"Only requests of this name."`
	Paging
}

var credentialRequestsList = listTool[credentialRequestsListArgs, Object](endpoint{
	Name: "credential-requests_list", Title: "List credential requests", Toolset: CredentialRequests, Scope: scope.CredentialRequestsRead, Kind: Read,
	Description: "List a team's credential requests, each with its id, name, status and expiry; filter by user, provider, status or name.",
	Method:      "GET", Path: "/credential-requests/requests?cols[]=*", Answer: "requests",
})

type credentialRequestID struct {
	RequestID string `json:"requestId" jsonschema:"The credential request's id (credential-requests_list shows them)."`
}

var credentialRequestsGet = endpointTool[credentialRequestID, Object](endpoint{
	Name: "credential-requests_get", Title: "Get credential request", Toolset: CredentialRequests, Scope: scope.CredentialRequestsRead, Kind: Read,
	Description: "Get a credential request with each of its credentials (connections and keys) and whether it is pending, authorized or declined.",
	Method:      "GET", Path: "/credential-requests/requests/{requestId}/detail", Answer: "requestDetail",
})

// credentialSelection is one app whose modules or endpoints a credential
// request asks credentials for.
type credentialSelection struct {
	AppName      string   `json:"appName" jsonschema:"The app, such as google; app#name for a custom app."`
	AppModules   []string `json:"appModules,omitempty" jsonschema:"Module ids (credential-requests_list-app-modules-with-creds shows them), or [\"*\"] for all."`
	AppEndpoints []string `json:"appEndpoints,omitempty" jsonschema:"Endpoint names, or [\"*\"] for all."`
	AppVersion   int      `json:"appVersion,omitempty" jsonschema:"The app's version; default the latest."`
	NameOverride string   `json:"nameOverride,omitempty" jsonschema:"A name for the credential once created."`
	Description  string   `json:"description,omitempty" jsonschema:"Shown on the request's page."`
}

type credentialRequestsCreateArgs struct {
	Name        string `json:"name,omitempty" jsonschema:"The request's name, shown to the person who opens it."`
	Description string `json:"description,omitempty" jsonschema:"Shown to the person who opens it."`
	teamArg
	Credentials []credentialSelection `json:"credentials" jsonschema:"The apps to ask credentials for, 1 to 64, each with appModules or appEndpoints."`
}

func (a credentialRequestsCreateArgs) validate() error {
	if len(a.Credentials) == 0 || len(a.Credentials) > 64 {
		return errors.New("credentials: give 1 to 64 apps")
	}
	for i, s := range a.Credentials {
		if s.AppName == "" || len(s.AppModules)+len(s.AppEndpoints) == 0 {
			return fmt.Errorf("credentials[%d]: give appName and appModules or appEndpoints ([\"*\"] for all)", i)
		}
	}
	return nil
}

var credentialRequestsCreate = endpointTool[credentialRequestsCreateArgs, Object](endpoint{
	Name: "credential-requests_create", Title: "Create credential request", Toolset: CredentialRequests, Scope: scope.CredentialRequestsWrite, Kind: Create,
	Description: "Ask for the credentials that modules of apps need: Make makes a request and returns its publicUri, where the user authorizes them for use in scenarios.",
	Method:      "POST", Path: "/credential-requests/actions/create",
})

// credentialPrefill are values a credential's form starts with.
type credentialPrefill struct {
	Hard Object `json:"hard,omitempty" jsonschema:"Values the user cannot change."`
	Soft Object `json:"soft,omitempty" jsonschema:"Values the user can change."`
}

// requestedKey is a key a credential request asks for by its type; a
// connection is asked for the same way, with OAuth scopes besides.
type requestedKey struct {
	Type         string             `json:"type" jsonschema:"The type, such as google or slack for a connection, apikeyauth or basicauth for a key."`
	Description  string             `json:"description,omitempty" jsonschema:"Shown on the request's page."`
	Prefill      *credentialPrefill `json:"prefill,omitempty"`
	NameOverride string             `json:"nameOverride,omitempty" jsonschema:"A name for it once created."`
}

type requestedConnection struct {
	requestedKey
	Scope []string `json:"scope,omitempty" jsonschema:"OAuth scopes to ask for."`
}

type credentialRequestsCreateByCredentialsArgs struct {
	Name        string `json:"name,omitempty" jsonschema:"The request's name, shown to the person who authorizes it."`
	Description string `json:"description,omitempty" jsonschema:"Instructions shown on the request's page."`
	teamArg
	Connections []requestedConnection `json:"connections,omitempty" jsonschema:"Connections to ask for, at most 32."`
	Keys        []requestedKey        `json:"keys,omitempty" jsonschema:"Keys to ask for, at most 32."`
}

func (a credentialRequestsCreateByCredentialsArgs) validate() error {
	if len(a.Connections)+len(a.Keys) == 0 || len(a.Connections) > 32 || len(a.Keys) > 32 {
		return errors.New("give at least one connection or key, and at most 32 of each")
	}
	return nil
}

var credentialRequestsCreateByCredentials = endpointTool[credentialRequestsCreateByCredentialsArgs, Object](endpoint{
	Name: "credential-requests_create-by-credentials", Title: "Create credential request by type", Toolset: CredentialRequests, Scope: scope.CredentialRequestsWrite, Kind: Create,
	Description: "Ask for connections and keys by their types (google, apikeyauth, ...). Returns the request, its credentials and the publicUri where the user authorizes them.",
	Method:      "POST", Path: "/credential-requests/actions/create-by-credentials",
})

type extendConnectionArgs struct {
	ConnectionID int64    `json:"connectionId" jsonschema:"The connection that lacks scopes."`
	Scopes       []string `json:"scopes" jsonschema:"The OAuth scopes to add, at least one new; credential-requests_list-app-modules-with-creds shows the ones modules need."`
}

func (a extendConnectionArgs) validate() error {
	if len(a.Scopes) == 0 {
		return errors.New("scopes: give at least one OAuth scope to add")
	}
	return nil
}

var credentialRequestsExtendConnection = endpointTool[extendConnectionArgs, Object](endpoint{
	Name: "credential-requests_extend-connection", Title: "Extend connection's scopes", Toolset: CredentialRequests, Scope: scope.CredentialRequestsWrite, Kind: Create,
	Description: "Ask the user to grant a connection more OAuth scopes: returns a request and the publicUri where they authorize it. Make refuses when the connection has every scope already: then use it as it is.",
	Method:      "POST", Path: "/credential-requests/actions/extend",
})

type appModulesArgs struct {
	AppName    string          `json:"appName" jsonschema:"The app, such as slack; app#name for a custom app."`
	AppVersion json.RawMessage `json:"appVersion" jsonschema:"The app's major version, such as 4, or \"latest\"."`
	Paging
}

var credentialRequestsListAppModules = listTool[appModulesArgs, Object](endpoint{
	Name: "credential-requests_list-app-modules-with-creds", Title: "List app modules needing credentials", Toolset: CredentialRequests, Scope: scope.AppsRead, Kind: Read,
	Description: "List an app's modules that need credentials, with the credential type and OAuth scopes each needs. Their ids are what credential-requests_create takes in appModules.",
	Method:      "GET", Path: "/credential-requests/apps/{appName}/{appVersion}/modules-with-credentials", Answer: "appModules",
})

type credentialID struct {
	CredentialID string `json:"credentialId" jsonschema:"The credential's id (credential-requests_get shows them)."`
}

type declineArgs struct {
	credentialID
	Reason string `json:"reason,omitempty" jsonschema:"Why, shown with the request."`
}

var credentialRequestsDecline = endpointTool[declineArgs, Object](endpoint{
	Name: "credential-requests_credential-decline", Title: "Decline credential", Toolset: CredentialRequests, Scope: scope.CredentialRequestsWrite, Kind: Update,
	Description: "Decline one credential of a request, so that it cannot be authorized, with an optional reason. Returns the credential.",
	Method:      "POST", Path: "/credential-requests/credentials/{credentialId}/decline", Answer: "credential",
})

var credentialRequestsDeleteCredential = endpointTool[credentialID, Object](endpoint{
	Name: "credential-requests_credential-delete", Title: "Delete credential", Toolset: CredentialRequests, Scope: scope.CredentialRequestsWrite, Kind: Delete,
	Description: "Delete what was authorized for a credential (its OAuth tokens or key) and set it pending, to be authorized again. The user is asked to confirm. Returns the credential.",
	Doc:         "Make's catalogue marks it idempotent; makemcp asks the user first, as for every deletion, since the tokens or key are gone for good.",
	Method:      "POST", Path: "/credential-requests/credentials/{credentialId}/delete-remote", Answer: "credential",
})

var credentialRequestsDelete = endpointTool[credentialRequestID, Object](endpoint{
	Name: "credential-requests_delete", Title: "Delete credential request", Toolset: CredentialRequests, Scope: scope.CredentialRequestsWrite, Kind: Delete,
	Description: "Delete a credential request with the connections and keys made through it; scenarios using them lose access. The user is asked to confirm.",
	Method:      "DELETE", Path: "/credential-requests/requests/{requestId}?confirmed=true",
	AskAnswer: "request",
	Ask:       `Delete credential request {{printf "%q" .name}} with the connections and keys made through it? Scenarios using them lose access; this cannot be undone.`,
})
