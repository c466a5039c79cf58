package main

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/makemcp/makemcp/internal/config"
	"github.com/makemcp/makemcp/keychain"
	"github.com/makemcp/makemcp/makeapi"
	"github.com/makemcp/makemcp/makeapi/makefake"
	"github.com/makemcp/makemcp/makeapi/scope"
	"github.com/makemcp/makemcp/tools"
)

// allToolScopes are the scopes of every tool, as login lists them.
func allToolScopes() string { return strings.Join(scope.Strings(tools.Scopes(tools.All())), " ") }

// narrowToken is an API token with the scenario scopes only: no
// user:read, organizations:read or teams:read.
const narrowToken = "6e617272-0000-4000-8000-6f77746f6b31"

// fakePrompter is a person at a terminal who gives the answers in order.
type fakePrompter struct {
	t       *testing.T
	w       io.Writer // where the questions show
	answers []string
	asked   []string
}

func (p *fakePrompter) Secret(ctx context.Context, q string) (string, error) { return p.answer(q) }
func (p *fakePrompter) Line(ctx context.Context, q string) (string, error)   { return p.answer(q) }

func (p *fakePrompter) answer(q string) (string, error) {
	fmt.Fprint(p.w, q)
	p.asked = append(p.asked, q)
	if len(p.answers) == 0 {
		p.t.Errorf("asked %q, with no answer left", q)
		return "", io.EOF
	}
	a := p.answers[0]
	p.answers = p.answers[1:]
	return a, nil
}

// zones starts n fake Makes on 127.0.0.1 that know no token; the caller
// gives one of them the tokens it is to know.
func zones(t *testing.T, n int) []*makefake.Server {
	var fakes []*makefake.Server
	for range n {
		f := fakeMake(t)
		f.RemoveToken(makefake.DemoToken)
		fakes = append(fakes, f)
	}
	return fakes
}

func zoneURLs(fakes []*makefake.Server) []string {
	var out []string
	for _, f := range fakes {
		out = append(out, f.Zone())
	}
	return out
}

// loginTest is a login with no OAuth client and no zone given, whose
// known zones are the fakes, storing in memory.
type loginTest struct {
	o      *loginOptions
	store  *memStore
	dir    string
	stderr *strings.Builder
}

func newLoginTest(t *testing.T, known []*makefake.Server, p *fakePrompter) *loginTest {
	t.Helper()
	var stderr strings.Builder
	lt := &loginTest{store: &memStore{m: map[string]keychain.Credential{}}, dir: t.TempDir(), stderr: &stderr}
	urls := zoneURLs(known)
	s := Settings{Profile: defaultProfile, ConfigDir: lt.dir, Zone: defaultZone, Issuer: defaultIssuer, KnownZones: urls, AllowedHosts: urls}
	var pr prompter
	if p != nil {
		p.t, p.w = t, &stderr
		pr = p
	}
	lt.o = &loginOptions{
		IO:          ioStreams{In: strings.NewReader(""), Out: io.Discard, Err: &stderr},
		Settings:    settingsOf(s),
		SavedStore:  func(string) keychain.Store { return lt.store },
		SavedStores: func() []keychain.Store { return []keychain.Store{lt.store} },
		MakeClient: func(zone string, tokens makeapi.TokenSource) (*makeapi.Client, error) {
			return makeapi.New(makeapi.Options{Zone: zone, AllowedHosts: urls, Tokens: tokens})
		},
		FindZone: func(ctx context.Context, tokens makeapi.TokenSource) (string, error) {
			return makeapi.FindZone(ctx, makeapi.Options{Tokens: tokens, AllowedHosts: urls}, urls...)
		},
		Prompter: pr,
		timeout:  time.Minute,
	}
	return lt
}

func (lt *loginTest) profile(t *testing.T) config.Profile {
	t.Helper()
	f, err := config.Load(lt.dir)
	if err != nil {
		t.Fatal(err)
	}
	return f.Profiles[defaultProfile]
}

func (lt *loginTest) checkSays(t *testing.T, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(lt.stderr.String(), w) {
			t.Errorf("login did not say %q:\n%s", w, lt.stderr)
		}
	}
}

