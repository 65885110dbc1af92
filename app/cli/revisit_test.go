package cli

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestRevisitConfirmAndDiff(t *testing.T) {
	tmp := t.TempDir()
	old, cur := filepath.Join(tmp, "2025"), filepath.Join(tmp, "2026")
	if code, _, errs := run(t, nil, "demo", "--workspace", old); code != 0 {
		t.Fatal(errs)
	}
	code, out, errs := run(t, nil, "revisit", "--from", old, "--workspace", cur, "--unencrypted", "--title", "Greywater 2026")
	if code != 0 || !strings.Contains(out, `started "Greywater 2026"`) || !strings.Contains(out, "answers carried over to re-confirm") {
		t.Fatalf("revisit: %d %s %s", code, out, errs)
	}
	code, out, errs = run(t, nil, "confirm", "--workspace", cur, "--template", "iec62443-3-3-2013", "--zone", "SCADA & Operations", "--section", "SR 1.")
	if code != 0 || !strings.Contains(out, "confirmed ") || strings.Contains(out, "confirmed 0 ") {
		t.Fatalf("confirm: %d %s %s", code, out, errs)
	}
	// diff defaults to the audit revisited.
	code, out, errs = run(t, nil, "diff", "--workspace", cur)
	if code != 0 || !strings.Contains(out, "Changes from") || !strings.Contains(out, "Greywater 2026") {
		t.Fatalf("diff against the revisited audit: %d %s %s", code, out, errs)
	}
	if code, _, errs = run(t, nil, "diff", "--workspace", old); code != 2 || !strings.Contains(errs, "not started with `zonewalk revisit`") {
		t.Errorf("diff of an audit with no baseline: %d %s", code, errs)
	}
	if code, _, errs = run(t, nil, "revisit", "--from", old, "--workspace", old, "--unencrypted"); code != 2 {
		t.Errorf("revisit onto itself: %d %s", code, errs)
	}
	if code, _, errs = run(t, nil, "revisit", "--from", old, "--workspace", filepath.Join(tmp, "x")); code != 2 || !strings.Contains(errs, "passphrase") {
		t.Errorf("revisit without a passphrase: %d %s", code, errs)
	}
}
