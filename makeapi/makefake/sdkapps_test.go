package makefake_test

import (
	"bytes"
	"image/png"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/makemcp/makemcp/makeapi/makefake"
)

// send sends a document of a media type and returns the answer as it came.
func send(t *testing.T, hc *http.Client, method, url, contentType string, body []byte) answer {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Token "+makefake.DemoToken)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return answer{status: resp.StatusCode, header: resp.Header, raw: string(b)}
}

// Make names connections and webhooks on their own but lists them under
// their app, and names app versions in the same place: the fake tells
// the three apart as Make does.
func TestSDKAppPathsTellNamesApart(t *testing.T) {
	_, hc, base := demo(t, makefake.Options{})
	for _, c := range []struct{ path, key, want string }{
		{"/sdk/apps/postman-test-app-1/1", "app", `"name":"postman-test-app-1"`},
		{"/sdk/apps/postman-test-app-1/connections", "appConnections", `"name":"custom-app-13"`},
		{"/sdk/apps/connections/custom-app-13", "appConnection", `"label":"Main Connection"`},
		{"/sdk/apps/postman-test-app-1/webhooks", "appWebhooks", `"name":"custom-app-12"`},
		{"/sdk/apps/webhooks/custom-app-12", "appWebhook", `"label":"Watch Events"`},
		{"/sdk/apps/postman-test-app-1/1/modules", "appModules", `"name":"getEntity"`},
	} {
		a := do(t, hc, "GET", base+c.path, "")
		if a.status != http.StatusOK || a.body[c.key] == nil || !strings.Contains(a.raw, c.want) {
			t.Errorf("GET %s: %d %s, want %s holding %s", c.path, a.status, a.raw, c.key, c.want)
		}
	}
}

func TestSDKAppErrorsAreMakes(t *testing.T) {
	f, hc, base := demo(t, makefake.Options{})
	isMakeError(t, do(t, hc, "GET", base+"/sdk/apps/nope/1", ""), 404, "App not found.")
	isMakeError(t, do(t, hc, "GET", base+"/sdk/apps/nope/connections", ""), 404, "App not found.")
	isMakeError(t, do(t, hc, "GET", base+"/sdk/apps/connections/nope", ""), 404, "Connection not found.")
	isMakeError(t, do(t, hc, "POST", base+"/sdk/apps/nope/webhooks", `{"type": "web", "label": "x"}`), 404, "App not found.")
	isMakeError(t, do(t, hc, "POST", base+"/sdk/apps", `{"name": "acme", "theme": "#000000", "language": "en", "audience": "global"}`), 400, "Validation failed.")
	isMakeError(t, do(t, hc, "POST", base+"/sdk/apps/postman-test-app-1/connections", `{"type": "basic"}`), 400, "Validation failed.")
	isMakeError(t, do(t, hc, "GET", base+"/sdk/apps/postman-test-app-1/1/modules/getEntity/nope", ""), 404, "Section not found.")
	isMakeError(t, do(t, hc, "GET", base+"/sdk/apps/postman-test-app-1/1/functions/nope/code", ""), 404, "AppFunction not found.")

	// A section goes as JSONC, a readme as markdown: Make refuses JSON for them.
	a := send(t, hc, "PUT", base+"/sdk/apps/postman-test-app-1/1/readme", "application/json", []byte(`"# Hi"`))
	if a.status != 400 || !strings.Contains(a.raw, "text/markdown") {
		t.Errorf("a readme sent as JSON: %d %s, want 400", a.status, a.raw)
	}
	a = send(t, hc, "PUT", base+"/sdk/apps/connections/custom-app-13/api", "application/jsonc", nil)
	if a.status != 400 {
		t.Errorf("an empty section: %d %s, want 400", a.status, a.raw)
	}

	f.AddToken("reader", makefake.APIToken, "sdk-apps:read")
	a = do(t, hc, "PUT", base+"/sdk/apps/postman-test-app-1/1/common", `{"clientId": "x"}`, "Token reader")
	isMakeError(t, a, 403, "Access denied.")
	if a := do(t, hc, "GET", base+"/sdk/apps/postman-test-app-1/1/common", "", "Token reader"); a.status != 200 || a.body["clientId"] != "123456" {
		t.Errorf("common data with sdk-apps:read: %d %s", a.status, a.raw)
	}
}

