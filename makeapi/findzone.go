package makeapi

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// DefaultFindZoneTimeout bounds FindZone when its context has no earlier
// deadline.
const DefaultFindZoneTimeout = 20 * time.Second

// FindZone returns the zone, among candidates, where the credential
// lives: it asks every candidate at once who the credential belongs to
// (GET /users/me) and returns the first that knows it. Make keeps each
// account in one zone, and a zone that does not know a credential answers
// 401; a 403 (a token without the user:read scope) comes from the zone
// that knows it.
//
// Candidates default to KnownZones. Each is a zone as Options.Zone takes
// it, and is returned as given. o.Zone is ignored; the other options apply
// to every request, AllowedHosts included, so a candidate that is neither
// one of Make's zones nor allowed is an error before anything is sent.
func FindZone(ctx context.Context, o Options, candidates ...string) (string, error) {
	if len(candidates) == 0 {
		candidates = knownZones
	}
	clients := make([]*Client, len(candidates))
	for i, z := range candidates {
		o.Zone = z
		c, err := New(o)
		if err != nil {
			return "", err
		}
		clients[i] = c
	}
	ctx, cancel := context.WithTimeoutCause(ctx, DefaultFindZoneTimeout,
		fmt.Errorf("no answer within %s: %w", DefaultFindZoneTimeout, ErrTimeout))
	defer cancel()

	type answer struct {
		i   int
		err error
	}
	answers := make(chan answer, len(clients))
	for i, c := range clients {
		go func() {
			_, err := c.Me(ctx)
			answers <- answer{i, err}
		}()
	}
	// failed lists the zones that could not say, in the candidates' order.
	failed := make([]string, len(candidates))
	for range clients {
		a := <-answers
		switch {
		case a.err == nil, IsForbidden(a.err):
			return candidates[a.i], nil
		case IsUnauthorized(a.err):
		default:
			failed[a.i] = fmt.Sprintf("%s (%v)", candidates[a.i], a.err)
		}
	}
	var unknown []string
	for _, f := range failed {
		if f != "" {
			unknown = append(unknown, f)
		}
	}
	if len(unknown) > 0 {
		return "", fmt.Errorf("no zone accepted the credential, and these could not tell: %s: try again, or name the zone with --zone",
			strings.Join(unknown, "; "))
	}
	return "", fmt.Errorf("%w: none of %s accepted it: check the token, or name the zone with --zone",
		ErrNoZone, strings.Join(candidates, ", "))
}

// ErrNoZone is in the chain of FindZone's error when every candidate zone
// refused the credential.
var ErrNoZone = errors.New("the credential is not valid in any zone")
