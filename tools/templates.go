package tools

import "github.com/makemcp/makemcp/makeapi/scope"

// The templates toolset: Make's public scenario templates, to find one
// and read its blueprint.

func templateTools() []Tool {
	return []Tool{publicTemplatesList, publicTemplatesGet, publicTemplatesGetBlueprint}
}

type publicTemplatesListArgs struct {
	Name      string   `json:"name,omitempty" jsonschema:"Search by name."`
	UsedApps  []string `json:"usedApps,omitempty" jsonschema:"Only templates using these apps, such as gmail."`
	IncludeEn *bool    `json:"includeEn,omitempty" jsonschema:"Also include English-language templates."`
	Paging
}

var publicTemplatesList = listTool[publicTemplatesListArgs, Object](endpoint{
	Name: "public-templates_list", Title: "List public templates", Toolset: Templates, Scope: scope.TemplatesRead, Kind: Read,
	Description: "Search Make's public scenario templates by name or the apps they use, most used first; each with its url, which the other template tools take.",
	Method:      "GET", Path: "/templates/public?cols[]=*", Answer: "templatesPublic",
})

type templateURL struct {
	TemplateURL string `json:"templateUrl" jsonschema:"The template's url slug, such as 12289-add-webhook-data-to-a-google-sheet (public-templates_list shows them)."`
}

var publicTemplatesGet = endpointTool[templateURL, Object](endpoint{
	Name: "public-templates_get", Title: "Get public template", Toolset: Templates, Scope: scope.TemplatesRead, Kind: Read,
	Description: "Get a public template: its name, description, the apps it uses and how often it is used.",
	Method:      "GET", Path: "/templates/public/{templateUrl}?cols[]=*", Answer: "templatePublic",
})

var publicTemplatesGetBlueprint = endpointTool[templateURL, Object](endpoint{
	Name: "public-templates_get-blueprint", Title: "Get public template blueprint", Toolset: Templates, Scope: scope.TemplatesRead, Kind: Read,
	Description: "Get a public template's blueprint (its modules and flow), scheduling and language: what scenarios_create takes to build a scenario from it.",
	Method:      "GET", Path: "/templates/public/{templateUrl}/blueprint",
})
