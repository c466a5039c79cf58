package main

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/makemcp/makemcp/auth"
	"github.com/makemcp/makemcp/keychain"
	"github.com/makemcp/makemcp/makeapi"
)

// App carries what every command needs from the outside world, so that
// tests build one with fake streams and environment instead of touching
// globals.
type App struct {
	In     io.Reader
	Out    io.Writer
	Err    io.Writer
	Getenv func(string) string
	// Keyring opens the OS keychain with a timeout per call; tests put a
	// broken or in-memory one here.
	Keyring func(timeout time.Duration) keychain.Store

	// Set by the root command before any subcommand runs.
	Settings Settings
	Logger   *slog.Logger

	closers []func() error
}

func newApp(in io.Reader, out, errOut io.Writer, getenv func(string) string) *App {
	return &App{In: in, Out: out, Err: errOut, Getenv: getenv,
		Keyring: func(t time.Duration) keychain.Store { return keychain.NewKeyring(t) }}
}

// close runs the closers, last added first: waiting for refreshes comes
// before closing the log they may write to.
func (a *App) close() {
	for i := len(a.closers) - 1; i >= 0; i-- {
		a.closers[i]()
	}
	a.closers = nil
}

// Storage names as the config file records them.
const (
	storageKeychain = "keychain"
	storageFile     = "file"
)

// apiToken is MAKE_API_TOKEN, which bypasses any stored credential.
func (a *App) apiToken() string { return strings.TrimSpace(a.Getenv("MAKE_API_TOKEN")) }

// store returns where the profile's credential is read from:
// MAKE_API_TOKEN when set, else where the profile saved it (savedStore),
// with the given timeout per keychain call.
func (a *App) store(timeout time.Duration) keychain.Store {
	if t := a.apiToken(); t != "" {
		return keychain.NewEnv(t)
	}
	return a.savedStore(a.Settings.Config.Storage, timeout)
}

// savedStore is the store of a credential saved with the given storage:
// the file store for "file" (login --insecure-storage), else the OS
// keychain with the given timeout per call. Every command picks its store
// here: login with the storage its flags ask for, logout and the others
// with the one the profile's settings record.
func (a *App) savedStore(storage string, timeout time.Duration) keychain.Store {
	if storage == storageFile {
		return keychain.NewFile(a.Settings.ConfigDir)
	}
	return a.Keyring(timeout)
}

// savedStores are every store a profile's credential may have been saved
// in, always in the same order, so that processes taking their locks one
// after the other never wait on each other in a circle. Login and logout
// clear the profile in all of them: switching storage must leave no
// secret behind.
func (a *App) savedStores(timeout time.Duration) []keychain.Store {
	return []keychain.Store{a.savedStore(storageKeychain, timeout), a.savedStore(storageFile, timeout)}
}

// storageOf is the storage name the config file records for a store.
func storageOf(s keychain.Store) string {
	if s.Name() == "file" {
		return storageFile
	}
	return storageKeychain
}

// lockWait bounds the wait for a profile's locks: the longest holder, a
// refresh, gives them back within its 30 s timeout.
const lockWait = time.Minute

// lockAll takes the profile's lock in each store, in order, and returns
// the function that releases them all.
func lockAll(ctx context.Context, stores []keychain.Store, profile string) (unlock func(), err error) {
	ctx, cancel := context.WithTimeout(ctx, lockWait)
	defer cancel()
	var unlocks []func()
	unlock = func() {
		for i := len(unlocks) - 1; i >= 0; i-- {
			unlocks[i]()
		}
	}
	for _, s := range stores {
		u, err := keychain.Lock(ctx, s, profile)
		if err != nil {
			unlock()
			return nil, err
		}
		unlocks = append(unlocks, u)
	}
	return unlock, nil
}

// tokenSource hands out valid access tokens for the profile, refreshing
// them as needed. Before the program exits, it waits for any refresh these sources have
// under way, so that a signal never kills a rotation between the issuer's
// answer and the save.
func (a *App) tokenSource(store keychain.Store) *auth.Source {
	src := auth.NewSource(auth.SourceOptions{
		Store:   store,
		Profile: a.Settings.Profile,
		Logger:  a.Logger,
	})
	a.closers = append(a.closers, func() error {
		src.Wait(auth.DefaultRefreshTimeout)
		return nil
	})
	return src
}

// makeClient returns a Make API client for the profile's zone.
func (a *App) makeClient(tokens makeapi.TokenSource) (*makeapi.Client, error) {
	c, err := makeapi.New(makeapi.Options{
		Zone:         a.Settings.Zone,
		AllowedHosts: a.Settings.AllowedHosts,
		Tokens:       tokens,
		UserAgent:    "makemcp/" + buildVersion().Version,
		Logger:       a.Logger,
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", cmp.Or(a.Settings.ZoneFrom, "zone"), err)
	}
	return c, nil
}

// httpClient is used for OAuth requests; every request has a deadline.
var httpClient = &http.Client{Timeout: 30 * time.Second}