// With no OAuth client, on a terminal, login goes the token way: it says
// why, where to create the token and which scopes to tick, reads it, and
// finds the zone that knows it.
func TestLoginWithoutClientTakesAToken(t *testing.T) {
	fakes := zones(t, 3)
	home := fakes[1]
	home.AddToken(makefake.DemoToken, makefake.APIToken, makefake.AllScopes...)
	p := &fakePrompter{answers: []string{"  " + makefake.DemoToken + "  "}}
	lt := newLoginTest(t, fakes, p)
	if err := loginRun(t.Context(), lt.o); err != nil {
		t.Fatalf("login: %v\n%s", err, lt.stderr)
	}
	lt.checkSays(t, noClientLine,
		"Create a token on the API page of your Make account, https://eu1.make.com/user/api",
		"Tick the scopes of the default tools: dlqs:read dlqs:write organizations:read scenarios:read scenarios:run scenarios:write teams:read\n",
		"For every tool (serve --toolsets all), tick all of: "+allToolScopes()+"\n",
		"Found your Make account on "+zoneHost(home.Zone())+".",
		"Logged in to "+zoneHost(home.Zone())+" as Dana Demo (dana@example.com)")
	if len(p.asked) != 1 || !strings.Contains(p.asked[0], "Paste the token") {
		t.Errorf("asked %q; want the token only", p.asked)
	}
	if strings.Contains(lt.stderr.String(), makefake.DemoToken) || strings.Contains(lt.stderr.String(), "Warning") {
		t.Errorf("login showed the token or a warning:\n%s", lt.stderr)
	}
	if c := lt.store.m[defaultProfile]; c.AccessToken != makefake.DemoToken || c.Kind != keychain.APIToken || c.Zone != home.Zone() {
		t.Errorf("stored %v", c)
	}
	if p := lt.profile(t); p.Zone != home.Zone() || p.Organization != 2001 || p.Team != 3001 {
		t.Errorf("profile %+v; want the home zone, organization 2001 and team 3001", p)
	}
	for _, f := range fakes {
		if f != home && len(f.Requests()) > 1 {
			t.Errorf("zone %s was asked %d times; want one question at most", f.Zone(), len(f.Requests()))
		}
	}
}

// The tools the default toolsets leave out, by scope, for a narrow token.
func TestLeftOut(t *testing.T) {
	left := leftOut([]string{"scenarios:read", "scenarios:write", "scenarios:run"})
	if got := left["organizations:read"]; !slices.Contains(got, "organizations_list") {
		t.Errorf("left out for organizations:read: %v", got)
	}
	if got := left["teams:read"]; !slices.Contains(got, "teams_list") {
		t.Errorf("left out for teams:read: %v", got)
	}
	if _, ok := left["scenarios:read"]; ok {
		t.Errorf("scenarios:read is granted, yet left out: %v", left)
	}
	if len(leftOut(nil)) != 0 {
		t.Error("unknown scopes leave tools out")
	}
}

// A token without organizations:read and teams:read is accepted, with a
// warning for each that says what will not work; the default team is the
// one the person types.
func TestLoginNarrowTokenAsksForTheTeam(t *testing.T) {
	fakes := zones(t, 2)
	home := fakes[0]
	home.AddToken(narrowToken, makefake.APIToken, "scenarios:read", "scenarios:write", "scenarios:run")
	p := &fakePrompter{answers: []string{narrowToken, "abc", "3001"}}
	lt := newLoginTest(t, fakes, p)
	if err := loginRun(t.Context(), lt.o); err != nil {
		t.Fatalf("login: %v\n%s", err, lt.stderr)
	}
	lt.checkSays(t,
		"Warning: the token lacks organizations:read: makemcp cannot list your organizations",
		"serve leaves out organizations_list, organizations_get",
		"Warning: the token lacks teams:read: makemcp cannot list teams",
		"serve leaves out teams_list, teams_get",
		"That is not a team id: type a number",
		"Logged in to "+zoneHost(home.Zone())+" as Dana Demo")
	if n := strings.Count(lt.stderr.String(), "Default team for tools"); n != 2 {
		t.Errorf("asked for the team %d times, want 2 (one bad answer)", n)
	}
	if strings.Contains(lt.stderr.String(), "abc") || strings.Contains(lt.stderr.String(), narrowToken) {
		t.Errorf("login repeated an answer:\n%s", lt.stderr)
	}
	if p := lt.profile(t); p.Team != 3001 || p.Organization != 0 || p.Organizations != nil {
		t.Errorf("profile %+v; want team 3001 and no organization", p)
	}
	if c := lt.store.m[defaultProfile]; !slices.Equal(c.Scopes, []string{"scenarios:read", "scenarios:write", "scenarios:run"}) {
		t.Errorf("stored scopes %v", c.Scopes)
	}
	if home.Count("GET", "/api/v2/organizations") != 0 || home.Count("GET", "/api/v2/teams") != 0 {
		t.Error("login asked Make for what the token's scopes do not allow")
	}
}

// Without teams:read but with organizations:read, the team comes from
// the organization, as Make names its teams; with several, the person
// picks one of them.
func TestLoginTeamFromTheOrganization(t *testing.T) {
	for _, tc := range []struct {
		name     string
		teams    int
		answers  []string
		wantTeam int64
		asked    int
	}{
		{"one team", 1, []string{narrowToken}, 3001, 1},
		{"two teams", 2, []string{narrowToken, "3999", "3002"}, 3002, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fakes := zones(t, 1)
			home := fakes[0]
			home.AddToken(narrowToken, makefake.APIToken, "organizations:read", "scenarios:read")
			if tc.teams > 1 {
				if err := home.AddTeam(3002, 2001, "Sales"); err != nil {
					t.Fatal(err)
				}
			}
			p := &fakePrompter{answers: tc.answers}
			lt := newLoginTest(t, fakes, p)
			if err := loginRun(t.Context(), lt.o); err != nil {
				t.Fatalf("login: %v\n%s", err, lt.stderr)
			}
			lt.checkSays(t, "Warning: the token lacks teams:read")
			if strings.Contains(lt.stderr.String(), "organizations:read:") {
				t.Errorf("warned about a scope the token has:\n%s", lt.stderr)
			}
			if len(p.asked) != tc.asked {
				t.Errorf("asked %q", p.asked)
			}
			if tc.teams > 1 {
				lt.checkSays(t, "The organization's teams: Operations (3001), Sales (3002).", "That is not one of the teams: type one of the ids 3001, 3002")
			}
			if p := lt.profile(t); p.Team != tc.wantTeam || p.Organization != 2001 {
				t.Errorf("profile %+v; want organization 2001, team %d", p, tc.wantTeam)
			}
		})
	}
}

