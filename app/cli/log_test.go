package cli

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

func TestLogCommands(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "demo")
	if code, _, errs := run(t, nil, "demo", "--workspace", dir); code != 0 {
		t.Fatal(errs)
	}
	code, out, errs := run(t, map[string]string{"ZONEWALK_AUTHOR": "K. Osei"}, "checklist", "answer", "--workspace", dir,
		"--template", "iec62443-3-3-2013", "--item", "SR 5.2", "--status", "partial", "--zone", "SCADA & Operations")
	if code != 0 {
		t.Fatalf("answer: %s %s", out, errs)
	}
	code, out, _ = run(t, nil, "log", "--workspace", dir, "--format", "json")
	var entries []struct {
		Seq    int                           `json:"seq"`
		Kind   string                        `json:"kind"`
		Record string                        `json:"record"`
		Author string                        `json:"changed_by"`
		Fields map[string][2]json.RawMessage `json:"fields"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &entries) != nil || len(entries) < 50 {
		t.Fatalf("log json: %d entries, %q…", len(entries), out[:min(200, len(out))])
	}
	last := entries[len(entries)-1]
	if last.Kind != "answer" || last.Author != "K. Osei" || string(last.Fields["status"][0]) != `"met"` || string(last.Fields["status"][1]) != `"partial"` {
		t.Errorf("the answer's entry: %+v", last)
	}
	code, out, _ = run(t, nil, "log", "--workspace", dir, "--record", last.Record)
	if code != 0 || !strings.Contains(out, "K. Osei") || !strings.Contains(out, `status: "met" → "partial"`) ||
		!strings.Contains(out, `status: null → "met"`) /* the creation, recovered from the record and the later entry */ || !strings.Contains(out, "2 entries") {
		t.Errorf("log --record:\n%s", out)
	}
	code, out, errs = run(t, nil, "log", "verify", "--workspace", dir)
	if code != 0 || !strings.Contains(out, "change log verified: 1 chain") {
		t.Errorf("log verify: %d %s %s", code, out, errs)
	}
	if code, _, errs = run(t, nil, "log", "check", "--workspace", dir); code != 2 {
		t.Errorf("log check: %d %s", code, errs)
	}
}
