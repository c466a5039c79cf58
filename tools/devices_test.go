package tools_test

import "testing"

func TestDeviceTools(t *testing.T) {
	runCases(t, []toolCase{{
		tool: "devices_list", args: `{}`,
		want:   []req{{method: "GET", path: "/devices", query: "teamId=3001"}},
		result: `{"hasMore": false, "items": [{"id": 3527, "teamId": 3001, "info": {"os": "iOS"}}]}`,
	}, {
		name: "explicit team",
		tool: "devices_list", args: `{"teamId": 3001, "limit": 1}`,
		want: []req{{method: "GET", path: "/devices", query: "teamId=3001"}},
	}})
}
