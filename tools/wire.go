package tools

import (
	"encoding/json"
	"fmt"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// wireSchemas are a tool's input and output schemas as the server lists
// them. schemas_gen.go holds every tool's, encoded when the tools change
// rather than when makemcp starts: inferring them from the Go types and
// encoding them was most of serve's start-up work and garbage, and even
// decoding them from an embedded JSON file took a third of a millisecond.
// go generate ./... writes it, and a test checks it matches the types.
type wireSchemas struct {
	In  json.RawMessage
	Out json.RawMessage
}

// wireTool is def as the server lists it: its schemas encoded once, here,
// rather than by the SDK on every tools/list (which a profile showed to be
// most of the time it takes). The SDK still validates arguments and
// results against schemas it resolves from these bytes.
func wireTool(def *mcp.Tool) *mcp.Tool {
	w := *def
	w.InputSchema = mustJSON(def.InputSchema)
	if def.OutputSchema != nil {
		w.OutputSchema = mustJSON(def.OutputSchema)
	}
	return &w
}

// mustJSON encodes a schema; schemas are built by this package, so a
// failure is a programming error, caught by the tests.
func mustJSON(v any) json.RawMessage {
	if b, ok := v.(json.RawMessage); ok {
		return b
	}
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("tools: encode schema: %v", err))
	}
	return b
}
