package tools

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/makemcp/makemcp/makeapi/scope"
)

// The custom properties toolset: the fields an organization adds to its
// scenarios (a structure of items, each a field with a type), and the
// values each scenario has for them.

func customPropertyTools() []Tool {
	return []Tool{propertyStructuresList, propertyStructuresCreate, propertyItemsList, propertyItemsCreate, propertyItemsUpdate, propertyItemsDelete,
		scenarioPropertiesGet, scenarioPropertiesCreate, scenarioPropertiesReplace, scenarioPropertiesUpdate, scenarioPropertiesDelete}
}

type propertyStructuresListArgs struct {
	organizationArg
	Paging
}

var propertyStructuresList = listTool[propertyStructuresListArgs, Object](endpoint{
	Name: "custom-property-structures_list", Title: "List custom property structures", Toolset: CustomProperties,
	Scope: scope.CustomPropertyStructuresRead, Kind: Read,
	Description: "List an organization's custom property structures: the set of fields its scenarios can be given. custom-property-structure-items_list shows the fields.",
	Doc: "Custom properties need the feature in the organization's plan. An organization has at most one " +
		"structure for its scenarios, and a structure cannot be deleted.",
	Method: "GET", Path: "/custom-property-structures", Answer: "customPropertyStructures",
})

type propertyStructuresCreateArgs struct {
	AssociatedType string `json:"associatedType" jsonschema:"What the properties are for: scenario, the one type Make takes."`
	BelongerType   string `json:"belongerType" jsonschema:"What owns the structure: organization, the one type Make takes."`
	BelongerID     int64  `json:"belongerId" jsonschema:"The organization's id."`
}

func (a propertyStructuresCreateArgs) validate() error {
	if a.AssociatedType != "scenario" || a.BelongerType != "organization" {
		return errors.New(`associatedType must be "scenario" and belongerType "organization"`)
	}
	return nil
}

var propertyStructuresCreate = endpointTool[propertyStructuresCreateArgs, Object](endpoint{
	Name: "custom-property-structures_create", Title: "Create custom property structure", Toolset: CustomProperties,
	Scope: scope.CustomPropertyStructuresWrite, Kind: Create,
	Description: "Create the custom property structure of an organization's scenarios, to add fields to with custom-property-structure-items_create. An organization has at most one, and it cannot be deleted.",
	Method:      "POST", Path: "/custom-property-structures", Answer: "customPropertyStructure",
})

// propertyTypes are the types a custom property can have.
var propertyTypes = []string{"boolean", "number", "shortText", "longText", "date", "dropdown", "multiselect"}

func checkPropertyType(t string) error {
	if t != "" && !slices.Contains(propertyTypes, t) {
		return fmt.Errorf("type must be one of %s, not %q", strings.Join(propertyTypes, ", "), t)
	}
	return nil
}

type propertyItemsListArgs struct {
	StructureID int64  `json:"customPropertyStructureId" jsonschema:"The structure whose items to list (custom-property-structures_list shows them)."`
	ID          int64  `json:"id,omitempty" jsonschema:"Only the item with this id."`
	Name        string `json:"name,omitempty" jsonschema:"Name filter: a regular expression, any case."`
	Label       string `json:"label,omitempty" jsonschema:"Label filter, likewise."`
	Description string `json:"description,omitempty" jsonschema:"Description filter, likewise."`
	Type        string `json:"type,omitempty" jsonschema:"Only items of this type."`
	Required    bool   `json:"required,omitempty" jsonschema:"Only required items (true) or optional ones (false)."`
	Paging
}

func (a propertyItemsListArgs) validate() error { return checkPropertyType(a.Type) }

var propertyItemsList = listTool[propertyItemsListArgs, Object](endpoint{
	Name: "custom-property-structure-items_list", Title: "List custom property structure items", Toolset: CustomProperties,
	Scope: scope.CustomPropertyStructuresRead, Kind: Read,
	Description: "List a custom property structure's items (the fields scenarios can be given) with their types and options. Returns a page: pass nextOffset as offset for more.",
	Doc: "Unlike Make's SDK, which reads only the first page Make gives, makemcp asks for one page at a time " +
		"(pg[limit], pg[offset]), so that every page can be reached.",
	Method: "GET", Path: "/custom-property-structures/{customPropertyStructureId}/custom-property-structure-items?cols[]=*",
	Answer: "customPropertyStructureItems", Pages: true,
})

