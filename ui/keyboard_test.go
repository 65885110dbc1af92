package ui

import (
	"bufio"
	"bytes"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/zonewalk/zonewalk/app"
	"github.com/zonewalk/zonewalk/app/demo"
	"github.com/zonewalk/zonewalk/assets"
)

// maxWalkKeys is the goal for capturing tag, name, type, vendor, model,
// firmware, IP and zone: control keys beyond the typed text (27 before
// the capture row took name and IP).
const maxWalkKeys = 15

// walkStep is one line of testdata/keyboard-walk.txt.
type walkStep struct{ key, text string }

func readWalk(t *testing.T) []walkStep {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "keyboard-walk.txt"))
	if err != nil {
		t.Fatal(err)
	}
	var steps []walkStep
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "" || strings.HasPrefix(line, "#"):
		case strings.HasPrefix(line, "key "):
			steps = append(steps, walkStep{key: strings.TrimPrefix(line, "key ")})
		case strings.HasPrefix(line, "type "):
			steps = append(steps, walkStep{text: strings.TrimPrefix(line, "type ")})
		default:
			t.Fatalf("bad walk line %q", line)
		}
	}
	return steps
}

// press delivers an xdotool key name as the desktop driver would: a
// shortcut through the main menu, Tab to the focus manager, other keys to
// the focused widget.
func (sh *shell) press(t *testing.T, key string) {
	t.Helper()
	c := sh.win.Canvas()
	parts := strings.Split(key, "+")
	name := parts[len(parts)-1]
	var mod fyne.KeyModifier
	for _, m := range parts[:len(parts)-1] {
		switch m {
		case "ctrl":
			mod |= fyne.KeyModifierShortcutDefault
		case "shift":
			mod |= fyne.KeyModifierShift
		case "alt":
			mod |= fyne.KeyModifierAlt
		default:
			t.Fatalf("modifier %q", m)
		}
	}
	kn := fyne.KeyName(name)
	if len(name) == 1 {
		kn = fyne.KeyName(strings.ToUpper(name))
	}
	switch {
	case mod&^fyne.KeyModifierShift != 0:
		for _, m := range sh.win.MainMenu().Items {
			for _, it := range m.Items {
				if s, ok := it.Shortcut.(fyne.KeyboardShortcut); ok && s.Key() == kn && s.Mod() == mod {
					it.Action()
					return
				}
			}
		}
		t.Fatalf("no menu item for %s", key)
	case kn == fyne.KeyTab && mod == fyne.KeyModifierShift:
		test.FocusPrevious(c)
	case kn == fyne.KeyTab:
		test.FocusNext(c)
	default:
		f := c.Focused()
		if f == nil {
			t.Fatalf("%s with nothing focused", key)
		}
		f.TypedKey(&fyne.KeyEvent{Name: kn})
	}
}

// TestKeyboardWalk replays testdata/keyboard-walk.txt (the walk that
// .ci/keyboard-walk.sh measures on the real binary): the asset is stored
// with every field, in at most maxWalkKeys control keys, and shown.
func TestKeyboardWalk(t *testing.T) {
	sh, dir := newDemoShell(t)
	sh.show(sh.screenIndex("Overview"))
	keys, typed := 0, 0
	for _, st := range readWalk(t) {
		if st.key != "" {
			keys++
			sh.press(t, st.key)
			continue
		}
		typed += len([]rune(st.text))
		f := sh.win.Canvas().Focused()
		if f == nil {
			t.Fatalf("typing %q with nothing focused", st.text)
		}
		test.Type(f, st.text)
	}
	t.Logf("control keys %d, typed characters %d", keys, typed)
	if keys > maxWalkKeys {
		t.Errorf("the walk takes %d control keys, the goal is at most %d", keys, maxWalkKeys)
	}
	a := sh.screens[sh.current].(*assetsScreen)
	if a.capMsg.Importance == widget.DangerImportance {
		t.Fatalf("capture refused: %s", a.capMsg.Text)
	}
	if a.cur.Tag != "KW-PLC-01" || a.selectedRow() < 0 {
		t.Errorf("the new asset is not selected in the table: form shows %q, row %d", a.cur.Tag, a.selectedRow())
	}
	if sh.win.Canvas().Focused() != a.capTag || a.capTag.Text != "KW-PLC-02" {
		t.Errorf("next capture not ready: focus %T, tag %q", sh.win.Canvas().Focused(), a.capTag.Text)
	}
	ws := reopen(t, sh, dir)
	got := ws.FilterAssets(app.AssetFilter{Text: "KW-PLC-01"})
	if len(got) != 1 {
		t.Fatalf("stored: %v", tags(got))
	}
	p := got[0]
	if p.Name != "Backwash filter PLC" || p.Type != assets.TypePLC || p.Vendor != "Siemens" || p.Model != "S7-1500" ||
		p.Firmware != "V2.9.4" || len(p.IPs) != 1 || p.IPs[0] != "10.20.30.40" || p.Zone != demo.ZoneFiltration ||
		p.Purdue != assets.Purdue1 {
		t.Errorf("stored %+v", *p)
	}
}

