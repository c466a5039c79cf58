//go:build (dragonfly && cgo) || (freebsd && cgo) || linux || netbsd || openbsd

// The build constraint is go-keyring's for its Secret Service provider.

package keychain

import (
	"errors"
	"fmt"
	"net"
	"os"
	"strings"

	"github.com/godbus/dbus/v5"
)

// platformCheck refuses to use the Secret Service without a session bus.
// go-keyring's D-Bus library would otherwise run dbus-launch, which starts
// a dbus-daemon that outlives makemcp (on a server, over SSH, in a
// container) and still offers no keyring. The places checked are the
// library's own: the environment variable, then the systemd user bus.
func platformCheck() error {
	if addr := os.Getenv("DBUS_SESSION_BUS_ADDRESS"); addr != "" && addr != "autolaunch:" {
		return nil
	}
	runtimeDir := fmt.Sprintf("/run/user/%d", os.Getuid())
	for _, name := range []string{"bus", "dbus-session"} {
		if _, err := os.Stat(runtimeDir + "/" + name); err == nil {
			return nil
		}
	}
	return unavailable("no D-Bus session: DBUS_SESSION_BUS_ADDRESS is not set", nil)
}

// platformReason says in a few words why the Secret Service failed.
func platformReason(err error) string {
	var dbusErr dbus.Error
	var netErr *net.OpError
	switch {
	case errors.As(err, &dbusErr):
		switch dbusErr.Name {
		case "org.freedesktop.DBus.Error.ServiceUnknown", "org.freedesktop.DBus.Error.NameHasNoOwner":
			return "no Secret Service on the D-Bus session; is gnome-keyring or KWallet running?"
		case "org.freedesktop.Secret.Error.IsLocked":
			return "the keyring is locked"
		}
		return "Secret Service error " + dbusErr.Name
	case errors.As(err, &netErr), strings.HasPrefix(err.Error(), "dbus: "):
		return "cannot connect to the D-Bus session"
	case strings.HasPrefix(err.Error(), "failed to unlock correct collection"):
		// go-keyring's error when the unlock prompt was dismissed or
		// could not be shown (no display).
		return "the keyring is locked and could not be unlocked"
	}
	return "Secret Service: " + err.Error()
}
