package tools_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// ada is a record of the demo Customers store (8001).
const ada = "a1c9e3f0b2d4"

func TestDataTools(t *testing.T) {
	runCases(t, []toolCase{{
		tool: "data-stores_list", args: `{}`,
		want:   []req{{method: "GET", path: "/data-stores", query: "teamId=3001&cols[]=*&pg[limit]=21"}},
		result: `{"hasMore": false, "items": [{"id": 8001, "name": "Customers", "teamId": 3001, "datastructureId": 7001, "records": 5, "maxSize": "1048576"}]}`,
	}, {
		tool: "data-stores_get", args: `{"dataStoreId": 8001}`,
		want:   []req{{method: "GET", path: "/data-stores/8001", query: "cols[]=*"}},
		result: `{"id": 8001, "name": "Customers", "records": 5, "datastructureId": 7001}`,
	}, {
		tool: "data-stores_create", args: `{"name": "Orders", "maxSizeMB": 2, "datastructureId": 7001}`,
		want:   []req{{method: "POST", path: "/data-stores", body: `{"name": "Orders", "teamId": 3001, "maxSizeMB": 2, "datastructureId": 7001}`}},
		result: `{"name": "Orders", "teamId": 3001, "records": 0, "size": "0", "maxSize": "2097152", "datastructureId": 7001}`,
	}, {
		tool: "data-stores_update", args: `{"dataStoreId": 8001, "name": "Clients", "maxSizeMB": 3}`,
		want:   []req{{method: "PATCH", path: "/data-stores/8001", body: `{"name": "Clients", "maxSizeMB": 3}`}},
		result: `{"id": 8001, "name": "Clients", "maxSize": "3145728"}`,
	}, {
		tool: "data-stores_delete", args: `{"dataStoreId": 8001}`,
		want:   []req{{method: "DELETE", path: "/data-stores/8001", query: "confirmed=true"}},
		result: `{"dataStoreId": 8001, "deleted": true}`,
	}, {
		tool: "data-store-records_list", args: `{"dataStoreId": 8001, "limit": 2}`,
		want: []req{{method: "GET", path: "/data-stores/8001/data", query: "pg[limit]=3"}},
		result: `{"hasMore": true, "nextOffset": 2, "items": [
			{"key": "` + ada + `", "data": {"name": "Ada Lovelace", "email": "ada@example.com", "plan": "enterprise", "vip": true}},
			{"key": "b7d2f8a4c6e1", "data": {"name": "Grace Hopper"}}]}`,
	}, {
		tool: "data-store-records_create", args: `{"dataStoreId": 8001, "key": "k1", "data": {"name": "Alan", "email": "alan@example.com"}}`,
		want:   []req{{method: "POST", path: "/data-stores/8001/data", body: `{"key": "k1", "data": {"name": "Alan", "email": "alan@example.com"}}`}},
		result: `{"key": "k1", "data": {"name": "Alan", "email": "alan@example.com"}}`,
	}, {
		name: "key chosen by Make",
		tool: "data-store-records_create", args: `{"dataStoreId": 8001, "data": {"name": "Alan", "email": "alan@example.com"}}`,
		want: []req{{method: "POST", path: "/data-stores/8001/data", body: `{"data": {"name": "Alan", "email": "alan@example.com"}}`}},
		check: func(t *testing.T, e *env, res json.RawMessage) {
			if k := decode[struct{ Key string }](t, res).Key; k == "" {
				t.Errorf("created record %s has no key", res)
			}
		},
	}, {
		tool: "data-store-records_update", args: `{"dataStoreId": 8001, "key": "` + ada + `", "data": {"plan": "pro"}}`,
		want:   []req{{method: "PATCH", path: "/data-stores/8001/data/" + ada, body: `{"plan": "pro"}`}},
		result: `{"key": "` + ada + `", "data": {"name": "Ada Lovelace", "plan": "pro", "vip": true}}`,
	}, {
		tool: "data-store-records_replace", args: `{"dataStoreId": 8001, "key": "` + ada + `", "data": {"name": "Ada", "email": "ada@example.org"}}`,
		want:   []req{{method: "PUT", path: "/data-stores/8001/data/" + ada, body: `{"name": "Ada", "email": "ada@example.org"}`}},
		result: `{"key": "` + ada + `", "data": {"name": "Ada", "email": "ada@example.org"}}`,
		check: func(t *testing.T, e *env, res json.RawMessage) {
			if strings.Contains(string(res), "plan") {
				t.Errorf("replaced record %s kept a field not given", res)
			}
		},
	}, {
		tool: "data-store-records_delete", args: `{"dataStoreId": 8001, "keys": ["` + ada + `", "b7d2f8a4c6e1"]}`,
		want:   []req{{method: "DELETE", path: "/data-stores/8001/data", query: "confirmed=true", body: `{"keys": ["` + ada + `", "b7d2f8a4c6e1"]}`}},
		result: `{"dataStoreId": 8001, "keys": ["` + ada + `", "b7d2f8a4c6e1"]}`,
		check: func(t *testing.T, e *env, _ json.RawMessage) {
			if d := e.get("/data-stores/8001", "dataStore"); d["records"] != 3.0 {
				t.Errorf("store after deleting 2 of 5 records: %+v", d)
			}
		},
	}, {
		tool: "data-structures_list", args: `{}`,
		want:   []req{{method: "GET", path: "/data-structures", query: "teamId=3001&cols[]=id&cols[]=name&cols[]=teamId&pg[limit]=21"}},
		result: `{"hasMore": false, "items": [{"id": 7001, "name": "Customer", "teamId": 3001}]}`,
	}, {
		tool: "data-structures_get", args: `{"dataStructureId": 7001}`,
		want: []req{{method: "GET", path: "/data-structures/7001"}},
		result: `{"id": 7001, "name": "Customer", "spec": [{"name": "name", "type": "text", "required": true}, {"name": "email"},
			{"name": "plan", "type": "select", "default": "free", "options": [{"value": "free"}, {"value": "pro"}, {"value": "enterprise"}]},
			{"name": "signedUp", "type": "date"}, {"name": "vip", "type": "boolean", "default": false}]}`,
	}})
}