// TestCaptureKeyboardDetails: Tab into a capture field selects its text
// (typing replaces it), a bad IP is refused in the row with the cursor on
// it, and the search's Down reaches the rows past no column header.
func TestCaptureKeyboardDetails(t *testing.T) {
	sh, _ := newDemoShell(t)
	a := assetsOf(t, sh)
	c := sh.win.Canvas()
	sh.newRecord()
	test.Type(a.capTag, "KW-1")
	test.FocusNext(c)
	test.FocusNext(c) // Type
	test.Type(a.capType, "plc")
	test.FocusPrevious(c)
	test.FocusNext(c)
	test.Type(c.Focused(), "hmi")
	if a.capType.Text != "hmi" {
		t.Errorf("Tab into the type field then typing gave %q, want hmi", a.capType.Text)
	}
	for c.Focused() != a.capIP {
		test.FocusNext(c)
	}
	test.Type(a.capIP, "300.1.1.1")
	enter(a.capIP)
	if a.capMsg.Importance != widget.DangerImportance || !strings.Contains(a.capMsg.Text, "300.1.1.1") {
		t.Errorf("bad IP not refused in the row: %q", a.capMsg.Text)
	}
	if c.Focused() != a.capIP {
		t.Errorf("cursor not back on the IP: %T", c.Focused())
	}
	if len(a.s.ws.FilterAssets(app.AssetFilter{Text: "KW-1"})) != 0 {
		t.Error("asset with a bad IP stored")
	}

	// Search, Down: the first row is selected and the table has the keys.
	c.Focus(a.search)
	test.Type(a.search, "PLC")
	a.search.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown})
	if c.Focused() != a.table || a.selectedRow() != 0 {
		t.Fatalf("Down from the search: focus %T, row %d", c.Focused(), a.selectedRow())
	}
	a.table.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown})
	if a.selectedRow() != 1 || a.cur.ID != a.rows[1].ID {
		t.Errorf("Down in the table: row %d", a.selectedRow())
	}
	a.table.TypedKey(&fyne.KeyEvent{Name: fyne.KeyUp})
	a.table.TypedKey(&fyne.KeyEvent{Name: fyne.KeyUp})
	if c.Focused() != a.search {
		t.Errorf("Up on the first row: focus %T, want the search", c.Focused())
	}
	// Tab from the last filter goes straight to the rows.
	c.Focus(a.levelSel)
	test.FocusNext(c)
	if c.Focused() != a.table {
		t.Errorf("Tab after the filters reached %T, not the table", c.Focused())
	}
}

