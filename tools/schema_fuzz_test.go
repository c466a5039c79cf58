package tools_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/jsonschema-go/jsonschema"
	"github.com/makemcp/makemcp/makeapi"
	"github.com/makemcp/makemcp/tools"
)

// maxSchemaDepth bounds how deeply InterfaceSchema nests schemas
// (properties and items), whatever the interface: tools tests fields to
// a depth of 16, and a level of fields is at most two schemas deep.
const maxSchemaDepth = 2*16 + 4

// FuzzInterfaceSchema turns any scenario interface Make could send (any
// JSON decoded into []makeapi.Field) into a tool's input schema, and
// checks that it is usable: an object schema that marshals, nests no
// deeper than a bound, and either resolves or is refused with one line;
// a resolved schema then validates any arguments without panicking, and
// says what is wrong in one line. The seeds are under
// testdata/fuzz/FuzzInterfaceSchema.
func FuzzInterfaceSchema(f *testing.F) {
	f.Add([]byte(`[{"name": "name", "type": "text", "required": true}, {"name": "n", "type": "number", "default": 3}]`), []byte(`{"name": "Ada"}`))
	f.Add([]byte(`[{"name": "plan", "type": "select", "options": [{"value": "a"}, {"value": "a"}, {"value": 1}, {"value": true}]}]`), []byte(`{"plan": "a"}`))
	f.Add([]byte(`[{"name": "lines", "type": "array", "spec": [{"name": "sku", "type": "text", "required": true}]}]`), []byte(`{"lines": [{}]}`))
	f.Add([]byte(`[{"name": "c", "type": "collection", "spec": {"name": "x", "type": "text"}}, {"name": "d", "type": "collection", "spec": null}]`), []byte(`{"c": 1}`))
	f.Add([]byte(`[{"name": "x", "type": "array", "spec": {"name": "y", "type": "array", "spec": {"name": "z", "type": "date", "default": "not a date"}}}]`), []byte(`{"x": [[1]]}`))
	f.Add([]byte(`[{"name": "$ref", "type": "text"}, {"name": "", "type": "text"}, {"name": "#/x", "type": "json", "required": true}]`), []byte(`{"$ref": "#"}`))
	f.Add([]byte(`[{"name": "q", "type": "select", "options": [{"value": "a", "nested": [{"name": "r", "type": "number"}]}], "default": ["x"]}]`), []byte(`null`))
	f.Add([]byte(`[`+strings.Repeat(`{"name": "l", "type": "collection", "spec": [`, 40)+`{"name": "leaf", "type": "text"}`+strings.Repeat(`]}`, 40)+`]`), []byte(`{"l": {"l": {"l": 5}}}`))
	f.Fuzz(func(t *testing.T, iface, args []byte) {
		var fields []makeapi.Field
		if err := json.Unmarshal(iface, &fields); err != nil {
			return // the client refuses the answer as malformed JSON
		}
		s := tools.InterfaceSchema(fields)
		if s.Type != "object" {
			t.Fatalf("input schema type %q, want object", s.Type)
		}
		if _, err := json.Marshal(s); err != nil {
			t.Fatalf("input schema does not marshal: %v", err)
		}
		if d := schemaDepth(s); d > maxSchemaDepth {
			t.Fatalf("input schema nests %d deep, want at most %d", d, maxSchemaDepth)
		}
		for _, name := range s.Required {
			if s.Properties[name] == nil {
				t.Fatalf("required %q is not a property", name)
			}
		}
		r, err := s.Resolve(nil)
		if err != nil {
			if msg := err.Error(); msg == "" || strings.ContainsAny(msg, "\r\n") {
				t.Fatalf("Resolve error %q: want one line", msg)
			}
			return
		}
		var v any
		if json.Unmarshal(args, &v) != nil {
			return
		}
		if err := r.Validate(v); err != nil {
			if msg := err.Error(); msg == "" || strings.ContainsAny(msg, "\r\n") {
				t.Fatalf("Validate error %q: want one line", msg)
			}
		}
	})
}

// schemaDepth is how deeply schemas nest through properties and items.
func schemaDepth(s *jsonschema.Schema) int {
	if s == nil {
		return 0
	}
	d := schemaDepth(s.Items)
	for _, p := range s.Properties {
		d = max(d, schemaDepth(p))
	}
	return d + 1
}
