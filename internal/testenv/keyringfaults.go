package testenv

import (
	"bytes"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"
)

// Faults of the OS keychain for reliability tests: a keyring that is
// unlocked again after Lock, and a Secret Service that goes away and
// comes back with the same keyring.

// secret is the Secret Service's Secret struct (oayays).
type secret struct {
	Session     dbus.ObjectPath
	Parameters  []byte
	Value       []byte
	ContentType string
}

// Unlock unlocks the login keyring with its password ("pw"), as the
// person does at the desktop's unlock prompt. The Secret Service's own
// Unlock needs a prompt, and so a display; gnome-keyring takes the
// password directly on its internal interface.
func (s *SecretService) Unlock(t testing.TB) {
	t.Helper()
	conn := s.connect(t)
	service := conn.Object(secretsName, secretsPath)
	var output dbus.Variant
	var session dbus.ObjectPath
	if err := service.Call("org.freedesktop.Secret.Service.OpenSession", 0, "plain", dbus.MakeVariant("")).Store(&output, &session); err != nil {
		t.Fatalf("open a Secret Service session: %v", err)
	}
	err := service.Call("org.gnome.keyring.InternalUnsupportedGuiltRiddenInterface.UnlockWithMasterPassword", 0,
		loginCollection, secret{Session: session, Parameters: []byte{}, Value: []byte("pw"), ContentType: "text/plain"}).Err
	if err != nil {
		t.Fatalf("unlock the login keyring: %v", err)
	}
}

// RestartableSecretService is a Secret Service whose daemon can be killed
// and started again on the same bus with the same keyring files: the
// keychain disappears from the session (as when gnome-keyring crashes)
// and comes back holding what it held.
type RestartableSecretService struct {
	*SecretService
	dir  string
	stop func()
}

// StartRestartableSecretService starts a private bus and gnome-keyring on
// it, like StartSecretService. Both stop when the test ends.
func StartRestartableSecretService(t testing.TB) *RestartableSecretService {
	t.Helper()
	r := &RestartableSecretService{SecretService: &SecretService{BusAddress: SessionBus(t)}, dir: socketDir(t)}
	r.Start(t)
	t.Cleanup(func() { r.Kill(t) })
	return r
}

// Kill kills the daemon (SIGKILL) and waits until the Secret Service is
// gone from the bus.
func (r *RestartableSecretService) Kill(t testing.TB) {
	t.Helper()
	if r.stop == nil {
		return
	}
	r.stop()
	r.stop = nil
	conn := r.connect(t)
	deadline := time.Now().Add(10 * time.Second)
	for {
		var owned bool
		err := conn.BusObject().Call("org.freedesktop.DBus.NameHasOwner", 0, secretsName).Store(&owned)
		if err == nil && !owned {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the Secret Service is still on the bus 10 s after its daemon was killed (%v)", err)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// Start starts the daemon (again) with the keyring files it had, unlocks
// the login keyring and waits until it is served.
func (r *RestartableSecretService) Start(t testing.TB) {
	t.Helper()
	if r.stop != nil {
		t.Fatal("the Secret Service is already running")
	}
	gk := LookPath(t, "gnome-keyring-daemon")
	cmd := exec.Command(gk, "--foreground", "--unlock", "--components=secrets")
	cmd.Env = append(Environ("DBUS_SESSION_BUS_ADDRESS", "DISPLAY", "WAYLAND_DISPLAY"),
		"DBUS_SESSION_BUS_ADDRESS="+r.BusAddress,
		"XDG_DATA_HOME="+filepath.Join(r.dir, "data"),
		"XDG_RUNTIME_DIR="+r.dir,
	)
	cmd.Stdin = strings.NewReader("pw")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatalf("start gnome-keyring-daemon: %v", err)
	}
	r.stop = killer(cmd)
	r.Daemon = cmd.Process
	conn := r.connect(t)
	deadline := time.Now().Add(10 * time.Second)
	for {
		var collections dbus.Variant
		err := conn.Object(secretsName, secretsPath).Call("org.freedesktop.DBus.Properties.Get", 0,
			"org.freedesktop.Secret.Service", "Collections").Store(&collections)
		if paths, ok := collections.Value().([]dbus.ObjectPath); err == nil && ok && slices.Contains(paths, loginCollection) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("gnome-keyring-daemon did not serve its login keyring within 10s (last error: %v)\n%s", err, stderr.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}