// propertyOption is one choice of a dropdown or multiselect item.
type propertyOption struct {
	Value string `json:"value" jsonschema:"At most 250 characters."`
}

// checkPropertyOptions checks the choices of an item: each given, and unique.
func checkPropertyOptions(opts []propertyOption) error {
	seen := map[string]bool{}
	for _, o := range opts {
		if o.Value == "" || utf8.RuneCountInString(o.Value) > 250 || seen[o.Value] {
			return errors.New("options: each value must be 1 to 250 characters, and unique")
		}
		seen[o.Value] = true
	}
	return nil
}

// propertyNamePattern is what Make takes as an item's name: a key of the
// scenarios' property data.
var propertyNamePattern = regexp.MustCompile(`^[a-zA-Z_$][0-9a-zA-Z_$]{0,63}$`)

type propertyItemsCreateArgs struct {
	StructureID int64            `json:"customPropertyStructureId" jsonschema:"The structure to add the item to."`
	Name        string           `json:"name" jsonschema:"Its key in scenarios' values: a letter, _ or $, then letters, digits, _ or $ (at most 64). Fixed once made."`
	Label       string           `json:"label" jsonschema:"The name people see, at most 64 characters."`
	Type        string           `json:"type" jsonschema:"boolean, number, shortText, longText, date, dropdown or multiselect. Fixed once made."`
	Description string           `json:"description,omitempty" jsonschema:"What the item is for, at most 1024 characters."`
	Options     []propertyOption `json:"options,omitempty" jsonschema:"Its choices: for dropdown and multiselect only, and required there."`
	Required    bool             `json:"required" jsonschema:"Whether every scenario's data must give it."`
}

func (a propertyItemsCreateArgs) validate() error {
	switch {
	case !propertyNamePattern.MatchString(a.Name):
		return errors.New("name must start with a letter, _ or $, hold only letters, digits, _ and $, and be at most 64 characters")
	case strings.TrimSpace(a.Label) == "" || utf8.RuneCountInString(a.Label) > 64:
		return errors.New("label must be 1 to 64 characters, not blank")
	case a.Type == "":
		return fmt.Errorf("type must be one of %s", strings.Join(propertyTypes, ", "))
	case (a.Type == "dropdown" || a.Type == "multiselect") != (len(a.Options) > 0):
		return errors.New("options are required for dropdown and multiselect items, and not allowed for others")
	}
	if err := checkPropertyType(a.Type); err != nil {
		return err
	}
	return checkPropertyOptions(a.Options)
}

var propertyItemsCreate = endpointTool[propertyItemsCreateArgs, Object](endpoint{
	Name: "custom-property-structure-items_create", Title: "Create custom property structure item", Toolset: CustomProperties,
	Scope: scope.CustomPropertyStructuresWrite, Kind: Create,
	Description: "Add an item (a field scenarios can be given) to a custom property structure. Its name and type cannot change later. Returns the item.",
	Method:      "POST", Path: "/custom-property-structures/{customPropertyStructureId}/custom-property-structure-items",
	Answer: "customPropertyStructureItem",
})

type propertyItemID struct {
	ItemID int64 `json:"customPropertyStructureItemId" jsonschema:"The item's id (custom-property-structure-items_list shows them)."`
}

type propertyItemsUpdateArgs struct {
	propertyItemID
	Label       string           `json:"label,omitempty" jsonschema:"A new label, at most 64 characters."`
	Description string           `json:"description,omitempty" jsonschema:"A new description, at most 1024 characters."`
	Options     []propertyOption `json:"options,omitempty" jsonschema:"All its choices from now on (dropdown and multiselect only)."`
	Required    *bool            `json:"required,omitempty" jsonschema:"Whether every scenario's data must give it."`
}

func (a propertyItemsUpdateArgs) validate() error {
	if utf8.RuneCountInString(a.Label) > 64 {
		return errors.New("label must be at most 64 characters")
	}
	return checkPropertyOptions(a.Options)
}

