package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestToolsDocIsCurrent fails when a tool changed and docs/tools.md was
// not regenerated.
func TestToolsDocIsCurrent(t *testing.T) {
	path := filepath.Join("..", "..", "docs", "tools.md")
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v: run go generate ./tools", err)
	}
	if !bytes.Equal(got, render()) {
		t.Fatal("docs/tools.md is stale: run go generate ./tools and commit the result")
	}
}
