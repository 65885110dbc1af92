package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestOSCALCommand writes the three OSCAL models of the demo from the
// command line, twice, and checks the files, the summary line, that the
// second export is byte-identical, and the usage errors.
func TestOSCALCommand(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "demo")
	if code, out, errs := run(t, nil, "demo", "--workspace", dir); code != 0 {
		t.Fatalf("demo: %d %s %s", code, out, errs)
	}
	outDir := t.TempDir()
	for model, top := range map[string]string{
		"assessment-results": "assessment-results",
		"poam":               "plan-of-action-and-milestones",
		"catalog":            "catalog",
	} {
		var files [2][]byte
		for i := range files {
			f := filepath.Join(outDir, model+".json")
			code, out, errs := run(t, nil, "oscal", "--workspace", dir, "--out", f, "--model", model, "--date", "2026-11-27", "--doc-version", "2.1")
			if code != 0 {
				t.Fatalf("oscal %s: exit %d\n%s%s", model, code, out, errs)
			}
			if !strings.HasPrefix(out, "wrote "+f+": OSCAL ") {
				t.Errorf("oscal %s: output %q", model, out)
			}
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			files[i] = b
		}
		if !bytes.Equal(files[0], files[1]) {
			t.Errorf("oscal %s: two exports of the unchanged demo differ", model)
		}
		var doc map[string]struct {
			UUID     string `json:"uuid"`
			Metadata struct {
				Version      string `json:"version"`
				OSCALVersion string `json:"oscal-version"`
			} `json:"metadata"`
		}
		if err := json.Unmarshal(files[0], &doc); err != nil {
			t.Fatalf("oscal %s: %v", model, err)
		}
		d, ok := doc[top]
		if len(doc) != 1 || !ok || d.UUID == "" || d.Metadata.Version != "2.1" || d.Metadata.OSCALVersion != "1.1.3" {
			t.Errorf("oscal %s: top level %v", model, doc)
		}
	}

	f := filepath.Join(outDir, "x.json")
	for _, args := range [][]string{
		{"oscal", "--workspace", dir, "--model", "poam"},
		{"oscal", "--workspace", dir, "--out", f},
		{"oscal", "--workspace", dir, "--out", f, "--model", "ssp"},
		{"oscal", "--workspace", dir, "--out", f, "--model", "poam", "--date", "27.11.2026"},
		{"oscal", "--workspace", dir, "--out", f, "--model", "poam", "extra"},
	} {
		if code, _, errs := run(t, nil, args...); code != 2 {
			t.Errorf("%v: exit %d, want 2 (usage); stderr %s", args, code, errs)
		}
	}
	if _, err := os.Stat(f); !os.IsNotExist(err) {
		t.Errorf("a refused command left %s: %v", f, err)
	}
}
