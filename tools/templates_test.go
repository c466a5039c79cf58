package tools_test

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestTemplateTools(t *testing.T) {
	runCases(t, []toolCase{{
		tool: "public-templates_list", args: `{"usedApps": ["gmail"], "includeEn": true}`,
		want:   []req{{method: "GET", path: "/templates/public", query: "usedApps[]=gmail&includeEn=true&cols[]=*"}},
		result: `{"hasMore": false, "items": [{"url": "17-webhook-to-email", "usedApps": ["gateway", "gmail"]}]}`,
	}, {
		name: "most used first",
		tool: "public-templates_list", args: `{}`,
		want:   []req{{method: "GET", path: "/templates/public", query: "cols[]=*"}},
		result: `{"hasMore": false, "items": [{"usage": 321}, {"usage": 52}]}`,
	}, {
		tool: "public-templates_get", args: `{"templateUrl": "13-http-template-example"}`,
		want:   []req{{method: "GET", path: "/templates/public/13-http-template-example", query: "cols[]=*"}},
		result: `{"id": 13, "name": "Http template example", "usedApps": ["http"]}`,
	}, {
		tool: "public-templates_get-blueprint", args: `{"templateUrl": "17-webhook-to-email"}`,
		want:   []req{{method: "GET", path: "/templates/public/17-webhook-to-email/blueprint"}},
		result: `{"blueprint": {"name": "Webhook to Email"}, "scheduling": {"type": "indefinitely"}, "language": "en"}`,
	}})
}

func TestTemplateArguments(t *testing.T) {
	e := newEnv(t, options{})
	for _, args := range []string{`{"templateUrl": ".."}`, `{"templateUrl": "13/blueprint"}`, `{"templateUrl": ""}`, `{}`} {
		if got := e.fails("public-templates_get", json.RawMessage(args)); !strings.Contains(got, "templateUrl") {
			t.Errorf("public-templates_get %s: %q", args, got)
		}
	}
	e.wantRequests()
}
