package tools

import (
	"bytes"
	"os"
	"testing"
)

// schemas.json, which the server lists the tools' schemas from, is what
// the tools' Go types say. UPDATE_TOOLSNAPS=1 rewrites it, along with the
// snapshots.
func TestSchemasFile(t *testing.T) {
	want := encodeSchemas(All())
	if os.Getenv("UPDATE_TOOLSNAPS") == "1" {
		if err := os.WriteFile("schemas.json", want, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if !bytes.Equal(schemasFile, want) {
		t.Error("schemas.json does not match the tools' Go types: run UPDATE_TOOLSNAPS=1 go test ./tools and review the diff")
	}
}
