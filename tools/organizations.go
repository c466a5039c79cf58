package tools

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/makemcp/makemcp/makeapi/scope"
)

// The organizations toolset: creating, changing and deleting
// organizations and teams (the account toolset reads them), the
// countries, regions and time zones an organization is created with, and
// the private spaces of its members.

func organizationTools() []Tool {
	return []Tool{organizationsCreate, organizationsUpdate, organizationsDelete, teamsCreate, teamsDelete,
		enumsCountries, enumsRegions, enumsTimezones, privateSpacesList, privateSpacesGet, privateSpacesUpdate}
}

type organizationsCreateArgs struct {
	Name       string `json:"name" jsonschema:"The organization's name."`
	RegionID   int64  `json:"regionId" jsonschema:"The region (zone) it is created in (enums_regions lists them)."`
	TimezoneID int64  `json:"timezoneId" jsonschema:"Its time zone (enums_timezones lists them)."`
	CountryID  int64  `json:"countryId" jsonschema:"Its country (enums_countries lists them)."`
}

func (a organizationsCreateArgs) validate() error {
	if strings.TrimSpace(a.Name) == "" {
		return errors.New("name must not be empty")
	}
	return nil
}

var organizationsCreate = endpointTool[organizationsCreateArgs, Object](endpoint{
	Name: "organizations_create", Title: "Create organization", Toolset: Organizations, Scope: scope.OrganizationsWrite, Kind: Create,
	Description: "Create an organization in a region, with its country and time zone. Returns the organization with its zone and first team.",
	Method:      "POST", Path: "/organizations", Answer: "organization",
})

type organizationsUpdateArgs struct {
	organizationArg
	Name       string `json:"name,omitempty" jsonschema:"A new name."`
	CountryID  int64  `json:"countryId,omitempty" jsonschema:"A new country (enums_countries)."`
	TimezoneID int64  `json:"timezoneId,omitempty" jsonschema:"A new time zone (enums_timezones)."`
}

func (a organizationsUpdateArgs) validate() error {
	if a.Name == "" && a.CountryID == 0 && a.TimezoneID == 0 {
		return errors.New("nothing to change: give name, countryId or timezoneId")
	}
	return nil
}

var organizationsUpdate = endpointTool[organizationsUpdateArgs, Object](endpoint{
	Name: "organizations_update", Title: "Update organization", Toolset: Organizations, Scope: scope.OrganizationsWrite, Kind: Update,
	Description: "Rename an organization or change its country or time zone; what is not given stays as it is.",
	Method:      "PATCH", Path: "/organizations/{organizationId}", Answer: "organization",
})

// organizationsDeleteArgs name the organization to delete. It is not
// defaulted: a forgotten id must not delete the default organization.
type organizationsDeleteArgs struct {
	OrganizationID int64 `json:"organizationId,omitempty" jsonschema:"The organization to delete. Give it: it is never defaulted."`
}

func (a organizationsDeleteArgs) validate() error {
	if a.OrganizationID <= 0 {
		return errors.New("organizationId: name the organization to delete (organizations_list shows them); it is never defaulted")
	}
	return nil
}

var organizationsDelete = endpointTool[organizationsDeleteArgs, Object](endpoint{
	Name: "organizations_delete", Title: "Delete organization", Toolset: Organizations, Scope: scope.OrganizationsWrite, Kind: Delete,
	Description: "Delete an organization with all its teams, scenarios and data. This cannot be undone; the user is asked to confirm.",
	Doc: "Unlike other tools, organizations_delete needs its organizationId even when the server has a default " +
		"organization, so that a forgotten argument cannot delete it.",
	Method: "DELETE", Path: "/organizations/{organizationId}?confirmed=true",
	AskAnswer: "organization",
	Ask: `Delete organization {{.id}} {{printf "%q" .name}}{{with .teams}} and its {{len .}} team{{if gt (len .) 1}}s{{end}}{{end}},` +
		` with all their scenarios, connections and data? This cannot be undone.`,
})

type teamsCreateArgs struct {
	Name string `json:"name" jsonschema:"The team's name."`
	organizationArg
	OperationsLimit int64 `json:"operationsLimit,omitempty" jsonschema:"The most operations the team may use."`
	TransferLimit   int64 `json:"transferLimit,omitempty" jsonschema:"The most data transfer the team may use, in bytes."`
}

func (a teamsCreateArgs) validate() error {
	if strings.TrimSpace(a.Name) == "" {
		return errors.New("name must not be empty")
	}
	return nil
}

var teamsCreate = endpointTool[teamsCreateArgs, Object](endpoint{
	Name: "teams_create", Title: "Create team", Toolset: Organizations, Scope: scope.TeamsWrite, Kind: Create,
	Description: "Create a team in an organization, optionally with limits on its operations and data transfer. Returns the team.",
	Method:      "POST", Path: "/teams", Answer: "team",
})

// teamsDeleteArgs name the team to delete. It is not defaulted: a
// forgotten id must not delete the default team.
type teamsDeleteArgs struct {
	TeamID int64 `json:"teamId,omitempty" jsonschema:"The team to delete. Give it: it is never defaulted."`
}

