package tools

import (
	"github.com/makemcp/makemcp/makeapi"
	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// Kind is what a tool does to the account. The tool's MCP annotations,
// how makeapi may retry its call, and whether it asks the user before
// acting all follow from it, so they cannot disagree.
type Kind uint8

const (
	// Read only reads.
	Read Kind = iota
	// Create makes something new each time it is called.
	Create
	// Update overwrites: a name, settings, a blueprint, a record. Calling
	// it twice with the same arguments changes nothing more.
	Update
	// Switch turns something on or off, or sets a flag that can be set
	// back (activate, enable, make public): nothing is lost.
	Switch
	// Delete removes something for good; the user is asked first.
	Delete
	// Run starts work beyond Make's own records, on the services a
	// scenario reaches (a run, a retry, a test of a custom app's call).
	Run
	// Check asks Make to try something against another service and
	// changes nothing (verify a connection).
	Check
)

// annotations are the four MCP hints of a kind, every one set on
// purpose. openWorld is false unless the tool reaches services beyond
// Make: from a model's point of view Make is a closed system.
func (k Kind) annotations() *mcp.ToolAnnotations {
	var destructive, idempotent, openWorld bool
	switch k {
	case Read:
		idempotent = true
	case Update:
		destructive, idempotent = true, true
	case Switch:
		idempotent = true
	case Delete:
		destructive = true
	case Run:
		destructive, openWorld = true, true
	case Check:
		idempotent, openWorld = true, true
	}
	return &mcp.ToolAnnotations{
		ReadOnlyHint:    k == Read,
		DestructiveHint: &destructive,
		IdempotentHint:  idempotent,
		OpenWorldHint:   &openWorld,
	}
}

// effect is how makeapi may repeat the kind's call after a failure that
// left its outcome unknown. Runs are repeated only after a 429, which Make
// answers before doing anything; scenarios_run, whose 429 promises no
// such thing, never repeats its run at all.
func (k Kind) effect() makeapi.Effect {
	switch k {
	case Read:
		return makeapi.Reads
	case Create, Run:
		return makeapi.Creates
	}
	return makeapi.Sets
}

// asks reports whether a tool of this kind asks the user before it acts.
func (k Kind) asks() bool { return k == Delete }

// String names the kind as `tools list` shows it.
func (k Kind) String() string {
	switch k {
	case Read:
		return "read"
	case Create:
		return "create"
	case Update:
		return "update"
	case Switch:
		return "switch"
	case Delete:
		return "delete"
	case Run:
		return "run"
	case Check:
		return "check"
	}
	return "unknown"
}
