// Package makeapi is a typed client for Make's REST API
// (https://{zone}/api/v2). It knows nothing of MCP: the tools package turns
// its calls into tools, and the makefake package serves the same API in
// memory for tests and for `makemcp serve --demo`.
//
// # Requests
//
// Every call asks the TokenSource for a credential first, so a token
// refreshed by one call is used by the next; the token type picks the
// scheme, "Authorization: Bearer" for OAuth access tokens or
// "Authorization: Token" for Make API tokens. Calls send what Make's own
// TypeScript SDK (@makehq/sdk) sends; the comments on each call say where
// that matters.
//
// # Zones
//
// Make runs the API separately in each zone (eu1.make.com, us1.make.com,
// ...), and an organization lives in one zone. The client routes calls so:
//
//   - A call about an organization goes to that organization's zone, as
//     listed by Organizations (or told by Remember).
//   - A call about a team goes to the zone of the team's organization. The
//     client learns which organization a team belongs to from team listings
//     and team gets; when it does not know, and the user's organizations
//     span one zone, it uses that zone; otherwise it asks each zone for the
//     team (GET /teams/{id}) and remembers the answer.
//   - Before the organizations are listed, a call about an organization or
//     team the client knows nothing of goes to the configured zone, where
//     most accounts live, with no lookup first. Only when Make refuses it
//     there (403 or 404, answered before acting, so even a creation may be
//     sent again) does the client list the organizations, once, and send
//     the call on to the zone they name.
//   - A call about a scenario, hook, connection, data store, data structure
//     or incomplete execution goes to the zone of its team when an earlier
//     answer named that team, else to the configured zone.
//   - Anything else (the user, the organization list) goes to the
//     configured zone.
//
// Make reports zones as bare hosts; a reported host equal to the configured
// zone's host (port included) is reached at the configured base URL,
// scheme and all, any other host over https.
//
// # Retries
//
// A call is attempted at most Options.MaxAttempts times. After a 429 the
// client waits as long as Retry-After says (seconds or an HTTP date), or
// backs off exponentially with jitter when it does not say; 429 is retried
// for every call except a scenario run, since Make answers it before doing
// any work. 5xx answers, dropped connections and attempts that timed out
// are retried only for calls that are safe to repeat (reads, deletes and
// updates that set a value); creations are not, and a scenario run never
// is. The waits of one call add up to at most Options.MaxRetryWait and
// never outlive its context: a wait that would end after the context's
// deadline is not started, and cancelling the context ends a wait at once.
//
// # Errors
//
// Make's error answers become an *Error whose Error method is one line:
// the status, Make's detail (else its message), every suberror and Make's
// error code. IsNotFound, IsUnauthorized, IsForbidden and IsRateLimited
// classify them. Errors from the TokenSource are returned wrapped, never
// retried.
package makeapi
