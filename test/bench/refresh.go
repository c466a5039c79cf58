package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

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

// httpClient bounds every request the bench makes itself.
var httpClient = &http.Client{Timeout: 30 * time.Second}

// tokenRefresh logs makemcp in with --insecure-storage (a file store in a
// fresh MAKEMCP_CONFIG_DIR) and makes concurrent tool calls over one MCP
// session on an expired access token, twice: once with the token expired
// before serve starts, once with it expiring while serve runs (serve then
// holds it in memory). It reports the refreshes the OAuth server counted.
func tokenRefresh(ctx context.Context, b *bench, c config) ([]row, error) {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	o, err := startOAuthServer(ctx, b)
	if err != nil {
		return nil, err
	}
	defer o.stop()
	fake, err := makefake.New(makefake.Options{Seed: makefake.Demo, VerifyBearer: o.verify})
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

func refreshCase(ctx context.Context, b *bench, o *oauthServer, fake *makefake.Server, expireFirst bool, n int) (refreshResult, error) {
	dir, err := os.MkdirTemp(b.tmp, "profile-")
	if err != nil {
		return refreshResult{}, err
	}
	env := append(baseEnv(), "MAKEMCP_CONFIG_DIR="+dir)
	if err := login(ctx, b, env, o, fake.Zone()); err != nil {
		return refreshResult{}, err
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
	before, err := o.stats(ctx)
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
	after, err := o.stats(ctx)
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
				err = errors.New(contentText(res))
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

// login runs `makemcp login --no-browser --insecure-storage` and plays the
// browser: it follows the URL makemcp prints (the OAuth server redirects
// straight to makemcp's loopback callback).
func login(ctx context.Context, b *bench, env []string, o *oauthServer, zone string) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, b.makemcp, "login", "--no-browser", "--insecure-storage",
		"--issuer", o.url, "--client-id", clientID, "--zone", zone, "--port", "0")
	// Only login sees the secret; the credential carries what refreshes need.
	cmd.Env = slices.Concat(env, []string{"MAKEMCP_CLIENT_SECRET=" + clientSecret})
	cmd.WaitDelay = time.Second
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	var out strings.Builder
	var followed bool
	var followErr error
	s := bufio.NewScanner(stderr)
	for s.Scan() {
		line := strings.TrimSpace(s.Text())
		out.WriteString(line + "\n")
		if !followed && strings.HasPrefix(line, o.url+"/") {
			followed = true
			followErr = follow(ctx, line)
		}
	}
	if err := cmd.Wait(); err != nil || followErr != nil {
		return fmt.Errorf("makemcp login: %v %v\n%s", err, followErr, out.String())
	}
	return nil
}

// follow opens a URL as a browser would, redirects and all.
func follow(ctx context.Context, u string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	resp, err := httpClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s answered %s", resp.Request.URL, resp.Status)
	}
	return nil
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

// oauthServer is a running test/oauth-server.mjs.
type oauthServer struct {
	url   string
	cmd   *exec.Cmd
	stdin io.Closer
}

func startOAuthServer(ctx context.Context, b *bench) (*oauthServer, error) {
	cmd := exec.CommandContext(ctx, b.node, filepath.Join(b.root, "test", "oauth-server.mjs"), "--watch-stdin",
		"--client-id", clientID, "--client-secret", clientSecret,
		"--access-ttl", fmt.Sprint(int(accessTTL/time.Second)), "--refresh", "rotate")
	cmd.Dir = filepath.Join(b.root, "test")
	cmd.Env = baseEnv()
	stderr := &lockedBuffer{}
	cmd.Stderr = stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start test/oauth-server.mjs: %w", err)
	}
	o := &oauthServer{cmd: cmd, stdin: stdin}
	line := make(chan string, 1)
	go func() {
		s := bufio.NewScanner(stdout)
		if s.Scan() {
			line <- s.Text()
		}
		close(line)
		_, _ = io.Copy(io.Discard, stdout)
	}()
	select {
	case u := <-line:
		if !strings.HasPrefix(u, "http://127.0.0.1:") {
			o.stop()
			return nil, fmt.Errorf("test/oauth-server.mjs did not start: %q\n%s", u, stderr.String())
		}
		o.url = u
		return o, nil
	case <-time.After(30 * time.Second):
		o.stop()
		return nil, fmt.Errorf("test/oauth-server.mjs printed no URL within 30 s\n%s", stderr.String())
	}
}

// stop closes the server's stdin, on which it exits (--watch-stdin), and
// makes sure it did.
func (o *oauthServer) stop() {
	_ = o.stdin.Close()
	done := make(chan struct{})
	go func() { _ = o.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		_ = o.cmd.Process.Kill()
		<-done
	}
}

// oauthStats are the server's counters (GET /_admin/stats).
type oauthStats struct {
	Refreshes         int `json:"refreshes"`
	RefreshesRejected int `json:"refreshesRejected"`
}

func (o *oauthServer) stats(ctx context.Context) (oauthStats, error) {
	var st oauthStats
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, o.url+"/_admin/stats", nil)
	if err != nil {
		return st, err
	}
	resp, err := httpClient.Do(req)
	if err != nil {
		return st, fmt.Errorf("OAuth server stats: %w", err)
	}
	defer resp.Body.Close()
	return st, json.NewDecoder(resp.Body).Decode(&st)
}

// verify accepts a Bearer token while the OAuth server says it is a live
// access token, as Make does with its own tokens.
func (o *oauthServer) verify(token string) ([]string, error) {
	resp, err := httpClient.PostForm(o.url+"/_admin/token-status", url.Values{"token": {token}})
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var st struct{ Kind, Status string }
	if err := json.NewDecoder(resp.Body).Decode(&st); err != nil {
		return nil, err
	}
	if st.Kind != "access" || st.Status != "active" {
		return nil, fmt.Errorf("%s %s token", st.Status, st.Kind)
	}
	return makefake.AllScopes, nil
}
