package tools

import (
	"errors"
	"strings"

	"github.com/makemcp/makemcp/makeapi/scope"
)

// The agents toolset: on-premise agents, the bridges an organization runs
// on its own network, and the systems there (connected systems) its
// scenarios reach through them. Their ids are UUIDs, and every call names
// the organization in its query.

func agentTools() []Tool {
	return []Tool{agentsList, agentsGet, agentsCreate, agentsUpdate, agentsDelete, agentsAppConfig,
		connectedSystemsList, connectedSystemsGet, connectedSystemsCreate, connectedSystemsUpdate, connectedSystemsDelete,
		connectedSystemsApps}
}

// inQuery is where an agent call sends its organization.
var inQuery = []string{"organizationId"}

type agentsListArgs struct {
	organizationArg
	Paging
}

var agentsList = listTool[agentsListArgs, Object](endpoint{
	Name: "on-prem-agent_list", Title: "List on-premise agents", Toolset: Agents, Scope: scope.AgentsRead, Kind: Read,
	Description: "List an organization's on-premise agents (bridges it runs on its own network, not Make's AI agents), each with its id, status and whether it is connected.",
	Method:      "GET", Path: "/agents", Answer: "agents",
})

type agentID struct {
	organizationArg
	AgentID string `json:"agentId" jsonschema:"The agent's UUID (on-prem-agent_list shows them)."`
}

var agentsGet = endpointTool[agentID, Object](endpoint{
	Name: "on-prem-agent_get", Title: "Get on-premise agent", Toolset: Agents, Scope: scope.AgentsRead, Kind: Read,
	Description: "Get an on-premise agent: its status, version, whether it is connected, and how many systems it connects.",
	Method:      "GET", Path: "/agents/{agentId}", Answer: "agent",
})

type agentsCreateArgs struct {
	organizationArg
	Name string `json:"name" jsonschema:"The agent's name."`
}

func (a agentsCreateArgs) validate() error {
	if strings.TrimSpace(a.Name) == "" {
		return errors.New("name must not be empty")
	}
	return nil
}

var agentsCreate = endpointTool[agentsCreateArgs, Object](endpoint{
	Name: "on-prem-agent_create", Title: "Register on-premise agent", Toolset: Agents, Scope: scope.AgentsWrite, Kind: Create,
	Description: "Register an on-premise agent. Returns it with its id and clientSecret, which Make shows only this once: the user needs it to set the agent up.",
	Doc: "The answer holds the agent's client secret, which Make never shows again; makemcp returns it, as Make's " +
		"SDK does, since the user cannot set the agent up without it.",
	Method: "POST", Path: "/agent/register", Query: inQuery, Answer: "agent",
})

type agentsUpdateArgs struct {
	agentID
	Name string `json:"name,omitempty" jsonschema:"A new name."`
}

func (a agentsUpdateArgs) validate() error {
	if strings.TrimSpace(a.Name) == "" {
		return errors.New("nothing to change: give a name")
	}
	return nil
}

var agentsUpdate = endpointTool[agentsUpdateArgs, Object](endpoint{
	Name: "on-prem-agent_update", Title: "Update on-premise agent", Toolset: Agents, Scope: scope.AgentsWrite, Kind: Update,
	Description: "Rename an on-premise agent.",
	Method:      "PATCH", Path: "/agents/{agentId}", Query: inQuery, Answer: "agent",
})

var agentsDelete = endpointTool[agentID, Object](endpoint{
	Name: "on-prem-agent_delete", Title: "Delete on-premise agent", Toolset: Agents, Scope: scope.AgentsWrite, Kind: Delete,
	Description: "Delete an on-premise agent; scenarios stop reaching the systems it connects. This cannot be undone; the user is asked to confirm.",
	Method:      "DELETE", Path: "/agents/{agentId}", Query: inQuery,
})

type agentsAppConfigArgs struct {
	agentID
	AppName string `json:"appName" jsonschema:"The app, such as http or sap-agent (connected-system_list-apps lists them)."`
}

var agentsAppConfig = endpointTool[agentsAppConfigArgs, Object](endpoint{
	Name: "on-prem-agent_get-app-config", Title: "Get on-premise agent app config", Toolset: Agents, Scope: scope.AgentsRead, Kind: Read,
	Description: "Get the input fields a connected system of an app on this agent needs: what connected-system_create takes as inputs.",
	Method:      "GET", Path: "/agents/{agentId}/apps/{appName}/config",
})

