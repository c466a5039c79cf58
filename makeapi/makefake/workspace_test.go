package makefake_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/makemcp/makemcp/makeapi/makefake"
)

// id reads the id of the object an answer holds under key.
func id(t *testing.T, a answer, key string) string {
	t.Helper()
	o, ok := a.body[key].(map[string]any)
	if a.status != 200 || !ok || o["id"] == nil {
		t.Fatalf("answer %d %s holds no %s with an id", a.status, a.raw, key)
	}
	return fmt.Sprint(o["id"])
}

func TestFolderWrites(t *testing.T) {
	_, hc, api := demo(t, makefake.Options{})
	isMakeError(t, do(t, hc, "POST", api+"/scenarios-folders", `{"teamId": 3001}`), 400, "Validation failed.")
	isMakeError(t, do(t, hc, "POST", api+"/scenarios-folders", `{"name": "X", "teamId": 9999}`), 403, "Access denied.")
	isMakeError(t, do(t, hc, "POST", api+"/scenarios-folders", `{"name": "X", "teamId": 3001, "parentId": 9999}`), 400, "Validation failed.")

	top := id(t, do(t, hc, "POST", api+"/scenarios-folders", `{"name": "Billing", "teamId": 3001}`), "scenarioFolder")
	a := do(t, hc, "POST", api+"/scenarios-folders", `{"name": "Invoices", "teamId": 3001, "parentId": `+top+`}`)
	sub := id(t, a, "scenarioFolder")
	if f := a.body["scenarioFolder"].(map[string]any); f["path"] != "Billing/Invoices" || fmt.Sprint(f["parentId"]) != top {
		t.Errorf("nested folder %v", f)
	}
	// A rename changes the paths below; a move into its own subfolder is refused.
	do(t, hc, "PATCH", api+"/scenarios-folders/"+top, `{"name": "Finance"}`)
	a = do(t, hc, "GET", api+"/scenarios-folders?teamId=3001&parentId="+top, "")
	if !strings.Contains(a.raw, `"path":"Finance/Invoices"`) {
		t.Errorf("subfolder after its parent's rename: %s", a.raw)
	}
	isMakeError(t, do(t, hc, "PATCH", api+"/scenarios-folders/"+top, `{"parentId": `+sub+`}`), 400, "Validation failed.")
	// parentId null moves a folder to the top.
	a = do(t, hc, "PATCH", api+"/scenarios-folders/"+sub+"?cols[]=*", `{"parentId": null}`)
	if f, _ := a.body["scenarioFolder"].(map[string]any); f == nil || f["parentId"] != nil || f["path"] != "Invoices" {
		t.Errorf("moved to the top: %d %s", a.status, a.raw)
	}
	// A folder holding scenarios is not deleted; an empty one is.
	isMakeError(t, do(t, hc, "DELETE", api+"/scenarios-folders/4001", ""), 400, "Folder is not empty.")
	if a := do(t, hc, "DELETE", api+"/scenarios-folders/"+sub, ""); a.status != 200 {
		t.Fatalf("delete: %d %s", a.status, a.raw)
	}
	isMakeError(t, do(t, hc, "PATCH", api+"/scenarios-folders/"+sub, `{"name": "Y"}`), 404, "Folder not found.")
}

func TestDataStructureWrites(t *testing.T) {
	_, hc, api := demo(t, makefake.Options{})
	isMakeError(t, do(t, hc, "POST", api+"/data-structures", `{"teamId": 3001, "name": "Order"}`), 400, "Validation failed.")
	isMakeError(t, do(t, hc, "POST", api+"/data-structures", `{"teamId": 3001, "name": "Order", "spec": [{"name": "total"}]}`), 400, "Validation failed.")
	ds := id(t, do(t, hc, "POST", api+"/data-structures", `{"teamId": 3001, "name": "Order", "strict": true, "spec": [{"name": "total", "type": "number"}]}`), "dataStructure")
	a := do(t, hc, "PATCH", api+"/data-structures/"+ds, `{"name": "Order v2"}`)
	if d := a.body["dataStructure"].(map[string]any); d["name"] != "Order v2" || d["strict"] != true {
		t.Errorf("after rename: %s", a.raw)
	}
	isMakeError(t, do(t, hc, "DELETE", api+"/data-structures/"+ds, ""), 400, "Deletion needs confirmation.")
	if a := do(t, hc, "DELETE", api+"/data-structures/"+ds+"?confirmed=true", ""); a.status != 200 {
		t.Fatalf("delete: %d %s", a.status, a.raw)
	}
	isMakeError(t, do(t, hc, "GET", api+"/data-structures/"+ds, ""), 404, "Data structure not found.")
}

