package cli

import (
	"context"
	"fmt"
	"runtime"
	"runtime/debug"
)

// Set by release builds with -ldflags "-X github.com/zonewalk/zonewalk/app/cli.version=1.2.0 ..."
// (see .ci/windows-build.sh). Left empty, BuildVersion falls back to what
// the Go toolchain stamped into the binary.
var (
	version string
	commit  string
	date    string
)

// BuildInfo says which Zonewalk a binary is.
type BuildInfo struct {
	Version  string `json:"version"`
	Commit   string `json:"commit"`
	Modified bool   `json:"modified,omitempty"` // built from a tree with uncommitted changes
	Date     string `json:"date"`               // build time (UTC, RFC 3339), else the commit's time
	Go       string `json:"go"`
	Platform string `json:"platform"`
}

// BuildVersion is this binary's BuildInfo.
func BuildVersion() BuildInfo {
	bi, _ := debug.ReadBuildInfo()
	return buildVersion(version, commit, date, bi)
}

// buildVersion merges the -X values with the build information: "go build"
// in a git clone stamps the revision and commit time, "go install …@v1.2.0"
// the module version.
func buildVersion(ldVersion, ldCommit, ldDate string, bi *debug.BuildInfo) BuildInfo {
	info := BuildInfo{Version: ldVersion, Commit: ldCommit, Date: ldDate,
		Go: runtime.Version(), Platform: runtime.GOOS + "/" + runtime.GOARCH}
	if bi != nil {
		if info.Version == "" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			info.Version = bi.Main.Version
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				if info.Commit == "" {
					info.Commit = s.Value
				}
			case "vcs.time":
				if info.Date == "" {
					info.Date = s.Value
				}
			case "vcs.modified":
				// Only when the commit came from the same stamp: a release
				// build names its commit itself.
				info.Modified = s.Value == "true" && ldCommit == ""
			}
		}
	}
	if info.Version == "" {
		info.Version = "dev"
	}
	if info.Commit == "" {
		info.Commit = "unknown"
	}
	if info.Date == "" {
		info.Date = "unknown"
	}
	return info
}

func init() {
	register("version", "print the version, commit and build date", runVersion)
}

func runVersion(_ context.Context, env *Env, args []string) error {
	fs := newFlags(env, "version", "[--format text|json]")
	format := fs.String("format", "text", "text or json")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageError("unexpected argument %q", pos[0])
	}
	if err := checkFormat(*format, "text", "json"); err != nil {
		return err
	}
	info := BuildVersion()
	if *format == "json" {
		return writeJSON(env.Stdout, info)
	}
	mod := ""
	if info.Modified {
		mod = " (with uncommitted changes)"
	}
	fmt.Fprintf(env.Stdout, "zonewalk %s\ncommit   %s%s\nbuilt    %s\ngo       %s %s\n",
		info.Version, info.Commit, mod, info.Date, info.Go, info.Platform)
	return nil
}
