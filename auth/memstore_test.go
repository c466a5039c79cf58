package auth

import (
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/makemcp/makemcp/keychain"
)

// memStore is a keychain.Store in memory that counts its calls, for the
// tests that are about the Source's logic rather than about a keychain.
type memStore struct {
	// lock is the store's profile lock (one for all profiles), as a
	// keychain.Locker: in memory, processes are goroutines.
	lock    sync.Mutex
	mu      sync.Mutex
	creds   map[string]keychain.Credential
	locks   int
	loads   int
	saves   int
	loadErr error
	saveErr error
	onSave  func(*keychain.Credential)
}

func newMemStore() *memStore { return &memStore{creds: map[string]keychain.Credential{}} }

func (m *memStore) Name() string { return "memory" }

func (m *memStore) Lock(ctx context.Context, profile string) (func(), error) {
	m.lock.Lock()
	m.mu.Lock()
	m.locks++
	m.mu.Unlock()
	return m.lock.Unlock, nil
}

func (m *memStore) Load(ctx context.Context, profile string) (*keychain.Credential, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.loads++
	if m.loadErr != nil {
		return nil, m.loadErr
	}
	c, ok := m.creds[profile]
	if !ok {
		return nil, fmt.Errorf("profile %q: %w", profile, keychain.ErrNotFound)
	}
	c.Scopes = slices.Clone(c.Scopes)
	return &c, nil
}

func (m *memStore) Save(ctx context.Context, profile string, c *keychain.Credential) error {
	m.mu.Lock()
	m.saves++
	err := m.saveErr
	if err == nil {
		cp := *c
		cp.Scopes = slices.Clone(c.Scopes)
		m.creds[profile] = cp
	}
	onSave := m.onSave
	m.mu.Unlock()
	if onSave != nil {
		onSave(c)
	}
	return err
}

func (m *memStore) Delete(ctx context.Context, profile string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.creds, profile)
	return nil
}

func (m *memStore) put(profile string, c keychain.Credential) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.creds[profile] = c
}

func (m *memStore) get(profile string) (keychain.Credential, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	c, ok := m.creds[profile]
	return c, ok
}

func (m *memStore) counts() (loads, saves int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.loads, m.saves
}

func (m *memStore) lockCount() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.locks
}