var propertyItemsUpdate = endpointTool[propertyItemsUpdateArgs, Object](endpoint{
	Name: "custom-property-structure-items_update", Title: "Update custom property structure item", Toolset: CustomProperties,
	Scope: scope.CustomPropertyStructuresWrite, Kind: Update,
	Description: "Change an item's label, description or whether it is required, or replace the choices of a dropdown or multiselect. Returns the item.",
	Method:      "PATCH", Path: "/custom-property-structures/custom-property-structure-items/{customPropertyStructureItemId}",
	Answer: "customPropertyStructureItem", Shape: needsOneOf("label", "description", "options", "required"),
})

type propertyItemsDeleteArgs struct {
	propertyItemID
	Confirmed bool `json:"confirmed,omitempty" jsonschema:"true to delete it even though scenarios have values for it, which are deleted too."`
}

var propertyItemsDelete = endpointTool[propertyItemsDeleteArgs, Object](endpoint{
	Name: "custom-property-structure-items_delete", Title: "Delete custom property structure item", Toolset: CustomProperties,
	Scope: scope.CustomPropertyStructuresWrite, Kind: Delete,
	Description: "Delete an item from a custom property structure. If scenarios have values for it, Make refuses unless confirmed is true, and then deletes them too. The user is asked to confirm.",
	Method:      "DELETE", Path: "/custom-property-structures/custom-property-structure-items/{customPropertyStructureItemId}",
	Query: []string{"confirmed"},
})

type propertiesScenarioID struct {
	ScenarioID int64 `json:"scenarioId" jsonschema:"The scenario's id."`
}

var scenarioPropertiesGet = endpointTool[propertiesScenarioID, Object](endpoint{
	Name: "scenario-custom-properties_get", Title: "Get scenario custom properties", Toolset: CustomProperties,
	Scope: scope.ScenariosRead, Kind: Read,
	Description: "Get the values a scenario has for its organization's custom properties.",
	Method:      "GET", Path: "/scenarios/{scenarioId}/custom-properties",
})

type scenarioPropertiesArgs struct {
	propertiesScenarioID
	CustomProperties Object `json:"customProperties" jsonschema:"Values keyed by item name, such as {\"highPriority\": true, \"category\": [\"eshop\"]}."`
}

var scenarioPropertiesCreate = endpointTool[scenarioPropertiesArgs, Object](endpoint{
	Name: "scenario-custom-properties_create", Title: "Create scenario custom properties", Toolset: CustomProperties,
	Scope: scope.ScenariosWrite, Kind: Create,
	Description: "Give a scenario its first custom property values; every required item needs one (custom-property-structure-items_list shows them). Fails if it has values: use _update or _replace.",
	Method:      "POST", Path: "/scenarios/{scenarioId}/custom-properties", Body: "customProperties",
})

var scenarioPropertiesReplace = endpointTool[scenarioPropertiesArgs, Object](endpoint{
	Name: "scenario-custom-properties_replace", Title: "Replace scenario custom properties", Toolset: CustomProperties,
	Scope: scope.ScenariosWrite, Kind: Update,
	Description: "Replace all of a scenario's custom property values: items not given lose theirs. Every required item needs a value.",
	Method:      "PUT", Path: "/scenarios/{scenarioId}/custom-properties", Body: "customProperties",
})

var scenarioPropertiesUpdate = endpointTool[scenarioPropertiesArgs, Object](endpoint{
	Name: "scenario-custom-properties_update", Title: "Update scenario custom properties", Toolset: CustomProperties,
	Scope: scope.ScenariosWrite, Kind: Update,
	Description: "Change some of a scenario's custom property values; items not given keep theirs, and null clears one.",
	Method:      "PATCH", Path: "/scenarios/{scenarioId}/custom-properties", Body: "customProperties",
})

var scenarioPropertiesDelete = endpointTool[propertiesScenarioID, Object](endpoint{
	Name: "scenario-custom-properties_delete", Title: "Delete scenario custom properties", Toolset: CustomProperties,
	Scope: scope.ScenariosWrite, Kind: Delete,
	Description: "Delete all of a scenario's custom property values. This cannot be undone; the user is asked to confirm.",
	Method:      "DELETE", Path: "/scenarios/{scenarioId}/custom-properties",
	AskPath: "/scenarios/{scenarioId}", AskAnswer: "scenario",
	Ask: `Delete the custom property values of scenario {{.id}} {{printf "%q" .name}}? This cannot be undone.`,
})
