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
// answer that lacks the object the call asked for.
var ErrIncompleteAnswer = errors.New("an error from Make: try again later")

// decodeAnswer decodes a JSON answer into out. When want is set, or out
// names the object it holds (see wantOf), the answer must hold that object:
// Make wraps each object it returns ({"scenario": {...}}), and an answer
// without it ({}, or {"scenario": null}) is an error, not an object of zero
// values.
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
// an object under the key want. It reads the answer twice; the typed
// calls' answers take the one pass of wanted.decode instead.
func decodeWanted(r io.Reader, out any, want string) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, out); err != nil {
		return err
	}
	var top map[string]objectProbe
	if err := json.Unmarshal(b, &top); err != nil {
		return err
	}
	isObject, ok := top[want]
	if !ok {
		// encoding/json matches keys regardless of case; so does this.
		for k, v := range top {
			if strings.EqualFold(k, want) {
				isObject = v
				break
			}
		}
	}
	if !isObject {
		return missingObject(want)
	}
	return nil
}

func missingObject(key string) error {
	return fmt.Errorf("answer without the %q object it should hold: %w", key, ErrIncompleteAnswer)
}

// objectProbe records whether a JSON value is an object, without
// decoding it.
type objectProbe bool

func (p *objectProbe) UnmarshalJSON(b []byte) error {
	b = bytes.TrimLeft(b, " \t\r\n")
	*p = len(b) > 0 && b[0] == '{'
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
		return missingObject(w.key)
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
