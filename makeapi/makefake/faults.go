package makefake

import (
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"
)

// Fault makes the fake misbehave for matching requests. Faults are tried
// in the order injected; the first that matches applies.
type Fault struct {
	// Method matches the request method; empty matches any.
	Method string
	// Path matches the request path, such as "/api/v2/scenarios/5", as a
	// path.Match pattern ("/api/v2/scenarios/*"); empty matches any.
	Path string
	// Host matches the host the request arrived at (a zone); empty
	// matches any.
	Host string
	// Count is how many matching requests the fault affects; 0 means all
	// of them until ClearFaults.
	Count int

	// Delay holds the answer back (a request that is cancelled meanwhile
	// gets none). With nothing else set the request is then served
	// normally.
	Delay time.Duration
	// Status answers with this status; 4xx and 5xx come in Make's error
	// shape unless Body is set.
	Status int
	// RetryAfter is sent as the Retry-After header (seconds or an HTTP
	// date).
	RetryAfter string
	// Body is sent as the answer, verbatim (Status defaults to 200).
	Body []byte
	// ContentType is the answer's Content-Type with Body; default JSON.
	ContentType string
	// MalformedJSON answers 200 with a JSON body cut short.
	MalformedJSON bool
	// Reset drops the connection without an answer.
	Reset bool

	remaining int
}

// Inject adds a fault.
func (s *Server) Inject(f Fault) {
	f.remaining = f.Count
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &f)
}

// ClearFaults removes every fault.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = nil
}

func (f *Fault) matches(r *http.Request) bool {
	if f.Method != "" && !strings.EqualFold(f.Method, r.Method) {
		return false
	}
	if f.Host != "" && !strings.EqualFold(f.Host, r.Host) {
		return false
	}
	if f.Path != "" {
		if ok, _ := path.Match(f.Path, r.URL.Path); !ok {
			return false
		}
	}
	return true
}

// applyFault acts out a fault; it reports whether it answered.
func (s *Server) applyFault(w http.ResponseWriter, r *http.Request, f *Fault) bool {
	if f.Delay > 0 {
		t := time.NewTimer(f.Delay)
		defer t.Stop()
		select {
		case <-t.C:
		case <-r.Context().Done():
			return true
		}
	}
	if f.RetryAfter != "" {
		w.Header().Set("Retry-After", f.RetryAfter)
	}
	switch {
	case f.Reset:
		panic(http.ErrAbortHandler)
	case f.Body != nil:
		ct := f.ContentType
		if ct == "" {
			ct = "application/json; charset=utf-8"
		}
		w.Header().Set("Content-Type", ct)
		w.WriteHeader(cmpOr(f.Status, http.StatusOK))
		_, _ = w.Write(f.Body)
		return true
	case f.MalformedJSON:
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write([]byte(`{"scenarios": [{"id": 1, "name": "cut sh`))
		return true
	case f.Status != 0:
		writeError(w, statusError(f.Status))
		return true
	}
	return false
}

// statusError is Make's error body for an injected status.
func statusError(status int) *apiError {
	switch status {
	case http.StatusTooManyRequests:
		return errRateLimited()
	case http.StatusUnauthorized:
		return errUnauthorized()
	case http.StatusForbidden:
		return errForbidden()
	case http.StatusNotFound:
		return errNotFound("Resource")
	}
	code := "SC" + itoa(int64(status))
	if status >= 500 {
		return &apiError{status: status, Detail: "Internal server error.", Message: http.StatusText(status), Code: code}
	}
	return &apiError{status: status, Detail: http.StatusText(status), Message: http.StatusText(status), Code: code}
}

// Request is a request as the fake received it.
type Request struct {
	Method string
	// Path is the URL path, such as "/api/v2/scenarios/5".
	Path string
	// RawQuery is the query as sent, and Query its parsed form.
	RawQuery string
	Query    url.Values
	Body     []byte
	// Auth is the Authorization scheme: "Token", "Bearer" or "" (never the
	// credential).
	Auth string
	// Host is the host the request was sent to (its zone).
	Host      string
	UserAgent string
	// ContentType and Accept are the request's media types.
	ContentType, Accept string
	// Proto is the protocol it came over, such as "HTTP/2.0".
	Proto string
	// RemoteAddr is the client's address: requests that share a
	// connection share it.
	RemoteAddr string
}

// Requests returns the requests received so far, oldest first (at most
// the last 100,000).
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.log...)
}

// LastRequest returns the most recent request, or false when none came.
func (s *Server) LastRequest() (Request, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.log) == 0 {
		return Request{}, false
	}
	return s.log[len(s.log)-1], true
}

// Count returns how many requests had this method and path ("" matches
// any method).
func (s *Server) Count(method, path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, r := range s.log {
		if (method == "" || r.Method == method) && r.Path == path {
			n++
		}
	}
	return n
}

// ResetRequests forgets the requests received so far.
func (s *Server) ResetRequests() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.log = nil
}
