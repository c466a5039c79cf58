package tools

import "github.com/makemcp/makemcp/makeapi/scope"

// The devices toolset: the phones connected to a team through Make's
// mobile app, whose events trigger scenarios.

func deviceTools() []Tool {
	return []Tool{devicesList}
}

type devicesListArgs struct {
	teamArg
	Paging
}

var devicesList = listTool[devicesListArgs, Object](endpoint{
	Name: "devices_list", Title: "List devices", Toolset: Devices, Scope: scope.DevicesRead, Kind: Read,
	Description: "List the mobile devices connected to a team, each with its id, name, operating system, what it may do, and the scenarios it triggers.",
	Method:      "GET", Path: "/devices", Answer: "devices",
})