// --team is the default team, asked of no one; without a terminal and
// without --team, a narrow token's login ends without one, and says so.
func TestLoginNarrowTokenTeamWithoutQuestion(t *testing.T) {
	fakes := zones(t, 1)
	fakes[0].AddToken(narrowToken, makefake.APIToken, "scenarios:read")

	lt := newLoginTest(t, fakes, &fakePrompter{answers: []string{narrowToken}})
	lt.o.team = 3001
	if err := loginRun(t.Context(), lt.o); err != nil {
		t.Fatalf("login --team: %v\n%s", err, lt.stderr)
	}
	if p := lt.profile(t); p.Team != 3001 || strings.Contains(lt.stderr.String(), "Default team for tools") {
		t.Errorf("login --team 3001: profile %+v\n%s", p, lt.stderr)
	}

	lt = newLoginTest(t, fakes, nil)
	lt.o.withToken = true
	lt.o.IO.In = strings.NewReader(narrowToken + "\n")
	if err := loginRun(t.Context(), lt.o); err != nil {
		t.Fatalf("login --with-token from a pipe: %v\n%s", err, lt.stderr)
	}
	lt.checkSays(t, "Warning: the token lacks teams:read", "Note: no default team; tools will need teamId, or log in again with --team ID.")
	if strings.Contains(lt.stderr.String(), "Create a token") {
		t.Errorf("a script was shown the terminal's explanations:\n%s", lt.stderr)
	}
}

// A token no zone knows ends the login with one line naming the zones
// tried, without the token; nothing is stored.
func TestLoginTokenNoZoneKnows(t *testing.T) {
	fakes := zones(t, 2)
	lt := newLoginTest(t, fakes, &fakePrompter{answers: []string{makefake.DemoToken}})
	err := loginRun(t.Context(), lt.o)
	if err == nil || !strings.Contains(err.Error(), fakes[0].Zone()) || !strings.Contains(err.Error(), "--zone") ||
		strings.Contains(err.Error(), makefake.DemoToken) || strings.Contains(oneLine(err.Error()), "\n") {
		t.Fatalf("err = %v; want one line naming the zones and --zone, without the token", err)
	}
	if len(lt.store.m) != 0 {
		t.Error("a token no zone knows was stored")
	}
}

// A release's built-in client secret goes with its built-in client only;
// MAKEMCP_CLIENT_SECRET wins.
func TestClientSecret(t *testing.T) {
	defer func(id, secret string) { defaultClientID, defaultClientSecret = id, secret }(defaultClientID, defaultClientSecret)
	defaultClientID, defaultClientSecret = "built-in", "built-in-secret"
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	for _, tc := range []struct {
		env      map[string]string
		clientID string
		want     string
	}{
		{nil, "built-in", "built-in-secret"},
		{nil, "their-own", ""},
		{map[string]string{"MAKEMCP_CLIENT_SECRET": "theirs"}, "their-own", "theirs"},
		{map[string]string{"MAKEMCP_CLIENT_SECRET": "theirs"}, "built-in", "theirs"},
		{nil, "", ""},
	} {
		if got := clientSecret(env(tc.env), tc.clientID); got != tc.want {
			t.Errorf("client %q, env %v: secret %q, want %q", tc.clientID, tc.env, got, tc.want)
		}
	}
}

// The API page is on the zone's own host, whatever form the zone takes.
func TestAPIPage(t *testing.T) {
	for zone, want := range map[string]string{
		"us2":                    "https://us2.make.com/user/api",
		"eu1.make.celonis.com":   "https://eu1.make.celonis.com/user/api",
		"https://eu2.make.com/":  "https://eu2.make.com/user/api",
		"http://127.0.0.1:8080":  "http://127.0.0.1:8080/user/api",
		"https://x.example/path": "https://eu1.make.com/user/api",
	} {
		if got := apiPage(zone); got != want {
			t.Errorf("apiPage(%q) = %q, want %q", zone, got, want)
		}
	}
	var b strings.Builder
	explainAPIToken(&b, Settings{Zone: "us1.make.com", ZoneFrom: "--zone"})
	if !strings.HasPrefix(b.String(), "Create a token on the API page of your Make account: https://us1.make.com/user/api\n") {
		t.Errorf("with --zone us1: %q", b.String())
	}
}