// A document reads back as it was written, in its own media type.
func TestSDKAppDocumentsKeepWhatWasWritten(t *testing.T) {
	_, hc, base := demo(t, makefake.Options{})
	code := base + "/sdk/apps/postman-test-app-1/1/functions/myFunction/code"
	if a := send(t, hc, "PUT", code, "application/javascript", []byte("function myFunction() {}")); a.status != 200 {
		t.Fatalf("PUT code: %d %s", a.status, a.raw)
	}
	if a := send(t, hc, "GET", code, "", nil); a.raw != "function myFunction() {}" || !strings.HasPrefix(a.header.Get("Content-Type"), "text/plain") {
		t.Errorf("GET code: %s %q", a.header.Get("Content-Type"), a.raw)
	}
	section := base + "/sdk/apps/webhooks/custom-app-12/api"
	if a := send(t, hc, "GET", section, "", nil); !strings.Contains(a.raw, `"output": "{{body}}"`) {
		t.Errorf("a webhook's api section starts as the fixture's, got %q", a.raw)
	}
	jsonc := "{\n  // the payload\n  \"output\": \"{{body.data}}\"\n}"
	send(t, hc, "PUT", section, "application/jsonc", []byte(jsonc))
	if a := send(t, hc, "GET", section, "", nil); a.raw != jsonc || a.header.Get("Content-Type") != "application/jsonc" {
		t.Errorf("a section with comments reads back as %s %q", a.header.Get("Content-Type"), a.raw)
	}
}

// Deleting an app's last version takes its parts, connections and
// webhooks with it.
func TestSDKAppDeleteTakesItsParts(t *testing.T) {
	_, hc, base := demo(t, makefake.Options{})
	if a := do(t, hc, "DELETE", base+"/sdk/apps/postman-test-app-1/1", ""); a.status != 200 {
		t.Fatalf("DELETE app: %d %s", a.status, a.raw)
	}
	for _, path := range []string{
		"/sdk/apps/postman-test-app-1/1", "/sdk/apps/postman-test-app-1/1/readme",
		"/sdk/apps/postman-test-app-1/1/modules/getEntity", "/sdk/apps/postman-test-app-1/1/modules/getEntity/api",
		"/sdk/apps/connections/custom-app-13", "/sdk/apps/connections/custom-app-13/common",
		"/sdk/apps/webhooks/custom-app-12/api",
	} {
		if a := do(t, hc, "GET", base+path, ""); a.status != 404 {
			t.Errorf("GET %s after the app's deletion: %d %s", path, a.status, a.raw)
		}
	}
	if a := do(t, hc, "GET", base+"/sdk/apps", ""); strings.Contains(a.raw, `"postman-test-app-1"`) {
		t.Errorf("apps after the deletion: %s", a.raw)
	}
}

func TestSDKAppIcons(t *testing.T) {
	_, hc, base := demo(t, makefake.Options{})
	icon := base + "/sdk/apps/postman-test-app-1/1/icon"
	a := send(t, hc, "GET", icon+"/32", "", nil)
	cfg, err := png.DecodeConfig(strings.NewReader(a.raw))
	if a.status != 200 || a.header.Get("Content-Type") != "image/png" || err != nil || cfg.Width != 32 || cfg.Height != 32 {
		t.Errorf("GET icon/32: %d %s, %+v %v", a.status, a.header.Get("Content-Type"), cfg, err)
	}
	for _, size := range []string{"0", "513", "big"} {
		if a := send(t, hc, "GET", icon+"/"+size, "", nil); a.status != 400 {
			t.Errorf("GET icon/%s: %d, want 400", size, a.status)
		}
	}
	small := send(t, hc, "GET", icon+"/64", "", nil)
	if a := send(t, hc, "PUT", icon, "image/png", []byte(small.raw)); a.status != 400 {
		t.Errorf("a 64x64 icon: %d %s, want 400", a.status, a.raw)
	}
}
