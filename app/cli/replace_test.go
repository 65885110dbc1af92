package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestWritesReplaceExistingFiles runs the commands that write a temporary
// file and rename it into place (diagram, report) over files that already
// exist, in a folder whose name is not ASCII and whose path is longer than
// Windows' old MAX_PATH (260). os.Rename replaces on POSIX by definition; on
// Windows it is MoveFileEx(MOVEFILE_REPLACE_EXISTING), and package os adds
// the \\?\ prefix to long paths. This test binary is cross-built for
// Windows in CI (GOOS=windows go test -c); it cannot run here.
func TestWritesReplaceExistingFiles(t *testing.T) {
	base := t.TempDir()
	ws := filepath.Join(base, "Kläranlage Süd")
	if code, out, errs := run(t, nil, "demo", "--workspace", ws); code != 0 {
		t.Fatalf("demo: %d %s %s", code, out, errs)
	}
	outDir := base
	for len(outDir) < 300 {
		outDir = filepath.Join(outDir, "Prüfbericht — Zone 3 (Ölraffinerie)")
	}
	if err := os.MkdirAll(outDir, 0o700); err != nil {
		t.Fatal(err)
	}
	stale := []byte(strings.Repeat("an earlier file, longer than the one replacing it\n", 20000))
	for _, tc := range []struct {
		args []string
		file string
		head string
	}{
		{[]string{"diagram"}, "Übersicht.svg", "<?xml"},
		{[]string{"report"}, "Prüfbericht 二.pdf", "%PDF-"},
	} {
		out := filepath.Join(outDir, tc.file)
		if err := os.WriteFile(out, stale, 0o600); err != nil {
			t.Fatal(err)
		}
		args := append(tc.args, "--workspace", ws, "--out", out)
		if code, stdout, errs := run(t, nil, args...); code != 0 {
			t.Fatalf("%s over an existing file: exit %d\n%s\n%s", tc.args[0], code, stdout, errs)
		}
		got, err := os.ReadFile(out)
		if err != nil || !strings.HasPrefix(string(got), tc.head) || strings.Contains(string(got), "an earlier file") {
			t.Errorf("%s: %s was not replaced whole (%v, starts %q)", tc.args[0], tc.file, err, got[:min(len(got), 16)])
		}
	}
	entries, err := os.ReadDir(outDir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 2 {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("want only the two outputs, found %q", names)
	}
}
