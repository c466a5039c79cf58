package tools

import (
	"encoding/json"
	"fmt"
	"reflect"
	"time"

	"github.com/google/jsonschema-go/jsonschema"
	"github.com/makemcp/makemcp/makeapi"
)

// schemaTypes overrides how Go types become JSON Schema: opaque JSON from
// Make (blueprints, outputs, record data) may be any value, not the byte
// array json.RawMessage is underneath, and times are RFC 3339 strings.
// Make's interface fields nest (a collection's fields, an option's nested
// fields), which inference cannot express, so they have a schema written
// out.
var schemaTypes = map[reflect.Type]*jsonschema.Schema{
	reflect.TypeFor[json.RawMessage](): anyJSON(),
	reflect.TypeFor[time.Time]():       {Type: "string", Format: "date-time"},
	reflect.TypeFor[Object]():          {Type: "object"},
	reflect.TypeFor[makeapi.Field]():   interfaceFieldSchema(),
}

// anyJSON is the schema of a value that may be any JSON. It lists the
// types rather than being the empty schema, which serializes as `true`:
// MCP clients (the TypeScript SDK among them) reject a tool list in which
// any property schema is not an object.
func anyJSON() *jsonschema.Schema {
	return &jsonschema.Schema{Types: []string{"object", "array", "string", "number", "boolean", "null"}}
}

// Object is a JSON object a tool takes and passes on as is: a blueprint,
// a record, a hook's settings. Its schema says "object", which the SDK
// checks before a handler runs.
type Object json.RawMessage

// MarshalJSON writes the object as it came.
func (o Object) MarshalJSON() ([]byte, error) {
	if len(o) == 0 {
		return []byte("null"), nil
	}
	return o, nil
}

// UnmarshalJSON keeps the object's JSON text.
func (o *Object) UnmarshalJSON(b []byte) error {
	*o = append((*o)[:0], b...)
	return nil
}

// interfaceFieldSchema describes one field of a scenario interface or a data
// structure (makeapi.Field), without following its nesting.
func interfaceFieldSchema() *jsonschema.Schema {
	str := func(desc string) *jsonschema.Schema { return &jsonschema.Schema{Type: "string", Description: desc} }
	return &jsonschema.Schema{
		Type: "object",
		Properties: map[string]*jsonschema.Schema{
			"name":     str("The field's key in the inputs, outputs or record."),
			"type":     str("text, number, boolean, date, json, select, array or collection."),
			"label":    str("The name people see."),
			"help":     str("What the field is for."),
			"required": {Type: "boolean"},
			"default":  {Description: "The value used when none is given."},
			"options": {Type: "array", Description: "The choices of a select field.", Items: &jsonschema.Schema{
				Type: "object",
				Properties: map[string]*jsonschema.Schema{
					"value":  {Types: []string{"string", "number", "boolean"}},
					"label":  {Type: "string"},
					"nested": {Type: "array", Description: "Fields shown when this option is chosen.", Items: &jsonschema.Schema{Type: "object"}},
				},
				Required: []string{"value"},
			}},
			"spec":      {Description: "For an array, its item field, or the list of fields of its object items; for a collection, the list of its fields."},
			"multiline": {Type: "boolean", Description: "A text field of several lines."},
		},
		Required: []string{"name", "type"},
	}
}

// schemaFor infers the JSON Schema of T, or of what T points to: a tool
// returning *Scenario returns an object, never null. Tool types are fixed
// at compile time, so a failure is a programming error, caught by the
// tests.
func schemaFor[T any]() *jsonschema.Schema {
	t := reflect.TypeFor[T]()
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	s, err := jsonschema.ForType(t, &jsonschema.ForOptions{TypeSchemas: schemaTypes})
	if err != nil {
		panic(fmt.Sprintf("tools: schema of %v: %v", t, err))
	}
	return s
}

// outputSchema trims an inferred output schema to what it is for: the
// shape of the result, which the SDK checks every result against, and
// which clients may read. Descriptions and titles go (the tool's
// description says what it returns, and field names speak for
// themselves), as do "additionalProperties": false markers; every tool
// list a host sends the model carries these schemas, so bytes count. It
// returns a trimmed copy: inferred schemas share parts with input schemas.
func outputSchema(s *jsonschema.Schema) *jsonschema.Schema {
	if s == nil {
		return nil
	}
	c := *s
	c.Description, c.Title, c.AdditionalProperties = "", "", nil
	if c.Properties != nil {
		c.Properties = make(map[string]*jsonschema.Schema, len(s.Properties))
		for name, p := range s.Properties {
			c.Properties[name] = outputSchema(p)
		}
	}
	c.Items = outputSchema(s.Items)
	if c.Type == "" && c.Types == nil && c.Properties == nil && c.Items == nil && c.Enum == nil && c.Ref == "" {
		// Only a description said anything: say "any JSON" instead of
		// leaving the empty schema, which serializes as true.
		c.Types = anyJSON().Types
	}
	return &c
}

// wireSchemas are a tool's input and output schemas as the server lists
// them. schemas_gen.go holds every tool's, encoded when the tools change
// rather than when makemcp starts: inferring them from the Go types and
// encoding them was most of serve's start-up work and garbage, and even
// decoding them from an embedded JSON file took a third of a millisecond.
// go generate ./... writes it, and a test checks it matches the types.
type wireSchemas struct {
	In  json.RawMessage
	Out json.RawMessage
}

// mustJSON encodes a schema; schemas are built by this package, so a
// failure is a programming error, caught by the tests.
func mustJSON(v any) json.RawMessage {
	if b, ok := v.(json.RawMessage); ok {
		return b
	}
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("tools: encode schema: %v", err))
	}
	return b
}
