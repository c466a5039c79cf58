package reliability

import (
	"bytes"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/makemcp/makemcp/internal/testenv"
)

// TestStopDuringRefreshKeepsSession stops makemcp the polite ways while
// its refresh request is on its way to the OAuth server: SIGTERM (what a
// service manager or an MCP host sends), SIGINT (Ctrl-C), and for serve
// the host closing its stdin. The server rotates the refresh token
// whatever becomes of the client, so makemcp must finish the refresh and
// save the new credential before it exits; otherwise the session is lost,
// as after a SIGKILL. Unlike SIGKILL, these can be waited out, so no
// session may be lost to them.
//
// A signal cancels the command's context and Source.Token stops waiting,
// but the refresh goes on in the background, and the program waits for
// it (Source.Wait) before it exits, so the rotated token is saved.
func TestStopDuringRefreshKeepsSession(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		serve bool
		stop  func(cmd *exec.Cmd, s *served)
	}{
		{"token/SIGTERM", false, func(cmd *exec.Cmd, _ *served) { _ = cmd.Process.Signal(syscall.SIGTERM) }},
		{"token/SIGINT", false, func(cmd *exec.Cmd, _ *served) { _ = cmd.Process.Signal(syscall.SIGINT) }},
		{"serve/SIGTERM", true, func(_ *exec.Cmd, s *served) { _ = s.cmd.Process.Signal(syscall.SIGTERM) }},
		{"serve/stdin closed", true, func(_ *exec.Cmd, s *served) { go s.cs.Close() }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			m := newMachine(t, machineOptions{accessTTL: 2 * time.Second})
			m.login()
			var s *served
			var cmd *exec.Cmd
			var exited chan struct{}
			if c.serve {
				s = m.serve(nil)
				exited = s.exited
			} else {
				cmd = exec.Command(m.Bin, "token")
				cmd.Env = m.Env
				exited = make(chan struct{})
			}
			m.waitDue()
			started := make(chan struct{}) // closed once cmd.Process is set
			if c.serve {
				close(started)
			}
			m.proxy.setHook(func(st tokenStage) {
				if st != tokenSent {
					return
				}
				<-started
				c.stop(cmd, s)
				// Give makemcp time to act on it before the server's
				// answer comes back.
				select {
				case <-exited:
				case <-time.After(500 * time.Millisecond):
				}
			})
			var stderr bytes.Buffer
			if c.serve {
				go func() { _, _ = s.cs.CallTool(t.Context(), mcpCall("users_me")) }()
			} else {
				var stdout bytes.Buffer
				cmd.Stdout, cmd.Stderr = &stdout, &stderr
				if err := cmd.Start(); err != nil {
					t.Fatal(err)
				}
				close(started)
				go func() {
					_ = cmd.Wait()
					close(exited)
				}()
				defer func() {
					m.Record(testenv.Result{Args: []string{"token"}, Stdout: stdout.String(), Stderr: stderr.String()})
				}()
			}
			select {
			case <-exited:
			case <-time.After(testenv.RunGuard):
				t.Fatalf("makemcp did not end within %s of being stopped", testenv.RunGuard)
			}
			m.proxy.setHook(nil)
			m.proxy.settle()
			if m.OAuth.Stats(t).Refreshes == 0 {
				t.Fatal("the refresh never reached the OAuth server")
			}
			if !m.sessionUsable() {
				how := strings.TrimSpace(stderr.String())
				if s != nil {
					lines := strings.Split(strings.TrimSpace(s.log()), "\n")
					how = strings.Join(lines[max(0, len(lines)-4):], "\n")
				}
				t.Errorf("stopping makemcp during a refresh lost the session; it said: %s", how)
			}
		})
	}
}
