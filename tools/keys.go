package tools

import "github.com/makemcp/makemcp/makeapi/scope"

// The keys toolset: secrets a team keeps in Make (API keys, basic auth,
// certificates) for the modules that sign requests with them.

func keyTools() []Tool {
	return []Tool{keysList, keysGet, keysCreate, keysUpdate, keysDelete}
}

type keysListArgs struct {
	teamArg
	Paging
}

var keysList = listTool[keysListArgs, Object](endpoint{
	Name: "keys_list", Title: "List keys", Toolset: Keys, Scope: scope.KeysRead, Kind: Read,
	Description: "List a team's keys (secrets such as API keys and certificates), each with its id, name and type; never the secret.",
	Method:      "GET", Path: "/keys?cols[]=*", Answer: "keys",
})

type keyID struct {
	KeyID int64 `json:"keyId" jsonschema:"The key's id (keys_list shows them)."`
}

var keysGet = endpointTool[keyID, Object](endpoint{
	Name: "keys_get", Title: "Get key", Toolset: Keys, Scope: scope.KeysRead, Kind: Read,
	Description: "Get a key's name, type and team; never the secret.",
	Method:      "GET", Path: "/keys/{keyId}?cols[]=*", Answer: "key",
})

type keysCreateArgs struct {
	teamArg
	Name       string `json:"name" jsonschema:"The key's name."`
	TypeName   string `json:"typeName" jsonschema:"The key's type, such as basicauth, apikeyauth or aes-key."`
	Parameters Object `json:"parameters" jsonschema:"The secret itself, in the fields its type takes, such as {\"user\": ..., \"pass\": ...} for basicauth."`
}

var keysCreate = endpointTool[keysCreateArgs, Object](endpoint{
	Name: "keys_create", Title: "Create key", Toolset: Keys, Scope: scope.KeysWrite, Kind: Create,
	Description: "Create a key in a team: a secret modules can sign requests with. Returns the key without its secret.",
	Method:      "POST", Path: "/keys", Answer: "key",
})

type keysUpdateArgs struct {
	keyID
	Name       string `json:"name,omitempty" jsonschema:"A new name."`
	Parameters Object `json:"parameters,omitempty" jsonschema:"A new secret, in the fields the key's type takes."`
}

var keysUpdate = endpointTool[keysUpdateArgs, Object](endpoint{
	Name: "keys_update", Title: "Update key", Toolset: Keys, Scope: scope.KeysWrite, Kind: Update,
	Description: "Rename a key or replace its secret.",
	Method:      "PATCH", Path: "/keys/{keyId}", Answer: "key",
})

var keysDelete = endpointTool[keyID, Object](endpoint{
	Name: "keys_delete", Title: "Delete key", Toolset: Keys, Scope: scope.KeysWrite, Kind: Delete,
	Description: "Delete a key; modules that use it fail. The user is asked to confirm.",
	Method:      "DELETE", Path: "/keys/{keyId}?confirmed=true",
})