type connectedSystemsListArgs struct {
	organizationArg
	AgentID string `json:"agentId" jsonschema:"The agent whose systems to list."`
	Paging
}

var connectedSystemsList = listTool[connectedSystemsListArgs, Object](endpoint{
	Name: "connected-system_list", Title: "List connected systems", Toolset: Agents, Scope: scope.AgentsRead, Kind: Read,
	Description: "List the systems an on-premise agent connects, each with its id, app and inputs.",
	Method:      "GET", Path: "/connected-systems", Answer: "connectedSystems",
})

type connectedSystemID struct {
	organizationArg
	ConnectedSystemID string `json:"connectedSystemId" jsonschema:"The connected system's UUID (connected-system_list shows them)."`
}

var connectedSystemsGet = endpointTool[connectedSystemID, Object](endpoint{
	Name: "connected-system_get", Title: "Get connected system", Toolset: Agents, Scope: scope.AgentsRead, Kind: Read,
	Description: "Get a connected system: its agent, app and inputs.",
	Method:      "GET", Path: "/connected-systems/{connectedSystemId}", Answer: "connectedSystem",
})

type connectedSystemsCreateArgs struct {
	organizationArg
	Name    string `json:"name" jsonschema:"The system's name."`
	AgentID string `json:"agentId" jsonschema:"The agent that reaches it."`
	AppName string `json:"appName" jsonschema:"Its app (connected-system_list-apps lists them)."`
	Inputs  Object `json:"inputs" jsonschema:"Its settings keyed by field name, as on-prem-agent_get-app-config lists them."`
}

func (a connectedSystemsCreateArgs) validate() error {
	if strings.TrimSpace(a.Name) == "" || a.AgentID == "" || a.AppName == "" {
		return errors.New("name, agentId and appName must not be empty")
	}
	return nil
}

var connectedSystemsCreate = endpointTool[connectedSystemsCreateArgs, Object](endpoint{
	Name: "connected-system_create", Title: "Create connected system", Toolset: Agents, Scope: scope.AgentsWrite, Kind: Create,
	Description: "Connect a system on the agent's network for scenarios to reach: pick the app with connected-system_list-apps and its inputs with on-prem-agent_get-app-config. Returns the system.",
	Method:      "POST", Path: "/connected-systems", Query: inQuery, Answer: "connectedSystem",
})

type connectedSystemsUpdateArgs struct {
	connectedSystemID
	Name    string `json:"name,omitempty" jsonschema:"A new name."`
	AgentID string `json:"agentId,omitempty" jsonschema:"Another agent to reach it through."`
	AppName string `json:"appName,omitempty" jsonschema:"Another app."`
	Inputs  Object `json:"inputs,omitempty" jsonschema:"New settings keyed by field name."`
}

func (a connectedSystemsUpdateArgs) validate() error {
	if a.Name == "" && a.AgentID == "" && a.AppName == "" && len(a.Inputs) == 0 {
		return errors.New("nothing to change: give name, agentId, appName or inputs")
	}
	return nil
}

var connectedSystemsUpdate = endpointTool[connectedSystemsUpdateArgs, Object](endpoint{
	Name: "connected-system_update", Title: "Update connected system", Toolset: Agents, Scope: scope.AgentsWrite, Kind: Update,
	Description: "Rename a connected system, move it to another agent or app, or change its inputs. Returns the system.",
	Method:      "PATCH", Path: "/connected-systems/{connectedSystemId}", Query: inQuery, Answer: "connectedSystem",
})

var connectedSystemsDelete = endpointTool[connectedSystemID, Object](endpoint{
	Name: "connected-system_delete", Title: "Delete connected system", Toolset: Agents, Scope: scope.AgentsWrite, Kind: Delete,
	Description: "Delete a connected system; scenarios stop reaching it. This cannot be undone; the user is asked to confirm.",
	Method:      "DELETE", Path: "/connected-systems/{connectedSystemId}", Query: inQuery,
})

var connectedSystemsApps = listTool[Paging, Object](endpoint{
	Name: "connected-system_list-apps", Title: "List connected system apps", Toolset: Agents, Scope: scope.AgentsRead, Kind: Read,
	Description: "List the apps a connected system can be, such as http or sap-agent.",
	Method:      "GET", Path: "/enums/connected-system-apps", Answer: "connectedSystemApps",
})
