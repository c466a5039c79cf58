package makeapi

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/makemcp/makemcp/internal/safetext"
)

// DefaultZone is the zone used when Options.Zone is empty.
const DefaultZone = "eu1.make.com"

// knownZones are the zone hosts Make documents, in the order FindZone
// lists them in its errors.
var knownZones = []string{
	"eu1.make.com", "eu2.make.com", "us1.make.com", "us2.make.com",
	"eu1.make.celonis.com", "us1.make.celonis.com",
}

// KnownZones returns the zone hosts Make documents.
func KnownZones() []string { return slices.Clone(knownZones) }

// shortZones are the short names a zone may be given by.
var shortZones = map[string]string{
	"eu1": "eu1.make.com", "eu2": "eu2.make.com",
	"us1": "us1.make.com", "us2": "us2.make.com",
}

// apiPath is where Make serves version 2 of its API on every zone.
const apiPath = "/api/v2"

// ParseZone turns a zone into the base URL of Make's API on it. A zone is
// a short name ("eu1", "eu2", "us1", "us2"), a host ("eu1.make.com",
// "eu1.make.com:8443") reached over https, or a base URL ("https://eu1.make.com", "http://127.0.0.1:8080", optionally
// ending in /api/v2). Plain http is refused unless the host is a loopback
// host (localhost, 127.0.0.0/8, ::1), so that a token never crosses a
// network in the clear.
//
// The result always has the form scheme://host[:port]/api/v2.
func ParseZone(s string) (*url.URL, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, errors.New("empty zone: give a host such as eu1.make.com or a base URL such as https://eu1.make.com")
	}
	if host, ok := shortZones[strings.ToLower(s)]; ok {
		s = host
	}
	// Errors quote the zone as typed, but never a password in it.
	shown := safetext.Line(safetext.URL(s), 200)
	if strings.ContainsAny(s, " \t\r\n\\") {
		return nil, fmt.Errorf("zone %q: spaces and backslashes are not allowed: give a host such as eu1.make.com", shown)
	}
	raw := s
	if !strings.Contains(s, "://") {
		raw = "https://" + s
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("zone %q is not a host or URL: give a host such as eu1.make.com", shown)
	}
	scheme := strings.ToLower(u.Scheme)
	if scheme != "https" && scheme != "http" {
		return nil, fmt.Errorf("zone %q: scheme %q is not supported: use https", shown, u.Scheme)
	}
	if u.User != nil {
		return nil, fmt.Errorf("zone %q: credentials in the URL are not allowed: log in instead", shown)
	}
	if u.RawQuery != "" || u.Fragment != "" || u.Opaque != "" {
		return nil, fmt.Errorf("zone %q: a query or fragment is not allowed: give a host such as eu1.make.com", shown)
	}
	if p := strings.TrimSuffix(u.Path, "/"); p != "" && p != apiPath {
		return nil, fmt.Errorf("zone %q: path %q is not Make's API path: give the host only, such as eu1.make.com", shown, u.Path)
	}
	host, err := canonicalHost(u.Host)
	if err != nil {
		return nil, fmt.Errorf("zone %q: %v", shown, err)
	}
	if scheme == "http" && !IsLoopback(host) {
		return nil, fmt.Errorf("zone %q: plain http is allowed only for loopback hosts (localhost, 127.0.0.1, ::1): use https", shown)
	}
	return &url.URL{Scheme: scheme, Host: host, Path: apiPath}, nil
}

// zoneURL is the base URL for a zone host reported by Make (an
// organization's "zone"). A host equal to the configured zone's host, port
// included, is reached at the configured base URL, scheme and all; any
// other host over https. It reports false for a value that is not a plain
// host, so a malformed zone never becomes a request target.
func zoneURL(configured *url.URL, reported string) (*url.URL, bool) {
	host, err := canonicalHost(reported)
	if err != nil {
		return nil, false
	}
	if host == configured.Host {
		return configured, true
	}
	return &url.URL{Scheme: "https", Host: host, Path: apiPath}, true
}

