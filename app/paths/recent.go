package paths

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/zonewalk/zonewalk/app/atomicfile"
)

// MaxRecent is how many audits the recent list keeps.
const MaxRecent = 8

// LoadRecent reads the recent-audits list in file, newest first; a missing
// file is an empty list.
func LoadRecent(file string) ([]string, error) {
	b, err := os.ReadFile(file)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var list []string
	if err := json.Unmarshal(b, &list); err != nil {
		return nil, fmt.Errorf("recent audits %s: %w", file, err)
	}
	return list, nil
}

// AddRecent puts dir at the head of the recent list in file.
func AddRecent(file, dir string) error {
	list, err := LoadRecent(file)
	if err != nil {
		list = nil // a damaged list is replaced, not a reason to fail an open
	}
	return saveRecent(file, withRecent(runtime.GOOS, list, dir, MaxRecent))
}

// RemoveRecent drops dir from the recent list in file.
func RemoveRecent(file, dir string) error {
	list, err := LoadRecent(file)
	if err != nil {
		return err
	}
	return saveRecent(file, withoutRecent(runtime.GOOS, list, dir))
}

func saveRecent(file string, list []string) error {
	if list == nil {
		list = []string{}
	}
	b, err := json.MarshalIndent(list, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(file), 0o700); err != nil {
		return err
	}
	return atomicfile.WriteFile(file, append(b, '\n'), 0o600)
}

// withRecent returns list with dir first, at most max long, without other
// entries naming the same folder.
func withRecent(goos string, list []string, dir string, max int) []string {
	out := []string{dir}
	for _, d := range list {
		if !samePath(goos, d, dir) && len(out) < max {
			out = append(out, d)
		}
	}
	return out
}

func withoutRecent(goos string, list []string, dir string) []string {
	var out []string
	for _, d := range list {
		if !samePath(goos, d, dir) {
			out = append(out, d)
		}
	}
	return out
}

// samePath compares folder names as goos does: Windows and macOS file
// systems ignore case by default, and Windows takes / for \.
func samePath(goos, a, b string) bool {
	switch goos {
	case "windows":
		norm := func(s string) string { return strings.TrimRight(strings.ReplaceAll(s, "/", `\`), `\`) }
		return strings.EqualFold(norm(a), norm(b))
	case "darwin", "ios":
		return strings.EqualFold(strings.TrimRight(a, "/"), strings.TrimRight(b, "/"))
	default:
		return strings.TrimRight(a, "/") == strings.TrimRight(b, "/")
	}
}
