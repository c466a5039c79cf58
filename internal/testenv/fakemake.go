package testenv

import (
	"net/http"
	"net/http/httptest"
	"path"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/makemcp/makemcp/makeapi/makefake"
)

// FakeMake is makefake, the one fake of Make's API, seeded with the demo
// account and served over plain http on 127.0.0.1 for one test. With an
// OAuth server it accepts a Bearer token while that server calls it a
// live access token, as Make does with its own: expired and revoked
// tokens get 401. Every token it is shown goes to the leak check.
//
// Besides makefake's own faults (Inject), it can send an answer's body
// slowly or stall it halfway (SetSlowBody), which makefake's Delay, that
// holds the whole answer back, does not cover; and it notes the requests
// whose client went away before the answer: a call makemcp cancelled.
type FakeMake struct {
	*makefake.Server
	url string

	mu        sync.Mutex
	slow      *SlowBody
	abandoned []string
}

// SlowBody sends the body of answers to matching requests in twenty
// pieces, one every Every; with Stall it sends half and then nothing more
// until the client goes away.
type SlowBody struct {
	Method, Path string // Path is a path.Match pattern
	Every        time.Duration
	Stall        bool
}

// StartMake starts a fake Make that stops when the test ends. oauth may
// be nil: then only API tokens (makefake.DemoToken) are accepted.
func StartMake(t testing.TB, oauth *OAuthServer, leaks *LeakCheck) *FakeMake {
	t.Helper()
	opts := makefake.Options{Seed: makefake.Demo}
	if oauth != nil {
		opts.VerifyBearer = func(token string) ([]string, error) {
			leaks.Secret(token)
			if err := oauth.AcceptsAccessToken(token); err != nil {
				return nil, err
			}
			return makefake.AllScopes, nil
		}
	}
	fake, err := makefake.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	f := &FakeMake{Server: fake}
	srv := httptest.NewServer(http.HandlerFunc(f.serveHTTP))
	f.url = srv.URL
	t.Cleanup(func() {
		srv.CloseClientConnections()
		srv.Close()
	})
	return f
}

// URL is where the fake listens, such as http://127.0.0.1:41234; it is
// also the zone as --zone takes it.
func (f *FakeMake) URL() string { return f.url }

// Zone is the zone as --zone and MAKEMCP_ZONE take it.
func (f *FakeMake) Zone() string { return f.url }

// Host is the zone as makemcp reports it (status, login).
func (f *FakeMake) Host() string { return strings.TrimPrefix(f.url, "http://") }

func (f *FakeMake) serveHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	slow := f.slow
	f.mu.Unlock()
	if slow != nil && r.Method == slow.Method {
		if ok, _ := path.Match(slow.Path, r.URL.Path); ok {
			f.serveSlowly(w, r, slow)
			return
		}
	}
	f.Server.ServeHTTP(w, r)
	if r.Context().Err() != nil {
		f.noteAbandoned(r)
	}
}

func (f *FakeMake) serveSlowly(w http.ResponseWriter, r *http.Request, s *SlowBody) {
	rec := httptest.NewRecorder()
	f.Server.ServeHTTP(rec, r)
	for k, vs := range rec.Header() {
		w.Header()[k] = vs
	}
	w.WriteHeader(rec.Code)
	body := rec.Body.Bytes()
	flusher, _ := w.(http.Flusher)
	piece := len(body)/20 + 1
	for i := 0; i < len(body); i += piece {
		if s.Stall && i >= len(body)/2 {
			<-r.Context().Done()
			f.noteAbandoned(r)
			return
		}
		if _, err := w.Write(body[i:min(i+piece, len(body))]); err != nil {
			f.noteAbandoned(r)
			return
		}
		if flusher != nil {
			flusher.Flush()
		}
		select {
		case <-time.After(s.Every):
		case <-r.Context().Done():
			f.noteAbandoned(r)
			return
		}
	}
}

// SetSlowBody makes the answers to matching requests come slowly (nil:
// at once again).
func (f *FakeMake) SetSlowBody(s *SlowBody) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.slow = s
}

func (f *FakeMake) noteAbandoned(r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.abandoned = append(f.abandoned, r.Method+" "+r.URL.Path)
}

// Abandoned lists the requests ("METHOD /path") whose client went away
// before their answer was whole.
func (f *FakeMake) Abandoned() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.abandoned)
}

// WaitReceived waits until the fake has received a request, and fails
// the test if that does not happen within 30 s.
func (f *FakeMake) WaitReceived(t testing.TB, method, path string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for f.Count(method, path) == 0 {
		if time.Now().After(deadline) {
			t.Fatalf("Make did not receive %s %s within 30 s", method, path)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// WaitAbandoned waits until the client of a request ("METHOD /path")
// went away before its answer, and fails the test if that does not
// happen within guard: the call was not cancelled.
func (f *FakeMake) WaitAbandoned(t testing.TB, request string, guard time.Duration) {
	t.Helper()
	deadline := time.Now().Add(guard)
	for !slices.Contains(f.Abandoned(), request) {
		if time.Now().After(deadline) {
			t.Fatalf("Make is still serving %s %s later: the call was not cancelled (abandoned: %v)", request, guard, f.Abandoned())
		}
		time.Sleep(20 * time.Millisecond)
	}
}
