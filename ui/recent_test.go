package ui

import (
	"os"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/zonewalk/zonewalk/app/paths"
)

// TestRecentListIsPrivate: the recent-audits list names client sites, so
// it lives in a 0600 file, not in Fyne's 0644 preferences; a list an
// earlier version kept there moves over once.
func TestRecentListIsPrivate(t *testing.T) {
	a := test.NewTempApp(t)
	a.Preferences().SetStringList(prefRecent, []string{"/audits/refinery", "/audits/water"})
	file := filepath.Join(t.TempDir(), "cfg", "recent.json")
	migrateRecent(a, file)
	if got := a.Preferences().StringList(prefRecent); len(got) != 0 {
		t.Errorf("preferences still hold the recent list: %v", got)
	}
	sh := newShell(a, Options{RecentFile: file})
	t.Cleanup(sh.shutdown)
	if got := sh.recentAudits(); len(got) != 2 || got[0] != "/audits/refinery" || got[1] != "/audits/water" {
		t.Fatalf("migrated list %v", got)
	}
	sh.addRecent("/audits/substation")
	if got, _ := paths.LoadRecent(file); len(got) != 3 || got[0] != "/audits/substation" {
		t.Fatalf("after an open: %v", got)
	}
	fi, err := os.Stat(file)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("recent file mode %v, want 0600", fi.Mode().Perm())
	}
	sh.removeRecent("/audits/water")
	if got := sh.recentAudits(); len(got) != 2 || got[1] != "/audits/refinery" {
		t.Errorf("after removing one: %v", got)
	}
}
