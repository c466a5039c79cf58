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

// ioStreams are a command's standard input, output and error.
type ioStreams struct {
	In  io.Reader
	Out io.Writer
	Err io.Writer
}

// factory makes what commands use, from the outside world (streams,
// environment, keychain) and the global settings. Each newXCmd copies the
// functions its command needs into the command's options; they are
// called only when the command runs, after the root command has resolved
// the global flags. Tests build a command's options with fakes instead.
type factory struct {
	IO     ioStreams
	Getenv func(string) string
	// Keyring opens the OS keychain with a timeout per call; tests put a
	// broken or in-memory one here.
	Keyring func(timeout time.Duration) keychain.Store

	// Set by resolve before any subcommand runs.
	settings Settings
	logger   *slog.Logger

	closers []func() error
}

func newFactory(streams ioStreams, getenv func(string) string) *factory {
	return &factory{IO: streams, Getenv: getenv,
		Keyring: func(t time.Duration) keychain.Store { return keychain.NewKeyring(t) }}
}

// Settings returns the global settings.
func (f *factory) Settings() Settings { return f.settings }

// Logger returns the logger the global settings chose.
func (f *factory) Logger() *slog.Logger { return f.logger }

// close runs the closers, last added first: waiting for refreshes comes
// before closing the log they may write to.
func (f *factory) close() {
	for i := len(f.closers) - 1; i >= 0; i-- {
		f.closers[i]()
	}
	f.closers = nil
}

// Storage names as the config file records them.
const (
	storageKeychain = "keychain"
	storageFile     = "file"
)

// apiToken is MAKE_API_TOKEN, which bypasses any stored credential.
func (f *factory) apiToken() string { return strings.TrimSpace(f.Getenv("MAKE_API_TOKEN")) }

// Store returns where the profile's credential is read from:
// MAKE_API_TOKEN when set, else where the profile saved it, with the
// given timeout per keychain call.
func (f *factory) Store(timeout time.Duration) keychain.Store {
	if t := f.apiToken(); t != "" {
		return keychain.NewEnv(t)
	}
	return f.SavedStore(f.settings.Config.Storage, timeout)
}

// SavedStore is the store of a credential saved with the given storage:
// the file store for "file" (login --insecure-storage), else the OS
// keychain with the given timeout per call. Every command picks its store
// here: login with the storage its flags ask for, the others with the one
// the profile's settings record (Store).
func (f *factory) SavedStore(storage string, timeout time.Duration) keychain.Store {
	if storage == storageFile {
		return keychain.NewFile(f.settings.ConfigDir)
	}
	return f.Keyring(timeout)
}

// SavedStores are every store a profile's credential may have been saved
// in, always in the same order, so that processes taking their locks one
// after the other never wait on each other in a circle. Login and logout
// clear the profile in all of them: switching storage must leave no
// secret behind.
func (f *factory) SavedStores(timeout time.Duration) []keychain.Store {
	return []keychain.Store{f.SavedStore(storageKeychain, timeout), f.SavedStore(storageFile, timeout)}
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

// TokenSource hands out valid access tokens for the profile's credential
// in store, refreshing them as needed. Before the program exits, it waits
// for any refresh these sources have under way, so that a signal never
// kills a rotation between the issuer's answer and the save.
func (f *factory) TokenSource(store keychain.Store) makeapi.TokenSource {
	src := auth.NewSource(auth.SourceOptions{
		Store:   store,
		Profile: f.settings.Profile,
		Logger:  f.logger,
	})
	f.closers = append(f.closers, func() error {
		src.Wait(auth.DefaultRefreshTimeout)
		return nil
	})
	return src
}

// MakeClient returns a Make API client for zone.
func (f *factory) MakeClient(zone string, tokens makeapi.TokenSource) (*makeapi.Client, error) {
	c, err := makeapi.New(makeapi.Options{
		Zone:         zone,
		AllowedHosts: f.settings.AllowedHosts,
		Tokens:       tokens,
		UserAgent:    userAgent(),
		Logger:       f.logger,
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", cmp.Or(f.settings.ZoneFrom, "zone"), err)
	}
	return c, nil
}

// FindZone returns the zone whose Make knows the token: among
// MAKEMCP_KNOWN_ZONES when set, else among Make's own zones.
func (f *factory) FindZone(ctx context.Context, tokens makeapi.TokenSource) (string, error) {
	return makeapi.FindZone(ctx, makeapi.Options{
		Tokens:       tokens,
		AllowedHosts: f.settings.AllowedHosts,
		UserAgent:    userAgent(),
		Logger:       f.logger,
	}, f.settings.KnownZones...)
}

func userAgent() string { return "makemcp/" + buildVersion().Version }

// httpClient is used for OAuth requests; every request has a deadline.
var httpClient = &http.Client{Timeout: 30 * time.Second}
