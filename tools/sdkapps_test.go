package tools_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"image"
	"image/color"
	"image/png"
	"mime"
	"strings"
	"testing"

	"github.com/makemcp/makemcp/makeapi/makefake"
	"github.com/makemcp/makemcp/tools"
	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// The custom app the fake starts with (Make's fixtures): version 1 of
// postman-test-app-1, with a module and an endpoint getEntity, an RPC
// listUsers, a function myFunction, a connection custom-app-13 and a
// webhook custom-app-12.
const (
	fixtureApp = "postman-test-app-1"
	inApp      = `{"appName": "` + fixtureApp + `", "appVersion": 1}`
)

func TestSDKAppLifecycles(t *testing.T) {
	for _, c := range []lifecycle{{
		create: "sdk-apps_create", list: "sdk-apps_list", get: "sdk-apps_get", update: "sdk-apps_update", del: "sdk-apps_delete",
		createArgs: `{"name": "acme-crm", "label": "Acme CRM", "theme": "#FF5733", "language": "en", "audience": "global"}`,
		listArgs:   `{"limit": 100}`, id: "name", idField: "name", within: `{"version": 1}`,
		updateArgs: `{"label": "Acme CRM (beta)"}`, changed: "label", toValue: "Acme CRM (beta)",
	}, {
		create: "sdk-connections_create", list: "sdk-connections_list", get: "sdk-connections_get",
		update: "sdk-connections_update", del: "sdk-connections_delete",
		createArgs: `{"appName": "` + fixtureApp + `", "type": "oauth", "label": "OAuth 2.0"}`,
		listArgs:   `{"appName": "` + fixtureApp + `"}`, id: "connectionName", idField: "name",
		updateArgs: `{"label": "Sign in"}`, changed: "label", toValue: "Sign in",
	}, {
		create: "sdk-webhooks_create", list: "sdk-webhooks_list", get: "sdk-webhooks_get",
		update: "sdk-webhooks_update", del: "sdk-webhooks_delete",
		createArgs: `{"appName": "` + fixtureApp + `", "type": "web", "label": "New item"}`,
		listArgs:   `{"appName": "` + fixtureApp + `"}`, id: "webhookName", idField: "name",
		updateArgs: `{"label": "New item (shared)"}`, changed: "label", toValue: "New item (shared)",
	}, {
		create: "sdk-modules_create", list: "sdk-modules_list", get: "sdk-modules_get",
		update: "sdk-modules_update", del: "sdk-modules_delete",
		createArgs: `{"appName": "` + fixtureApp + `", "appVersion": 1, "name": "listItems", "typeId": 9, "label": "List items", "description": "Lists the items."}`,
		listArgs:   inApp, id: "moduleName", idField: "name", within: inApp,
		updateArgs: `{"connection": "custom-app-13"}`, changed: "connection", toValue: "custom-app-13",
	}, {
		create: "sdk-rpcs_create", list: "sdk-rpcs_list", get: "sdk-rpcs_get", update: "sdk-rpcs_update", del: "sdk-rpcs_delete",
		createArgs: `{"appName": "` + fixtureApp + `", "appVersion": 1, "name": "listFields", "label": "List fields"}`,
		listArgs:   inApp, id: "rpcName", idField: "name", within: inApp,
		updateArgs: `{"label": "Fields"}`, changed: "label", toValue: "Fields",
	}, {
		create: "sdk-functions_create", list: "sdk-functions_list", get: "sdk-functions_get", del: "sdk-functions_delete",
		createArgs: `{"appName": "` + fixtureApp + `", "appVersion": 1, "name": "parseDate"}`,
		listArgs:   inApp, id: "functionName", idField: "name", within: inApp,
	}, {
		create: "sdk-endpoints_create", list: "sdk-endpoints_list", get: "sdk-endpoints_get",
		update: "sdk-endpoints_update", del: "sdk-endpoints_delete",
		createArgs: `{"appName": "` + fixtureApp + `", "appVersion": 1, "name": "getOrder", "label": "Get order", "attachedAccounts": ["custom-app-13"]}`,
		listArgs:   inApp, id: "endpointName", idField: "name", within: inApp,
		updateArgs: `{"context": "Use it to read one order."}`, changed: "context", toValue: "Use it to read one order.",
	}} {
		t.Run(c.create, func(t *testing.T) {
			t.Parallel()
			runLifecycle(t, c)
		})
	}
}

