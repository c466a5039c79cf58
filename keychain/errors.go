package keychain

import "errors"

// ErrUnavailable means the OS keychain cannot be reached: no D-Bus
// session, no Secret Service, a locked keyring, or no answer before the
// timeout. The errors that wrap it name the way around it.
var ErrUnavailable = errors.New("OS keychain unavailable")

// unavailableError is the one-line error for an unreachable keychain. Its
// message says why and what to do instead; the cause stays reachable
// through errors.As for debugging, but is not part of the message.
type unavailableError struct {
	reason string
	cause  error
}

func unavailable(reason string, cause error) error {
	return &unavailableError{reason: reason, cause: cause}
}

func (e *unavailableError) Error() string {
	return "OS keychain unavailable (" + e.reason + "): use `makemcp login --insecure-storage`, or set MAKE_API_TOKEN"
}

func (e *unavailableError) Unwrap() []error {
	if e.cause == nil {
		return []error{ErrUnavailable}
	}
	return []error{ErrUnavailable, e.cause}
}
