package main

import (
	"testing"

	"github.com/makemcp/makemcp/makeapi/makefake"
)

// token --header prints the header for either kind of credential.
func TestTokenHeader(t *testing.T) {
	f := fakeMake(t)
	env := map[string]string{"MAKE_API_TOKEN": makefake.DemoToken, "MAKEMCP_ZONE": f.Zone()}
	if r := runMain(t, env, "", "token", "--header"); r.code != 0 || r.stdout != "Authorization: Token "+makefake.DemoToken+"\n" || r.stderr != "" {
		t.Errorf("token --header with an API token: %+v", r)
	}
	if r := runMain(t, env, "", "token"); r.stdout != makefake.DemoToken+"\n" || r.stderr != "" {
		t.Errorf("token into a pipe: %+v; want the token alone", r)
	}
}