// Make names what it creates: an app gets a number after its name, the
// first connection of an app the app's name and the next ones a number.
func TestSDKAppNames(t *testing.T) {
	e := newEnv(t, options{})
	app := decode[struct{ Name string }](t, e.ok("sdk-apps_create", map[string]any{
		"name": "acme", "label": "Acme", "theme": "#000000", "language": "en", "audience": "global"})).Name
	if app != "acme-1" {
		t.Fatalf("created app %q, want acme-1", app)
	}
	var names []string
	for range 3 {
		c := decode[struct{ Name string }](t, e.ok("sdk-connections_create", map[string]any{"appName": app, "type": "basic", "label": "Key"}))
		names = append(names, c.Name)
	}
	if strings.Join(names, " ") != "acme-1 acme-12 acme-13" {
		t.Errorf("connections %v, want acme-1 acme-12 acme-13", names)
	}
}

// docRequest is a request carrying or asking for a document: the media
// types matter, and its body is compared as text.
type docRequest struct {
	method, path, contentType, accept, body string
}

func wantDocRequests(t *testing.T, e *env, want ...docRequest) {
	t.Helper()
	got := e.takeRequests()
	if len(got) != len(want) {
		t.Fatalf("Make received %d requests, want %d:\n%s", len(got), len(want), describe(got))
	}
	for i, w := range want {
		g := got[i]
		if g.Method != w.method || g.Path != "/api/v2"+w.path {
			t.Errorf("request %d = %s %s, want %s /api/v2%s", i, g.Method, g.Path, w.method, w.path)
		}
		if ct, _, _ := mime.ParseMediaType(g.ContentType); ct != w.contentType && !(w.contentType == "" && g.ContentType == "") {
			t.Errorf("request %d %s %s: content type %q, want %q", i, g.Method, g.Path, g.ContentType, w.contentType)
		}
		if w.accept != "" && !strings.HasPrefix(g.Accept, w.accept) {
			t.Errorf("request %d %s %s: accept %q, want %q first", i, g.Method, g.Path, g.Accept, w.accept)
		}
		if string(g.Body) != w.body {
			t.Errorf("request %d %s %s: body %q, want %q", i, g.Method, g.Path, g.Body, w.body)
		}
	}
}

