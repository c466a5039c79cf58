package reliability

import (
	"net/http"
	"net/http/httptest"
	"path"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/makemcp/makemcp/internal/testenv"
	"github.com/makemcp/makemcp/makeapi/makefake"
)

// fakeMake is the one fake of Make's API, with the demo account, served
// in the test process. With an OAuth server it accepts a Bearer token
// while that server calls it a live access token, as Make does.
//
// Besides makefake's own faults (Inject) it can send an answer's body
// slowly, or stall it halfway, which makefake's Delay (that holds the
// whole answer back) does not cover; and it notes the requests whose
// client went away before the answer.
type fakeMake struct {
	*makefake.Server
	URL string

	mu        sync.Mutex
	slow      *slowBody
	abandoned []string
}

// slowBody sends the body of answers to matching requests in twenty
// pieces, one every Every; with Stall it sends half and then nothing
// more until the client goes away.
type slowBody struct {
	Method, Path string // Path is a path.Match pattern
	Every        time.Duration
	Stall        bool
}

func startMake(t testing.TB, oauth *testenv.OAuthServer, leaks *testenv.LeakCheck) *fakeMake {
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
	f := &fakeMake{Server: fake}
	srv := httptest.NewServer(http.HandlerFunc(f.serveHTTP))
	f.URL = srv.URL
	t.Cleanup(func() {
		srv.CloseClientConnections()
		srv.Close()
	})
	return f
}

func (f *fakeMake) serveHTTP(w http.ResponseWriter, r *http.Request) {
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

func (f *fakeMake) serveSlowly(w http.ResponseWriter, r *http.Request, s *slowBody) {
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

func (f *fakeMake) setSlowBody(s *slowBody) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.slow = s
}

func (f *fakeMake) noteAbandoned(r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.abandoned = append(f.abandoned, r.Method+" "+r.URL.Path)
}

// wasAbandoned reports whether a request's client went away before its
// answer was whole.
func (f *fakeMake) wasAbandoned(request string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Contains(f.abandoned, request)
}
