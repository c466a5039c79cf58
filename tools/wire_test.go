package tools

import (
	"bytes"
	"os"
	"testing"
)

// schemas_gen.go, which the server lists the tools' schemas from, is
// what the tools' Go types say. UPDATE_TOOLSNAPS=1 rewrites it, along with
// the snapshots.
func TestSchemasFile(t *testing.T) {
	want := schemasSource(All())
	if os.Getenv("UPDATE_TOOLSNAPS") == "1" {
		if err := os.WriteFile("schemas_gen.go", want, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	got, err := os.ReadFile("schemas_gen.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Error("schemas_gen.go does not match the tools' Go types: run UPDATE_TOOLSNAPS=1 go test ./tools and review the diff")
	}
}