func TestConnectionWrites(t *testing.T) {
	_, hc, api := demo(t, makefake.Options{})
	isMakeError(t, do(t, hc, "POST", api+"/connections", `{"accountName": "Billing", "accountType": "http"}`), 400, "Validation failed.")
	isMakeError(t, do(t, hc, "POST", api+"/connections?teamId=3001", `{"accountName": "Billing"}`), 400, "Validation failed.")
	a := do(t, hc, "POST", api+"/connections?teamId=3001", `{"accountName": "Billing", "accountType": "google", "scopes": ["openid"], "clientSecret": "s3cret"}`)
	conn := id(t, a, "connection")
	if c := a.body["connection"].(map[string]any); c["name"] != "Billing" || c["accountName"] != "google" || strings.Contains(a.raw, "s3cret") {
		t.Errorf("created connection %s", a.raw)
	}
	if a := do(t, hc, "GET", api+"/connections?teamId=3001", ""); !strings.Contains(a.raw, `"name":"Billing"`) {
		t.Errorf("list after create: %s", a.raw)
	}
	for i, want := range []bool{true, false} {
		a := do(t, hc, "POST", api+"/connections/"+conn+"/set-data", `{"clientSecret": "n3w"}`)
		if a.status != 200 || a.body["changed"] != want {
			t.Errorf("set-data %d: %s, want changed %v", i, a.raw, want)
		}
	}
	isMakeError(t, do(t, hc, "POST", api+"/connections/424242/set-data", `{"x": 1}`), 404, "Connection not found.")
}

func TestFunctions(t *testing.T) {
	_, hc, api := demo(t, makefake.Options{})
	isMakeError(t, do(t, hc, "POST", api+"/functions", `{"name": "double", "code": "function double(x) { return x * 2; }"}`), 400, "Validation failed.")
	isMakeError(t, do(t, hc, "POST", api+"/functions?teamId=3001", `{"name": "double"}`), 400, "Validation failed.")
	isMakeError(t, do(t, hc, "POST", api+"/functions?teamId=3001", `{"name": "double", "code": "return 2"}`), 400, "Invalid function code.")
	a := do(t, hc, "POST", api+"/functions?teamId=3001", `{"name": "double", "code": "function double(x,  y) { return x * 2; }", "description": ""}`)
	fn := id(t, a, "function")
	if f := a.body["function"].(map[string]any); f["args"] != "(x, y)" {
		t.Errorf("created function %s", a.raw)
	}
	a = do(t, hc, "PATCH", api+"/functions/"+fn, `{"code": "function double(n) { return n + n; }"}`)
	if f := a.body["function"].(map[string]any); f["args"] != "(n)" {
		t.Errorf("updated function %s", a.raw)
	}
	if a := do(t, hc, "GET", api+"/functions?teamId=3001", ""); !strings.Contains(a.raw, `"name":"double"`) {
		t.Errorf("list: %s", a.raw)
	}
	if a := do(t, hc, "POST", api+"/functions/eval?teamId=3001", `{"code": "function f() { return 1; }"}`); a.body["success"] != true {
		t.Errorf("eval of good code: %s", a.raw)
	}
	if a := do(t, hc, "POST", api+"/functions/eval?teamId=3001", `{"code": "function f() { return 1;"}`); a.body["success"] != false || a.body["error"] == nil {
		t.Errorf("eval of bad code: %s", a.raw)
	}
	if a := do(t, hc, "DELETE", api+"/functions/"+fn, ""); a.status != 200 {
		t.Fatalf("delete: %d %s", a.status, a.raw)
	}
	isMakeError(t, do(t, hc, "GET", api+"/functions/"+fn, ""), 404, "Function not found.")
}

