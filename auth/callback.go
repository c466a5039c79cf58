package auth

import (
	"context"
	"crypto/subtle"
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"sync/atomic"

	"github.com/makemcp/makemcp/keychain"
)

// errWrongState marks a callback request that does not belong to this
// login: its state is missing or different. It is answered and ignored,
// because anyone on this machine can send a request to the port.
var errWrongState = errors.New("the callback request has a missing or wrong state")

// parseCallback reads the query of a request to /callback. It returns the
// authorization code, or errWrongState when the request is not this
// login's (ignore it and keep waiting), or an error that ends the login:
// the issuer's OAuth error, or a redirect without a code. Every error is
// one line that is safe to print.
func parseCallback(q url.Values, wantState string) (code string, err error) {
	states := q["state"]
	if len(states) != 1 || subtle.ConstantTimeCompare([]byte(states[0]), []byte(wantState)) != 1 {
		return "", errWrongState
	}
	if errs := q["error"]; len(errs) > 0 {
		return "", authorizationError(errs[0], q.Get("error_description"))
	}
	codes := q["code"]
	if len(codes) != 1 || codes[0] == "" {
		return "", errors.New("the issuer redirected back without an authorization code: run makemcp login again")
	}
	return codes[0], nil
}

// authorizationError is the error for an RFC 6749 section 4.1.2.1 error
// redirect.
func authorizationError(code, description string) error {
	if code == "access_denied" {
		return ErrAccessDenied
	}
	msg := "the issuer refused the login (" + oneLine(code) + ")"
	if d := oneLine(description); d != "" {
		msg += ": " + d
	}
	return errors.New(msg)
}

// exchangeFunc turns an authorization code into a credential.
type exchangeFunc func(ctx context.Context, code string) (*keychain.Credential, error)

// loginResult is how the login ended at the callback.
type loginResult struct {
	cred *keychain.Credential
	err  error
}

// callback serves the redirect URI. The first request with the right
// state ends the login, whatever it carries; requests with another state
// get an error page and change nothing.
type callback struct {
	ctx      context.Context // the login's: ends the exchange on Ctrl-C or timeout
	state    string
	exchange exchangeFunc
	warn     func(string)
	done     chan loginResult // buffered: the handler never blocks on it
	used     atomic.Bool
}

func newCallback(ctx context.Context, state string, exchange exchangeFunc, warn func(string)) *callback {
	return &callback{ctx: ctx, state: state, exchange: exchange, warn: warn, done: make(chan loginResult, 1)}
}

func (c *callback) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/callback" {
		http.NotFound(w, r)
		return
	}
	if r.Method != http.MethodGet {
		w.Header().Set("Allow", http.MethodGet)
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	code, err := parseCallback(r.URL.Query(), c.state)
	if errors.Is(err, errWrongState) {
		c.warn("ignored a request to the login callback that does not belong to this login (missing or wrong state)")
		renderPage(w, http.StatusBadRequest, page{
			Title:  "This link does not belong to the current login",
			Detail: "It may be from an earlier attempt. Use the browser window that makemcp login opened, or run makemcp login again.",
		})
		return
	}
	if !c.used.CompareAndSwap(false, true) {
		renderPage(w, http.StatusConflict, page{
			Title:  "This login has already finished",
			Detail: "You can close this tab. Run makemcp login again to log in once more.",
		})
		return
	}
	var cred *keychain.Credential
	if err == nil {
		cred, err = c.exchange(c.ctx, code)
	}
	c.done <- loginResult{cred: cred, err: err}
	if err != nil {
		renderPage(w, http.StatusBadRequest, page{
			Title:  "Login failed",
			Detail: err.Error(),
			Failed: true,
		})
		return
	}
	renderPage(w, http.StatusOK, page{
		Title:  "You are logged in to Make",
		Detail: "You can close this tab and return to the terminal.",
	})
}

type page struct {
	Title, Detail string
	Failed        bool
}

var pageTemplate = template.Must(template.New("page").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>makemcp: {{.Title}}</title>
<style>
body{font:16px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;min-height:100vh;display:flex;align-items:center;justify-content:center;background:#f6f5fb;color:#1f1d2b}
main{max-width:30em;padding:2em 2.5em;background:#fff;border-radius:12px;box-shadow:0 2px 12px rgba(0,0,0,.08)}
h1{font-size:1.3em;margin:0 0 .5em;color:{{if .Failed}}#b42318{{else}}#6d00cc{{end}}}
p{margin:0}
</style>
</head>
<body>
<main>
<h1 id="title">{{.Title}}</h1>
<p id="detail">{{.Detail}}</p>
</main>
</body>
</html>
`))

func renderPage(w http.ResponseWriter, status int, p page) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
	w.WriteHeader(status)
	// A failed write means the browser went away; the terminal still
	// shows the outcome.
	_ = pageTemplate.Execute(w, p)
}
