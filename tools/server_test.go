package tools_test

import (
	"context"
	"testing"

	"github.com/makemcp/makemcp/tools"
	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// Listed tells serve when the client has its tool list: not after the
// handshake or another request, only after tools/list.
func TestListedAfterTheFirstToolList(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	srv := tools.NewServer(tools.Options{Tools: tools.All(), Version: "test"})
	st, ct := mcp.NewInMemoryTransports()
	ss, err := srv.Connect(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	defer ss.Close()
	cs, err := mcp.NewClient(&mcp.Implementation{Name: "test-client", Version: "1"}, nil).Connect(ctx, ct, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer cs.Close()

	if _, err := cs.ListResourceTemplates(ctx, nil); err != nil {
		t.Fatal(err)
	}
	select {
	case <-srv.Listed():
		t.Fatal("Listed before any tools/list")
	default:
	}
	if _, err := cs.ListTools(ctx, nil); err != nil {
		t.Fatal(err)
	}
	select {
	case <-srv.Listed():
	default:
		t.Fatal("not Listed after tools/list")
	}
}
