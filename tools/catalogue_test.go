package tools_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// lifecycle is a resource's round trip through its tools against the
// fake: what one tool creates, the list and get tools show, the update
// tool changes, and the delete tool removes.
type lifecycle struct {
	create, list, get, update, del string
	// createArgs make the object; listArgs list where it should appear.
	createArgs, listArgs string
	// id is the argument naming the object, filled from the created
	// object's field idField (default "id").
	id, idField string
	// within are arguments that name the object beside its id, such as
	// the app a module belongs to: {"appName": "my-app", "appVersion": 1}.
	within string
	// updateArgs (with the id) change it; changed is a field and the
	// value it must then have.
	updateArgs       string
	changed, toValue string
}

func TestCatalogueLifecycles(t *testing.T) {
	for _, c := range []lifecycle{{
		create: "keys_create", createArgs: `{"name": "Billing API", "typeName": "apikeyauth", "parameters": {"key": "s3cret"}}`,
		list: "keys_list", listArgs: `{}`, get: "keys_get", update: "keys_update", del: "keys_delete", id: "keyId",
		updateArgs: `{"name": "Billing API (old)"}`, changed: "name", toValue: "Billing API (old)",
	}} {
		t.Run(c.create, func(t *testing.T) {
			t.Parallel()
			runLifecycle(t, c)
		})
	}
}

func runLifecycle(t *testing.T, c lifecycle) {
	e := newEnv(t, options{})
	created := decode[map[string]any](t, e.ok(c.create, json.RawMessage(c.createArgs)))
	field := c.idField
	if field == "" {
		field = "id"
	}
	id, ok := created[field]
	if !ok {
		t.Fatalf("%s returned %v, without %s", c.create, created, field)
	}
	idArg := func(extra string) json.RawMessage {
		args := map[string]any{}
		for _, part := range []string{c.within, extra} {
			if part != "" {
				_ = json.Unmarshal([]byte(part), &args)
			}
		}
		args[c.id] = id
		b, _ := json.Marshal(args)
		return b
	}
	listed := func() bool {
		items := decode[struct{ Items []map[string]any }](t, e.ok(c.list, json.RawMessage(c.listArgs))).Items
		for _, it := range items {
			if fmt.Sprint(it[field]) == fmt.Sprint(id) {
				return true
			}
		}
		return false
	}
	if !listed() {
		t.Fatalf("%s does not show what %s created (%v)", c.list, c.create, id)
	}
	if c.get != "" {
		got := decode[map[string]any](t, e.ok(c.get, idArg("")))
		if fmt.Sprint(got[field]) != fmt.Sprint(id) {
			t.Errorf("%s = %v", c.get, got)
		}
	}
	if c.update != "" {
		e.ok(c.update, idArg(c.updateArgs))
		if c.get != "" {
			got := decode[map[string]any](t, e.ok(c.get, idArg("")))
			if fmt.Sprint(got[c.changed]) != c.toValue {
				t.Errorf("after %s, %s = %v, want %s", c.update, c.changed, got[c.changed], c.toValue)
			}
		}
	}
	if c.del != "" {
		e.ok(c.del, idArg(""))
		if listed() {
			t.Errorf("%s still shows what %s deleted", c.list, c.del)
		}
		if c.get != "" {
			if msg := e.fails(c.get, idArg("")); !strings.Contains(msg, "404") {
				t.Errorf("%s after delete: %s, want Make's 404", c.get, msg)
			}
		}
	}
}
