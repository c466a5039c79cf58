package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/makemcp/makemcp/makeapi/makefake"
)

// Scenario tools are listed as what they are: destructive, in no toolset
// of their own.
func TestToolsListShowsScenarioToolsDestructive(t *testing.T) {
	r := runMain(t, nil, "", "tools", "list", "--demo", "--scenario-tools")
	row := regexp.MustCompile(`(?m)^run_scenario_5001\s+scenario\s+destructive\s`)
	if !row.MatchString(r.stdout) {
		t.Fatalf("tools list --scenario-tools:\n%s", r.stdout)
	}
}

// --read-only wins over --scenario-tools: nothing that runs a scenario is
// listed.
func TestReadOnlyListsNoScenarioRun(t *testing.T) {
	r := runMain(t, nil, "", "tools", "list", "--demo", "--scenario-tools", "--read-only", "--toolsets", "all")
	if strings.Contains(r.stdout, "run_scenario_") || strings.Contains(r.stdout, "scenarios_run") {
		t.Fatalf("read-only tools list:\n%s", r.stdout)
	}
}

// --scenarios limits the scenario tools; a bad list says what it wants.
func TestScenariosFlag(t *testing.T) {
	r := runMain(t, map[string]string{"MAKEMCP_SCENARIOS": "5002"}, "", "tools", "list", "--demo", "--scenario-tools")
	if !strings.Contains(r.stdout, "run_scenario_5002") || strings.Contains(r.stdout, "run_scenario_5001") {
		t.Fatalf("MAKEMCP_SCENARIOS=5002:\n%s", r.stdout)
	}
	r = runMain(t, nil, "", "tools", "list", "--demo", "--scenario-tools", "--scenarios", "12,abc")
	if r.code == 0 || !strings.Contains(r.stderr, "--scenarios 123,456") || strings.Count(r.stderr, "\n") != 1 {
		t.Fatalf("bad --scenarios: %+v", r)
	}
}

// The scenario tools of an account are cached in the user's cache folder,
// privately, without the credential.
func TestScenarioToolsCacheFile(t *testing.T) {
	f := fakeMake(t)
	cache := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", cache) // os.UserCacheDir reads it
	env := map[string]string{"MAKEMCP_CONFIG_DIR": t.TempDir(), "MAKEMCP_ZONE": f.Zone(),
		"MAKE_API_TOKEN": makefake.DemoToken, "MAKEMCP_TEAM": "3001", "MAKEMCP_ORG": "2001"}
	r := runMain(t, env, "", "tools", "list", "--scenario-tools")
	if !strings.Contains(r.stdout, "run_scenario_5001") {
		t.Fatalf("tools list: %+v", r)
	}
	files, _ := filepath.Glob(filepath.Join(cache, "makemcp", "scenario-tools", "*.json"))
	if len(files) != 1 {
		t.Fatalf("cache files %v, want one", files)
	}
	fi, err := os.Stat(files[0])
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("cache file %v, %v: want mode 0600", fi.Mode(), err)
	}
	if di, _ := os.Stat(filepath.Dir(files[0])); di.Mode().Perm() != 0o700 {
		t.Errorf("cache folder mode %v, want 0700", di.Mode().Perm())
	}
	b, _ := os.ReadFile(files[0])
	if strings.Contains(string(b), makefake.DemoToken) || !strings.Contains(string(b), `"id":5001`) {
		t.Errorf("cache holds %s", b)
	}
}
