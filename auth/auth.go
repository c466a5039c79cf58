// Package auth gets makemcp an OAuth access token for Make and keeps it
// valid: Login runs the authorization code flow with PKCE through a
// loopback redirect, Source hands out access tokens and refreshes them
// (once per process, and once across processes sharing a profile), and
// Revoke gives tokens back at logout. The commands in cmd/makemcp only
// orchestrate these mechanisms; where the credential is stored is the
// keychain package's business.
package auth

import "time"

// DefaultIssuer is Make's OAuth authorization server, one for every zone.
// Its endpoints are built in; any other issuer is discovered.
const DefaultIssuer = "https://www.make.com"

// DefaultPort is the loopback port of the login redirect
// http://127.0.0.1:47931/callback. It is fixed so that it can be
// registered with Make as the OAuth client's redirect URI; --port picks
// another, and --port 0 any free port for servers that accept every
// loopback port (RFC 8252, section 7.3).
const DefaultPort = 47931

// DefaultLoginTimeout is how long Login waits for the browser.
const DefaultLoginTimeout = 5 * time.Minute

// DefaultRefreshTimeout bounds one refresh: waiting for the profile's
// lock, re-reading the stored credential, the token request and saving
// the rotated credential.
const DefaultRefreshTimeout = 30 * time.Second
