package testenv

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gofrs/flock"
)

// zitadelModule is the OpenID provider example of zitadel/oidc, the
// strictest OAuth server that runs here.
const zitadelModule = "github.com/zitadel/oidc/v3/example/server@v3.52.0"

// Zitadel is a running zitadel/oidc example server. It knows a public
// native client (PKCE, any loopback port) and a confidential web client
// (secret, exact redirect URI), and one user.
type Zitadel struct {
	// Issuer is the issuer URL (http://localhost:PORT/, with the slash
	// the server puts there); endpoints come from discovery only.
	Issuer string
	// PublicClientID needs no secret and accepts
	// http://127.0.0.1:<any port>/callback.
	PublicClientID string
	// ConfidentialClientID with ClientSecret accepts only
	// http://127.0.0.1:<WebRedirectPort>/callback.
	ConfidentialClientID string
	ClientSecret         string
	WebRedirectPort      int
	// Username and Password log in on the server's HTML form.
	Username, Password string
}

var zitadelBuild struct {
	once sync.Once
	path string
	err  error
}

// zitadelServer builds the example server once into the user's cache
// folder (a few seconds the first time, through the Go module proxy).
func zitadelServer(t testing.TB) string {
	t.Helper()
	zitadelBuild.once.Do(func() {
		cache, err := os.UserCacheDir()
		if err != nil {
			zitadelBuild.err = err
			return
		}
		dir := filepath.Join(cache, "makemcp-test", "zitadel-oidc-v3.52.0")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			zitadelBuild.err = err
			return
		}
		bin := filepath.Join(dir, "server")
		// Several test binaries may build at once; the lock lets one
		// install while the others wait for its result.
		lock := flock.New(filepath.Join(dir, ".lock"))
		if err := lock.Lock(); err != nil {
			zitadelBuild.err = err
			return
		}
		defer lock.Unlock()
		if _, err := os.Stat(bin); err == nil {
			zitadelBuild.path = bin
			return
		}
		cmd := exec.Command("go", "install", zitadelModule)
		cmd.Env = append(os.Environ(), "GOBIN="+dir, "GOFLAGS=", "GOWORK=off")
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			zitadelBuild.err = fmt.Errorf("go install %s: %v\n%s", zitadelModule, err, out)
			return
		}
		zitadelBuild.path = bin
	})
	if zitadelBuild.err != nil {
		Missing(t, "zitadel/oidc example server", zitadelBuild.err.Error())
	}
	return zitadelBuild.path
}

// StartZitadel starts the zitadel/oidc example server on free ports and
// stops it when the test ends.
func StartZitadel(t testing.TB) *Zitadel {
	t.Helper()
	bin := zitadelServer(t)
	port, webPort := freePort(t), freePort(t)
	z := &Zitadel{
		Issuer:               fmt.Sprintf("http://localhost:%d/", port),
		PublicClientID:       "native",
		ConfidentialClientID: "web",
		ClientSecret:         "secret",
		WebRedirectPort:      webPort,
		Username:             "test-user@localhost",
		Password:             "verysecure",
	}
	cmd := exec.Command(bin)
	cmd.Env = append(os.Environ(),
		"PORT="+strconv.Itoa(port),
		// Any port for the native client (RFC 8252), one for the web client.
		fmt.Sprintf("REDIRECT_URI=http://127.0.0.1/callback,http://127.0.0.1:%d/callback", webPort),
	)
	logs := LockedBuffer{Max: 1 << 20}
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		t.Fatalf("start zitadel example server: %v", err)
	}
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-exited
		if t.Failed() {
			t.Logf("zitadel example server log (first MiB):\n%s", logs.String())
		}
	})
	discovery := z.Issuer + ".well-known/openid-configuration"
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := httpClient.Get(discovery)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return z
			}
		}
		select {
		case <-exited:
			t.Fatalf("zitadel example server exited:\n%s", logs.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("zitadel example server did not answer %s within 30 s:\n%s", discovery, logs.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

var loginIDField = regexp.MustCompile(`name="id" value="([^"]+)"`)

// SignIn plays the person at the browser: it follows the authorization
// URL to the server's login form, submits the user's name and password,
// and follows the redirects to the redirect URI. It suits
// auth.LoginOptions.OpenBrowser.
func (z *Zitadel) SignIn(authURL string) error {
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, Timeout: 30 * time.Second}
	resp, err := client.Get(authURL)
	if err != nil {
		return fmt.Errorf("open the authorization URL: %w", err)
	}
	page, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	resp.Body.Close()
	m := loginIDField.FindSubmatch(page)
	if resp.StatusCode != http.StatusOK || m == nil {
		return fmt.Errorf("no login form at %s (%s): %.300s", resp.Request.URL, resp.Status, page)
	}
	form := url.Values{"id": {string(m[1])}, "username": {z.Username}, "password": {z.Password}}
	resp, err = client.PostForm(strings.TrimSuffix(z.Issuer, "/")+"/login/username", form)
	if err != nil {
		return fmt.Errorf("submit the login form: %w", err)
	}
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("after the login form, %s answered %s: %.300s", resp.Request.URL, resp.Status, body)
	}
	return nil
}

// freePort returns a loopback port that was free a moment ago.
func freePort(t testing.TB) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}
