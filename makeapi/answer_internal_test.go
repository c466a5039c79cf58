package makeapi

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
)

// The generic call (any out, an explicit want) and the typed calls (a
// one-field answer struct) hold answers to the same rule.
func TestDecodeAnswerWantsTheObject(t *testing.T) {
	for _, tc := range []struct {
		body string
		ok   bool
	}{
		{`{"scenario": {"id": 5}}`, true},
		{`{"Scenario": {"id": 5}}`, true}, // keys match regardless of case, as in encoding/json
		{`{"scenario": {}}`, true},
		{` {"pg": {}, "scenario" : {"id": 5}} `, true},
		{`{}`, false},
		{`{"scenario": null}`, false},
		{`{"scenarios": {"id": 5}}`, false},
		{`{"pg": {"scenario": {"id": 5}}}`, false}, // nested is not there
		{`null`, false},
	} {
		var generic map[string]json.RawMessage
		errGeneric := decodeAnswer(strings.NewReader(tc.body), &generic, "scenario")
		var typed struct {
			Scenario Scenario `json:"scenario"`
		}
		errTyped := decodeAnswer(strings.NewReader(tc.body), &typed, "")
		for name, err := range map[string]error{"generic": errGeneric, "typed": errTyped} {
			if tc.ok && err != nil || !tc.ok && !errors.Is(err, ErrIncompleteAnswer) {
				t.Errorf("%s %s: err = %v, want ok=%v", name, tc.body, err, tc.ok)
			}
		}
		if tc.ok && strings.Contains(tc.body, `"id": 5`) && typed.Scenario.ID != 5 {
			t.Errorf("typed %s: decoded %+v", tc.body, typed.Scenario)
		}
	}
	// A list is what a generic call may ask for; a typed one asks for an
	// object, and a value of another kind is malformed, not missing.
	var generic json.RawMessage
	if err := decodeAnswer(strings.NewReader(`{"scenario": [1]}`), &generic, "scenario"); err != nil || string(generic) != `{"scenario": [1]}` {
		t.Errorf("a list: %s, %v", generic, err)
	}
	for _, body := range []string{`{"scenario": 1}`, `{"scenario": "x"}`, `{"scenario": true}`} {
		if err := decodeAnswer(strings.NewReader(body), &generic, "scenario"); !errors.Is(err, ErrIncompleteAnswer) {
			t.Errorf("generic %s: err = %v, want ErrIncompleteAnswer", body, err)
		}
	}
	var typed struct {
		Scenario Scenario `json:"scenario"`
	}
	var typeErr *json.UnmarshalTypeError
	if err := decodeAnswer(strings.NewReader(`{"scenario": [1]}`), &typed, ""); !errors.As(err, &typeErr) {
		t.Errorf("a list for an object: err = %v, want an UnmarshalTypeError", err)
	}
}

func TestWantOf(t *testing.T) {
	for _, tc := range []struct {
		out  any
		want string
	}{
		{&struct {
			User User `json:"authUser"`
		}{}, "authUser"},
		{&struct {
			S Scenario `json:"scenario,omitempty"`
		}{}, "scenario"},
		{&struct {
			Scenarios []Scenario `json:"scenarios"`
		}{}, ""}, // a list may be empty
		{&struct {
			Scenarios []Scenario `json:"scenarios"`
			Pg        PageInfo   `json:"pg"`
		}{}, ""},
		{&struct {
			Verified bool `json:"verified"`
		}{}, ""},
		{&struct {
			At time.Time `json:"at"`
		}{}, ""}, // decodes from a string
		{&struct{ Scenario Scenario }{}, ""}, // no key named
		{&map[string]any{}, ""},
	} {
		got := ""
		if w := wantOf(tc.out); w != nil {
			got = w.key
		}
		if got != tc.want {
			t.Errorf("wantOf(%T) = %q, want %q", tc.out, got, tc.want)
		}
	}
}
