package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// Every derived file is what the tools' definitions say, so a change of
// what a model sees shows in review, and serve lists the schemas the Go
// types describe. The test only checks: go generate ./... writes them.
func TestGeneratedFilesAreCurrent(t *testing.T) {
	dir := filepath.Join("..")
	files, err := generated(dir)
	if err != nil {
		t.Fatal(err)
	}
	for path, want := range files {
		got, err := os.ReadFile(path)
		switch {
		case os.IsNotExist(err):
			t.Errorf("%s is missing: run go generate ./... and commit the result", path)
		case err != nil:
			t.Fatal(err)
		case !bytes.Equal(got, want):
			t.Errorf("%s is stale: run go generate ./... and review the diff", path)
		}
	}
	for _, path := range stale(dir, files) {
		t.Errorf("%s belongs to no tool: run go generate ./...", path)
	}
}
