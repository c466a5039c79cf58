package keychain

import (
	"maps"
	"slices"
)

// itemLimits is, for each GOOS, the most bytes makemcp puts into one
// keychain item there, header line included; a longer credential is split
// across items (see Keyring). Each is within what the platform's keychain,
// as go-keyring reaches it, is documented to accept, which
// TestItemLimitsWithinPlatformLimits checks.
var itemLimits = map[string]int{
	// Windows Credential Manager holds at most CRED_MAX_CREDENTIAL_BLOB_SIZE
	// (5*512 = 2560) bytes of secret in one credential.
	"windows": 2560,
	// go-keyring hands the secret to macOS's `security -i` base64-encoded,
	// as one add-generic-password line, and refuses lines over 4096 bytes.
	// With the longest profile name and a five-digit part number, 2970
	// bytes fit.
	"darwin": 2944,
	// The Secret Service (GNOME Keyring, KWallet) sets no limit short of
	// D-Bus's 128 MiB message. Items stay at the smallest size anyway, so
	// that the platform the tests run on splits credentials of ordinary
	// length as well.
	"linux": 2048,
}

// itemLimitFor is goos's limit. The other systems go-keyring supports reach
// the Secret Service, as Linux does.
func itemLimitFor(goos string) int {
	if n, ok := itemLimits[goos]; ok {
		return n
	}
	return itemLimits["linux"]
}

// maxItemBytes is the smallest limit, which every platform accepts: what
// a Keyring not made by NewKeyring splits at.
var maxItemBytes = slices.Min(slices.Collect(maps.Values(itemLimits)))