// TestChecklistTypeAhead: Ctrl+L, "3-3" Enter, "filt" Enter picks the
// 62443-3-3 checklist for Filtration Control with the question focused
// (23 keys through the drop-downs before).
func TestChecklistTypeAhead(t *testing.T) {
	sh, _ := newDemoShell(t)
	c := sh.win.Canvas()
	sh.press(t, "ctrl+l")
	cl := sh.screens[sh.current].(*checklistScreen)
	if c.Focused() != cl.tmplSel {
		t.Fatalf("Ctrl+L focused %T", c.Focused())
	}
	test.Type(cl.tmplSel, "3-3")
	sh.press(t, "Return")
	if cl.t == nil || !strings.Contains(cl.t.ID, "3-3") {
		t.Fatalf("type-ahead picked %v", cl.tmplSel.Selected)
	}
	if c.Focused() != cl.zoneSel {
		t.Fatalf("Enter on a zone checklist went to %T, not the zone", c.Focused())
	}
	test.Type(cl.zoneSel, "filt")
	sh.press(t, "Return")
	if cl.zone != demo.ZoneFiltration {
		t.Errorf("zone %q, want Filtration Control", cl.zoneSel.Selected)
	}
	if c.Focused() != cl.card {
		t.Errorf("Enter on the zone went to %T, not the question", c.Focused())
	}
	if i := matchOption([]string{"IEC 62443-2-1:2024", "IEC 62443-3-3:2013"}, "iec 62443-3"); i != 1 {
		t.Errorf("matchOption picked %d", i)
	}
}

// TestContrastShortcutAndPhotoWindow: Ctrl+Shift+H is in the View menu and
// toggles the theme; a dropped photo is attached to the asset shown;
// Escape closes its window; a path typed in the attach dialog attaches.
func TestContrastShortcutAndPhotoWindow(t *testing.T) {
	sh, _ := newDemoShell(t)
	before := highContrast(sh.app)
	sh.press(t, "ctrl+shift+h")
	if highContrast(sh.app) == before {
		t.Error("Ctrl+Shift+H did not toggle high contrast")
	}
	sh.press(t, "ctrl+shift+h")

	a := assetsOf(t, sh)
	a.table.Select(widget.TableCellID{Row: 0, Col: 0})
	img := image.NewRGBA(image.Rect(0, 0, 8, 8))
	img.Set(1, 1, color.White)
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	// Dropped on the window: attached to the asset shown.
	file := filepath.Join(t.TempDir(), "cabinet.png")
	if err := os.WriteFile(file, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	sh.dropped(fyne.NewPos(10, 10), []fyne.URI{storage.NewFileURI(file)})
	list, err := a.s.ws.Evidence(assets.Ref{Kind: "asset", ID: a.cur.ID})
	if err != nil || len(list) != 1 || list[0].Name != "cabinet.png" {
		t.Fatalf("dropped photo not attached: %v %v", list, err)
	}
	n := len(sh.app.Driver().AllWindows())
	a.evidence.openFull(list[0])
	wins := sh.app.Driver().AllWindows()
	if len(wins) != n+1 {
		t.Fatalf("%d windows after opening the photo, want %d", len(wins), n+1)
	}
	photo := wins[len(wins)-1]
	if k := photo.Canvas().OnTypedKey(); k != nil {
		k(&fyne.KeyEvent{Name: fyne.KeyEscape})
	}
	if len(sh.app.Driver().AllWindows()) != n {
		t.Error("Escape did not close the photo window")
	}

	// The attach dialog: a path typed or pasted, Enter.
	other := filepath.Join(t.TempDir(), "label.png")
	if err := os.WriteFile(other, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	a.evidence.pickFile()
	path, ok := sh.win.Canvas().Focused().(*widget.Entry)
	if !ok {
		t.Fatalf("attach dialog: focus on %T, not the path field", sh.win.Canvas().Focused())
	}
	test.Type(path, `"`+other+`"`)
	enter(path)
	list, _ = a.s.ws.Evidence(assets.Ref{Kind: "asset", ID: a.cur.ID})
	if len(list) != 2 {
		t.Errorf("typed path not attached: %d pieces", len(list))
	}
}

// TestCleanPath: quoted, file:// and padded paths are read.
func TestCleanPath(t *testing.T) {
	for in, want := range map[string]string{`"/tmp/a b.png"`: "/tmp/a b.png", "file:///tmp/x%20y.jpg": "/tmp/x y.jpg", " /tmp/c.png ": "/tmp/c.png"} {
		if got := cleanPath(in); got != want {
			t.Errorf("cleanPath(%q) = %q, want %q", in, got, want)
		}
	}
}