// A page of records stays small: large records are left out unless listed
// alone, and the page ends early once it holds enough data.
func TestRecordListCapped(t *testing.T) {
	e := newEnv(t, options{})
	big := strings.Repeat("x", 5<<10)
	for i := range 12 {
		e.ok("data-store-records_create", map[string]any{"dataStoreId": 8001, "key": fmt.Sprintf("big%02d", i),
			"data": map[string]any{"name": big, "email": "e@example.com"}})
	}
	// The five demo records, then twelve of 5 KB each.
	type page struct {
		Items []struct {
			Key       string
			Data      json.RawMessage
			DataBytes int
		}
		HasMore    bool
		NextOffset int
		Note       string
	}
	p := decode[page](t, e.ok("data-store-records_list", map[string]any{"dataStoreId": 8001, "limit": 100}))
	if len(p.Items) != 17 || p.HasMore || !strings.Contains(p.Note, "limit 1") {
		t.Fatalf("page of 17 records: %d items, hasMore %v, note %q", len(p.Items), p.HasMore, p.Note)
	}
	if p.Items[0].Data == nil || p.Items[0].DataBytes != 0 {
		t.Errorf("small record %+v: want its data", p.Items[0])
	}
	if last := p.Items[16]; last.Data != nil || last.DataBytes <= 5<<10 {
		t.Errorf("large record %s: want its data left out and its size given, got data %d bytes, dataBytes %d", last.Key, len(last.Data), last.DataBytes)
	}

	alone := decode[page](t, e.ok("data-store-records_list", map[string]any{"dataStoreId": 8001, "limit": 1, "offset": 16}))
	if len(alone.Items) != 1 || len(alone.Items[0].Data) <= 5<<10 || alone.HasMore {
		t.Errorf("a large record listed alone: %+v", alone)
	}

	// Records of up to 4 KB are kept, so a page ends when their total passes 48 KB.
	mid := strings.Repeat("y", 3<<10)
	for i := range 20 {
		e.ok("data-store-records_replace", map[string]any{"dataStoreId": 8001, "key": fmt.Sprintf("big%02d", i%12),
			"data": map[string]any{"name": mid, "email": "e@example.com"}})
	}
	for i := 12; i < 20; i++ {
		e.ok("data-store-records_create", map[string]any{"dataStoreId": 8001, "key": fmt.Sprintf("mid%02d", i),
			"data": map[string]any{"name": mid, "email": "e@example.com"}})
	}
	p = decode[page](t, e.ok("data-store-records_list", map[string]any{"dataStoreId": 8001, "limit": 100}))
	total := 0
	for _, it := range p.Items {
		total += len(it.Data)
	}
	if !p.HasMore || p.NextOffset != len(p.Items) || total > 48<<10 || len(p.Items) >= 25 {
		t.Errorf("page of 25 records of which 20 are 3 KB: %d items, %d bytes, hasMore %v, nextOffset %d", len(p.Items), total, p.HasMore, p.NextOffset)
	}
	rest := decode[page](t, e.ok("data-store-records_list", map[string]any{"dataStoreId": 8001, "limit": 100, "offset": p.NextOffset}))
	if len(p.Items)+len(rest.Items) != 25 || rest.HasMore {
		t.Errorf("second page: %d items, hasMore %v; want the remaining %d", len(rest.Items), rest.HasMore, 25-len(p.Items))
	}
}

