package auth

import (
	"io"
	"sync"

	"github.com/pkg/browser"
)

var quietBrowser sync.Once

// openSystemBrowser opens url with pkg/browser. Its launcher's output
// would go to stdout, which belongs to MCP in serve and to scripts in
// token, so it is discarded; pkg/browser keeps that in package globals,
// set once here.
func openSystemBrowser(url string) error {
	quietBrowser.Do(func() {
		browser.Stdout = io.Discard
		browser.Stderr = io.Discard
	})
	return browser.OpenURL(url)
}
