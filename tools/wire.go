package tools

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"sync"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// schemasFile holds every tool's input and output schema as the server
// lists them, encoded when the tools change rather than when makemcp
// starts: inferring them from the Go types and encoding them was most of
// serve's start-up work, and most of its garbage. TestSchemasFile checks
// that it matches the types; UPDATE_TOOLSNAPS=1 go test ./tools rewrites
// it.
//
//go:embed schemas.json
var schemasFile []byte

// wireSchemas are a tool's two schemas, encoded.
type wireSchemas struct {
	In  json.RawMessage `json:"in"`
	Out json.RawMessage `json:"out,omitempty"`
}

var encodedSchemas = sync.OnceValue(func() map[string]wireSchemas {
	var m map[string]wireSchemas
	if err := json.Unmarshal(schemasFile, &m); err != nil {
		panic(fmt.Sprintf("tools: schemas.json: %v", err))
	}
	return m
})

// encodeSchemas renders the tools' schemas as schemas.json holds them:
// one tool a line, so that a change to a tool is a change to its line.
func encodeSchemas(tools []Tool) []byte {
	var b bytes.Buffer
	b.WriteString("{\n")
	for i, t := range tools {
		in, out := t.Schemas()
		line, err := json.Marshal(wireSchemas{In: mustJSON(in), Out: mustJSON(out)})
		if err != nil {
			panic(err)
		}
		name, _ := json.Marshal(t.Def.Name)
		fmt.Fprintf(&b, "%s: %s", name, line)
		if i < len(tools)-1 {
			b.WriteByte(',')
		}
		b.WriteByte('\n')
	}
	b.WriteString("}\n")
	return b.Bytes()
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