// Every document of an app is sent as Make takes it (a section as JSONC
// text, the readme as markdown, code as JavaScript) and reads back as it
// was written.
func TestSDKAppDocuments(t *testing.T) {
	const base = "/sdk/apps/" + fixtureApp + "/1"
	withComment := "{\n  // shared by every module\n  \"baseUrl\": \"https://api.example.com\"\n}"
	for _, c := range []struct {
		name             string
		set, get         string
		setArgs, getArgs string
		path             string
		contentType      string
		sent             string
		// accept is what the read asks for; result what it must hold.
		accept, result string
	}{{
		name: "app section", set: "sdk-apps_set-section", get: "sdk-apps_get-section",
		setArgs: `{"name": "` + fixtureApp + `", "version": 1, "section": "base", "body": "{\"baseUrl\": \"https://api.example.com/v2\"}"}`,
		getArgs: `{"name": "` + fixtureApp + `", "version": 1, "section": "base"}`,
		path:    base + "/base", contentType: "application/jsonc", sent: `{"baseUrl": "https://api.example.com/v2"}`,
		accept: "application/json",
		result: `{"section": "base", "contentType": "application/json", "data": {"baseUrl": "https://api.example.com/v2"}}`,
	}, {
		name: "app section with comments", set: "sdk-apps_set-section", get: "sdk-apps_get-section",
		setArgs: string(mustJSON(map[string]any{"name": fixtureApp, "version": 1, "section": "groups", "body": withComment})),
		getArgs: `{"name": "` + fixtureApp + `", "version": 1, "section": "groups"}`,
		path:    base + "/groups", contentType: "application/jsonc", sent: withComment,
		result: string(mustJSON(map[string]any{"section": "groups", "contentType": "application/jsonc", "text": withComment})),
	}, {
		name: "readme", set: "sdk-apps_set-docs", get: "sdk-apps_get-docs",
		setArgs: `{"name": "` + fixtureApp + `", "version": 1, "docs": "# Acme\n\nSigns in with OAuth."}`,
		getArgs: `{"name": "` + fixtureApp + `", "version": 1}`,
		path:    base + "/readme", contentType: "text/markdown", sent: "# Acme\n\nSigns in with OAuth.",
		accept: "text/markdown",
		result: `{"contentType": "text/markdown; charset=utf-8", "text": "# Acme\n\nSigns in with OAuth."}`,
	}, {
		name: "app common data", set: "sdk-apps_set-common", get: "sdk-apps_get-common",
		setArgs: `{"name": "` + fixtureApp + `", "version": 1, "common": {"clientId": "abc"}}`,
		getArgs: `{"name": "` + fixtureApp + `", "version": 1}`,
		path:    base + "/common", contentType: "application/json", sent: `{"clientId":"abc"}`,
		result: `{"clientId": "abc"}`,
	}, {
		name: "function code", set: "sdk-functions_set-code", get: "sdk-functions_get-code",
		setArgs: `{"appName": "` + fixtureApp + `", "appVersion": 1, "functionName": "myFunction", "code": "function myFunction() { return 1; }"}`,
		getArgs: `{"appName": "` + fixtureApp + `", "appVersion": 1, "functionName": "myFunction"}`,
		path:    base + "/functions/myFunction/code", contentType: "application/javascript", sent: "function myFunction() { return 1; }",
		accept: "text/plain",
		result: `{"contentType": "text/plain; charset=utf-8", "text": "function myFunction() { return 1; }"}`,
	}, {
		name: "function test", set: "sdk-functions_set-test", get: "sdk-functions_get-test",
		setArgs: `{"appName": "` + fixtureApp + `", "appVersion": 1, "functionName": "myFunction", "test": "it('returns 1', () => assert.equal(myFunction(), 1));"}`,
		getArgs: `{"appName": "` + fixtureApp + `", "appVersion": 1, "functionName": "myFunction"}`,
		path:    base + "/functions/myFunction/test", contentType: "application/javascript", sent: "it('returns 1', () => assert.equal(myFunction(), 1));",
		accept: "text/plain",
		result: `{"text": "it('returns 1', () => assert.equal(myFunction(), 1));"}`,
	}, {
		name: "connection section", set: "sdk-connections_set-section", get: "sdk-connections_get-section",
		setArgs: `{"connectionName": "custom-app-13", "section": "parameters", "body": "[{\"name\": \"apiKey\", \"type\": \"text\"}]"}`,
		getArgs: `{"connectionName": "custom-app-13", "section": "parameters"}`,
		path:    "/sdk/apps/connections/custom-app-13/parameters", contentType: "application/jsonc", sent: `[{"name": "apiKey", "type": "text"}]`,
		result: `{"section": "parameters", "data": [{"name": "apiKey", "type": "text"}]}`,
	}, {
		name: "connection common data", set: "sdk-connections_set-common", get: "sdk-connections_get-common",
		setArgs: `{"connectionName": "custom-app-13", "common": {"clientId": "{{common.clientId}}"}}`,
		getArgs: `{"connectionName": "custom-app-13"}`,
		path:    "/sdk/apps/connections/custom-app-13/common", contentType: "application/json", sent: `{"clientId":"{{common.clientId}}"}`,
		result: `{"clientId": "{{common.clientId}}"}`,
	}, {
		name: "webhook section", set: "sdk-webhooks_set-section", get: "sdk-webhooks_get-section",
		setArgs: `{"webhookName": "custom-app-12", "section": "attach", "body": "{\"url\": \"/hooks\"}"}`,
		getArgs: `{"webhookName": "custom-app-12", "section": "attach"}`,
		path:    "/sdk/apps/webhooks/custom-app-12/attach", contentType: "application/jsonc", sent: `{"url": "/hooks"}`,
		result: `{"section": "attach", "data": {"url": "/hooks"}}`,
	}, {
		name: "module section", set: "sdk-modules_set-section", get: "sdk-modules_get-section",
		setArgs: `{"appName": "` + fixtureApp + `", "appVersion": 1, "moduleName": "getEntity", "section": "expect", "body": "[{\"name\": \"id\"}]"}`,
		getArgs: `{"appName": "` + fixtureApp + `", "appVersion": 1, "moduleName": "getEntity", "section": "expect"}`,
		path:    base + "/modules/getEntity/expect", contentType: "application/jsonc", sent: `[{"name": "id"}]`,
		result: `{"section": "expect", "data": [{"name": "id"}]}`,
	}, {
		name: "RPC section", set: "sdk-rpcs_set-section", get: "sdk-rpcs_get-section",
		setArgs: `{"appName": "` + fixtureApp + `", "appVersion": 1, "rpcName": "listUsers", "section": "parameters", "body": "[]"}`,
		getArgs: `{"appName": "` + fixtureApp + `", "appVersion": 1, "rpcName": "listUsers", "section": "parameters"}`,
		path:    base + "/rpcs/listUsers/parameters", contentType: "application/jsonc", sent: `[]`,
		result: `{"section": "parameters", "data": []}`,
	}, {
		name: "endpoint section", set: "sdk-endpoints_set-section", get: "sdk-endpoints_get-section",
		setArgs: `{"appName": "` + fixtureApp + `", "appVersion": 1, "endpointName": "getEntity", "section": "api", "body": "{\"url\": \"/entities/{{parameters.id}}\"}"}`,
		getArgs: `{"appName": "` + fixtureApp + `", "appVersion": 1, "endpointName": "getEntity", "section": "api"}`,
		path:    base + "/endpoints/getEntity/api", contentType: "application/jsonc", sent: `{"url": "/entities/{{parameters.id}}"}`,
		result: `{"section": "api", "data": {"url": "/entities/{{parameters.id}}"}}`,
	}} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, options{})
			wantJSON(t, e.ok(c.set, json.RawMessage(c.setArgs)), `{"changed": true}`)
			wantDocRequests(t, e, docRequest{method: "PUT", path: c.path, contentType: c.contentType, body: c.sent})
			wantJSON(t, e.ok(c.get, json.RawMessage(c.getArgs)), c.result)
			wantDocRequests(t, e, docRequest{method: "GET", path: c.path, accept: c.accept})
		})
	}
}

