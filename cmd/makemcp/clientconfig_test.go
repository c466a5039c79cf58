package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/makemcp/makemcp/auth"
	"github.com/makemcp/makemcp/internal/hosts"
	"github.com/makemcp/makemcp/keychain"
	"github.com/makemcp/makemcp/makeapi"
	"github.com/makemcp/makemcp/makeapi/makefake"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// testStreams are streams with no input that record the output.
func testStreams() (ioStreams, *bytes.Buffer, *bytes.Buffer) {
	var out, errOut bytes.Buffer
	return ioStreams{In: strings.NewReader(""), Out: &out, Err: &errOut}, &out, &errOut
}

// settingsOf returns s as a command's options read the global settings.
func settingsOf(s Settings) func() Settings { return func() Settings { return s } }

// testClient is a Make API client without the factory's logger.
func testClient(zone string, tokens makeapi.TokenSource) (*makeapi.Client, error) {
	return makeapi.New(makeapi.Options{Zone: zone, AllowedHosts: []string{zone}, Tokens: tokens})
}

// storeTokens hands out the default profile's token in store.
func storeTokens(store keychain.Store) makeapi.TokenSource {
	return auth.NewSource(auth.SourceOptions{Store: store, Profile: defaultProfile})
}

// hostEnv is a user's home with its config folder, for host files.
func hostEnv(t *testing.T) hosts.Env {
	home := t.TempDir()
	return hosts.Env{Home: home, ConfigDir: filepath.Join(home, ".config"), GOOS: "linux"}
}

func golden(t *testing.T, name string, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./cmd/makemcp -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s changed (run go test ./cmd/makemcp -update if that is intended):\n got:\n%s\nwant:\n%s", name, got, want)
	}
}

const selfPath = "/opt/homebrew/bin/makemcp"

func TestClientConfigPrintsEachHost(t *testing.T) {
	for _, h := range hosts.All {
		t.Run(h.Name, func(t *testing.T) {
			streams, out, errOut := testStreams()
			env := hostEnv(t)
			err := clientConfigRun(&clientConfigOptions{IO: streams, Settings: settingsOf(Settings{Profile: defaultProfile}), host: h.Name, name: "make",
				env: func() (hosts.Env, error) { return env, nil }, self: func() (string, error) { return selfPath, nil }})
			if err != nil {
				t.Fatal(err)
			}
			golden(t, "client-config-"+h.Name+".golden", out.String())
			if !strings.Contains(errOut.String(), env.Home) {
				t.Errorf("stderr %q does not say which file to edit", errOut)
			}
		})
	}
}

func TestClientConfigWriteMergesWithBackup(t *testing.T) {
	streams, _, errOut := testStreams()
	env := hostEnv(t)
	path := filepath.Join(env.Home, ".cursor", "mcp.json")
	os.MkdirAll(filepath.Dir(path), 0o700)
	orig := "{\n  \"theme\": \"dark\",\n  \"mcpServers\": {\n    \"github\": {\"command\": \"gh\", \"args\": [\"mcp\"]}\n  }\n}\n"
	os.WriteFile(path, []byte(orig), 0o600)
	o := &clientConfigOptions{IO: streams, Settings: settingsOf(Settings{Profile: "work"}), host: "cursor", name: "make", write: true, extra: []string{"--read-only"},
		env: func() (hosts.Env, error) { return env, nil }, self: func() (string, error) { return selfPath, nil }}
	if err := clientConfigRun(o); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(path)
	golden(t, "client-config-cursor-written.golden", string(got))
	if b, _ := os.ReadFile(path + ".bak"); string(b) != orig {
		t.Errorf("backup = %q", b)
	}
	if !strings.Contains(errOut.String(), "Added") || !strings.Contains(errOut.String(), ".bak") {
		t.Errorf("stderr = %q", errOut)
	}

	// Again, with nothing to change: the file and its backup stay.
	errOut.Reset()
	if err := clientConfigRun(o); err != nil {
		t.Fatal(err)
	}
	if again, _ := os.ReadFile(path); string(again) != string(got) {
		t.Errorf("a second --write changed the file to %s", again)
	}
	if b, _ := os.ReadFile(path + ".bak"); string(b) != orig {
		t.Errorf("a second --write changed the backup to %q", b)
	}
	if want := `Unchanged: the "make" server in ` + path + " already runs " + selfPath + " serve --profile work --read-only.\n"; errOut.String() != want {
		t.Errorf("stderr = %q, want %q", errOut, want)
	}

	os.WriteFile(path, []byte("{broken"), 0o600)
	err := clientConfigRun(o)
	if err == nil || !strings.Contains(err.Error(), "by hand") {
		t.Fatalf("writing over an unparsable file: %v", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "{broken" {
		t.Fatalf("the unparsable file was changed to %q", b)
	}
}

func TestClientConfigRejects(t *testing.T) {
	r := runMain(t, nil, "", "client-config", "notepad")
	if r.code != 1 || !strings.Contains(r.stderr, "claude-desktop, claude-code, vscode, cursor") {
		t.Fatalf("unknown host: %+v", r)
	}
	r = runMain(t, nil, "", "client-config", "cursor", "vscode")
	if r.code != 1 || !strings.Contains(r.stderr, "one host at a time") {
		t.Fatalf("two hosts: %+v", r)
	}
}

// memStore is an in-memory credential store.
type memStore struct {
	mu sync.Mutex
	m  map[string]keychain.Credential
}

func (m *memStore) Name() string { return "keychain" }
func (m *memStore) Load(_ context.Context, p string) (*keychain.Credential, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	c, ok := m.m[p]
	if !ok {
		return nil, keychain.ErrNotFound
	}
	return &c, nil
}
func (m *memStore) Save(_ context.Context, p string, c *keychain.Credential) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.m[p] = *c
	return nil
}
func (m *memStore) Delete(_ context.Context, p string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.m, p)
	return nil
}

