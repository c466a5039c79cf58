package auth

import (
	"errors"

	"github.com/makemcp/makemcp/internal/safetext"
)

var (
	// ErrNotLoggedIn means the profile has no stored credential.
	ErrNotLoggedIn = errors.New("not logged in: run makemcp login (or set MAKE_API_TOKEN)")
	// ErrSessionExpired means the access token expired and cannot be
	// refreshed: there is no refresh token, or the issuer rejected it.
	ErrSessionExpired = errors.New("session expired: run makemcp login")
	// ErrRefreshFailed means a refresh failed for a reason that may pass
	// (network, timeout, a 5xx answer). The stored credential is left as
	// it was and the next call tries again.
	ErrRefreshFailed = errors.New("could not refresh the access token")
	// ErrTokenRefused means Make refused an access token that had just
	// been refreshed because Make refused the one before: refreshing again
	// would not help.
	ErrTokenRefused = errors.New("Make refused the access token again right after it was refreshed: check that this account may use Make's API in this zone (--zone), or run makemcp login")
	// ErrAccessDenied means the person declined the authorization in the
	// browser.
	ErrAccessDenied = errors.New("access was denied in the browser: run makemcp login again to retry")
	// ErrNoRevocation means the issuer offers no way to revoke the token;
	// logout can still delete the stored credential.
	ErrNoRevocation = errors.New("the issuer has no token revocation endpoint")
)

// wrapped is an error with a message of its own that still matches its
// cause with errors.Is, so that a user reads one line while callers can
// branch on the sentinel.
type wrapped struct {
	msg   string
	cause error
}

func (e *wrapped) Error() string { return e.msg }
func (e *wrapped) Unwrap() error { return e.cause }

func withCause(msg string, cause error) error { return &wrapped{msg: msg, cause: cause} }

// maxDetail bounds text taken from a server into an error or a page.
const maxDetail = 200

// oneLine makes text from outside (an error_description, an error from
// the network) safe to show on one line, cut at maxDetail characters.
func oneLine(s string) string { return safetext.Line(s, maxDetail) }
