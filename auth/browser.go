package auth

import (
	"errors"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strings"
)

// openSystemBrowser opens url in the user's browser: with the launcher
// the desktop provides (open on macOS, the URL handler on Windows,
// xdg-open or the Debian alternatives elsewhere), whose output is
// discarded, as it would go to stdout, which belongs to MCP in serve and
// to scripts in token.
//
// The launcher, and the browser it may start, get makemcp's environment
// without its secrets (see browserEnv): a browser has no use for a Make
// token or a client secret, and keeps running, with its extensions and
// crash reporters, long after makemcp has exited.
func openSystemBrowser(url string) error {
	cmd, err := launcher(url)
	if err != nil {
		return err
	}
	cmd.Env = browserEnv(os.Environ())
	return cmd.Run()
}

// launcher is the command that opens url, as pkg/browser and gh choose it.
func launcher(url string) (*exec.Cmd, error) {
	switch runtime.GOOS {
	case "darwin":
		return exec.Command("open", url), nil
	case "windows":
		return exec.Command("rundll32", "url.dll,FileProtocolHandler", url), nil
	}
	for _, name := range []string{"xdg-open", "x-www-browser", "www-browser"} {
		if path, err := exec.LookPath(name); err == nil {
			return exec.Command(path, url), nil
		}
	}
	return nil, errors.New("no xdg-open, x-www-browser or www-browser on PATH")
}

// secretWords mark environment variables that hold secrets, by the names
// people give them: GITHUB_TOKEN, AWS_SECRET_ACCESS_KEY, OPENAI_API_KEY,
// DB_PASSWORD...
var secretWords = []string{"TOKEN", "SECRET", "PASSWORD", "PASSWD", "CREDENTIAL", "API_KEY", "APIKEY", "ACCESS_KEY", "PRIVATE_KEY"}

// browserEnv is env without what a browser must not inherit: every
// MAKEMCP_* and MAKE_* variable (MAKEMCP_CLIENT_SECRET, MAKE_API_TOKEN),
// and any variable whose name says it holds a secret.
func browserEnv(env []string) []string {
	return slices.DeleteFunc(slices.Clone(env), func(kv string) bool {
		name, _, _ := strings.Cut(kv, "=")
		upper := strings.ToUpper(name)
		if strings.HasPrefix(upper, "MAKEMCP_") || strings.HasPrefix(upper, "MAKE_") {
			return true
		}
		return slices.ContainsFunc(secretWords, func(w string) bool { return strings.Contains(upper, w) })
	})
}
