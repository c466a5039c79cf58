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
// The credential goes only to Make's own zones (hosts under make.com and
// make.celonis.com, over https) and to the hosts in Options.AllowedHosts,
// which the caller fills with what the user named: the zone and issuer
// given as flags or variables, and MAKEMCP_ALLOWED_HOSTS (a private Make
// instance, a local fake). New refuses any other zone, and a call routed
// to any other host (a zone Make reported, or one remembered from an
// earlier session) fails with ErrHostNotAllowed before it is sent. A
// redirect is followed only within its origin: never to another host or
// port, never from https to plain http.
//
// A successful answer must hold what the call asks for: Make wraps each
// object it returns ({"scenario": {...}}), and an answer without it ({},
// or {"scenario": null}) is an error wrapping ErrIncompleteAnswer, not an
// object of zero values.
//
// A whole call, every attempt and wait included, ends after
// Options.CallTimeout (45 s by default), before an MCP host gives up on
// the tool (usually after 60 s), with an error wrapping ErrTimeout that
// says Make did not answer. Responsive scenario runs have their own wait
// instead, since Make holds them for up to 40 s.
//
// The client's own transport speaks HTTP/2 where the zone offers it, as
// Make's do: the many requests of a scenario load then share one
// connection and one TLS handshake.
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
// A zone may be given by its short name (eu1, eu2, us1, us2), its host or
// a base URL; KnownZones lists the hosts Make documents. When the zone of
// a credential is not known, FindZone asks each candidate zone at once
// who the credential belongs to (GET /users/me) and returns the one that
// knows it: a zone that does not answers 401. Candidates default to
// KnownZones; tests pass their own.
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
// never outlive its context or Options.CallTimeout: a wait that would end
// after the deadline is not started, and cancelling the context ends a
// wait at once. A certificate that fails verification is never retried:
// the error names the problem at once.
//
// # Errors
//
// Make's error answers become an *Error whose Error method is one line:
// the status, Make's detail (else its message), every suberror and Make's
// error code. IsNotFound, IsUnauthorized, IsForbidden and IsRateLimited
// classify them. Errors from the TokenSource are returned wrapped, never
// retried.
package makeapi
