package e2e

import "github.com/makemcp/makemcp/internal/testenv"

// addCredential adds a stored credential's secrets to a leak check.
func addCredential(l *testenv.LeakCheck, c *storedCredential) {
	l.Secret(c.AccessToken)
	l.Secret(c.RefreshToken)
	l.Secret(c.ClientSecret)
}