func (a teamsDeleteArgs) validate() error {
	if a.TeamID <= 0 {
		return errors.New("teamId: name the team to delete (teams_list shows them); it is never defaulted")
	}
	return nil
}

var teamsDelete = endpointTool[teamsDeleteArgs, Object](endpoint{
	Name: "teams_delete", Title: "Delete team", Toolset: Organizations, Scope: scope.TeamsWrite, Kind: Delete,
	Description: "Delete a team with all its scenarios, connections, webhooks and data stores. This cannot be undone; the user is asked to confirm.",
	Doc: "Unlike other tools, teams_delete needs its teamId even when the server has a default team, so that a " +
		"forgotten argument cannot delete it.",
	Method: "DELETE", Path: "/teams/{teamId}?confirmed=true",
	AskAnswer: "team",
	Ask:       `Delete team {{.id}} {{printf "%q" .name}} with all its scenarios, connections, webhooks and data stores? This cannot be undone.`,
})

var enumsCountries = listTool[Paging, Object](endpoint{
	Name: "enums_countries", Title: "List countries", Toolset: Organizations, Kind: Read,
	Description: "List the countries an organization can be in, each with its id and ISO codes.",
	Method:      "GET", Path: "/enums/countries", Answer: "countries",
})

var enumsRegions = listTool[Paging, Object](endpoint{
	Name: "enums_regions", Title: "List regions", Toolset: Organizations, Kind: Read,
	Description: "List the regions (zones) an organization can be created in, each with its id.",
	Method:      "GET", Path: "/enums/imt-regions", Answer: "imtRegions",
})

var enumsTimezones = listTool[Paging, Object](endpoint{
	Name: "enums_timezones", Title: "List time zones", Toolset: Organizations, Kind: Read,
	Description: "List the time zones an organization can use, each with its id, code and UTC offset.",
	Method:      "GET", Path: "/enums/timezones", Answer: "timezones",
})

type privateSpacesListArgs struct {
	organizationArg
	ExternalID string `json:"externalId,omitempty" jsonschema:"Only the private space with this external id."`
	Paging
}

var privateSpacesList = listTool[privateSpacesListArgs, Object](endpoint{
	Name: "private-spaces_list", Title: "List private spaces", Toolset: Organizations, Scope: scope.PrivateSpacesRead, Kind: Read,
	Description: "List an organization's private spaces (members' personal teams), each with its owner, limits and usage. Returns a page: pass nextOffset as offset for more.",
	Doc: "Private spaces exist only where the organization has them enabled, and are made by its settings, not " +
		"through the API. Unlike Make's SDK, which reads only the first page Make gives, makemcp asks for one page " +
		"at a time (pg[limit], pg[offset]), so that every page can be reached.",
	Method: "GET", Path: "/private-spaces?cols[]=*", Answer: "privateSpaces", Pages: true,
})

type privateSpaceID struct {
	PrivateSpaceID int64 `json:"privateSpaceId" jsonschema:"The private space's id (private-spaces_list shows them)."`
}

var privateSpacesGet = endpointTool[privateSpaceID, Object](endpoint{
	Name: "private-spaces_get", Title: "Get private space", Toolset: Organizations, Scope: scope.PrivateSpacesRead, Kind: Read,
	Description: "Get a private space: its owner, operations and transfer limits, and what it has used.",
	Method:      "GET", Path: "/private-spaces/{privateSpaceId}?cols[]=*", Answer: "privateSpace",
})

type privateSpacesUpdateArgs struct {
	privateSpaceID
	OperationsLimit *int64 `json:"operationsLimit,omitempty" jsonschema:"The most operations it may use, at least 0; null for no limit."`
	Confirmed       bool   `json:"confirmed,omitempty" jsonschema:"true to set a limit below what the space has used, which pauses it."`
}

func (a privateSpacesUpdateArgs) validate() error {
	if a.OperationsLimit != nil && *a.OperationsLimit < 0 {
		return errors.New("operationsLimit must be at least 0, or null for no limit")
	}
	return nil
}

var privateSpacesUpdate = endpointTool[privateSpacesUpdateArgs, Object](endpoint{
	Name: "private-spaces_update", Title: "Update private space", Toolset: Organizations, Scope: scope.PrivateSpacesWrite, Kind: Update,
	Description: "Set a private space's operations limit, or remove it with null; its transfer limit follows. A limit below its usage needs confirmed, and pauses it.",
	Method:      "PATCH", Path: "/private-spaces/{privateSpaceId}", Query: []string{"confirmed"}, Answer: "privateSpace",
	Shape: needsOneOf("operationsLimit"),
})

// needsOneOf is the Shape of an update whose fields may be null on purpose (a
// limit or a description cleared): the arguments struct cannot tell null
// from left out, so the check of "something to change" is made on the
// arguments as sent.
func needsOneOf(names ...string) func(map[string]json.RawMessage) error {
	return func(args map[string]json.RawMessage) error {
		for _, n := range names {
			if _, ok := args[n]; ok {
				return nil
			}
		}
		if len(names) == 1 {
			return fmt.Errorf("nothing to change: give %s (null clears it)", names[0])
		}
		return fmt.Errorf("nothing to change: give %s or %s", strings.Join(names[:len(names)-1], ", "), names[len(names)-1])
	}
}
