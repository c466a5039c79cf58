//go:build unix

package main

import (
	"io"
	"strings"
	"testing"

	"github.com/creack/pty"

	"github.com/makemcp/makemcp/makeapi/makefake"
)

// On a terminal, token says which header the token goes in; into a pipe
// (TestTokenHeader) it prints the token alone.
func TestTokenSaysWhichHeaderOnATerminal(t *testing.T) {
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Skipf("no pseudo-terminal here: %v", err)
	}
	defer ptmx.Close()
	defer tty.Close()
	shown := make(chan string, 1)
	go func() {
		b, _ := io.ReadAll(ptmx) // until tty closes
		shown <- string(b)
	}()
	f := fakeMake(t)
	env := map[string]string{"MAKEMCP_CONFIG_DIR": t.TempDir(), "MAKE_API_TOKEN": makefake.DemoToken, "MAKEMCP_ZONE": f.Zone()}
	var out strings.Builder
	code := Main(t.Context(), newFactory(ioStreams{In: strings.NewReader(""), Out: &out, Err: tty}, func(k string) string { return env[k] }), []string{"token"})
	tty.Close()
	if code != 0 || out.String() != makefake.DemoToken+"\n" {
		t.Fatalf("token: exit %d, stdout %q", code, out.String())
	}
	if s := <-shown; !strings.Contains(s, `Send it in the header "Authorization: Token <token>", or print the whole header with makemcp token --header.`) {
		t.Errorf("the terminal showed %q", s)
	}
}
