package tools

import (
	"encoding/json"
	"errors"
	"strings"

	"github.com/makemcp/makemcp/makeapi/scope"
)

// The functions toolset: a team's custom functions, JavaScript its
// scenarios call in their mappings.

func functionTools() []Tool {
	return []Tool{functionsList, functionsGet, functionsCreate, functionsUpdate, functionsDelete, functionsCheck}
}

type functionsListArgs struct {
	teamArg
	Paging
}

var functionsList = listTool[functionsListArgs, Object](endpoint{
	Name: "functions_list", Title: "List functions", Toolset: Functions, Scope: scope.FunctionsRead, Kind: Read,
	Description: "List a team's custom functions, each with its id, name, arguments and description.",
	Method:      "GET", Path: "/functions?cols[]=*", Answer: "functions",
})

type functionID struct {
	FunctionID int64 `json:"functionId" jsonschema:"The function's id (functions_list shows them)."`
}

var functionsGet = endpointTool[functionID, Object](endpoint{
	Name: "functions_get", Title: "Get function", Toolset: Functions, Scope: scope.FunctionsRead, Kind: Read,
	Description: "Get a custom function: its code, arguments, description and the scenarios that use it.",
	Method:      "GET", Path: "/functions/{functionId}", Answer: "function",
})

type functionsCreateArgs struct {
	teamArg
	Name        string `json:"name" jsonschema:"The function's name, as scenarios call it."`
	Code        string `json:"code" jsonschema:"JavaScript declaring one function of that name: function name(args) { ... }"`
	Description string `json:"description,omitempty" jsonschema:"What it does."`
}

func (a functionsCreateArgs) validate() error {
	if strings.TrimSpace(a.Name) == "" || strings.TrimSpace(a.Code) == "" {
		return errors.New("give the function a name and its code")
	}
	return nil
}

var functionsCreate = endpointTool[functionsCreateArgs, Object](endpoint{
	Name: "functions_create", Title: "Create function", Toolset: Functions, Scope: scope.FunctionsWrite, Kind: Create,
	Description: "Create a custom function in a team. Check its code with functions_check first. Returns the function.",
	Doc:         "Without a description, makemcp sends an empty one, as Make's SDK does.",
	// Make takes the team in the query and wants a description, empty
	// when there is none.
	Method: "POST", Path: "/functions", Query: []string{"teamId"}, Answer: "function",
	Shape: defaultText("description", ""),
})

type functionsUpdateArgs struct {
	functionID
	Name        string `json:"name,omitempty" jsonschema:"A new name."`
	Code        string `json:"code,omitempty" jsonschema:"New code: JavaScript declaring one function."`
	Description string `json:"description,omitempty" jsonschema:"A new description."`
}

var functionsUpdate = endpointTool[functionsUpdateArgs, Object](endpoint{
	Name: "functions_update", Title: "Update function", Toolset: Functions, Scope: scope.FunctionsWrite, Kind: Update,
	Description: "Change a custom function's name, code or description; scenarios using it run the new code. Returns the function.",
	Method:      "PATCH", Path: "/functions/{functionId}", Answer: "function",
	Shape: needsOneOf("name", "code", "description"),
})

var functionsDelete = endpointTool[functionID, Object](endpoint{
	Name: "functions_delete", Title: "Delete function", Toolset: Functions, Scope: scope.FunctionsWrite, Kind: Delete,
	Description: "Delete a custom function; scenarios that call it fail. The user is asked to confirm.",
	Method:      "DELETE", Path: "/functions/{functionId}",
	Ask: `Delete function {{.id}} {{printf "%q" .name}}{{with .scenarios}}, which {{len .}} scenarios use{{end}}? This cannot be undone.`,
})

type functionsCheckArgs struct {
	teamArg
	Code string `json:"code" jsonschema:"The JavaScript to check."`
}

var functionsCheck = endpointTool[functionsCheckArgs, Object](endpoint{
	Name: "functions_check", Title: "Check function", Toolset: Functions, Scope: scope.FunctionsWrite, Kind: Read,
	Description: "Check a custom function's code without saving it. Returns success, and the error when it fails.",
	Doc:         "It needs the `functions:write` scope, as in Make's catalogue, though it changes nothing.",
	Method:      "POST", Path: "/functions/eval", Query: []string{"teamId"},
})

// defaultText gives a text argument left out (or null) a value.
func defaultText(name, value string) func(map[string]json.RawMessage) error {
	v, _ := json.Marshal(value)
	return func(args map[string]json.RawMessage) error {
		if a, ok := args[name]; !ok || string(a) == "null" {
			args[name] = v
		}
		return nil
	}
}
