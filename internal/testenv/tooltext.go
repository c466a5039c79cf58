package testenv

import (
	"strings"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// ToolText joins the text content of a tool result, one line per item.
func ToolText(res *mcp.CallToolResult) string {
	var parts []string
	for _, c := range res.Content {
		if t, ok := c.(*mcp.TextContent); ok {
			parts = append(parts, t.Text)
		}
	}
	return strings.Join(parts, "\n")
}
