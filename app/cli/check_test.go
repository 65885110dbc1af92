package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/zonewalk/zonewalk/app/demo"
	"github.com/zonewalk/zonewalk/assets/checks"
)

func checkDemoDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	w, err := demo.Create(context.Background(), dir, "tester")
	if err != nil {
		t.Fatal(err)
	}
	w.Close()
	return dir
}

func checkRun(args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	env := &Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" }}
	code = Run(context.Background(), args, env)
	return code, out.String(), errb.String()
}

func TestCheckCommand(t *testing.T) {
	dir := checkDemoDir(t)
	code, out, stderr := checkRun("check", "--workspace", dir, "--date", "2026-11-25")
	if code != 0 {
		t.Fatalf("check: exit %d, stderr %q", code, stderr)
	}
	for _, want := range []string{"SEVERITY", "ZW-CONDUIT-003", `conduit "C9 Legacy historian query"`,
		"C7 Vendor remote access", "open (", "this run added"} {
		if !strings.Contains(out, want) {
			t.Errorf("table output lacks %q:\n%s", want, out)
		}
	}

	code, out, stderr = checkRun("check", "--workspace", dir, "--date", "2026-11-25", "--format", "json", "--fail-on", "HIGH")
	if code != exitFindings || !strings.Contains(stderr, "at or above high") {
		t.Fatalf("--fail-on high on the demo: exit %d, stderr %q", code, stderr)
	}
	var fs []checks.Finding
	if err := json.Unmarshal([]byte(out), &fs); err != nil {
		t.Fatalf("json output: %v\n%s", err, out)
	}
	high := 0
	for _, f := range fs {
		if f.Status == checks.StatusOpen && f.Severity >= checks.High {
			high++
		}
	}
	if len(fs) < 10 || high == 0 || !strings.Contains(stderr, "this run added 0, updated 0, closed 0") {
		t.Fatalf("second run: %d findings, %d high; stderr %q", len(fs), high, stderr)
	}

	if code, _, stderr = checkRun("check", "--workspace", dir, "--date", "2026-11-25", "--fail-on", "critical"); code != 0 {
		t.Fatalf("--fail-on critical on the demo (no critical findings): exit %d, %q", code, stderr)
	}
	if code, _, stderr = checkRun("check", "--workspace", dir, "--fail-on", "severe"); code != 2 || !strings.Contains(stderr, "severe") {
		t.Fatalf("bad --fail-on: exit %d, %q", code, stderr)
	}
	if code, _, _ = checkRun("check", "--workspace", dir, "--date", "25.11.2026"); code != 2 {
		t.Fatalf("bad --date: exit %d", code)
	}
	if code, _, _ = checkRun("check"); code != 2 {
		t.Fatalf("no workspace: exit %d", code)
	}
}
