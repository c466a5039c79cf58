package tools

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/makemcp/makemcp/makeapi"
	"github.com/makemcp/makemcp/makeapi/scope"
)

// The scenarios toolset: finding, reading, building, switching and running
// scenarios, and the folders they are kept in.

func scenarioAreaTools() []Tool {
	return []Tool{scenariosList, scenariosGet, scenariosCreate, scenariosUpdate, scenariosDelete,
		scenariosActivate, scenariosDeactivate, scenariosRun, scenariosInterface, scenariosSetInterface,
		foldersList, foldersCreate, foldersUpdate, foldersDelete}
}

// scenariosListArgs are the arguments of scenarios_list.
type scenariosListArgs struct {
	TeamID         int64 `json:"teamId,omitempty" jsonschema:"The team whose scenarios to list. Omit it to use the default team."`
	OrganizationID int64 `json:"organizationId,omitempty" jsonschema:"List the scenarios of every team of this organization instead of one team."`
	FolderID       int64 `json:"folderId,omitempty" jsonschema:"Only the scenarios in this folder (folders_list shows the folders)."`
	IsActive       *bool `json:"isActive,omitempty" jsonschema:"true for active scenarios only, false for inactive ones only."`
	Paging
}

// scenarioSummary is a scenario as scenarios_list shows it.
type scenarioSummary struct {
	ID          int64  `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	TeamID      int64  `json:"teamId"`
	FolderID    int64  `json:"folderId,omitempty"`
	IsActive    bool   `json:"isActive"`
	IsPaused    bool   `json:"isPaused,omitempty"`
	IsInvalid   bool   `json:"isinvalid,omitempty" jsonschema:"The blueprint has errors; the scenario cannot be activated."`
	Scheduling  string `json:"scheduling" jsonschema:"When it runs: on-demand (only when run), immediately (as data arrives), indefinitely (on an interval), once, daily, weekly, monthly or yearly."`
	// hookID is the webhook or mailhook that triggers the scenario.
	HookID   int64     `json:"hookId,omitempty" jsonschema:"The webhook or mailhook that triggers it."`
	DLQCount int       `json:"dlqCount,omitempty" jsonschema:"Incomplete executions waiting (incomplete-executions_list)."`
	LastEdit time.Time `json:"lastEdit,omitzero"`
	NextExec time.Time `json:"nextExec,omitzero" jsonschema:"When it runs next, for scheduled scenarios."`
}

// scenarioCols are the columns scenarios_list asks Make for: those of
// scenarioSummary.
var scenarioCols = []string{"id", "name", "description", "teamId", "folderId", "hookId", "isActive",
	"isPaused", "isinvalid", "scheduling", "dlqCount", "lastEdit", "nextExec"}

func summarizeScenario(s makeapi.Scenario) scenarioSummary {
	return scenarioSummary{
		ID: s.ID, Name: s.Name, Description: s.Description, TeamID: s.TeamID, FolderID: s.FolderID,
		IsActive: s.IsActive, IsPaused: s.IsPaused, IsInvalid: s.IsInvalid, Scheduling: s.Scheduling.Type,
		HookID: s.HookID, DLQCount: s.DLQCount, LastEdit: s.LastEdit, NextExec: s.NextExec,
	}
}

var scenariosList = define(meta{
	Name:        "scenarios_list",
	Title:       "List scenarios",
	Description: "List the scenarios of a team (or of a whole organization), each with its id, name, whether it is active and when it runs. Use it to find a scenarioId; scenarios_get then shows one in full. Returns a page of summaries: pass nextOffset as offset for more.",
	Toolset:     Scenarios, Scope: scope.ScenariosRead, Kind: Read,
},
	func(ctx context.Context, c *Call, in scenariosListArgs) (List[scenarioSummary], error) {
		q := makeapi.ScenarioQuery{FolderID: in.FolderID, IsActive: in.IsActive, Cols: scenarioCols}
		switch {
		case in.TeamID != 0 && in.OrganizationID != 0:
			return List[scenarioSummary]{}, errors.New("give teamId or organizationId, not both")
		case in.OrganizationID != 0:
			q.OrganizationID = in.OrganizationID
		default:
			id, err := c.team(ctx, in.TeamID)
			if err != nil {
				return List[scenarioSummary]{}, err
			}
			q.TeamID = id
		}
		scenarios, _, err := c.Client.ListScenarios(ctx, q, in.page())
		if err != nil {
			return List[scenarioSummary]{}, err
		}
		return newList(scenarios, in.Paging, summarizeScenario), nil
	})

// scenarioID is the argument of tools about one scenario.
type scenarioID struct {
	ScenarioID int64 `json:"scenarioId" jsonschema:"The scenario's id (scenarios_list shows them)."`
}

// maxBlueprintBytes bounds the blueprint scenarios_get returns inline;
// larger ones are left to the blueprint resource.
const maxBlueprintBytes = 24 << 10

// scenarioDetails is the result of scenarios_get: the scenario with its
// blueprint.
type scenarioDetails struct {
	makeapi.Scenario
	Blueprint      json.RawMessage `json:"blueprint,omitempty" jsonschema:"The blueprint: the modules (flow), their settings and how they connect. Left out when larger than 24 KB."`
	BlueprintBytes int             `json:"blueprintBytes" jsonschema:"The blueprint's size as JSON, in bytes."`
	Note           string          `json:"note,omitempty" jsonschema:"Where to read a blueprint that was left out."`
}

var scenariosGet = define(meta{
	Name:        "scenarios_get",
	Title:       "Get scenario",
	Description: "Get a scenario in full: its settings, scheduling, usage and its blueprint (the modules and how they connect). A blueprint larger than 24 KB is left out, with its size and the resource to read it from. Use it before scenarios_update, to edit the current blueprint.",
	Toolset:     Scenarios, Scope: scope.ScenariosRead, Kind: Read,
},
	func(ctx context.Context, c *Call, in scenarioID) (*scenarioDetails, error) {
		s, err := c.Client.GetScenario(ctx, in.ScenarioID)
		if err != nil {
			return nil, err
		}
		bp, err := c.Client.ScenarioBlueprint(ctx, in.ScenarioID)
		if err != nil {
			return nil, err
		}
		out := &scenarioDetails{Scenario: *s}
		var buf bytes.Buffer
		if err := json.Compact(&buf, bp.Blueprint); err != nil {
			return nil, fmt.Errorf("the blueprint Make returned is not JSON: %v", err)
		}
		out.BlueprintBytes = buf.Len()
		if buf.Len() <= maxBlueprintBytes {
			out.Blueprint = buf.Bytes()
		} else {
			out.Note = fmt.Sprintf("the blueprint is %d bytes, too large to include: read the resource %s for all of it",
				buf.Len(), BlueprintURI(in.ScenarioID))
		}
		return out, nil
	})

// scheduling says when a scenario runs, as scenarios_create and
// scenarios_update take it. It has makeapi.Scheduling's fields, described
// for a model.
type scheduling struct {
	Type     string                          `json:"type" jsonschema:"on-demand (runs only when asked, by scenarios_run), immediately (as data arrives, for scenarios a webhook triggers), indefinitely (every interval seconds), once, daily, weekly, monthly or yearly."`
	Interval int                             `json:"interval,omitempty" jsonschema:"Seconds between runs, for indefinitely; at least 60."`
	Date     string                          `json:"date,omitempty" jsonschema:"When a once scenario runs, ISO 8601."`
	Days     []int                           `json:"days,omitempty" jsonschema:"Days of the week (0 is Sunday) for weekly; days of the month (1-31) for monthly and yearly."`
	Months   []int                           `json:"months,omitempty" jsonschema:"Months (1-12) for yearly."`
	Time     string                          `json:"time,omitempty" jsonschema:"Time of day, HH:MM, for daily, weekly, monthly and yearly."`
	Between  []string                        `json:"between,omitempty" jsonschema:"Start and end (ISO 8601) of the period the schedule applies in."`
	Restrict []makeapi.SchedulingRestriction `json:"restrict,omitempty" jsonschema:"Windows the scenario may run in, each of days, months and time ranges."`
}

var schedulingTypes = []string{
	makeapi.SchedulingOnDemand, makeapi.SchedulingImmediately, makeapi.SchedulingIndefinitely,
	makeapi.SchedulingOnce, makeapi.SchedulingDaily, makeapi.SchedulingWeekly,
	makeapi.SchedulingMonthly, makeapi.SchedulingYearly,
}

// api checks the scheduling and converts it for makeapi.
func (s *scheduling) api() (*makeapi.Scheduling, error) {
	if !slices.Contains(schedulingTypes, s.Type) {
		return nil, fmt.Errorf("scheduling.type %q is not one of %s", s.Type, strings.Join(schedulingTypes, ", "))
	}
	out := makeapi.Scheduling(*s)
	return &out, nil
}

// scenariosCreateArgs are the arguments of scenarios_create.
type scenariosCreateArgs struct {
	TeamID     int64      `json:"teamId,omitempty" jsonschema:"The team to create the scenario in. Omit it to use the default team."`
	FolderID   int64      `json:"folderId,omitempty" jsonschema:"The folder to put it in (folders_list shows them)."`
	Scheduling scheduling `json:"scheduling" jsonschema:"When the scenario runs."`
	Blueprint  Object     `json:"blueprint" jsonschema:"The blueprint: {name, flow: [modules], metadata}, as scenarios_get shows one. An interface key, {input: [fields], output: [fields]}, sets the scenario's inputs and outputs."`
	BasedOn    string     `json:"basedon,omitempty" jsonschema:"The id of a template to start from."`
	Confirmed  bool       `json:"confirmed,omitempty" jsonschema:"Install the apps the blueprint uses that the organization does not have yet."`
}

var scenariosCreate = define(meta{
	Name:        "scenarios_create",
	Title:       "Create scenario",
	Description: "Create a scenario from a blueprint and a scheduling. Use module names seen in existing blueprints (scenarios_get); never invent them. The new scenario is inactive: scenarios_activate it before scenarios_run. Returns the created scenario.",
	Toolset:     Authoring, Scope: scope.ScenariosWrite, Kind: Create,
	Doc: "Make takes the blueprint and the scheduling as JSON strings, and the interface as the metadata's input_spec and output_spec, all of which makemcp sends as Make's SDK does; " +
		"an interface given in the blueprint (`interface`, or Make's own `io`) becomes those specs.",
},
	func(ctx context.Context, c *Call, in scenariosCreateArgs) (*makeapi.Scenario, error) {
		team, err := c.team(ctx, in.TeamID)
		if err != nil {
			return nil, err
		}
		sched, err := in.Scheduling.api()
		if err != nil {
			return nil, err
		}
		s, err := c.Client.CreateScenario(ctx, makeapi.ScenarioCreate{
			TeamID: team, FolderID: in.FolderID, Blueprint: json.RawMessage(in.Blueprint),
			Scheduling: sched, BasedOn: in.BasedOn, Confirmed: in.Confirmed,
		})
		if err != nil {
			return nil, err
		}
		c.scenariosChanged(s.ID)
		return s, nil
	})

// scenariosUpdateArgs are the arguments of scenarios_update.
type scenariosUpdateArgs struct {
	ScenarioID  int64       `json:"scenarioId" jsonschema:"The scenario to change."`
	Name        string      `json:"name,omitempty" jsonschema:"A new name."`
	Description *string     `json:"description,omitempty" jsonschema:"A new description, at most 240 characters; an empty string clears it."`
	FolderID    int64       `json:"folderId,omitempty" jsonschema:"The folder to move it to."`
	Scheduling  *scheduling `json:"scheduling,omitempty" jsonschema:"A new scheduling."`
	Blueprint   Object      `json:"blueprint,omitempty" jsonschema:"A whole new blueprint. It replaces the current one (nothing is merged): edit the one scenarios_get returns and send all of it. The scenario's interface is kept unless the blueprint has an interface key."`
	Confirmed   bool        `json:"confirmed,omitempty" jsonschema:"Install the apps the blueprint uses that the organization does not have yet."`
}

// maxDescription is the longest scenario description Make accepts.
const maxDescription = 240

var scenariosUpdate = define(meta{
	Name:        "scenarios_update",
	Title:       "Update scenario",
	Description: "Change a scenario's name, description, folder, scheduling or blueprint; what is not given stays as it is. A blueprint replaces the current one whole, so fetch it with scenarios_get first, edit it and send it all; the user is asked to confirm. Returns the updated scenario.",
	Toolset:     Authoring, Scope: scope.ScenariosWrite, Kind: Update,
	Doc: "Unlike Make's SDK, which sends an empty input_spec and output_spec with every update, and so wipes the inputs and outputs of a scenario whose interface the caller did not mention, " +
		"makemcp sends the interface only with a blueprint, and then the one the blueprint gives or else the scenario's current one (read first, with `GET /scenarios/{id}/interface`).",
},
	func(ctx context.Context, c *Call, in scenariosUpdateArgs) (*makeapi.Scenario, error) {
		u := makeapi.ScenarioUpdate{Name: in.Name, Description: in.Description, FolderID: in.FolderID,
			Blueprint: json.RawMessage(in.Blueprint), Confirmed: in.Confirmed}
		if in.Description != nil && len(*in.Description) > maxDescription {
			return nil, fmt.Errorf("description is %d characters long: Make takes at most %d", len(*in.Description), maxDescription)
		}
		if in.Scheduling != nil {
			sched, err := in.Scheduling.api()
			if err != nil {
				return nil, err
			}
			u.Scheduling = sched
		}
		if u.Name == "" && u.Description == nil && u.FolderID == 0 && u.Scheduling == nil && len(u.Blueprint) == 0 {
			return nil, errors.New("nothing to change: give name, description, folderId, scheduling or blueprint")
		}
		if len(u.Blueprint) > 0 {
			err := c.confirm(ctx, func() (string, error) {
				s, err := c.Client.GetScenario(ctx, in.ScenarioID)
				if err != nil {
					return "", err
				}
				return fmt.Sprintf("Replace the blueprint of scenario %d %q? Its current modules and settings are overwritten.", s.ID, s.Name), nil
			})
			if err != nil {
				return nil, err
			}
			// makeapi sends the blueprint's interface with it, an empty one
			// when it has none, as Make's SDK does; keep the current one
			// rather than wipe the scenario's inputs and outputs.
			if !hasAnyKey(in.Blueprint, "interface", "io") {
				iface, err := c.Client.ScenarioInterface(ctx, in.ScenarioID)
				if err != nil {
					return nil, err
				}
				u.Interface = iface
			}
		}
		s, err := c.Client.UpdateScenario(ctx, in.ScenarioID, u)
		if err != nil {
			return nil, err
		}
		c.scenariosChanged(in.ScenarioID)
		return s, nil
	})

// hasAnyKey reports whether a JSON object has one of the keys.
func hasAnyKey(obj Object, keys ...string) bool {
	var m map[string]json.RawMessage
	if json.Unmarshal(obj, &m) != nil {
		return false
	}
	for _, k := range keys {
		if _, ok := m[k]; ok {
			return true
		}
	}
	return false
}

// scenarioDeleted is the result of scenarios_delete.
type scenarioDeleted struct {
	ScenarioID int64 `json:"scenarioId"`
	Deleted    bool  `json:"deleted"`
}

var scenariosDelete = endpointTool[scenarioID, scenarioDeleted](endpoint{
	Name: "scenarios_delete", Title: "Delete scenario", Toolset: Authoring, Scope: scope.ScenariosWrite, Kind: Delete,
	Description: "Delete a scenario, with its blueprint and execution history. This cannot be undone; the user is asked to confirm. To stop a scenario but keep it, use scenarios_deactivate.",
	Method:      "DELETE", Path: "/scenarios/{scenarioId}", ChangesScenario: true,
	AskPath: "/scenarios/{scenarioId}?cols[]=*", AskAnswer: "scenario",
	Ask: `Delete scenario {{.id}} {{printf "%q" .name}}? This cannot be undone.`,
})

// scenarioState is the result of scenarios_activate and
// scenarios_deactivate.
type scenarioState struct {
	ScenarioID int64  `json:"scenarioId"`
	IsActive   bool   `json:"isActive"`
	Note       string `json:"note,omitempty"`
}

var scenariosActivate = define(meta{
	Name:        "scenarios_activate",
	Title:       "Activate scenario",
	Description: "Activate a scenario: scheduled ones start running on their schedule, on-demand ones can then be run with scenarios_run. A scenario that is active already stays so. Returns whether it is active.",
	Toolset:     Scenarios, Scope: scope.ScenariosWrite, Kind: Switch,
},
	func(ctx context.Context, c *Call, in scenarioID) (*scenarioState, error) {
		return c.setActive(ctx, in.ScenarioID, true)
	})

var scenariosDeactivate = define(meta{
	Name:        "scenarios_deactivate",
	Title:       "Deactivate scenario",
	Description: "Deactivate a scenario: it stops running on its schedule and cannot be run until activated again. A scenario that is inactive already stays so. Returns whether it is active.",
	Toolset:     Scenarios, Scope: scope.ScenariosWrite, Kind: Switch,
},
	func(ctx context.Context, c *Call, in scenarioID) (*scenarioState, error) {
		return c.setActive(ctx, in.ScenarioID, false)
	})

// setActive activates or deactivates a scenario. Make refuses to activate
// an active scenario ("Scenario is already running") and to deactivate an
// inactive one ("Scenario is not running"); both mean the scenario is
// already as asked, which keeps the tools idempotent.
func (c *Call) setActive(ctx context.Context, id int64, on bool) (*scenarioState, error) {
	var active bool
	var err error
	already := "already running"
	if on {
		active, err = c.Client.ActivateScenario(ctx, id)
	} else {
		active, err = c.Client.DeactivateScenario(ctx, id)
		already = "not running"
	}
	if apiErr, ok := errors.AsType[*makeapi.Error](err); ok && apiErr.Status == 400 &&
		strings.Contains(strings.ToLower(apiErr.Message), already) {
		return &scenarioState{ScenarioID: id, IsActive: on, Note: "it was so already"}, nil
	}
	if err != nil {
		return nil, err
	}
	c.scenariosChanged(id)
	return &scenarioState{ScenarioID: id, IsActive: active}, nil
}

// scenariosRunArgs are the arguments of scenarios_run.
type scenariosRunArgs struct {
	ScenarioID  int64  `json:"scenarioId" jsonschema:"The scenario to run; it must be active."`
	Data        Object `json:"data,omitempty" jsonschema:"The scenario's inputs, keyed by the names of its interface's input fields (scenarios_interface lists them)."`
	Responsive  *bool  `json:"responsive,omitempty" jsonschema:"true, the default: wait for the run to end and return its outputs. false: start it and return its executionId at once."`
	CallbackURL string `json:"callbackUrl,omitempty" jsonschema:"A URL Make calls when the run ends."`
}

var scenariosRun = define(meta{
	Name:        "scenarios_run",
	Title:       "Run scenario",
	Description: "Run an active scenario with the given inputs and wait for it to end (past Make's 40 s limit too, reporting progress), returning its status, outputs and executionId. A run acts on every service its modules reach and is never repeated by makemcp: after a failed or odd run, read executions_get-detail before running again. A scenario runs one at a time; an inactive one must be activated first.",
	Toolset:     Scenarios, Scope: scope.ScenariosRun, Kind: Run,
},
	func(ctx context.Context, c *Call, in scenariosRunArgs) (*runResult, error) {
		run := makeapi.RunRequest{Data: json.RawMessage(in.Data), CallbackURL: in.CallbackURL}
		if in.Responsive == nil || *in.Responsive {
			return c.runScenario(ctx, in.ScenarioID, run)
		}
		res, err := c.Client.RunScenario(ctx, in.ScenarioID, run)
		if err != nil {
			return nil, err
		}
		return &runResult{ExecutionID: res.ExecutionID, Status: "running", Note: fmt.Sprintf(
			"the run started; call executions_get-detail with scenarioId %d and executionId %s for its result",
			in.ScenarioID, res.ExecutionID)}, nil
	})

var scenariosInterface = endpointTool[scenarioID, makeapi.Interface](endpoint{
	Name: "scenarios_interface", Title: "Get scenario interface", Toolset: Scenarios, Scope: scope.ScenariosRead, Kind: Read,
	Description: "Get a scenario's interface: the input fields scenarios_run takes as data, and the output fields a run returns, with their types, labels and whether they are required.",
	Method:      "GET", Path: "/scenarios/{scenarioId}/interface", Answer: "interface",
})

// interfaceArg is the interface scenarios_set-interface takes.
type interfaceArg struct {
	Input  []makeapi.Field `json:"input,omitempty" jsonschema:"The input fields: what a run takes as data. Omitted: kept as they are; [] removes them."`
	Output []makeapi.Field `json:"output,omitempty" jsonschema:"The output fields: what a run returns. Omitted: kept as they are; [] removes them."`
}

// scenariosSetInterfaceArgs are the arguments of scenarios_set-interface.
type scenariosSetInterfaceArgs struct {
	ScenarioID int64        `json:"scenarioId" jsonschema:"The scenario whose interface to set."`
	Interface  interfaceArg `json:"interface" jsonschema:"The new input and output fields, each {name, type, label?, help?, required?, default?, options?, spec?}."`
}

var scenariosSetInterface = define(meta{
	Name:        "scenarios_set-interface",
	Title:       "Set scenario interface",
	Description: "Replace a scenario's input fields, output fields or both: the inputs scenarios_run takes and the outputs a run returns. The list given replaces the current one whole. Returns the new interface.",
	Toolset:     Authoring, Scope: scope.ScenariosWrite, Kind: Update,
},
	func(ctx context.Context, c *Call, in scenariosSetInterfaceArgs) (*makeapi.Interface, error) {
		next := makeapi.Interface{Input: in.Interface.Input, Output: in.Interface.Output}
		if next.Input == nil && next.Output == nil {
			return nil, errors.New("interface: give input, output or both")
		}
		if next.Input == nil || next.Output == nil {
			cur, err := c.Client.ScenarioInterface(ctx, in.ScenarioID)
			if err != nil {
				return nil, err
			}
			if next.Input == nil {
				next.Input = cur.Input
			}
			if next.Output == nil {
				next.Output = cur.Output
			}
		}
		out, err := c.Client.SetScenarioInterface(ctx, in.ScenarioID, next)
		if err != nil {
			return nil, err
		}
		c.scenariosChanged(in.ScenarioID)
		return out, nil
	})

// foldersListArgs are the arguments of folders_list.
type foldersListArgs struct {
	TeamID        int64  `json:"teamId,omitempty" jsonschema:"The team whose folders to list. Omit it to use the default team."`
	ParentID      int64  `json:"parentId,omitempty" jsonschema:"List the folders inside this one; omit it for the top-level folders."`
	ChildrenDepth string `json:"childrenDepth,omitempty" jsonschema:"all: include every folder below, not only one level of subfolders."`
	Paging
}

// folderItem is a folder as folders_list shows it: folders come as one
// flat list, each after its parent.
type folderItem struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
	// Path is the folder's place, such as "CRM/cleanup".
	Path                  string `json:"path" jsonschema:"Where the folder is, such as CRM/cleanup."`
	ParentID              int64  `json:"parentId,omitempty"`
	ScenariosTotal        int    `json:"scenariosTotal" jsonschema:"Scenarios in this folder itself."`
	ScenariosSubtreeTotal int    `json:"scenariosSubtreeTotal" jsonschema:"Scenarios in it and every folder below."`
	HasChildren           bool   `json:"hasChildren"`
}

var foldersList = define(meta{
	Name:        "folders_list",
	Title:       "List scenario folders",
	Description: "List a team's scenario folders with their paths and scenario counts, as one flat list where each subfolder follows its parent. Use a folder's id as folderId in scenarios_list or scenarios_create. Returns a page: pass nextOffset as offset for more.",
	Toolset:     Scenarios, Scope: scope.ScenariosRead, Kind: Read,
},
	func(ctx context.Context, c *Call, in foldersListArgs) (List[folderItem], error) {
		team, err := c.team(ctx, in.TeamID)
		if err != nil {
			return List[folderItem]{}, err
		}
		if in.ChildrenDepth != "" && in.ChildrenDepth != "all" {
			return List[folderItem]{}, fmt.Errorf("childrenDepth %q: the only value is all", in.ChildrenDepth)
		}
		folders, err := c.Client.ListFolders(ctx, makeapi.FolderQuery{TeamID: team, ParentID: in.ParentID,
			AllDescendants: in.ChildrenDepth == "all"})
		if err != nil {
			return List[folderItem]{}, err
		}
		var flat []folderItem
		var walk func([]makeapi.Folder)
		walk = func(fs []makeapi.Folder) {
			for _, f := range fs {
				flat = append(flat, folderItem{ID: f.ID, Name: f.Name, Path: f.Path, ParentID: f.ParentID,
					ScenariosTotal: f.ScenariosTotal, ScenariosSubtreeTotal: f.ScenariosSubtreeTotal,
					HasChildren: f.HasChildren})
				walk(f.Children)
			}
		}
		walk(folders)
		return newList(window(flat, in.Paging), in.Paging, same), nil
	})

// foldersCreateArgs are the arguments of folders_create.
type foldersCreateArgs struct {
	teamArg
	Name     string `json:"name" jsonschema:"The folder's name."`
	ParentID *int64 `json:"parentId,omitempty" jsonschema:"The folder to create it in; omit it or give null for a top-level folder."`
}

func (a foldersCreateArgs) validate() error {
	if strings.TrimSpace(a.Name) == "" {
		return errors.New("name: give the folder a name")
	}
	return nil
}

var foldersCreate = endpointTool[foldersCreateArgs, folderItem](endpoint{
	Name: "folders_create", Title: "Create folder", Toolset: Authoring, Scope: scope.ScenariosWrite, Kind: Create,
	Description: "Create a scenario folder in a team, at the top level or inside another folder. Returns the folder with its id and path.",
	Method:      "POST", Path: "/scenarios-folders", Answer: "scenarioFolder",
})

// foldersUpdateArgs are the arguments of folders_update.
type foldersUpdateArgs struct {
	FolderID int64  `json:"folderId" jsonschema:"The folder to change (folders_list shows them)."`
	Name     string `json:"name,omitempty" jsonschema:"A new name."`
	ParentID *int64 `json:"parentId,omitempty" jsonschema:"The folder to move it into; null moves it to the top level. Omit it to leave it where it is."`
}

var foldersUpdate = endpointTool[foldersUpdateArgs, folderItem](endpoint{
	Name: "folders_update", Title: "Update folder", Toolset: Authoring, Scope: scope.ScenariosWrite, Kind: Update,
	Description: "Rename a scenario folder or move it into another folder (parentId), or to the top level (parentId null). Returns the folder afterwards.",
	// parentId null is a move to the top, sent as null; only the raw
	// arguments tell it from a parentId left out.
	Method: "PATCH", Path: "/scenarios-folders/{folderId}?cols[]=*", Answer: "scenarioFolder",
	Shape: needsOneOf("name", "parentId"),
})

// folderDeleted is the result of folders_delete.
type folderDeleted struct {
	FolderID int64 `json:"folderId"`
	Deleted  bool  `json:"deleted"`
}

var foldersDelete = endpointTool[folderID, folderDeleted](endpoint{
	Name: "folders_delete", Title: "Delete folder", Toolset: Authoring, Scope: scope.ScenariosWrite, Kind: Delete,
	Description: "Delete a scenario folder. The user is asked to confirm.",
	Method:      "DELETE", Path: "/scenarios-folders/{folderId}",
})

// folderID is the argument of folders_delete.
type folderID struct {
	FolderID int64 `json:"folderId" jsonschema:"The folder's id (folders_list shows them)."`
}