// canonicalHost checks a host[:port] (IPv6 in brackets) and lower-cases
// it. Anything else (a path, user info, a stray colon) is an error.
func canonicalHost(hostport string) (string, error) {
	if hostport == "" {
		return "", errors.New("no host: give a host such as eu1.make.com")
	}
	if len(hostport) > 300 {
		return "", errors.New("host is too long")
	}
	u, err := url.Parse("https://" + hostport)
	if err != nil || u.Host != hostport || strings.HasSuffix(hostport, ":") {
		return "", fmt.Errorf("host %q is malformed: give a host such as eu1.make.com", hostport)
	}
	host, port := strings.ToLower(u.Hostname()), u.Port()
	if port != "" {
		n, err := strconv.Atoi(port)
		if err != nil || n < 1 || n > 65535 || port[0] == '0' {
			return "", fmt.Errorf("port %q is not a port number", port)
		}
	}
	if ip := net.ParseIP(host); ip != nil {
		host = ip.String()
		if ip.To4() == nil {
			host = "[" + host + "]"
		}
	} else if strings.HasPrefix(u.Host, "[") || !validHostname(host) {
		return "", fmt.Errorf("host %q is not a valid host name", host)
	}
	if port != "" {
		return host + ":" + port, nil
	}
	return host, nil
}

// validHostname accepts DNS names: dot-separated labels of letters,
// digits and hyphens, none empty or longer than 63.
func validHostname(h string) bool {
	if h == "" || len(h) > 253 {
		return false
	}
	for label := range strings.SplitSeq(strings.TrimSuffix(h, "."), ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for _, r := range label {
			if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
				return false
			}
		}
	}
	return true
}

// IsLoopback reports whether host (optionally host:port or [v6]:port)
// names this machine: localhost, 127.0.0.0/8 or ::1.
func IsLoopback(host string) bool {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// AllowedHostsVar names the variable that lists hosts, besides Make's own
// zones, that may receive the credential (Options.AllowedHosts).
const AllowedHostsVar = "MAKEMCP_ALLOWED_HOSTS"

// ErrHostNotAllowed is in the chain of the error for a call whose zone
// is neither one of Make's own nor in Options.AllowedHosts.
var ErrHostNotAllowed = errors.New("not a host makemcp sends the Make credential to")

// makeDomains are the domains of Make's own zones.
var makeDomains = []string{".make.com", ".make.celonis.com"}

// hostPolicy says which hosts may receive the credential: Make's own zone
// hosts over https, and the hosts the user named.
type hostPolicy struct {
	// named are canonical hosts, with a port when only that port is
	// allowed.
	named []string
}

// newHostPolicy reads the hosts the user named; each is a host, a
// host:port or a base URL, as ParseZone takes them.
func newHostPolicy(named []string) (hostPolicy, error) {
	var p hostPolicy
	for _, h := range named {
		if strings.TrimSpace(h) == "" {
			continue
		}
		u, err := ParseZone(h)
		if err != nil {
			return hostPolicy{}, fmt.Errorf("%s: %w", AllowedHostsVar, err)
		}
		p.named = append(p.named, u.Host)
	}
	return p, nil
}

// allows reports whether a request to base (a base URL from ParseZone or
// zoneURL) may carry the credential.
func (p hostPolicy) allows(base *url.URL) bool {
	name := base.Hostname()
	if base.Scheme == "https" {
		for _, d := range makeDomains {
			if strings.HasSuffix(name, d) {
				return true
			}
		}
	}
	for _, h := range p.named {
		if h == base.Host {
			return true
		}
		if _, _, err := net.SplitHostPort(h); err != nil && strings.Trim(h, "[]") == name {
			return true
		}
	}
	return false
}

// check returns an error naming the host when base may not receive the
// credential.
func (p hostPolicy) check(base *url.URL) error {
	if p.allows(base) {
		return nil
	}
	return &hostError{host: base.Host}
}

// hostError is a zone host the credential is not sent to.
type hostError struct{ host string }

func (e *hostError) Error() string {
	return fmt.Sprintf("zone host %q is not one of Make's zones (*.make.com, *.make.celonis.com), so makemcp sends no credential there: "+
		"if it is a Make instance you trust, add it to %s", safetext.Line(e.host, 300), AllowedHostsVar)
}

func (e *hostError) Unwrap() error { return ErrHostNotAllowed }
