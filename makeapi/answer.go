package makeapi

import (
	"bytes"
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"sync"
)

// ErrIncompleteAnswer is in the chain of the error for a successful
// answer that lacks the object or list the call asked for.
var ErrIncompleteAnswer = errors.New("an error from Make: try again later")

// decodeAnswer decodes a JSON answer into out. When want is set, the
// answer must hold an object or list under that key; when out names the
// object it holds (see wantOf), that object. Make wraps what it returns
// ({"scenario": {...}}), and an answer without it ({}, or
// {"scenario": null}) is an error, not an object of zero values.
func decodeAnswer(r io.Reader, out any, want string) error {
	if want != "" {
		return decodeWanted(r, out, want)
	}
	if w := wantOf(out); w != nil {
		return w.decode(r, out)
	}
	return json.NewDecoder(r).Decode(out)
}

// decodeWanted decodes an answer into any out and checks that it holds
// an object or list under the key want. It reads the answer twice (once
// for a json.RawMessage); the typed calls' answers take the one pass of
// wanted.decode instead.
func decodeWanted(r io.Reader, out any, want string) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	raw, isRaw := out.(*json.RawMessage)
	if !isRaw {
		if err := json.Unmarshal(b, out); err != nil {
			return err
		}
	}
	var top map[string]containerProbe
	if err := json.Unmarshal(b, &top); err != nil {
		return err
	}
	held, ok := top[want]
	if !ok {
		// encoding/json matches keys regardless of case; so does this.
		for k, v := range top {
			if strings.EqualFold(k, want) {
				held = v
				break
			}
		}
	}
	if !held {
		return missing(want)
	}
	if isRaw {
		*raw = b
	}
	return nil
}

func missing(key string) error {
	return fmt.Errorf("the answer holds no %q: %w", key, ErrIncompleteAnswer)
}

// containerProbe records whether a JSON value is an object or a list,
// without decoding it.
type containerProbe bool

func (p *containerProbe) UnmarshalJSON(b []byte) error {
	b = bytes.TrimLeft(b, " \t\r\n")
	*p = len(b) > 0 && (b[0] == '{' || b[0] == '[')
	return nil
}

// wanted is the object a typed answer must hold: the typed calls decode
// into a struct whose one field holds the object Make wraps
// ({"scenario": {...}} into struct{ Scenario Scenario `json:"scenario"` }).
type wanted struct {
	key string
	// twin is the same struct with a pointer field, which the answer is
	// decoded into: nil after decoding means the object was missing or
	// null, and the check costs no second pass over the answer.
	twin reflect.Type
}

func (w *wanted) decode(r io.Reader, out any) error {
	twin := reflect.New(w.twin)
	if err := json.NewDecoder(r).Decode(twin.Interface()); err != nil {
		return err
	}
	obj := twin.Elem().Field(0)
	if obj.IsNil() {
		return missing(w.key)
	}
	reflect.ValueOf(out).Elem().Field(0).Set(obj.Elem())
	return nil
}

// wants caches wantOf by type: *wanted, or nil.
var wants sync.Map

// wantOf returns the object an answer decoded into out must hold, or nil
// when out is not a struct whose one field holds an object.
func wantOf(out any) *wanted {
	t := reflect.TypeOf(out)
	if w, ok := wants.Load(t); ok {
		return w.(*wanted)
	}
	var w *wanted
	if t.Kind() == reflect.Pointer && t.Elem().Kind() == reflect.Struct && t.Elem().NumField() == 1 {
		f := t.Elem().Field(0)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		p := reflect.PointerTo(f.Type)
		decodesItself := p.Implements(unmarshalerType) || p.Implements(textUnmarshalerType)
		if f.IsExported() && f.Type.Kind() == reflect.Struct && !decodesItself && name != "" && name != "-" {
			w = &wanted{key: name, twin: reflect.StructOf([]reflect.StructField{{Name: f.Name, Type: p, Tag: f.Tag}})}
		}
	}
	wants.Store(t, w)
	return w
}

var (
	unmarshalerType     = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshalerType = reflect.TypeFor[encoding.TextUnmarshaler]()
)
