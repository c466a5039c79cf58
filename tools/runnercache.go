package tools

import (
	"context"
	"encoding/json"
	"slices"
	"time"

	"github.com/makemcp/makemcp/makeapi"
)

// Cache keeps the scenario tools between runs of makemcp, so that a
// restart lists them at once instead of waiting for Make. makemcp keeps
// it in a file of the user's cache folder, one per profile, zone and team;
// it holds no secret, only what Make says of the scenarios.
type Cache interface {
	// Load returns what Save stored last, or an error when there is
	// nothing (or nothing readable).
	Load() ([]byte, error)
	Save([]byte) error
}

// cacheVersion changes whenever the cached form does: a cache of another
// version is ignored, and rewritten after the next load.
const cacheVersion = 1

// cachedTools is what the cache holds.
type cachedTools struct {
	Version int `json:"version"`
	// TeamID and OrganizationID are where the scenarios were listed; a
	// cache of another team is ignored.
	TeamID         int64            `json:"teamId,omitempty"`
	OrganizationID int64            `json:"organizationId,omitempty"`
	Scenarios      []cachedScenario `json:"scenarios"`
}

// cachedScenario is what a scenario tool is built from.
type cachedScenario struct {
	ID          int64              `json:"id"`
	Name        string             `json:"name"`
	Description string             `json:"description,omitempty"`
	LastEdit    time.Time          `json:"lastEdit"`
	Interface   *makeapi.Interface `json:"interface"`
}

// restore serves the tools the cache holds, and reports whether it held
// any. A cache that is corrupt, of another version or another team is
// ignored: the next load rewrites it.
func (rs *runners) restore() bool {
	if rs.cache == nil {
		return false
	}
	b, err := rs.cache.Load()
	if err != nil {
		return false
	}
	// Defaults the server must find (MAKE_API_TOKEN) are not known yet,
	// and finding them would make this start wait for Make: the cache
	// file is the profile's and zone's, and the load that follows
	// corrects a cache of another team.
	var c cachedTools
	if err := json.Unmarshal(b, &c); err != nil || c.Version != cacheVersion ||
		rs.deps.TeamID != 0 && c.TeamID != rs.deps.TeamID || rs.deps.OrganizationID != 0 && c.OrganizationID != rs.deps.OrganizationID {
		rs.deps.Logger.Info("ignoring the scenario tools cache: it is of another version or team, or unreadable; it will be rewritten")
		return false
	}
	for _, s := range c.Scenarios {
		if s.Interface == nil || s.ID == 0 || (rs.allow != nil && !rs.allow[s.ID]) {
			continue
		}
		rs.build(s)
	}
	rs.flush()
	rs.mu.Lock()
	n := len(rs.tools)
	rs.mu.Unlock()
	rs.deps.Logger.Debug("scenario tools from the cache", "tools", n)
	return true
}

// save writes the served tools to the cache. A failure costs the next
// start its head start, nothing more: it is logged, not returned.
func (rs *runners) save() {
	if rs.cache == nil {
		return
	}
	d := rs.deps.defaults(context.Background())
	c := cachedTools{Version: cacheVersion, TeamID: d.TeamID, OrganizationID: d.OrganizationID}
	rs.mu.Lock()
	for _, r := range rs.tools {
		c.Scenarios = append(c.Scenarios, r.scenario)
	}
	rs.mu.Unlock()
	slices.SortFunc(c.Scenarios, func(a, b cachedScenario) int { return int(a.ID - b.ID) })
	b, err := json.Marshal(c)
	if err == nil {
		err = rs.cache.Save(b)
	}
	if err != nil {
		rs.deps.Logger.Warn("could not save the scenario tools cache", "err", oneLine(err))
	}
}
