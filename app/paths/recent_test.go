package paths

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestWithRecentPerOS(t *testing.T) {
	list := []string{`C:\Audits\Site A`, `C:\Audits\Site B`, `C:\Audits\Ölraffinerie`}
	got := withRecent("windows", list, `c:/audits/site b/`, 3)
	want := []string{`c:/audits/site b/`, `C:\Audits\Site A`, `C:\Audits\Ölraffinerie`}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("windows ignores case and separators: got %q, want %q", got, want)
	}
	lin := []string{"/a/Site", "/a/site"}
	if got := withRecent("linux", lin, "/a/site/", 8); !reflect.DeepEqual(got, []string{"/a/site/", "/a/Site"}) {
		t.Errorf("linux is case-sensitive: got %q", got)
	}
	if got := withRecent("darwin", lin, "/a/SITE", 8); !reflect.DeepEqual(got, []string{"/a/SITE"}) {
		t.Errorf("macOS ignores case: got %q", got)
	}
	long := []string{"/1", "/2", "/3"}
	if got := withRecent("linux", long, "/0", 3); !reflect.DeepEqual(got, []string{"/0", "/1", "/2"}) {
		t.Errorf("max: got %q", got)
	}
	if got := withoutRecent("windows", list, `C:\AUDITS\SITE A`); !reflect.DeepEqual(got, list[1:]) {
		t.Errorf("without: got %q", got)
	}
}

// TestRecentListReplacesFile runs the write-temp-then-rename path over an
// existing file, in a folder whose name is not ASCII and whose full path
// is longer than Windows' old MAX_PATH of 260. On Windows the rename is
// MoveFileEx(MOVEFILE_REPLACE_EXISTING) and long paths get the \\?\ prefix
// from package os; this test binary is cross-built for Windows in CI.
func TestRecentListReplacesFile(t *testing.T) {
	dir := t.TempDir()
	for len(dir) < 300 {
		dir = filepath.Join(dir, "Prüfbericht Kläranlage Süd — Zone 3")
	}
	file := filepath.Join(dir, "recent.json")
	old := "C:/an older audit, with a name longer than those that replace it ......................."
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, []byte(`["`+old+`"]`), 0o600); err != nil {
		t.Fatal(err)
	}
	a, b := filepath.Join(dir, "Audit Ø1"), filepath.Join(dir, "Audit 二")
	for _, d := range []string{a, b, a} {
		if err := AddRecent(file, d); err != nil {
			t.Fatalf("AddRecent over an existing file: %v", err)
		}
	}
	got, err := LoadRecent(file)
	if err != nil || !reflect.DeepEqual(got, []string{a, b, old}) {
		t.Fatalf("LoadRecent = %q, %v; want [a b old]", got, err)
	}
	if err := RemoveRecent(file, a); err != nil {
		t.Fatal(err)
	}
	if got, _ := LoadRecent(file); !reflect.DeepEqual(got, []string{b, old}) {
		t.Fatalf("after RemoveRecent: %q", got)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".tmp") {
			t.Errorf("temporary file left: %s", e.Name())
		}
	}
	// A damaged list does not block adding; it is replaced.
	if err := os.WriteFile(file, []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadRecent(file); err == nil {
		t.Error("LoadRecent accepted a damaged file")
	}
	if err := AddRecent(file, b); err != nil {
		t.Fatal(err)
	}
	if got, _ := LoadRecent(file); !reflect.DeepEqual(got, []string{b}) {
		t.Fatalf("after replacing a damaged list: %q", got)
	}
	if got, err := LoadRecent(filepath.Join(dir, "none.json")); err != nil || got != nil {
		t.Errorf("missing list: %q, %v", got, err)
	}
}