// The runs of an incomplete execution are the run that stopped and one
// per retry.
func TestIncompleteExecutionRuns(t *testing.T) {
	_, hc, api := demo(t, makefake.Options{})
	const dlq = "5e6f7a8b9c0d41e2f3a4b5c6d7e8f901"
	runs := func() []any {
		a := do(t, hc, "GET", api+"/dlqs/"+dlq+"/logs", "")
		l, _ := a.body["dlqLogs"].([]any)
		if a.status != 200 || l == nil {
			t.Fatalf("logs: %d %s", a.status, a.raw)
		}
		return l
	}
	first := runs()
	if len(first) != 1 || first[0].(map[string]any)["id"] != "0b1c2d3e4f5a46789b0c1d2e3f4a5b6c" {
		t.Fatalf("runs before a retry: %v", first)
	}
	do(t, hc, "POST", api+"/dlqs/"+dlq+"/retry", "")
	after := runs()
	if len(after) != 2 {
		t.Fatalf("runs after a retry: %v", after)
	}
	retry := fmt.Sprint(after[0].(map[string]any)["id"])
	if a := do(t, hc, "GET", api+"/dlqs/"+dlq+"/logs/"+retry, ""); a.status != 200 || a.body["dlqLog"] == nil {
		t.Errorf("the retry's run: %d %s", a.status, a.raw)
	}
	isMakeError(t, do(t, hc, "GET", api+"/dlqs/"+dlq+"/logs/ffff", ""), 404, "Execution not found.")
	isMakeError(t, do(t, hc, "GET", api+"/dlqs/nope/logs", ""), 404, "Incomplete execution not found.")
}

func TestCredentialRequests(t *testing.T) {
	f, hc, api := demo(t, makefake.Options{})
	isMakeError(t, do(t, hc, "POST", api+"/credential-requests/actions/create", `{"teamId": 3001, "credentials": []}`), 400, "Validation failed.")
	isMakeError(t, do(t, hc, "POST", api+"/credential-requests/actions/create", `{"teamId": 3001, "credentials": [{"appName": "google"}]}`), 400, "Validation failed.")
	a := do(t, hc, "POST", api+"/credential-requests/actions/create-by-credentials",
		`{"name": "Sheets", "teamId": 3001, "connections": [{"type": "google", "scope": ["drive"]}], "keys": [{"type": "apikeyauth"}]}`)
	req := id(t, a, "request")
	creds, _ := a.body["credentials"].([]any)
	if len(creds) != 2 || !strings.Contains(fmt.Sprint(a.body["publicUri"]), req) {
		t.Fatalf("created request: %s", a.raw)
	}
	cred := fmt.Sprint(creds[0].(map[string]any)["id"])
	if a := do(t, hc, "GET", api+"/credential-requests/requests?teamId=3001&status=pending&name=sheet", ""); !strings.Contains(a.raw, req) {
		t.Errorf("filtered list misses the request: %s", a.raw)
	}
	if a := do(t, hc, "GET", api+"/credential-requests/requests?teamId=3001&status=approved", ""); strings.Contains(a.raw, req) {
		t.Errorf("a pending request listed as approved: %s", a.raw)
	}
	a = do(t, hc, "POST", api+"/credential-requests/credentials/"+cred+"/decline", `{"reason": "not now"}`)
	if c, _ := a.body["credential"].(map[string]any); c["state"] != "declined" || c["declineReason"] != "not now" {
		t.Errorf("declined: %s", a.raw)
	}
	a = do(t, hc, "POST", api+"/credential-requests/credentials/"+cred+"/delete-remote", "")
	if c, _ := a.body["credential"].(map[string]any); c["state"] != "pending" || c["declineReason"] != nil {
		t.Errorf("after delete-remote: %s", a.raw)
	}
	a = do(t, hc, "GET", api+"/credential-requests/requests/"+req+"/detail", "")
	if d, _ := a.body["requestDetail"].(map[string]any); d == nil || len(d["credentials"].([]any)) != 2 {
		t.Errorf("detail: %s", a.raw)
	}
	isMakeError(t, do(t, hc, "DELETE", api+"/credential-requests/requests/"+req, ""), 400, "Deletion needs confirmation.")
	do(t, hc, "DELETE", api+"/credential-requests/requests/"+req+"?confirmed=true", "")
	isMakeError(t, do(t, hc, "GET", api+"/credential-requests/requests/"+req, ""), 404, "Request not found.")
	isMakeError(t, do(t, hc, "POST", api+"/credential-requests/credentials/"+cred+"/decline", ""), 404, "Credential not found.")

	// A connection that has every scope asked for needs no request.
	isMakeError(t, do(t, hc, "POST", api+"/credential-requests/actions/extend", `{"connectionId": 424242, "scopes": ["x"]}`), 404, "Connection not found.")
	conn := id(t, do(t, hc, "POST", api+"/connections?teamId=3001", `{"accountName": "G", "accountType": "google", "scopes": ["openid"]}`), "connection")
	isMakeError(t, do(t, hc, "POST", api+"/credential-requests/actions/extend", `{"connectionId": `+conn+`, "scopes": ["openid"]}`), 400,
		"The connection already has all the requested scopes.")
	if a := do(t, hc, "POST", api+"/credential-requests/actions/extend", `{"connectionId": `+conn+`, "scopes": ["openid", "drive"]}`); a.body["publicUri"] == nil {
		t.Errorf("extend: %s", a.raw)
	}

	if a := do(t, hc, "GET", api+"/credential-requests/apps/slack/latest/modules-with-credentials", ""); !strings.Contains(a.raw, "CreateMessage") {
		t.Errorf("slack's modules: %s", a.raw)
	}
	isMakeError(t, do(t, hc, "GET", api+"/credential-requests/apps/slack/v4/modules-with-credentials", ""), 400, "Validation failed.")
	isMakeError(t, do(t, hc, "GET", api+"/credential-requests/apps/nosuchapp/1/modules-with-credentials", ""), 404, "App not found.")
	// Listing an app's modules needs apps:read, not a credential-requests scope.
	f.AddToken("cr-only", makefake.OAuth, "credential-requests:read")
	isMakeError(t, do(t, hc, "GET", api+"/credential-requests/apps/slack/4/modules-with-credentials", "", "Bearer cr-only"), 403, "Access denied.")
}

