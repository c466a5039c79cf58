package main

import (
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// Set at release time with -ldflags "-X main.version=... -X main.commit=...
// -X main.date=... -X main.defaultClientID=... -X main.defaultClientSecret=...".
// The client ID and secret come from the release's environment, never
// from the repository (see .goreleaser.yaml and docs/auth.md).
var (
	version             = ""
	commit              = ""
	date                = ""
	defaultClientID     = ""
	defaultClientSecret = ""
)

type versionInfo struct {
	Version, Commit, Date string
}

func (v versionInfo) String() string {
	s := v.Version
	if v.Commit != "" {
		s += " (commit " + v.Commit
		if v.Date != "" {
			s += ", built " + v.Date
		}
		s += ")"
	}
	return s
}

// buildVersion prefers what the release injected, then what the Go
// toolchain recorded: `go install ...@v1.2.3` gives the module version, a
// checkout build gives the VCS revision when it was recorded.
func buildVersion() versionInfo {
	v := versionInfo{Version: version, Commit: commit, Date: date}
	info, ok := debug.ReadBuildInfo()
	if ok {
		if v.Version == "" && info.Main.Version != "" && info.Main.Version != "(devel)" {
			v.Version = info.Main.Version
		}
		for _, s := range info.Settings {
			switch {
			case s.Key == "vcs.revision" && v.Commit == "":
				v.Commit = s.Value
				if len(v.Commit) > 12 {
					v.Commit = v.Commit[:12]
				}
			case s.Key == "vcs.time" && v.Date == "":
				v.Date = s.Value
			}
		}
	}
	if v.Version == "" {
		v.Version = "dev"
	}
	return v
}

type versionOptions struct {
	IO ioStreams
}

func newVersionCmd(f *factory) *cobra.Command {
	o := &versionOptions{IO: f.IO}
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version, commit and build date",
		Args:  cobra.NoArgs,
		RunE:  func(*cobra.Command, []string) error { return versionRun(o) },
	}
}

func versionRun(o *versionOptions) error {
	v := buildVersion()
	w := o.IO.Out
	fmt.Fprintf(w, "makemcp %s\n", v.Version)
	if v.Commit != "" {
		fmt.Fprintf(w, "commit:  %s\n", v.Commit)
	}
	if v.Date != "" {
		fmt.Fprintf(w, "built:   %s\n", v.Date)
	}
	fmt.Fprintf(w, "go:      %s %s/%s\n", runtime.Version(), runtime.GOOS, runtime.GOARCH)
	return nil
}
