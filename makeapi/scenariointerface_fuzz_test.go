package makeapi_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/makemcp/makemcp/makeapi"
)

// FuzzDecodeInterface decodes any answer as a scenario interface, the
// way the client reads Make's: it never panics, and what it decodes
// writes back as JSON that decodes to the same thing (the spec forms,
// option values and defaults survive a round trip). The seeds are under
// testdata/fuzz/FuzzDecodeInterface.
func FuzzDecodeInterface(f *testing.F) {
	f.Add([]byte(`{"input": [{"name": "a", "type": "text", "required": true, "default": " x "}], "output": null}`))
	f.Add([]byte(`{"input": [{"name": "s", "type": "select", "options": [{"value": 1, "label": 2}, {"value": true}, {"value": null}, {"value": "v", "nested": [{"name": "n", "type": "number"}]}]}]}`))
	f.Add([]byte(`{"input": [{"name": "l", "type": "array", "spec": {"name": "i", "type": "text"}}, {"name": "c", "type": "collection", "spec": []}, {"name": "d", "type": "collection", "spec": null}]}`))
	f.Add([]byte(`{"input": [{"name": "x", "type": "array", "spec": 5}]}`))
	f.Add([]byte(`{"input": [{"name": "x", "type": "date", "default": {"a": [1, 2.5e10, "\u00e9"]}}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if !utf8.Valid(data) {
			// Make sends UTF-8; encoding/json turns other bytes into
			// U+FFFD, except inside option values kept as JSON text.
			return
		}
		var first makeapi.Interface
		if err := json.Unmarshal(data, &first); err != nil {
			if strings.ContainsAny(err.Error(), "\r\n") {
				t.Fatalf("decode error %q is not one line", err)
			}
			return
		}
		once, err := json.Marshal(first)
		if err != nil {
			t.Fatalf("a decoded interface does not encode: %v", err)
		}
		var second makeapi.Interface
		if err := json.Unmarshal(once, &second); err != nil {
			t.Fatalf("an encoded interface does not decode: %v\n%s", err, once)
		}
		twice, err := json.Marshal(second)
		if err != nil {
			t.Fatalf("a decoded interface does not encode: %v", err)
		}
		if !bytes.Equal(once, twice) {
			t.Fatalf("the interface changes on a round trip:\n%s\n%s", once, twice)
		}
	})
}

// Each nested field is decoded by a json.Unmarshal of its own, which
// checks the rest of the input again: a hostile interface nested 9,000
// levels deep (1.3 MiB) once took 49 s of CPU. FieldList refuses such
// nesting, in time linear in the input, with a clear error.
func TestDecodeRefusesDeeplyNestedInterface(t *testing.T) {
	const depth = 1000
	data := `{"input": [` + strings.Repeat(`{"name": "a", "type": "array", "spec": `, depth) +
		`{"name": "leaf", "type": "text"}` + strings.Repeat(`}`, depth) + `]}`
	var in makeapi.Interface
	err := json.Unmarshal([]byte(data), &in)
	if err == nil {
		t.Fatalf("an interface nested %d levels deep was decoded; want a clear refusal", depth)
	}
	if msg := err.Error(); strings.ContainsAny(msg, "\r\n") || !strings.Contains(msg, "deep") {
		t.Errorf("refusal %q: want one line that says the interface nests too deep", msg)
	}
}
