package report

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func testMetrics(t testing.TB) *metrics {
	t.Helper()
	m, err := newMetrics()
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// checkWrap asserts the wrapping invariants: no line wider than width
// (unless it is a single rune wider than the width), and no character other
// than spaces lost or added.
func checkWrap(t testing.TB, m *metrics, f fontID, size, width float64, s string) []string {
	t.Helper()
	lines := m.wrap(f, size, width, s)
	for _, l := range lines {
		if w := m.width(f, size, l); w > width+1e-9 && utf8.RuneCountInString(l) > 1 {
			t.Fatalf("line %q is %.2f wide, limit %.2f (text %q)", l, w, width, s)
		}
	}
	strip := func(x string) string { return strings.Join(strings.Fields(x), "") }
	if got, want := strip(strings.Join(lines, "")), strip(s); got != want {
		t.Fatalf("wrap changed the text:\n got %q\nwant %q", got, want)
	}
	return lines
}

func TestWrap(t *testing.T) {
	m := testMetrics(t)
	cases := []struct {
		text  string
		width float64
		lines int // 0: do not check
	}{
		{"short", 200, 1},
		{"", 200, 0},
		{"two words", 5, 0},
		{"The control cabinet of the overflow basin was found open with the key in the lock.", 120, 0},
		{strings.Repeat("x", 500), 100, 0},
		{"https://vendor.example.com/support/firmware/downloads/s7-1500/v3.1.2/release-notes.pdf is long", 90, 0},
		{"Zone Ü – Süd: Außenanlage mit Überlaufbecken, Größe ≥ 20 m³, Kosten 12 000 €", 80, 0},
		{"first paragraph\n\nsecond after a blank line\n", 300, 3},
		{"Греческий и кириллица: Δίκτυο ελέγχου, сеть управления", 60, 0},
	}
	for _, c := range cases {
		lines := checkWrap(t, m, regular, 9.5, c.width, c.text)
		if c.lines > 0 && len(lines) != c.lines {
			t.Errorf("%q at %.0f: %d lines %q, want %d", c.text, c.width, len(lines), lines, c.lines)
		}
	}
	// Long words break at a separator in their second half when they can.
	lines := m.wrap(regular, 9.5, 90, "aaaa/bbbb/cccc/dddd/eeee/ffff/gggg/hhhh/iiii")
	if len(lines) < 2 || !strings.HasSuffix(lines[0], "/") {
		t.Errorf("path broken as %q, want breaks after /", lines)
	}
}

// TestCleanReplacesWhatTheFontsCannotDraw: no character vanishes: CJK is
// kept (the fallback font draws it), a rune no font has becomes U+FFFD;
// only controls and invisible format characters go.
func TestCleanReplacesWhatTheFontsCannotDraw(t *testing.T) {
	m := testMetrics(t)
	got := m.clean("ok ✓ done 🙂\tnext\x07\r\nline Ü 泵站\u200d한")
	if got != "ok \uFFFD done \uFFFD next\nline Ü 泵站한" {
		t.Errorf("clean = %q", got)
	}
	if w, w1 := m.width(regular, 10, "泵站"), m.width(regular, 10, "泵"); w < 15 || w != 2*w1 {
		t.Errorf("泵站 is %.2f wide at 10 pt (泵: %.2f)", w, w1)
	}
	if runs := m.runs(bold, "Pumpe 泵站 Ω"); len(runs) != 3 || runs[1] != (textRun{fallback, "泵站"}) || runs[2] != (textRun{bold, " Ω"}) {
		t.Errorf("runs = %+v", runs)
	}
	if m.oneLine("  a \n b\t c ") != "a b c" {
		t.Errorf("oneLine = %q", m.oneLine("  a \n b\t c "))
	}
}

func TestFit(t *testing.T) {
	m := testMetrics(t)
	s := "Greywater Valley Water Treatment Works — IEC 62443 site assessment"
	got := m.fit(regular, 8, 100, s)
	if !strings.HasSuffix(got, "…") || m.width(regular, 8, got) > 100 {
		t.Errorf("fit = %q (%.1f wide)", got, m.width(regular, 8, got))
	}
	if m.fit(regular, 8, 1000, s) != s {
		t.Error("fit shortened text that fits")
	}
}

func FuzzWrap(f *testing.F) {
	for _, s := range []string{"", "a b c", strings.Repeat("long", 50), "Zone Ü – Süd\n\nx", "tab\there ✓ 🙂", "\x00\xff\xfe"} {
		f.Add(s, 50.0)
	}
	m := testMetrics(f)
	f.Fuzz(func(t *testing.T, s string, width float64) {
		if width < 1 || width > 2000 || len(s) > 4000 {
			return
		}
		checkWrap(t, m, regular, 9, width, m.clean(s))
	})
}
