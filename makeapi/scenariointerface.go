package makeapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
)

// Interface is a scenario's inputs and outputs, as its interface defines
// them. Scenarios run on demand take their inputs as RunRequest.Data and
// return their outputs in RunResult.Outputs.
type Interface struct {
	Input  FieldList `json:"input"`
	Output FieldList `json:"output"`
}

// FieldList is a whole list of fields: an interface's inputs or outputs,
// a data structure's spec. Decoding one refuses lists nested deeper than
// maxJSONDepth, checked once in time linear in the input: each nested
// field is decoded by a json.Unmarshal of its own, which would otherwise
// take time proportional to size times depth on a hostile answer.
type FieldList []Field

// maxJSONDepth is far deeper than any real interface (tools reads 16
// levels of fields, about 32 of JSON).
const maxJSONDepth = 128

// UnmarshalJSON decodes the list after checking how deep it nests.
func (l *FieldList) UnmarshalJSON(b []byte) error {
	if err := checkDepth(b, maxJSONDepth); err != nil {
		return err
	}
	var fs []Field
	if err := json.Unmarshal(b, &fs); err != nil {
		return err
	}
	*l = fs
	return nil
}

// checkDepth reports an error when the JSON in b nests arrays and objects
// deeper than max.
func checkDepth(b []byte, max int) error {
	depth := 0
	inString, escaped := false, false
	for _, c := range b {
		switch {
		case escaped:
			escaped = false
		case inString:
			switch c {
			case '\\':
				escaped = true
			case '"':
				inString = false
			}
		case c == '"':
			inString = true
		case c == '[' || c == '{':
			if depth++; depth > max {
				return fmt.Errorf("makeapi: the field list nests too deep (more than %d levels of JSON)", max)
			}
		case c == ']' || c == '}':
			depth--
		}
	}
	return nil
}

// Field describes one input or output of a scenario, or one field of a
// data structure. Make's field types, and the JSON Schema each maps to:
//
//	text     string
//	number   number
//	boolean  boolean
//	date     string (date-time)
//	json     string
//	select   string, one of Options' values
//	array    array; Spec is the item field, or a list of fields for object items
//	collection  object; Spec lists its fields
type Field struct {
	Name  string `json:"name"`
	Type  string `json:"type"`
	Label string `json:"label,omitempty"`
	// Help describes the field; it becomes the schema's description.
	Help     string `json:"help,omitempty"`
	Required bool   `json:"required,omitempty"`
	// Default is the field's default value as raw JSON; empty or "null"
	// when there is none.
	Default   json.RawMessage `json:"default,omitempty"`
	Options   []FieldOption   `json:"options,omitempty"`
	Spec      *FieldSpec      `json:"spec,omitempty"`
	Multiline bool            `json:"multiline,omitempty"`
}

// HasDefault reports whether the field has a non-null default.
func (f Field) HasDefault() bool {
	d := bytes.TrimSpace(f.Default)
	return len(d) > 0 && !bytes.Equal(d, []byte("null"))
}

// FieldOption is one choice of a select field.
type FieldOption struct {
	// Value is what the field takes when the option is chosen. Make sends
	// strings; a number or boolean is kept as its JSON text.
	Value string `json:"value"`
	Label string `json:"label,omitempty"`
	// Nested are fields shown when the option is chosen.
	Nested []Field `json:"nested,omitempty"`
}

// UnmarshalJSON accepts an option whose value is a number or a boolean,
// so that one unusual option does not make a whole interface unreadable.
func (o *FieldOption) UnmarshalJSON(b []byte) error {
	var w struct {
		Value  json.RawMessage `json:"value"`
		Label  any             `json:"label"`
		Nested []Field         `json:"nested"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*o = FieldOption{Nested: w.Nested}
	switch l := w.Label.(type) {
	case string:
		o.Label = l
	case float64:
		o.Label = strconv.FormatFloat(l, 'f', -1, 64)
	}
	v := bytes.TrimSpace(w.Value)
	switch {
	case len(v) == 0 || bytes.Equal(v, []byte("null")):
	case v[0] == '"':
		return json.Unmarshal(v, &o.Value)
	default:
		o.Value = string(v)
	}
	return nil
}

// FieldSpec is the spec of an array or collection field. Make gives it as
// one field (an array's item) or as a list of fields (a collection's
// fields, or the fields of an array's object items); exactly one of Item
// and Fields is set.
type FieldSpec struct {
	Item   *Field
	Fields []Field
}

// MarshalJSON writes the spec in the form it was read.
func (s FieldSpec) MarshalJSON() ([]byte, error) {
	if s.Item != nil {
		return json.Marshal(s.Item)
	}
	if s.Fields == nil {
		return []byte("[]"), nil
	}
	return json.Marshal(s.Fields)
}

// UnmarshalJSON reads a spec that is one field or a list of fields.
func (s *FieldSpec) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	*s = FieldSpec{}
	switch {
	case len(b) == 0 || bytes.Equal(b, []byte("null")):
		return nil
	case b[0] == '{':
		s.Item = new(Field)
		return json.Unmarshal(b, s.Item)
	case b[0] == '[':
		s.Fields = []Field{}
		return json.Unmarshal(b, &s.Fields)
	}
	return fmt.Errorf("makeapi: field spec is neither a field nor a list of fields: %.40s", b)
}
