package testenv

import (
	"slices"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"
)

// Faults of the OS keychain for reliability tests: a keyring that is
// locked and unlocked again, and a Secret Service that goes away and comes
// back with the same keyring.

// secret is the Secret Service's Secret struct (oayays).
type secret struct {
	Session     dbus.ObjectPath
	Parameters  []byte
	Value       []byte
	ContentType string
}

// Lock locks the login keyring, as the desktop does on a screen lock.
func (s *SecretService) Lock(t testing.TB) {
	t.Helper()
	var locked []dbus.ObjectPath
	var prompt dbus.ObjectPath
	err := s.connect(t).Object(secretsName, secretsPath).Call("org.freedesktop.Secret.Service.Lock", 0,
		[]dbus.ObjectPath{loginCollection}).Store(&locked, &prompt)
	if err != nil || !slices.Contains(locked, loginCollection) {
		t.Fatalf("lock the login keyring: locked %v, err %v", locked, err)
	}
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

// Kill kills the daemon (SIGKILL) and waits until the Secret Service is
// gone from the bus.
func (s *SecretService) Kill(t testing.TB) {
	t.Helper()
	if s.stop == nil {
		return
	}
	s.stop()
	s.stop = nil
	conn := s.connect(t)
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
