// Command makemcp connects AI assistants to a Make.com account: it logs in
// with OAuth (or an API token), keeps the credential in the OS keychain,
// and serves Make's API as MCP tools over stdio.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := Main(ctx, newFactory(ioStreams{In: os.Stdin, Out: os.Stdout, Err: os.Stderr}, os.Getenv), os.Args[1:])
	stop()
	os.Exit(code)
}
