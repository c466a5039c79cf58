package makeapi_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/makemcp/makemcp/makeapi"
	"github.com/makemcp/makemcp/makeapi/makefake"
)

// An id that would change the path it goes into is refused before any
// request: "..", ".", "", a slash, a backslash, a query mark, an escape,
// a control character.
func TestDoRefusesIdsThatChangeThePath(t *testing.T) {
	f := newFake(t, makefake.Options{})
	c := inProcess(t, f)
	for _, key := range []string{"..", ".", "", "a/b", `a\b`, "a?b", "%2e%2e", "a\nb"} {
		_, err := c.Do(t.Context(), makeapi.Request{Method: "PATCH", Path: "/data-stores/{dataStoreId}/data/{key}",
			Params: map[string]string{"dataStoreId": "8001", "key": key}, Body: json.RawMessage(`{}`)})
		if err == nil || !strings.Contains(err.Error(), "key") || strings.Contains(err.Error(), "\n") {
			t.Errorf("key %q: %v, want a one-line error naming key", key, err)
		}
	}
	if n := len(f.Requests()); n != 0 {
		t.Errorf("%d requests sent for ids that were refused", n)
	}
	// An ordinary key with a space is escaped, not refused.
	if _, err := c.Do(t.Context(), makeapi.Request{Method: "GET", Path: "/data-stores/{dataStoreId}/data/{key}",
		Params: map[string]string{"dataStoreId": "8001", "key": "a b"}}); err != nil && !makeapi.IsNotFound(err) {
		t.Errorf("a key with a space: %v", err)
	}
	if r := lastRequest(t, f); r.Path != "/api/v2/data-stores/8001/data/a b" {
		t.Errorf("path %q", r.Path)
	}
	// So is a "#": Make names a custom app app#name where it takes any app.
	_, _ = c.Do(t.Context(), makeapi.Request{Method: "GET", Path: "/credential-requests/apps/{appName}/{appVersion}/modules-with-credentials",
		Params: map[string]string{"appName": "app#my-app", "appVersion": "1"}})
	if r := lastRequest(t, f); r.Path != "/api/v2/credential-requests/apps/app#my-app/1/modules-with-credentials" || r.RawQuery != "" {
		t.Errorf("app#my-app sent as %s?%s", r.Path, r.RawQuery)
	}
}

// An answer without the object it should hold is an error from Make, not
// an empty result.
func TestDoWantsTheAnswersObject(t *testing.T) {
	f := newFake(t, makefake.Options{})
	c := inProcess(t, f)
	f.Inject(makefake.Fault{Method: "GET", Path: "/api/v2/hooks/6001", Count: 1, Body: []byte(`{}`)})
	if _, err := c.Do(t.Context(), makeapi.Request{Method: "GET", Path: "/hooks/6001", Answer: "hook"}); err == nil || !strings.Contains(err.Error(), `no "hook"`) {
		t.Errorf("an answer without its hook: %v", err)
	}
}

// A call about an object goes to the zone of the team an earlier answer
// named as its owner; a call carrying a teamId goes to that team's zone.
func TestDoRoutesByTheIdsItCarries(t *testing.T) {
	f := twoZones(t)
	c, err := makeapi.New(makeapi.Options{Zone: "eu1.make.com", Tokens: demoTokens(), HTTPClient: f.HTTPClient()})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Organizations(t.Context()); err != nil {
		t.Fatal(err)
	}
	var created struct {
		ID int64 `json:"id"`
	}
	v, err := c.Do(t.Context(), makeapi.Request{Method: "POST", Path: "/keys", Answer: "key", Effect: makeapi.Creates,
		Body: json.RawMessage(`{"teamId": 3101, "name": "US key", "typeName": "apikeyauth", "parameters": {"key": "x"}}`)})
	if err != nil {
		t.Fatal(err)
	}
	if r := lastRequest(t, f); r.Host != "us1.make.com" {
		t.Fatalf("created at %s, want the zone of team 3101", r.Host)
	}
	_ = json.Unmarshal(v, &created)
	if _, err := c.Do(t.Context(), makeapi.Request{Method: "GET", Path: "/keys/{keyId}", Answer: "key",
		Params: map[string]string{"keyId": fmt.Sprint(created.ID)}}); err != nil {
		t.Fatal(err)
	}
	if r := lastRequest(t, f); r.Host != "us1.make.com" {
		t.Errorf("read at %s, want the zone its creation named", r.Host)
	}
}