// The fixtures' sections are what an app's parts start with.
func TestSDKAppSectionsFromFixtures(t *testing.T) {
	e := newEnv(t, options{})
	got := e.ok("sdk-modules_get-section", json.RawMessage(`{"appName": "`+fixtureApp+`", "appVersion": 1, "moduleName": "getEntity", "section": "api"}`))
	wantJSON(t, got, `{"section": "api", "contentType": "application/json", "data": {"url": "/api/users", "method": "GET"}}`)
	doc := decode[struct{ Text string }](t, e.ok("sdk-apps_get-docs", map[string]any{"name": fixtureApp, "version": 1}))
	if !strings.HasPrefix(doc.Text, "# Hey There") {
		t.Errorf("readme %q, want the fixture's", doc.Text)
	}
	// A section nothing was written to yet is what Make starts it with.
	wantJSON(t, e.ok("sdk-modules_get-section", json.RawMessage(`{"appName": "`+fixtureApp+`", "appVersion": 1, "moduleName": "getEntity", "section": "interface"}`)),
		`{"section": "interface", "data": []}`)
}

// pngOf encodes a square PNG of a size.
func pngOf(t *testing.T, size int) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	for y := range size {
		for x := range size {
			img.SetNRGBA(x, y, color.NRGBA{uint8(x), uint8(y), 0x80, 0xff})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// An icon is checked before it is sent, goes as image/png, and comes back
// as an image a model can look at.
func TestSDKAppIcon(t *testing.T) {
	e := newEnv(t, options{})
	icon := pngOf(t, 512)
	set := e.ok("sdk-apps_set-icon", map[string]any{"name": fixtureApp, "version": 1, "dataBase64": base64.StdEncoding.EncodeToString(icon)})
	wantJSON(t, set, `{"name": "`+fixtureApp+`", "version": 1, "bytes": `+itoa(len(icon))+`}`)
	wantDocRequests(t, e, docRequest{method: "PUT", path: "/sdk/apps/" + fixtureApp + "/1/icon", contentType: "image/png", body: string(icon)})

	for _, c := range []struct {
		args  map[string]any
		path  string
		size  int
		exact bool
	}{
		{map[string]any{"name": fixtureApp, "version": 1}, "/sdk/apps/" + fixtureApp + "/1/icon/512", 512, true},
		{map[string]any{"name": fixtureApp, "version": 1, "size": 64}, "/sdk/apps/" + fixtureApp + "/1/icon/64", 64, false},
	} {
		res := e.call("sdk-apps_get-icon", c.args)
		if res.IsError {
			t.Fatalf("sdk-apps_get-icon: %s", text(res))
		}
		wantDocRequests(t, e, docRequest{method: "GET", path: c.path, accept: "image/png"})
		wantJSON(t, mustJSON(res.StructuredContent), `{"contentType": "image/png", "width": `+itoa(c.size)+`, "height": `+itoa(c.size)+`}`)
		img, ok := res.Content[0].(*mcp.ImageContent)
		if !ok || img.MIMEType != "image/png" {
			t.Fatalf("first content %#v, want the PNG image", res.Content[0])
		}
		cfg, err := png.DecodeConfig(bytes.NewReader(img.Data))
		if err != nil || cfg.Width != c.size || (c.exact && !bytes.Equal(img.Data, icon)) {
			t.Errorf("image of %d bytes, %dx%d (%v), want the %dx%d icon", len(img.Data), cfg.Width, cfg.Height, err, c.size, c.size)
		}
		if _, ok := res.Content[1].(*mcp.TextContent); !ok {
			t.Errorf("second content %#v, want the JSON text", res.Content[1])
		}
	}
}

func TestSDKAppIconRefused(t *testing.T) {
	e := newEnv(t, options{})
	small := pngOf(t, 256)
	for _, c := range []struct{ data, want string }{
		{"iVBORw0KGgo...", "dataBase64 is not base64"}, // Make's SDK's own example
		{base64.StdEncoding.EncodeToString([]byte("GIF89a\x01\x00\x01\x00")), "the icon is not a PNG image"},
		{base64.StdEncoding.EncodeToString(pngOf(t, 512)[:16]), "the icon is not a valid PNG image"},
		{base64.StdEncoding.EncodeToString(small), "the icon is 256x256: Make takes a 512x512 PNG"},
	} {
		got := e.fails("sdk-apps_set-icon", map[string]any{"name": fixtureApp, "version": 1, "dataBase64": c.data})
		if !strings.Contains(got, c.want) {
			t.Errorf("icon %.20q: error %q, want %q", c.data, got, c.want)
		}
	}
	e.wantRequests()
	// A data: URL is taken as its base64.
	e.ok("sdk-apps_set-icon", map[string]any{"name": fixtureApp, "version": 1,
		"dataBase64": "data:image/png;base64," + base64.StdEncoding.EncodeToString(pngOf(t, 512))})
}

func TestSDKAppActions(t *testing.T) {
	runCases(t, []toolCase{{
		tool: "sdk-apps_set-public", args: `{"name": "` + fixtureApp + `", "version": 1}`,
		want:   []req{{method: "POST", path: "/sdk/apps/" + fixtureApp + "/1/public"}},
		result: `{"app": {"name": "` + fixtureApp + `", "public": true}}`,
		check: func(t *testing.T, e *env, _ json.RawMessage) {
			e.ok("sdk-apps_set-private", map[string]any{"name": fixtureApp, "version": 1})
			wantJSON(t, e.ok("sdk-apps_get", map[string]any{"name": fixtureApp, "version": 1}), `{"public": false}`)
		},
	}, {
		tool: "sdk-modules_set-public", args: `{"appName": "` + fixtureApp + `", "appVersion": 1, "moduleName": "getEntity"}`,
		want:   []req{{method: "POST", path: "/sdk/apps/" + fixtureApp + "/1/modules/getEntity/public"}},
		result: `{"appModule": {"name": "getEntity", "public": true}}`,
	}, {
		tool: "sdk-endpoints_set-private", args: `{"appName": "` + fixtureApp + `", "appVersion": 1, "endpointName": "getEntity"}`,
		want:   []req{{method: "POST", path: "/sdk/apps/" + fixtureApp + "/1/endpoints/getEntity/private"}},
		result: `{"appEndpoint": {"name": "getEntity", "public": false}}`,
	}, {
		tool: "sdk-rpcs_test", args: `{"appName": "` + fixtureApp + `", "appVersion": 1, "rpcName": "listUsers",
			"data": {"connectionId": 2}, "schema": [{"name": "connectionId", "type": "number", "required": true}]}`,
		want: []req{{method: "POST", path: "/sdk/apps/" + fixtureApp + "/1/rpcs/listUsers",
			body: `{"data": {"connectionId": 2}, "schema": [{"name": "connectionId", "type": "number", "required": true}]}`}},
		result: `{"result": [{"label": "connectionId", "value": 2}]}`,
	}, {
		tool: "sdk-apps_list", args: `{"limit": 2}`,
		want:   []req{{method: "GET", path: "/sdk/apps", query: "cols[]=*"}},
		result: `{"hasMore": true, "nextOffset": 2, "items": [{"name": "custom-app-1"}, {"name": "model"}]}`,
	}, {
		tool: "sdk-connections_list", args: `{"appName": "` + fixtureApp + `"}`,
		want:   []req{{method: "GET", path: "/sdk/apps/" + fixtureApp + "/connections"}},
		result: `{"items": [{"name": "testConnection"}, {"name": "postman-test-app-6-1"}, {"name": "postman-test-app-6-12"}, {"name": "custom-app-13", "label": "Main Connection"}]}`,
	}})
}

// An RPC's test is a run: Make checks its data against its schema.
func TestSDKRPCTestChecksItsData(t *testing.T) {
	e := newEnv(t, options{})
	got := e.fails("sdk-rpcs_test", map[string]any{"appName": fixtureApp, "appVersion": 1, "rpcName": "listUsers",
		"data": map[string]any{}, "schema": []any{map[string]any{"name": "connectionId", "type": "number", "required": true}}})
	if !strings.Contains(got, "Missing value of required parameter 'connectionId'") {
		t.Errorf("RPC test without its required parameter: %q", got)
	}
	for _, tool := range tools.All() {
		if a := tool.Def.Annotations; tool.Def.Name == "sdk-rpcs_test" && (!*a.OpenWorldHint || !*a.DestructiveHint || a.ReadOnlyHint) {
			t.Errorf("sdk-rpcs_test annotations %+v, want a run's: destructive, open world", a)
		}
	}
}

// Bad arguments are refused before any request: an id that would change
// the path, a section the part does not have, nothing to write.
func TestSDKAppArguments(t *testing.T) {
	e := newEnv(t, options{})
	for _, c := range []struct{ tool, args, want string }{
		{"sdk-apps_get", `{"name": "` + fixtureApp + `"}`, "version"},
		{"sdk-apps_get", `{"name": "..", "version": 1}`, `name ".." is not an id`},
		{"sdk-apps_get-section", `{"name": "` + fixtureApp + `", "version": 1, "section": "modules"}`, `section "modules" is not a section of an app`},
		{"sdk-apps_set-section", `{"name": "` + fixtureApp + `", "version": 1, "section": "base", "body": " "}`, "body is empty"},
		{"sdk-apps_set-docs", `{"name": "` + fixtureApp + `", "version": 1}`, "docs"},
		{"sdk-apps_update", `{"name": "` + fixtureApp + `", "version": 1}`, "nothing to change"},
		{"sdk-apps_create", `{"name": " ", "label": "A", "theme": "#000000", "language": "en", "audience": "global"}`, "give the app a name"},
		{"sdk-connections_get", `{"connectionName": "a/b"}`, `connectionName "a/b" cannot hold /`},
		{"sdk-connections_get-section", `{"connectionName": "custom-app-13", "section": "base"}`, "use one of api, parameters"},
		{"sdk-webhooks_delete", `{"webhookName": "."}`, `webhookName "." is not an id`},
		{"sdk-modules_get", `{"appName": "` + fixtureApp + `", "appVersion": 1, "moduleName": ".."}`, `moduleName ".." is not an id`},
		{"sdk-modules_set-section", `{"appName": "` + fixtureApp + `", "appVersion": 1, "moduleName": "getEntity", "section": "../base", "body": "{}"}`, "is not a section of a module"},
		{"sdk-rpcs_test", `{"appName": "` + fixtureApp + `", "appVersion": 1, "rpcName": "listUsers", "data": {}}`, "schema"},
		{"sdk-functions_set-code", `{"appName": "` + fixtureApp + `", "appVersion": 1, "functionName": "myFunction", "code": ""}`, "code is empty"},
		{"sdk-endpoints_update", `{"appName": "` + fixtureApp + `", "appVersion": 1, "endpointName": "getEntity"}`, "nothing to change"},
		{"sdk-apps_get-icon", `{"name": "` + fixtureApp + `", "version": 1, "size": -1}`, "size must be a positive number"},
	} {
		if got := e.fails(c.tool, json.RawMessage(c.args)); !strings.Contains(got, c.want) {
			t.Errorf("%s %s: error %q, want it to say %q", c.tool, c.args, got, c.want)
		}
	}
	e.wantRequests()
	// Make's own errors come back as they are.
	if got := e.fails("sdk-modules_get", json.RawMessage(inApp[:len(inApp)-1]+`, "moduleName": "nope"}`)); !strings.Contains(got, "404") {
		t.Errorf("an unknown module: %q, want Make's 404", got)
	}
}

// Each delete asks the user first, naming what goes; a no changes nothing.
func TestSDKAppDeletesAsk(t *testing.T) {
	for _, c := range []struct{ tool, args, question, get string }{
		{"sdk-apps_delete", `{"name": "` + fixtureApp + `", "version": 1}`,
			`Delete custom app "Postman Test App" (postman-test-app-1 version 1)? This cannot be undone.`, "sdk-apps_get"},
		{"sdk-connections_delete", `{"connectionName": "custom-app-13"}`,
			`Delete connection "Main Connection" (custom-app-13) of a custom app? This cannot be undone.`, "sdk-connections_get"},
		{"sdk-webhooks_delete", `{"webhookName": "custom-app-12"}`,
			`Delete webhook "Watch Events" (custom-app-12) of a custom app? This cannot be undone.`, "sdk-webhooks_get"},
		{"sdk-modules_delete", inApp[:len(inApp)-1] + `, "moduleName": "getEntity"}`,
			`Delete module "Get Entity" (getEntity) of custom app postman-test-app-1? This cannot be undone.`, "sdk-modules_get"},
		{"sdk-rpcs_delete", inApp[:len(inApp)-1] + `, "rpcName": "listUsers"}`,
			`Delete RPC "List Users" (listUsers) of custom app postman-test-app-1? This cannot be undone.`, "sdk-rpcs_get"},
		{"sdk-functions_delete", inApp[:len(inApp)-1] + `, "functionName": "myFunction"}`,
			`Delete function myFunction of custom app postman-test-app-1 with its code and test? This cannot be undone.`, "sdk-functions_get"},
		{"sdk-endpoints_delete", inApp[:len(inApp)-1] + `, "endpointName": "getEntity"}`,
			`Delete endpoint "Get Entity" (getEntity) of custom app postman-test-app-1? This cannot be undone.`, "sdk-endpoints_get"},
	} {
		for _, action := range []string{"decline", "accept"} {
			t.Run(c.tool+"/"+action, func(t *testing.T) {
				t.Parallel()
				a := &asker{action: action}
				e := newEnv(t, options{client: mcp.ClientOptions{ElicitationHandler: a.handle}})
				e.call(c.tool, json.RawMessage(c.args))
				if q := a.questions(); len(q) != 1 || q[0] != c.question {
					t.Errorf("asked %q, want %q", q, c.question)
				}
				gone := e.call(c.get, json.RawMessage(c.args)).IsError
				if gone != (action == "accept") {
					t.Errorf("after %s, gone = %v", action, gone)
				}
			})
		}
	}
}

// The fixture app's icon exists in both seeds the fake has.
func TestSDKAppFixturesSeed(t *testing.T) {
	e := newEnv(t, options{fake: makefake.Options{Seed: makefake.Fixtures}})
	wantJSON(t, e.ok("sdk-apps_get", map[string]any{"name": fixtureApp, "version": 1}), `{"label": "Postman Test App", "manifestVersion": 2}`)
	wantJSON(t, e.ok("sdk-apps_get-icon", map[string]any{"name": fixtureApp, "version": 1}), `{"contentType": "image/png", "width": 512}`)
}