// brokenStore is a keychain that cannot be reached.
type brokenStore struct{ memStore }

func (*brokenStore) Load(context.Context, string) (*keychain.Credential, error) {
	return nil, fmt.Errorf("%w (no D-Bus session): use `makemcp login --insecure-storage`, or set MAKE_API_TOKEN", keychain.ErrUnavailable)
}

func TestDoctor(t *testing.T) {
	f := fakeMake(t)
	self := filepath.Join(t.TempDir(), "makemcp")
	os.WriteFile(self, []byte("#!/bin/sh\n"), 0o755)
	// doctor's options with store as the keychain, and the host files in env.
	options := func(t *testing.T, store keychain.Store, env hosts.Env) (*doctorOptions, *bytes.Buffer) {
		streams, out, _ := testStreams()
		return &doctorOptions{
			IO:         streams,
			Settings:   settingsOf(Settings{Profile: defaultProfile, ConfigDir: t.TempDir(), Zone: f.Zone()}),
			Store:      func() keychain.Store { return store },
			Tokens:     storeTokens,
			MakeClient: testClient,
			env:        func() (hosts.Env, error) { return env, nil },
			self:       func() (string, error) { return self, nil },
		}, out
	}

	t.Run("all well", func(t *testing.T) {
		store := &memStore{m: map[string]keychain.Credential{"default": {Kind: keychain.APIToken, AccessToken: makefake.DemoToken,
			Scopes: []string{"organizations:read", "teams:read", "scenarios:read", "scenarios:write", "scenarios:run", "dlqs:read", "dlqs:write"}}}}
		env := hostEnv(t)
		h, _ := hosts.Lookup("claude-desktop")
		p, _ := h.Path(env)
		if _, _, err := h.Write(p, "make", h.Entry(self, []string{"serve"})); err != nil {
			t.Fatal(err)
		}
		o, out := options(t, store, env)
		err := doctorRun(t.Context(), o)
		if err != nil {
			t.Fatalf("doctor failed on a good setup: %v\n%s", err, out)
		}
		for _, want := range []string{"OS keychain reachable", `credential for profile "default": API token`, "logged in as Dana Demo", "scopes cover the default tools", `Claude Desktop: server "make" runs this makemcp`} {
			if !strings.Contains(out.String(), want) {
				t.Errorf("doctor output lacks %q:\n%s", want, out)
			}
		}
		if strings.Contains(out.String(), "FAIL") || strings.Contains(out.String(), makefake.DemoToken) {
			t.Errorf("doctor output:\n%s", out)
		}
	})

	t.Run("broken keychain and a stale host entry", func(t *testing.T) {
		env := hostEnv(t)
		h, _ := hosts.Lookup("cursor")
		p, _ := h.Path(env)
		if _, _, err := h.Write(p, "make", h.Entry("/gone/makemcp", []string{"serve"})); err != nil {
			t.Fatal(err)
		}
		o, out := options(t, &brokenStore{}, env)
		err := doctorRun(t.Context(), o)
		if err == nil {
			t.Fatalf("doctor passed with a broken keychain:\n%s", out)
		}
		for _, want := range []string{"FAIL  OS keychain: OS keychain unavailable", "--insecure-storage", `FAIL  Cursor: server "make" runs /gone/makemcp, which does not exist: run makemcp client-config cursor --write`} {
			if !strings.Contains(out.String(), want) {
				t.Errorf("doctor output lacks %q:\n%s", want, out)
			}
		}
	})

	t.Run("missing scopes and no host", func(t *testing.T) {
		store := &memStore{m: map[string]keychain.Credential{"default": {Kind: keychain.APIToken, AccessToken: makefake.DemoToken, Scopes: []string{"scenarios:read"}}}}
		o, out := options(t, store, hostEnv(t))
		err := doctorRun(t.Context(), o)
		if err != nil {
			t.Fatalf("warnings alone failed doctor: %v\n%s", err, out)
		}
		for _, want := range []string{"warn  scopes: the default tools also need", "dlqs:read", "warn  no MCP host config runs makemcp yet"} {
			if !strings.Contains(out.String(), want) {
				t.Errorf("doctor output lacks %q:\n%s", want, out)
			}
		}
	})
}
