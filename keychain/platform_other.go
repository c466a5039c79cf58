//go:build !((dragonfly && cgo) || (freebsd && cgo) || linux || netbsd || openbsd)

package keychain

// platformCheck has nothing to check: the macOS keychain and Windows
// Credential Manager are always there.
func platformCheck() error { return nil }

// platformReason is the error of the macOS `security` tool or of Windows
// Credential Manager, which say little more than a status code.
func platformReason(err error) string { return "keychain error: " + err.Error() }
