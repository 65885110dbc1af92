package cli

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zonewalk/zonewalk/app"
	"github.com/zonewalk/zonewalk/assets"
	"github.com/zonewalk/zonewalk/store"
)

func TestTerm(t *testing.T) {
	for in, want := range map[string]string{
		"PLC-101":                "PLC-101",
		"Zone Ω — 2":             "Zone Ω — 2",
		"\x1b]0;pwned\x07PLC":    `\x1b]0;pwned\x07PLC`,
		"a\tb\r\nc\x7f":          `a\x09b\x0d\x0ac\x7f`,
		"csi\u009b2J":            `csi\u009b2J`,
		"evil\u202egpj.exe":      `evil\u202egpj.exe`,
		"iso\u2066x\u2069":       `iso\u2066x\u2069`,
		"bad \xff\xfe utf8":      `bad \xff\xfe utf8`,
		"ok \u00e9 \U0001F600 ✓": "ok \u00e9 \U0001F600 ✓",
	} {
		if got := term(in); got != want {
			t.Errorf("term(%q) = %q, want %q", in, got, want)
		}
	}
}

// hostile holds text a terminal must not receive raw: ESC (an OSC that
// retitles the window, a CSI that clears it), C1 CSI and a bidi override.
const hostile = "\x1b]0;pwned\x07\x1b[2J\u009b31m\u202e"

// noRawControls fails if out holds a control character other than the
// line breaks and tabs of the output's own layout, or a bidi override.
func noRawControls(t *testing.T, what, out string) {
	t.Helper()
	for _, r := range out {
		if r != '\n' && r != '\t' && unsafeRune(r, 1) && r != 0xfffd {
			t.Fatalf("%s printed %U raw:\n%q", what, r, out)
		}
	}
}

// Records written by an older version or merged from a bundle before
// validation refused control characters still reach the listings.
func TestListingsEscapeControls(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "w")
	w, err := app.Create(context.Background(), dir, app.Options{Unencrypted: true, Author: "test"}, assets.Audit{Title: "T"})
	if err != nil {
		t.Fatal(err)
	}
	st := w.Store()
	z := assets.Zone{Name: "Zone" + hostile, SLT: assets.UniformSL(2)}
	z2 := assets.Zone{Name: "Other", SLT: assets.UniformSL(1)}
	for _, z := range []*assets.Zone{&z, &z2} {
		if err := st.Put(store.KindZone, z); err != nil {
			t.Fatal(err)
		}
	}
	a := assets.Asset{Tag: "\x1b]0;pwned\x07PLC", Type: assets.TypePLC, Vendor: "V" + hostile, Zone: z.ID, IPs: []string{"10.0.0.1" + hostile}}
	if err := st.Put(store.KindAsset, &a); err != nil {
		t.Fatal(err)
	}
	c := assets.Conduit{Name: "C" + hostile, From: z.ID, To: z2.ID}
	if err := st.Put(store.KindConduit, &c); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"assets", "list"}, {"zones", "list"}, {"conduits", "list"}, {"check"},
		{"checklist", "score", "--zone", z.Name},
	} {
		code, out, errs := run(t, nil, append(args, "--workspace", dir)...)
		what := strings.Join(args, " ")
		if code != 0 && code != exitFindings {
			t.Fatalf("%s: exit %d: %s", what, code, errs)
		}
		noRawControls(t, what, out+errs)
		if args[0] == "assets" && !strings.Contains(out, `\x1b]0;pwned\x07PLC`) {
			t.Errorf("assets list does not show the escaped tag:\n%s", out)
		}
	}
	// Errors quote what they are given, a zone name for instance.
	code, out, errs := run(t, nil, "assets", "list", "--workspace", dir, "--zone", "nope"+hostile)
	if code != 1 {
		t.Fatalf("unknown zone: exit %d", code)
	}
	noRawControls(t, "assets list --zone (error)", out+errs)
}

// A bundle's name comes from whoever wrote the USB stick (`zonewalk verify
// /media/usb/*.zwb`); verify and import print it, and keys prints notes.
func TestBundleOutputEscapesControls(t *testing.T) {
	tmp := t.TempDir()
	src, dst := filepath.Join(tmp, "a"), filepath.Join(tmp, "b")
	newPlainWorkspace(t, src)
	keys := newTeamKeys(t, tmp, src)
	zwb := filepath.Join(tmp, "site"+hostile+".zwb")
	keys.export(t, src, zwb)
	for _, args := range [][]string{
		{"verify", zwb},
		{"verify", zwb, "--identity", keys.idFile},
		{"import", zwb, "--workspace", dst, "--create", "--unencrypted", "--identity", keys.idFile, "--trust", keys.pubFile},
		{"keys", "trust", keys.pubFile, "--note", "Bob" + hostile, "--workspace", dst},
		{"keys", "trusted", "--workspace", dst},
		{"verify", filepath.Join(tmp, "missing"+hostile+".zwb")}, // an error
	} {
		code, out, errs := run(t, nil, args...)
		what := strings.Join(args[:1], " ")
		if code != 0 && args[0] != "verify" {
			t.Fatalf("%s: exit %d: %s", what, code, errs)
		}
		noRawControls(t, what, out+errs)
		if code == 0 && args[0] != "keys" && !strings.Contains(out, `site\x1b]0;pwned\x07`) {
			t.Errorf("%s does not show the escaped file name:\n%s", what, out)
		}
	}
}
