package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

// On a full disk a command fails with exit code 1 and says that nothing
// was written, instead of crashing with SIGBUS (exit code 2).
func TestFullDiskExitCode(t *testing.T) {
	disk := t.TempDir()
	if err := unix.Mount("tmpfs", disk, "tmpfs", 0, "size=32m"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("mount a tmpfs at %s (CI runs as root and must test a full disk): %v", disk, err)
		}
		t.Skipf("cannot mount a tmpfs here (needs root): %v", err)
	}
	t.Cleanup(func() { unix.Unmount(disk, unix.MNT_DETACH) })
	ws := filepath.Join(disk, "ws")
	if code, _, errs := run(t, nil, "init", "--workspace", ws, "--unencrypted"); code != 0 {
		t.Fatalf("init: %d %s", code, errs)
	}
	if code, _, errs := run(t, nil, "keys", "show", "--workspace", ws); code != 0 { // the signing key is made at first use
		t.Fatalf("keys show: %d %s", code, errs)
	}
	csv := filepath.Join(t.TempDir(), "a.csv")
	os.WriteFile(csv, []byte("tag,type\nPLC-1,plc\n"), 0o600)

	f, err := os.Create(filepath.Join(disk, "filler"))
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 64<<10)
	for {
		if _, err := f.Write(buf); err != nil {
			break // ENOSPC
		}
	}
	f.Close()
	code, _, errs := run(t, nil, "assets", "import", csv, "--workspace", ws)
	if code != 1 || !strings.Contains(errs, "disk full") || !strings.Contains(errs, "nothing was written") {
		t.Fatalf("import on a full disk: exit %d, %s", code, errs)
	}
	// Reading still works: read commands fall back to a read-only open.
	for _, args := range [][]string{{"zones", "list"}, {"assets", "list"}, {"assets", "export"}, {"checklist", "score"}, {"conflicts", "list"}, {"keys", "show"}, {"keys", "trusted"}, {"log"}} {
		code, _, errs := run(t, nil, append(args, "--workspace", ws)...)
		if code != 0 || !strings.Contains(errs, "read-only") {
			t.Errorf("%v on a full disk: exit %d, %s", args, code, errs)
		}
	}
	code, _, errs = run(t, nil, "init", "--workspace", filepath.Join(disk, "new"), "--unencrypted")
	if code != 1 || !strings.Contains(errs, "disk full") {
		t.Fatalf("init on a full disk: exit %d, %s", code, errs)
	}
}