func TestPublicTemplatesAndDevices(t *testing.T) {
	_, hc, api := demo(t, makefake.Options{})
	a := do(t, hc, "GET", api+"/templates/public?usedApps[]=gmail", "")
	if l, _ := a.body["templatesPublic"].([]any); len(l) != 1 || !strings.Contains(a.raw, "17-webhook-to-email") {
		t.Errorf("templates using gmail: %s", a.raw)
	}
	a = do(t, hc, "GET", api+"/templates/public?name=HTTP", "")
	if l, _ := a.body["templatesPublic"].([]any); len(l) != 1 {
		t.Errorf("templates named like http: %s", a.raw)
	}
	a = do(t, hc, "GET", api+"/templates/public/17-webhook-to-email/blueprint", "")
	if bp, _ := a.body["blueprint"].(map[string]any); bp == nil || bp["name"] != "Webhook to Email" {
		t.Errorf("blueprint: %s", a.raw)
	}
	isMakeError(t, do(t, hc, "GET", api+"/templates/public/0-none", ""), 404, "TemplatePublic not found.")
	if a := do(t, hc, "GET", api+"/devices?teamId=3001", ""); !strings.Contains(a.raw, "iPhone") {
		t.Errorf("devices: %s", a.raw)
	}
}

// Team-owned calls reach only the teams of the zone they are sent to.
func TestWorkspaceZones(t *testing.T) {
	f, err := makefake.New(makefake.Options{Zones: []string{"eu1.make.com", "us1.make.com"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.AddOrganization(2101, "Acme US", "us1.make.com"); err != nil {
		t.Fatal(err)
	}
	if err := f.AddTeam(3101, 2101, "US team"); err != nil {
		t.Fatal(err)
	}
	hc := f.InProcessClient()
	eu := "https://eu1.make.com/api/v2"
	for _, c := range []struct{ method, path, body string }{
		{"POST", "/scenarios-folders", `{"name": "X", "teamId": 3101}`},
		{"POST", "/data-structures", `{"name": "X", "teamId": 3101, "spec": []}`},
		{"POST", "/connections?teamId=3101", `{"accountName": "X", "accountType": "http"}`},
		{"POST", "/functions?teamId=3101", `{"name": "f", "code": "function f() {}"}`},
		{"GET", "/functions?teamId=3101", ""},
		{"GET", "/devices?teamId=3101", ""},
		{"GET", "/credential-requests/requests?teamId=3101", ""},
		{"POST", "/credential-requests/actions/create", `{"teamId": 3101, "credentials": [{"appName": "google", "appModules": ["*"]}]}`},
	} {
		isMakeError(t, do(t, hc, c.method, eu+c.path, c.body), 403, "Access denied.")
	}
	if a := do(t, hc, "POST", "https://us1.make.com/api/v2/scenarios-folders", `{"name": "X", "teamId": 3101}`); a.status != 200 {
		t.Errorf("folder in the team's own zone: %d %s", a.status, a.raw)
	}
}
