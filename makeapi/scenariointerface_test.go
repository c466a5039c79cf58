package makeapi_test

import (
	"encoding/json"
	"testing"

	"github.com/makemcp/makemcp/makeapi"
)

func TestFieldSpecIsOneFieldOrAList(t *testing.T) {
	const in = `[
		{"name":"tags","type":"array","spec":{"name":"tag","type":"text"}},
		{"name":"people","type":"array","spec":[{"name":"name","type":"text","required":true},{"name":"age","type":"number"}]},
		{"name":"address","type":"collection","spec":[{"name":"city","type":"text"}]},
		{"name":"empty","type":"collection","spec":[]},
		{"name":"none","type":"collection","spec":null},
		{"name":"size","type":"select","default":"m","options":[{"value":"s","label":"Small"},{"value":2,"label":"Two"},{"value":true},{"label":"No value"}]}
	]`
	var fields []makeapi.Field
	if err := json.Unmarshal([]byte(in), &fields); err != nil {
		t.Fatal(err)
	}
	if s := fields[0].Spec; s == nil || s.Item == nil || s.Item.Name != "tag" || s.Fields != nil {
		t.Fatalf("array of one field: %+v", s)
	}
	if s := fields[1].Spec; s == nil || s.Item != nil || len(s.Fields) != 2 || !s.Fields[0].Required {
		t.Fatalf("array of objects: %+v", s)
	}
	if s := fields[2].Spec; s == nil || len(s.Fields) != 1 {
		t.Fatalf("collection: %+v", s)
	}
	if s := fields[3].Spec; s == nil || s.Fields == nil || len(s.Fields) != 0 {
		t.Fatalf("empty collection: %+v", s)
	}
	if fields[4].Spec != nil {
		t.Fatalf("null spec: %+v", fields[4].Spec)
	}
	var values []string
	for _, o := range fields[5].Options {
		values = append(values, o.Value)
	}
	if got := values; len(got) != 4 || got[0] != "s" || got[1] != "2" || got[2] != "true" || got[3] != "" {
		t.Fatalf("option values %q", got)
	}
	if !fields[5].HasDefault() || fields[0].HasDefault() {
		t.Fatal("HasDefault")
	}
	if (makeapi.Field{Default: json.RawMessage(" null ")}).HasDefault() {
		t.Fatal("a null default is no default")
	}
	// What was read is written back the same way.
	out, err := json.Marshal(fields[:4])
	if err != nil {
		t.Fatal(err)
	}
	want := `[{"name":"tags","type":"array","spec":{"name":"tag","type":"text"}},` +
		`{"name":"people","type":"array","spec":[{"name":"name","type":"text","required":true},{"name":"age","type":"number"}]},` +
		`{"name":"address","type":"collection","spec":[{"name":"city","type":"text"}]},` +
		`{"name":"empty","type":"collection","spec":[]}]`
	if string(out) != want {
		t.Fatalf("marshalled\n%s\nwant\n%s", out, want)
	}
	var bad makeapi.Field
	if err := json.Unmarshal([]byte(`{"name":"x","type":"array","spec":"text"}`), &bad); err == nil {
		t.Fatal("a spec that is a string was accepted")
	}
}
