// Package paths says where Zonewalk keeps its files on each OS: the folder
// for audits (the demo audit, and the default parent of new ones) and the
// folder for settings and the recent-audits list.
//
//	Windows  %LOCALAPPDATA%\Zonewalk\Audits, %LOCALAPPDATA%\Zonewalk
//	macOS    ~/Library/Application Support/Zonewalk/Audits, ~/Library/Application Support/Zonewalk
//	others   $XDG_DATA_HOME/zonewalk/audits, $XDG_CONFIG_HOME/zonewalk (XDG Base Directory)
//
// Local, not roaming, application data on Windows: an audit is a database
// of photos and evidence, often gigabytes, and must not follow a domain
// profile to a server. The rules are a pure function of the OS name, the
// environment and the home folder, so every OS's rules are tested on any.
package paths

import (
	"errors"
	"os"
	"runtime"
	"strings"
)

// Dirs are Zonewalk's folders.
type Dirs struct {
	Audits   string // the demo audit and, by default, new audits
	Settings string // settings.json, recent.json
}

// Recent is the file that lists the audits opened lately.
func (d Dirs) Recent() string { return d.Settings + sepOf(d.Settings) + "recent.json" }

// ErrNoHome means neither the environment nor the OS named a home folder.
var ErrNoHome = errors.New("paths: no home folder (HOME, or LOCALAPPDATA / USERPROFILE on Windows, is not set)")

// Default is For on this OS, with its environment and home folder.
func Default() (Dirs, error) {
	home, _ := os.UserHomeDir()
	return For(runtime.GOOS, os.Getenv, home)
}

// For returns the folders on goos, given its environment and home folder.
func For(goos string, getenv func(string) string, home string) (Dirs, error) {
	switch goos {
	case "windows":
		base := getenv("LOCALAPPDATA")
		if !winAbs(base) {
			if !winAbs(home) {
				return Dirs{}, ErrNoHome
			}
			base = join(goos, home, "AppData", "Local")
		}
		root := join(goos, base, "Zonewalk")
		return Dirs{Audits: join(goos, root, "Audits"), Settings: root}, nil
	case "darwin", "ios":
		if !strings.HasPrefix(home, "/") {
			return Dirs{}, ErrNoHome
		}
		root := join(goos, home, "Library", "Application Support", "Zonewalk")
		return Dirs{Audits: join(goos, root, "Audits"), Settings: root}, nil
	default:
		// XDG: a relative value is invalid and must be ignored.
		data, cfg := getenv("XDG_DATA_HOME"), getenv("XDG_CONFIG_HOME")
		if !strings.HasPrefix(data, "/") || !strings.HasPrefix(cfg, "/") {
			if !strings.HasPrefix(home, "/") {
				return Dirs{}, ErrNoHome
			}
		}
		if !strings.HasPrefix(data, "/") {
			data = join(goos, home, ".local", "share")
		}
		if !strings.HasPrefix(cfg, "/") {
			cfg = join(goos, home, ".config")
		}
		return Dirs{Audits: join(goos, data, "zonewalk", "audits"), Settings: join(goos, cfg, "zonewalk")}, nil
	}
}

// winAbs reports whether p is an absolute Windows path: C:\… or \\server\share.
func winAbs(p string) bool {
	if strings.HasPrefix(p, `\\`) {
		return len(p) > 2
	}
	return len(p) >= 3 && p[1] == ':' && (p[2] == '\\' || p[2] == '/') &&
		('a' <= p[0]|0x20 && p[0]|0x20 <= 'z')
}

// join joins with goos's separator (filepath.Join knows only the host's),
// dropping separators at the end of base.
func join(goos, base string, elems ...string) string {
	sep, cut := "/", "/"
	if goos == "windows" {
		sep, cut = `\`, `\/`
	}
	if t := strings.TrimRight(base, cut); t != "" && !(goos == "windows" && strings.HasSuffix(t, ":")) {
		base = t
	}
	for _, e := range elems {
		if !strings.ContainsAny(base[len(base)-1:], cut) {
			base += sep
		}
		base += e
	}
	return base
}

func sepOf(dir string) string {
	if winAbs(dir) {
		return `\`
	}
	return "/"
}
