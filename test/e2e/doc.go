// Package e2e drives the built makemcp binary the way its users do: a
// person at a shell (login in real Chromium against a real OAuth server,
// with the credential in a real gnome-keyring), scripts (token, status
// --json) and MCP hosts (the official TypeScript SDK client and the MCP
// Inspector CLI over stdio). Make itself is the one fake of its API,
// makefake, run inside the test process.
//
// The package has no code of its own: it is all tests. Run it with the
// real components required:
//
//	MAKEMCP_REQUIRE_REAL=1 ./scripts/test ./test/e2e/...
package e2e
