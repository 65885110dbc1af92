package cli

import (
	"bytes"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestDiagramCommand draws the demo audit in every format from the command
// line and reads each file back.
func TestDiagramCommand(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "demo")
	if code, out, errs := run(t, nil, "demo", "--workspace", dir); code != 0 {
		t.Fatalf("demo: %d %s %s", code, out, errs)
	}
	outDir := t.TempDir()
	file := func(name string) string { return filepath.Join(outDir, name) }
	draw := func(args ...string) {
		t.Helper()
		code, out, errs := run(t, nil, append([]string{"diagram", "--workspace", dir}, args...)...)
		if code != 0 || !strings.HasPrefix(out, "wrote ") {
			t.Fatalf("diagram %v: exit %d\nstdout %s\nstderr %s", args, code, out, errs)
		}
	}
	zoneNames := []string{"Enterprise IT", "Industrial DMZ", "SCADA &amp; Operations", "Filtration Control"}

	draw("--out", file("overview.svg"))
	svg, _ := os.ReadFile(file("overview.svg"))
	for _, n := range zoneNames {
		if !bytes.Contains(svg, []byte(">"+n+"<")) {
			t.Errorf("overview SVG lacks zone %q", n)
		}
	}

	draw("--out", file("overview.dot"))
	dot, _ := os.ReadFile(file("overview.dot"))
	if !bytes.HasPrefix(dot, []byte("digraph overview {")) || !bytes.Contains(dot, []byte("pos=")) {
		t.Errorf("DOT is not Graphviz's laid-out graph: %.100s", dot)
	}

	draw("--out", file("overview.png"))
	f, err := os.Open(file("overview.png"))
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(f)
	f.Close()
	if err != nil || img.Bounds().Dx() < 500 {
		t.Fatalf("PNG: %v %v", err, img)
	}

	draw("--out", file("scada.pdf"), "--zone", "SCADA & Operations")
	text, err := exec.Command("pdftotext", "-enc", "UTF-8", file("scada.pdf"), "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"SCADA & Operations", "Zone detail"} {
		if !strings.Contains(string(text), want) {
			t.Errorf("zone PDF text lacks %q", want)
		}
	}
	info, err := exec.Command("pdfinfo", file("scada.pdf")).Output()
	if err != nil || !regexp.MustCompile(`(?m)^Pages:\s+1$`).Match(info) {
		t.Errorf("zone PDF: want one page: %v\n%s", err, info)
	}

	// Usage errors exit 2; an unknown zone exits 1 and leaves the old file.
	for _, args := range [][]string{
		{"diagram", "--workspace", dir},
		{"diagram", "--workspace", dir, "--out", file("x.jpeg")},
		{"diagram", "--out", file("x.svg")},
		{"diagram", "--workspace", dir, "--out", file("x.svg"), "extra"},
	} {
		if code, _, errs := run(t, nil, args...); code != 2 {
			t.Errorf("%v: exit %d, want 2; stderr %s", args, code, errs)
		}
	}
	before, _ := os.ReadFile(file("overview.svg"))
	code, _, errs := run(t, nil, "diagram", "--workspace", dir, "--out", file("overview.svg"), "--zone", "Atlantis")
	if code != 1 || !strings.Contains(errs, "Atlantis") {
		t.Errorf("unknown zone: exit %d, stderr %s", code, errs)
	}
	if after, _ := os.ReadFile(file("overview.svg")); !bytes.Equal(before, after) {
		t.Error("a failed diagram changed the existing file")
	}
	if left, _ := filepath.Glob(filepath.Join(outDir, ".zonewalk-diagram-*")); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
}
