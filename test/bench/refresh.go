package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"sync"
	"time"

	"github.com/makemcp/makemcp/internal/testenv"
	"github.com/makemcp/makemcp/makeapi/makefake"
	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// The refresh path runs against test/oauth-server.mjs (oauth2-mock-server,
// made strict: rotating single-use refresh tokens) with short-lived access
// tokens, and the fake Make accepting a Bearer token while that server
// calls it a live access token.
const (
	accessTTL    = 3 * time.Second
	clientID     = "makemcp-bench"
	clientSecret = "makemcp-bench-confidential-client-secret"
)

// tokenRefresh logs makemcp in with --insecure-storage (a file store in a
// fresh MAKEMCP_CONFIG_DIR) and makes concurrent tool calls over one MCP
// session on an expired access token, twice: once with the token expired
// before serve starts, once with it expiring while serve runs (serve then
// holds it in memory). It reports the refreshes the OAuth server counted.
func tokenRefresh(ctx context.Context, b *bench, c config) ([]row, error) {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	o, err := testenv.LaunchOAuthServer(testenv.OAuthServerOptions{
		ClientID: clientID, ClientSecret: clientSecret, AccessTTL: accessTTL, Refresh: "rotate"})
	if err != nil {
		return nil, err
	}
	defer o.Stop()
	// Make accepts a Bearer token while the OAuth server calls it a live
	// access token, as Make does with its own tokens.
	verify := func(token string) ([]string, error) {
		if err := o.AcceptsAccessToken(token); err != nil {
			return nil, err
		}
		return makefake.AllScopes, nil
	}
	fake, err := makefake.New(makefake.Options{Seed: makefake.Demo, VerifyBearer: verify})
	if err != nil {
		return nil, err
	}
	fake.Start()
	defer fake.Close()

	var rows []row
	for _, expireFirst := range []bool{true, false} {
		res, err := refreshCase(ctx, b, o, fake, expireFirst, c.refreshCalls)
		if err != nil {
			return nil, err
		}
		when := "while serve runs"
		if expireFirst {
			when = "before serve starts"
		}
		rows = append(rows, row{
			measure: fmt.Sprintf("refresh: %d concurrent tool calls, access token expired %s", c.refreshCalls, when),
			makemcp: fmt.Sprintf("%d refresh(es), %d rejected, %d of %d calls failed",
				res.refreshes, res.rejected, res.failed, c.refreshCalls),
			official: "no OAuth (API key only)",
			target:   "exactly 1 refresh, no failed call",
			ok:       verdict(res.refreshes == 1 && res.rejected == 0 && res.failed == 0),
		})
	}
	return rows, nil
}

type refreshResult struct{ refreshes, rejected, failed int }

func refreshCase(ctx context.Context, b *bench, o *testenv.OAuthServer, fake *makefake.Server, expireFirst bool, n int) (refreshResult, error) {
	dir, err := os.MkdirTemp(b.tmp, "profile-")
	if err != nil {
		return refreshResult{}, err
	}
	// serve reads the fake's zone from config.json, where a zone must be
	// Make's own or allowed.
	env := append(baseEnv(), "MAKEMCP_CONFIG_DIR="+dir, "MAKEMCP_ALLOWED_HOSTS=127.0.0.1")
	// Only login sees the secret; the credential carries what refreshes need.
	_, stderr, code, err := testenv.LoginNoBrowser(b.makemcp, slices.Concat(env, []string{"MAKEMCP_CLIENT_SECRET=" + clientSecret}),
		o.URL, "--insecure-storage", "--issuer", o.URL, "--client-id", clientID, "--zone", fake.Zone(), "--port", "0")
	if err != nil || code != 0 {
		return refreshResult{}, fmt.Errorf("makemcp login (exit %d): %v\n%s", code, err, stderr)
	}
	expiry, err := expiresAt(ctx, b, env)
	if err != nil {
		return refreshResult{}, err
	}
	// status gives the expiry in whole seconds, so the token may live up
	// to a second longer; past that, a margin makes sure the OAuth server
	// agrees it is dead.
	waitExpired := func() error { return sleep(ctx, time.Until(expiry.Add(time.Second+300*time.Millisecond))) }
	if expireFirst {
		if err := waitExpired(); err != nil {
			return refreshResult{}, err
		}
	}
	before, err := o.ReadStats()
	if err != nil {
		return refreshResult{}, err
	}
	serve := server{name: "makemcp", command: func(ctx context.Context, _ *fakeMake) *exec.Cmd {
		cmd := exec.CommandContext(ctx, b.makemcp, "serve")
		cmd.Env = env
		return cmd
	}}
	sess, err := open(ctx, serve, nil)
	if err != nil {
		return refreshResult{}, err
	}
	defer sess.close()
	if !expireFirst {
		if err := waitExpired(); err != nil {
			return refreshResult{}, err
		}
	}
	failed := concurrentCalls(ctx, sess, n)
	after, err := o.ReadStats()
	if err != nil {
		return refreshResult{}, err
	}
	return refreshResult{
		refreshes: after.Refreshes - before.Refreshes,
		rejected:  after.RefreshesRejected - before.RefreshesRejected,
		failed:    failed,
	}, nil
}

// concurrentCalls calls users_me n times at once and returns how many
// failed.
func concurrentCalls(ctx context.Context, sess *session, n int) int {
	var wg sync.WaitGroup
	var mu sync.Mutex
	failed := 0
	for range n {
		wg.Go(func() {
			res, err := sess.CallTool(ctx, &mcp.CallToolParams{Name: "users_me"})
			if err == nil && res.IsError {
				err = errors.New(testenv.ToolText(res))
			}
			if err != nil {
				mu.Lock()
				if failed == 0 {
					progress("a users_me call failed: %v", err)
				}
				failed++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	return failed
}

// expiresAt asks `makemcp status --json` when the access token expires.
func expiresAt(ctx context.Context, b *bench, env []string) (time.Time, error) {
	cmd := exec.CommandContext(ctx, b.makemcp, "status", "--json")
	cmd.Env = env
	out, err := cmd.Output()
	if err != nil {
		return time.Time{}, fmt.Errorf("makemcp status --json: %v", err)
	}
	var st struct {
		ExpiresAt time.Time `json:"expiresAt"`
	}
	if err := json.Unmarshal(out, &st); err != nil || st.ExpiresAt.IsZero() {
		return time.Time{}, fmt.Errorf("makemcp status --json gave no expiresAt: %s", out)
	}
	return st.ExpiresAt, nil
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
