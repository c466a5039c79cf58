// Package reliability drives the built makemcp binary through faults, as
// a user's machine would meet them: Make (its one fake, makefake, in the
// test process) answering 429 bursts, 5xx, dropped connections, slow or
// malformed answers; the OAuth server (test/oauth-server.mjs, behind a
// small proxy that can take it down, make it fail or hang) refusing or not
// answering a refresh; the OS keychain (a private gnome-keyring) locked
// or gone. Every case must end in a clear tool error within its bound,
// with serve still up, the next call working once the fault clears, and
// the stored credential never lost or damaged.
//
// It also kills `makemcp token` with SIGKILL at random moments of a token
// refresh, many times, and reports how many sessions stay usable
// (MAKEMCP_SIGKILL_RUNS sets how many runs; the default suits CI).
//
// Every output of every run (stdout, stderr, the config folder) is
// searched for the tokens the OAuth server issued, and every line serve
// writes to stdout must be a JSON-RPC message.
//
// The package has no code of its own: it is all tests. Run it with the
// real components required:
//
//	MAKEMCP_REQUIRE_REAL=1 go test ./test/reliability/
package reliability