func TestDataToolArguments(t *testing.T) {
	e := newEnv(t, options{})
	for _, c := range []struct{ tool, args, want string }{
		{"data-store-records_delete", `{"dataStoreId": 8001, "keys": []}`, "at least one record key"},
		{"data-store-records_delete", `{"dataStoreId": 8001, "keys": [""]}`, "at least one record key"},
		{"data-store-records_update", `{"dataStoreId": 8001, "key": "", "data": {}}`, "key must not be empty"},
		{"data-store-records_create", `{"dataStoreId": 8001, "data": "x"}`, "data"},
		{"data-stores_update", `{"dataStoreId": 8001}`, "nothing to change"},
		{"data-stores_create", `{"name": " ", "maxSizeMB": 1}`, "give a name"},
	} {
		if got := e.fails(c.tool, json.RawMessage(c.args)); !strings.Contains(got, c.want) {
			t.Errorf("%s %s: error %q, want it to say %q", c.tool, c.args, got, c.want)
		}
	}
	e.wantRequests()
	// Make checks records against the store's data structure.
	got := e.fails("data-store-records_create", map[string]any{"dataStoreId": 8001, "data": map[string]any{"name": "No email"}})
	if !strings.Contains(got, "Missing value of required parameter 'email'") {
		t.Errorf("record missing a required field: %q", got)
	}
}

// A record key goes into the path: one that would name something else
// (/data/.. is the data store itself once the path is cleaned) is refused
// with a tool error, and nothing reaches Make.
func TestRecordKeyNeverLeavesItsSegment(t *testing.T) {
	e := newEnv(t, options{})
	for _, tool := range []string{"data-store-records_update", "data-store-records_replace"} {
		for _, key := range []string{"..", ".", "", "a/b", "../8001"} {
			got := e.fails(tool, map[string]any{"dataStoreId": 8001, "key": key, "data": map[string]any{"plan": "pro"}})
			if !strings.Contains(got, "key") {
				t.Errorf("%s with key %q: error %q does not name the key", tool, key, got)
			}
		}
	}
	e.wantRequests()
	if d := e.get("/data-stores/8001", "dataStore"); d["records"] != 5.0 {
		t.Errorf("data store after refused writes: %+v", d)
	}
}

func TestDataStructureLifecycle(t *testing.T) {
	runLifecycle(t, lifecycle{
		create: "data-structures_create", createArgs: `{"name": "Order", "strict": true, "spec": [{"name": "total", "type": "number", "required": true}]}`,
		list: "data-structures_list", listArgs: `{}`, get: "data-structures_get", update: "data-structures_update", del: "data-structures_delete",
		id: "dataStructureId", updateArgs: `{"name": "Order v2"}`, changed: "name", toValue: "Order v2",
	})
}

func TestDataStructureWriteTools(t *testing.T) {
	runCases(t, []toolCase{{
		tool: "data-structures_create", args: `{"name": "Order", "strict": false, "spec": [{"name": "total", "type": "number"}]}`,
		want:   []req{{method: "POST", path: "/data-structures", body: `{"teamId": 3001, "name": "Order", "strict": false, "spec": [{"name": "total", "type": "number"}]}`}},
		result: `{"name": "Order", "teamId": 3001, "strict": false, "spec": [{"name": "total", "type": "number"}]}`,
	}, {
		// A new spec replaces the fields, and records are checked against it.
		tool: "data-structures_update", args: `{"dataStructureId": 7001, "spec": [{"name": "name", "type": "text", "required": true}]}`,
		want:   []req{{method: "PATCH", path: "/data-structures/7001", body: `{"spec": [{"name": "name", "type": "text", "required": true}]}`}},
		result: `{"id": 7001, "name": "Customer", "spec": [{"name": "name"}]}`,
		check: func(t *testing.T, e *env, _ json.RawMessage) {
			e.ok("data-store-records_create", map[string]any{"dataStoreId": 8001, "data": map[string]any{"name": "No email"}})
		},
	}, {
		tool: "data-structures_delete", args: `{"dataStructureId": 7001}`,
		want:   []req{{method: "DELETE", path: "/data-structures/7001", query: "confirmed=true"}},
		result: `{"dataStructureId": 7001, "deleted": true}`,
	}})
}

func TestDataStructureArguments(t *testing.T) {
	e := newEnv(t, options{})
	for _, c := range []struct{ tool, args, want string }{
		{"data-structures_create", `{"name": " ", "strict": true, "spec": []}`, "give the data structure a name"},
		{"data-structures_create", `{"name": "Order", "spec": []}`, "strict"},
		{"data-structures_create", `{"name": "Order", "strict": true, "spec": ["total"]}`, "spec"},
		{"data-structures_update", `{"dataStructureId": 7001}`, "nothing to change"},
	} {
		if got := e.fails(c.tool, json.RawMessage(c.args)); !strings.Contains(got, c.want) {
			t.Errorf("%s %s: %q, want it to say %q", c.tool, c.args, got, c.want)
		}
	}
	e.wantRequests()
	if got := e.fails("data-structures_create", map[string]any{"name": "Order", "strict": true, "spec": []any{map[string]any{"name": "total"}}}); !strings.Contains(got, "needs a name and a type") {
		t.Errorf("a field without a type: %q", got)
	}
}
