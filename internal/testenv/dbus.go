package testenv

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"
)

// SessionBus starts a private D-Bus session bus for one test and returns
// its address (for DBUS_SESSION_BUS_ADDRESS). The bus activates no
// services: only what the test starts itself is on it, so a missing
// Secret Service stays missing. The bus stops when the test ends.
func SessionBus(t testing.TB) string {
	t.Helper()
	daemon := LookPath(t, "dbus-daemon")
	dir := socketDir(t)
	config := filepath.Join(dir, "bus.conf")
	if err := os.WriteFile(config, []byte(fmt.Sprintf(busConfig, filepath.Join(dir, "bus"))), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(daemon, "--config-file="+config, "--print-address", "--nofork")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatalf("start dbus-daemon: %v", err)
	}
	stop := killer(cmd)
	t.Cleanup(stop)
	addr, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		stop()
		t.Fatalf("dbus-daemon printed no address: %v\n%s", err, stderr.String())
	}
	return strings.TrimSpace(addr)
}

// busConfig is a session bus listening on one socket, with no service
// directories (so no activation) and everything allowed.
const busConfig = `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path=%s</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`

// SecretService is a real gnome-keyring-daemon serving the Secret Service
// on a private session bus, with a fresh login keyring (password "pw").
// Its daemon can be killed and started again on the same bus with the
// same keyring files (Kill, Start): the keychain disappears from the
// session, as when gnome-keyring crashes, and comes back holding what it
// held.
type SecretService struct {
	// BusAddress is the value for DBUS_SESSION_BUS_ADDRESS.
	BusAddress string
	// Daemon is the gnome-keyring-daemon process, for tests that stop it
	// to make it hang.
	Daemon *os.Process

	dir  string // the daemon's keyring files and control socket
	stop func()
}

const (
	secretsName     = "org.freedesktop.secrets"
	secretsPath     = dbus.ObjectPath("/org/freedesktop/secrets")
	loginCollection = dbus.ObjectPath("/org/freedesktop/secrets/collection/login")
)

// StartSecretService starts gnome-keyring-daemon on a private bus
// (SessionBus), with its keyring files in a temporary folder, and waits
// until the unlocked login keyring is served. Both processes stop when the
// test ends.
func StartSecretService(t testing.TB) *SecretService {
	t.Helper()
	s := &SecretService{BusAddress: SessionBus(t), dir: socketDir(t)}
	s.Start(t)
	t.Cleanup(func() { s.Kill(t) })
	return s
}

// Start starts the daemon (again) with the keyring files it had, unlocks
// the login keyring and waits until it is served.
func (s *SecretService) Start(t testing.TB) {
	t.Helper()
	if s.stop != nil {
		t.Fatal("the Secret Service is already running")
	}
	gk := LookPath(t, "gnome-keyring-daemon")
	cmd := exec.Command(gk, "--foreground", "--unlock", "--components=secrets")
	cmd.Env = append(Environ("DBUS_SESSION_BUS_ADDRESS", "DISPLAY", "WAYLAND_DISPLAY"),
		"DBUS_SESSION_BUS_ADDRESS="+s.BusAddress,
		"XDG_DATA_HOME="+filepath.Join(s.dir, "data"),
		"XDG_RUNTIME_DIR="+s.dir, // its control socket, instead of ~/.cache
	)
	cmd.Stdin = strings.NewReader("pw") // --unlock reads the password here
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatalf("start gnome-keyring-daemon: %v", err)
	}
	s.stop = killer(cmd)
	s.Daemon = cmd.Process
	conn := s.connect(t)
	deadline := time.Now().Add(10 * time.Second)
	for {
		var collections dbus.Variant
		err := conn.Object(secretsName, secretsPath).Call("org.freedesktop.DBus.Properties.Get", 0,
			"org.freedesktop.Secret.Service", "Collections").Store(&collections)
		if paths, ok := collections.Value().([]dbus.ObjectPath); err == nil && ok && slices.Contains(paths, loginCollection) {
			return
		}
		if time.Now().After(deadline) {
			s.stop()
			t.Fatalf("gnome-keyring-daemon did not serve its login keyring within 10s (last error: %v)\n%s", err, stderr.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// connect opens a private connection to the bus, closed when the test
// ends. (dbus.SessionBus would cache a connection to the test process's
// own session bus instead.)
func (s *SecretService) connect(t testing.TB) *dbus.Conn {
	t.Helper()
	conn, err := dbus.Connect(s.BusAddress)
	if err != nil {
		t.Fatalf("connect to the private bus: %v", err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}

// Environ returns os.Environ() without the named variables, for a child
// process that must not inherit them. A name ending in * stands for every
// variable it begins.
func Environ(without ...string) []string {
	return slices.DeleteFunc(os.Environ(), func(kv string) bool {
		name, _, _ := strings.Cut(kv, "=")
		return slices.ContainsFunc(without, func(w string) bool {
			prefix, ok := strings.CutSuffix(w, "*")
			return name == w || ok && strings.HasPrefix(name, prefix)
		})
	})
}

// socketDir is a temporary folder with a short path: Unix socket paths
// must stay under about 100 bytes, which t.TempDir can exceed.
func socketDir(t testing.TB) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "makemcp-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

// killer kills and reaps a started process, once.
func killer(cmd *exec.Cmd) func() {
	var done bool
	return func() {
		if done {
			return
		}
		done = true
		cmd.Process.Kill()
		cmd.Wait()
	}
}
