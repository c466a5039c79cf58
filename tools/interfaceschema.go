package tools

import (
	"strings"

	"github.com/google/jsonschema-go/jsonschema"
	"github.com/makemcp/makemcp/makeapi"
)

// maxFieldDepth bounds how deeply nested an interface may be; deeper
// fields accept any value rather than recursing without end.
const maxFieldDepth = 16

// InterfaceSchema turns a scenario interface's input fields into the JSON
// Schema of a tool's input, as Make's own servers do: text, json →
// string; number → number; boolean → boolean; date → date-time string;
// select → string enum of the options' values; array → array of the spec's
// item (or objects of its fields); collection → object of its fields.
// help becomes the description, label the title; required and default
// carry over.
func InterfaceSchema(fields []makeapi.Field) *jsonschema.Schema {
	return objectSchema(fields, 0)
}

func objectSchema(fields []makeapi.Field, depth int) *jsonschema.Schema {
	s := &jsonschema.Schema{Type: "object", Properties: map[string]*jsonschema.Schema{}}
	for _, f := range fields {
		if _, dup := s.Properties[f.Name]; dup || f.Name == "" {
			continue // the first field of a name stands, whole
		}
		if f.Required {
			s.Required = append(s.Required, f.Name)
		}
		s.Properties[f.Name] = fieldSchema(f, depth+1)
	}
	return s
}

func fieldSchema(f makeapi.Field, depth int) *jsonschema.Schema {
	// A label and help are the scenario author's text, shown to a model:
	// made safe and bounded like a scenario tool's title and description.
	s := &jsonschema.Schema{Title: fit(f.Label, maxTitle), Description: fit(f.Help, maxDescription)}
	if depth > maxFieldDepth {
		return s
	}
	switch f.Type {
	case "text":
		s.Type = "string"
	case "json":
		s.Type = "string"
		s.Description = strings.TrimSpace(s.Description + " (JSON text)")
	case "number":
		s.Type = "number"
	case "boolean":
		s.Type = "boolean"
	case "date":
		s.Type = "string"
		s.Format = "date-time"
	case "select":
		s.Type = "string"
		for _, o := range f.Options {
			s.Enum = append(s.Enum, o.Value)
		}
	case "array":
		s.Type = "array"
		switch sp := f.Spec; {
		case sp == nil:
		case sp.Item != nil:
			s.Items = fieldSchema(*sp.Item, depth+1)
		case sp.Fields != nil:
			s.Items = objectSchema(sp.Fields, depth+1)
		}
	case "collection":
		if f.Spec != nil && f.Spec.Fields != nil {
			sub := objectSchema(f.Spec.Fields, depth)
			s.Type, s.Properties, s.Required = sub.Type, sub.Properties, sub.Required
		} else {
			s.Type = "object"
		}
	}
	if f.HasDefault() {
		s.Default = f.Default
	}
	return s
}
