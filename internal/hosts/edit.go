package hosts

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
)

// Host config files are edited as text, not decoded and encoded again:
// ~/.claude.json is large and hand-edited, and a rewrite would sort its
// keys and change its layout. Only the bytes of makemcp's entry change;
// an entry added where there was none is laid out like its neighbours.

// member is one member of a JSON object, by its offsets in the text.
type member struct {
	key                  string
	keyStart             int // the key's opening quote
	valueStart, valueEnd int
	// object is the value's members when the value is the servers map.
	object *object
}

// object is a JSON object in the text: where its braces are and its
// members in order.
type object struct {
	open, close int
	members     []member
}

// last returns the last member named key (the one a JSON decoder keeps),
// or nil.
func (o *object) last(key string) *member {
	for i := len(o.members) - 1; i >= 0; i-- {
		if o.members[i].key == key {
			return &o.members[i]
		}
	}
	return nil
}

// parseDocument reads the top-level object of data, and the members of the
// object under serversKey.
func parseDocument(data []byte, serversKey string) (*object, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	top, err := parseObject(dec, data, serversKey)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err == nil {
		return nil, fmt.Errorf("more than one JSON value")
	}
	return top, nil
}

// parseObject reads the object that starts at the decoder's next token,
// descending into the member named descend.
func parseObject(dec *json.Decoder, data []byte, descend string) (*object, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	if tok != json.Delim('{') {
		return nil, fmt.Errorf("not an object")
	}
	o := &object{open: int(dec.InputOffset()) - 1}
	for dec.More() {
		before := int(dec.InputOffset())
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		key, _ := tok.(string)
		m := member{key: key, keyStart: before + bytes.IndexByte(data[before:], '"')}
		m.valueStart = int(dec.InputOffset())
		for m.valueStart < len(data) && strings.IndexByte(" \t\r\n:", data[m.valueStart]) >= 0 {
			m.valueStart++
		}
		if descend != "" && key == descend && m.valueStart < len(data) && data[m.valueStart] == '{' {
			if m.object, err = parseObject(dec, data, ""); err != nil {
				return nil, err
			}
		} else {
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return nil, err
			}
		}
		m.valueEnd = int(dec.InputOffset())
		o.members = append(o.members, m)
	}
	if _, err := dec.Token(); err != nil {
		return nil, err
	}
	o.close = int(dec.InputOffset()) - 1
	return o, nil
}

// Outcome is what Write did to a host's config.
type Outcome int

const (
	Added     Outcome = iota // the entry is new
	Replaced                 // an entry of that name was different
	Unchanged                // the entry was there already, as it is
)

// setServer returns data with the servers map under serversKey holding
// value as name.
func setServer(data []byte, serversKey, name string, value any) ([]byte, Outcome, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		out, err := json.MarshalIndent(map[string]any{serversKey: map[string]any{name: value}}, "", "  ")
		return append(out, '\n'), Added, err
	}
	top, err := parseDocument(data, serversKey)
	if err != nil {
		return nil, 0, err
	}
	l := layout{data: data, nl: "\n", unit: "  "}
	if bytes.Contains(data, []byte("\r\n")) {
		l.nl = "\r\n"
	}
	// The indent unit is that of the first top-level member on a line of
	// its own.
	for _, m := range top.members {
		if indent, ok := l.indentOf(m.keyStart); ok && indent != "" {
			l.unit = indent
			break
		}
	}
	servers := top.last(serversKey)
	if servers == nil {
		out, err := l.insert(top, serversKey, map[string]any{name: value})
		return out, Added, err
	}
	if servers.object == nil {
		return nil, 0, fmt.Errorf("%q is not an object", serversKey)
	}
	old := servers.object.last(name)
	if old == nil {
		out, err := l.insert(servers.object, name, value)
		return out, Added, err
	}
	if same, err := sameJSON(data[old.valueStart:old.valueEnd], value); err != nil || same {
		return data, Unchanged, err
	}
	indent, pretty := l.indentOf(old.keyStart)
	text, err := l.format(value, indent, pretty)
	if err != nil {
		return nil, 0, err
	}
	return splice(data, old.valueStart, old.valueEnd, text), Replaced, nil
}

// layout is how a document is written: its line ending and indent unit.
type layout struct {
	data     []byte
	nl, unit string
}

// indentOf returns the white space before pos on its line, and whether
// only white space comes before it (false for a one-line document).
func (l layout) indentOf(pos int) (string, bool) {
	start := bytes.LastIndexByte(l.data[:pos], '\n') + 1
	lead := l.data[start:pos]
	return string(lead), len(bytes.Trim(lead, " \t")) == 0
}

// leadOf returns the white space a line starts with, for the line that
// holds pos.
func (l layout) leadOf(pos int) string {
	start := bytes.LastIndexByte(l.data[:pos], '\n') + 1
	end := start
	for end < len(l.data) && (l.data[end] == ' ' || l.data[end] == '\t') {
		end++
	}
	return string(l.data[start:end])
}

// format encodes v to stand at indent: indented like the document, or on
// one line when the document is.
func (l layout) format(v any, indent string, pretty bool) ([]byte, error) {
	if !pretty {
		return json.Marshal(v)
	}
	b, err := json.MarshalIndent(v, indent, l.unit)
	if err != nil {
		return nil, err
	}
	return bytes.ReplaceAll(b, []byte("\n"), []byte(l.nl)), nil
}

// insert adds the member key: value at the end of o, on a line of its own
// indented like the members before it (or one unit in from o's line).
func (l layout) insert(o *object, key string, value any) ([]byte, error) {
	k, err := json.Marshal(key)
	if err != nil {
		return nil, err
	}
	if n := len(o.members); n > 0 {
		prev := o.members[n-1]
		indent, pretty := l.indentOf(prev.keyStart)
		v, err := l.format(value, indent, pretty)
		if err != nil {
			return nil, err
		}
		sep := ", "
		if pretty {
			sep = "," + l.nl + indent
		}
		return splice(l.data, prev.valueEnd, prev.valueEnd, slices.Concat([]byte(sep), k, []byte(": "), v)), nil
	}
	// An empty object: lay it out as a one-member object at its place.
	outer := l.leadOf(o.open)
	// A one-line document stays on one line, unless it is just "{}".
	whole := o.open == len(l.data)-len(bytes.TrimLeft(l.data, " \t\r\n"))
	if !bytes.Contains(l.data, []byte("\n")) && !whole {
		v, err := l.format(value, "", false)
		if err != nil {
			return nil, err
		}
		return splice(l.data, o.open+1, o.close, slices.Concat(k, []byte(": "), v)), nil
	}
	inner := outer + l.unit
	v, err := l.format(value, inner, true)
	if err != nil {
		return nil, err
	}
	return splice(l.data, o.open+1, o.close, slices.Concat([]byte(l.nl+inner), k, []byte(": "), v, []byte(l.nl+outer))), nil
}

// splice returns data with data[from:to] replaced by text.
func splice(data []byte, from, to int, text []byte) []byte {
	return slices.Concat(data[:from], text, data[to:])
}

// sameJSON reports whether raw and v encode the same JSON value.
func sameJSON(raw []byte, v any) (bool, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return false, err
	}
	var x, y any
	if json.Unmarshal(raw, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false, nil
	}
	return reflect.DeepEqual(x, y), nil
}
