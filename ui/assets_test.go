package ui

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/zonewalk/zonewalk/app"
	"github.com/zonewalk/zonewalk/app/demo"
	"github.com/zonewalk/zonewalk/assets"
)

// assetsOf shows the assets screen with filtering at once (no debounce).
func assetsOf(t *testing.T, sh *shell) *assetsScreen {
	a := screenOf[*assetsScreen](t, sh, "Assets")
	a.debounce = 0
	return a
}

// TestQuickCaptureFromKeyboard: Ctrl+N, a tag, a type, a zone by the start
// of its name, Enter; then Enter again adds the next device alike.
func TestQuickCaptureFromKeyboard(t *testing.T) {
	sh, dir := newDemoShell(t)
	sh.show(sh.screenIndex("Overview"))
	sh.newRecordShortcut(t) // Ctrl+N from a screen without records of its own
	if sh.specs[sh.current].title != "Assets" {
		t.Fatalf("Ctrl+N went to %s", sh.specs[sh.current].title)
	}
	a := sh.screens[sh.current].(*assetsScreen)
	if sh.win.Canvas().Focused() != a.capTag {
		t.Fatalf("Ctrl+N did not put the cursor in the capture row (focused: %T)", sh.win.Canvas().Focused())
	}
	// Keyboard only: type, Tab, type, … Enter.
	c := sh.win.Canvas()
	for _, step := range []struct {
		want *capField
		text string
	}{{a.capTag, "PLC-901"}, {a.capName, ""}, {a.capType, "pl"}, {a.capVendor, "Siemens"}, {a.capModel, "S7-1500"}, {a.capFirmware, ""}, {a.capIP, ""}, {a.capZone, "filtr"}} {
		if c.Focused() != step.want {
			t.Fatalf("Tab order: focus on %T %p, want the %q field", c.Focused(), c.Focused(), step.want.PlaceHolder)
		}
		test.Type(step.want, step.text)
		if step.want != a.capZone {
			test.FocusNext(c)
		}
	}
	if !strings.Contains(a.capMsg.Text, "Filtration Control") {
		t.Errorf("zone match not shown while typing: %q", a.capMsg.Text)
	}
	enter(a.capZone)
	if a.capMsg.Importance == widget.DangerImportance {
		t.Fatalf("capture refused: %s", a.capMsg.Text)
	}
	if a.capTag.Text != "PLC-902" || sh.win.Canvas().Focused() != a.capTag {
		t.Fatalf("next capture not ready: tag %q, focus %T", a.capTag.Text, sh.win.Canvas().Focused())
	}
	enter(a.capTag) // the next identical PLC
	// A type that does not exist is refused with a message, nothing saved.
	typeInto(sh, a.capTag, "X-1")
	typeInto(sh, a.capType, "toaster")
	enter(a.capType)
	if a.capMsg.Importance != widget.DangerImportance || !strings.Contains(a.capMsg.Text, "toaster") {
		t.Errorf("bad type not explained: %q", a.capMsg.Text)
	}
	typeInto(sh, a.capType, "s") // SIS controller, Server, Field device (sensor), Software
	enter(a.capType)
	if !strings.Contains(a.capMsg.Text, "could be") {
		t.Errorf("ambiguous type not explained: %q", a.capMsg.Text)
	}

	ws := reopen(t, sh, dir)
	got := ws.FilterAssets(app.AssetFilter{Text: "plc-90"})
	if len(got) != 2 || got[0].Tag != "PLC-901" || got[1].Tag != "PLC-902" {
		t.Fatalf("stored: %v", tags(got))
	}
	for _, p := range got {
		if p.Type != assets.TypePLC || p.Zone != demo.ZoneFiltration || p.Vendor != "Siemens" || p.Model != "S7-1500" {
			t.Errorf("%s: %+v", p.Tag, *p)
		}
		if p.Purdue != assets.Purdue1 || p.Criticality != assets.CriticalityHigh {
			t.Errorf("%s: PLC preset not applied: purdue %q criticality %q", p.Tag, p.Purdue, p.Criticality)
		}
	}
	if len(ws.FilterAssets(app.AssetFilter{Text: "X-1"})) != 0 {
		t.Error("asset with a bad type stored")
	}
}

// newRecordShortcut fires Ctrl+N through the Edit menu.
func (sh *shell) newRecordShortcut(t *testing.T) {
	t.Helper()
	for _, m := range sh.win.MainMenu().Items {
		for _, it := range m.Items {
			if s, ok := it.Shortcut.(fyne.KeyboardShortcut); ok && s.Key() == fyne.KeyN && s.Mod() == fyne.KeyModifierShortcutDefault {
				it.Action()
				return
			}
		}
	}
	t.Fatal("no Ctrl+N menu item")
}

func tags(list []*assets.Asset) []string {
	var out []string
	for _, a := range list {
		out = append(out, a.Tag)
	}
	return out
}

// TestFilterAndSortAssets types into the search, picks zone and type, and
// sorts by a column header.
func TestFilterAndSortAssets(t *testing.T) {
	sh, _ := newDemoShell(t)
	a := assetsOf(t, sh)
	sh.navigate("Zones")
	sh.findAsset() // Ctrl+F
	if sh.specs[sh.current].title != "Assets" || sh.win.Canvas().Focused() != a.search {
		t.Fatal("Ctrl+F did not put the cursor in the asset search")
	}
	all := len(a.rows)
	if all != a.s.ws.AssetCount() || all == 0 {
		t.Fatalf("%d rows of %d assets", all, a.s.ws.AssetCount())
	}
	test.Type(a.search, "siemens")
	if len(a.rows) == 0 || len(a.rows) >= all {
		t.Fatalf("search kept %d of %d", len(a.rows), all)
	}
	for _, r := range a.rows {
		if !strings.Contains(strings.ToLower(r.Vendor+r.Model+r.Notes+r.Name), "siemens") {
			t.Errorf("%s does not match", r.Tag)
		}
	}
	if !strings.Contains(a.count.Text, fmt.Sprintf("%d of %d", len(a.rows), all)) {
		t.Errorf("count %q", a.count.Text)
	}
	a.search.SetText("")
	a.zoneSel.SetSelected("Filtration Control")
	inZone := len(a.rows)
	for _, r := range a.rows {
		if r.Zone != demo.ZoneFiltration {
			t.Errorf("%s is in %s", r.Tag, r.Zone)
		}
	}
	a.typeSel.SetSelected("PLC")
	if len(a.rows) == 0 || len(a.rows) >= inZone {
		t.Errorf("type filter kept %d of %d", len(a.rows), inZone)
	}
	a.zoneSel.SetSelected(anyZone)
	a.typeSel.SetSelected(anyType)
	a.levelSel.SetSelected("L1")
	for _, r := range a.rows {
		if r.Purdue != assets.Purdue1 {
			t.Errorf("%s at %s", r.Tag, r.Purdue)
		}
	}
	a.levelSel.SetSelected(anyPurdue)

	// Sort by vendor through the header, then reverse it.
	header := a.table.CreateHeader().(*headerCell)
	a.table.UpdateHeader(widget.TableCellID{Row: -1, Col: 3}, header)
	test.Tap(header)
	vendors := func() []string {
		var v []string
		for _, r := range a.rows {
			v = append(v, strings.ToLower(r.Vendor))
		}
		return v
	}
	if v := vendors(); !slices.IsSorted(v) || len(v) != all {
		t.Errorf("not sorted by vendor: %v", v)
	}
	test.Tap(header)
	v := vendors()
	slices.Reverse(v)
	if !slices.IsSorted(v) {
		t.Error("second tap did not reverse the order")
	}
}

// TestDeleteAssetAndUndo selects a row, deletes it and undoes it.
func TestDeleteAssetAndUndo(t *testing.T) {
	sh, dir := newDemoShell(t)
	a := assetsOf(t, sh)
	a.table.Select(widget.TableCellID{Row: 0, Col: 0})
	victim := a.cur
	if victim.ID == "" || a.tag.Text != victim.Tag {
		t.Fatalf("row not loaded into the form: %+v", victim)
	}
	test.Tap(a.delBtn)
	if _, ok := a.s.ws.Asset(victim.ID); ok {
		t.Fatal("not deleted")
	}
	for _, r := range a.rows {
		if r.ID == victim.ID {
			t.Fatal("deleted asset still listed")
		}
	}
	if !strings.Contains(sh.undoText.Text, victim.Tag) {
		t.Errorf("undo bar says %q", sh.undoText.Text)
	}
	// Ctrl+Z while typing in a field undoes the typing, not the delete.
	sh.win.Canvas().Focus(a.search)
	test.Type(a.search, "x")
	sh.editUndo()
	if _, ok := a.s.ws.Asset(victim.ID); ok {
		t.Fatal("Ctrl+Z in the search field undid the delete")
	}
	sh.win.Canvas().Unfocus()
	a.search.SetText("")
	sh.editUndo()
	ws := reopen(t, sh, dir)
	back, ok := ws.Asset(victim.ID)
	if !ok || back.Tag != victim.Tag || back.Zone != victim.Zone {
		t.Fatalf("not restored: %+v", back)
	}
}

// TestEditAssetAndDuplicate edits fields in the form and duplicates.
func TestEditAssetAndDuplicate(t *testing.T) {
	sh, dir := newDemoShell(t)
	a := assetsOf(t, sh)
	test.Type(a.search, "PLC")
	a.table.Select(widget.TableCellID{Row: 0, Col: 1})
	id := a.cur.ID
	typeInto(sh, a.firmware, "V9.9.9")
	typeInto(sh, a.ips, "10.9.9.9 bogus")
	sh.win.Canvas().Unfocus()
	if !a.errs.box.Visible() || !strings.Contains(a.errs.label.Text, "IP addresses") || !strings.Contains(a.errs.label.Text, "bogus") {
		t.Errorf("bad IP not explained: %q", a.errs.label.Text)
	}
	typeInto(sh, a.ips, "10.9.9.9")
	sh.win.Canvas().Unfocus()
	a.eol.SetChecked(true)
	test.Tap(a.dupBtn)
	dupID := a.cur.ID
	if dupID == id {
		t.Fatal("duplicate not selected")
	}
	sh.flushForTest()
	ws := reopen(t, sh, dir)
	orig, _ := ws.Asset(id)
	if orig.Firmware != "V9.9.9" || len(orig.IPs) != 1 || orig.IPs[0] != "10.9.9.9" || !orig.EndOfLife {
		t.Errorf("edits not stored: %+v", orig)
	}
	dup, ok := ws.Asset(dupID)
	if !ok || dup.Model != orig.Model || dup.Firmware != "V9.9.9" || len(dup.IPs) != 0 || dup.Tag == orig.Tag {
		t.Errorf("duplicate %+v of %+v", dup, orig)
	}
}

func (sh *shell) flushForTest() {
	if sh.s != nil {
		sh.s.flush()
	}
}

// TestImportCSVShowsEveryBadRow imports a file with bad rows (refused,
// every row listed with its line) and then a good one.
func TestImportCSVShowsEveryBadRow(t *testing.T) {
	sh, dir := newDemoShell(t)
	a := assetsOf(t, sh)
	before := a.s.ws.AssetCount()
	bad := "tag,type,zone\nGOOD-1,plc,Filtration Control\nBAD-1,toaster,\nBAD-2,plc,Nowhere\n"
	a.importCSV("bad.csv", []byte(bad))
	a.s.tasks.Wait()
	if a.s.ws.AssetCount() != before {
		t.Fatal("a file with bad rows imported something")
	}
	top := sh.win.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no dialog")
	}
	var list *widget.List
	for _, o := range test.LaidOutObjects(top) {
		if l, ok := o.(*widget.List); ok {
			list = l
		}
	}
	if list == nil || list.Length() != 2 {
		t.Fatalf("bad-row list %v", list)
	}
	var texts []string
	for _, o := range test.LaidOutObjects(list) {
		if l, ok := o.(*widget.Label); ok && l.Visible() && l.Text != "" {
			texts = append(texts, l.Text)
		}
	}
	joined := strings.Join(texts, "\n")
	if !strings.Contains(joined, "line 3") || !strings.Contains(joined, "toaster") || !strings.Contains(joined, "line 4") || !strings.Contains(joined, "Nowhere") {
		t.Errorf("rows shown: %q", joined)
	}
	top.Hide()

	good := "tag,type,zone,vendor\nNEW-1,plc,Filtration Control,ABB\nNEW-2,hmi,,ABB\n"
	a.importCSV("good.csv", []byte(good))
	a.s.tasks.Wait()
	if got := a.s.ws.AssetCount(); got != before+2 {
		t.Fatalf("%d assets after import, want %d", got, before+2)
	}
	if !strings.Contains(a.count.Text, fmt.Sprint(before+2)) {
		t.Errorf("list not refreshed: %q", a.count.Text)
	}
	// Export what the filter shows.
	test.Type(a.search, "NEW-")
	out := filepath.Join(t.TempDir(), "out.csv")
	f, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	a.exportCSV("out.csv", f)
	a.s.tasks.Wait()
	data, _ := os.ReadFile(out)
	rows, err := assets.ReadCSV(bytes.NewReader(data), func(name string) (string, bool) {
		z, ok := a.s.ws.ZoneByName(name)
		return z.ID, ok
	})
	if err != nil || len(rows) != 2 || rows[0].Asset.Tag != "NEW-1" || rows[0].Asset.Zone != demo.ZoneFiltration {
		t.Fatalf("export: %v %+v", err, rows)
	}
	ws := reopen(t, sh, dir)
	if len(ws.FilterAssets(app.AssetFilter{Text: "new-"})) != 2 {
		t.Error("import not durable")
	}
}

// TestQuickCaptureRefusesATakenTag: capturing a tag another asset has is
// refused with a message, and the proposal after a capture skips taken tags.
func TestQuickCaptureRefusesATakenTag(t *testing.T) {
	sh, _ := newDemoShell(t)
	sh.show(sh.screenIndex("Assets"))
	a := sh.screens[sh.current].(*assetsScreen)
	if _, err := sh.s.ws.SaveAsset(assets.Asset{Tag: "PLC-903", Type: assets.TypePLC}); err != nil {
		t.Fatal(err)
	}
	before := sh.s.ws.AssetCount()
	typeInto(sh, a.capTag, "plc-903")
	typeInto(sh, a.capType, "plc")
	enter(a.capType)
	if a.capMsg.Importance != widget.DangerImportance || !strings.Contains(a.capMsg.Text, "PLC-903") {
		t.Errorf("taken tag not refused: %q", a.capMsg.Text)
	}
	if n := sh.s.ws.AssetCount(); n != before {
		t.Fatalf("%d assets, want %d: a duplicate was stored", n, before)
	}
	typeInto(sh, a.capTag, "PLC-902")
	enter(a.capType)
	if a.capMsg.Importance == widget.DangerImportance {
		t.Fatalf("capture refused: %s", a.capMsg.Text)
	}
	if a.capTag.Text != "PLC-904" || !strings.Contains(a.capMsg.Text, "PLC-904") {
		t.Errorf("after PLC-902 with PLC-903 taken, proposed %q (%q), want PLC-904", a.capTag.Text, a.capMsg.Text)
	}
}

// BenchmarkAssetFilter100k measures what one search keystroke costs on
// the assets screen with 100,000 assets: filter, sort and table refresh.
func BenchmarkAssetFilter100k(b *testing.B) {
	dir := filepath.Join(b.TempDir(), "big")
	ws, err := demo.Synthetic(context.Background(), dir, 50, 100_000)
	if err != nil {
		b.Fatal(err)
	}
	sh := newShell(test.NewTempApp(b), Options{DemoDir: b.TempDir()})
	sh.attach(ws, false)
	defer sh.shutdown()
	a := screenOf[*assetsScreen](b, sh, "Assets")
	a.debounce = 0
	for _, c := range []struct {
		name string
		set  func(i int)
	}{
		{"search", func(i int) { a.search.SetText(fmt.Sprintf("plc-0%d", i%10)) }},
		{"search-two-words", func(i int) { a.search.SetText(fmt.Sprintf("siemens v%d", 1+i%4)) }},
		{"zone", func(i int) {
			a.search.SetText("")
			a.zoneSel.SetSelected(fmt.Sprintf("Zone %03d (L%s)", 0, "5"))
		}},
		{"sort-vendor", func(i int) { // header taps: sorted once, then reversed
			a.zoneSel.SetSelected(anyZone)
			a.sortCol, a.sortDesc = 3, i%2 == 1
			a.filterNow()
		}},
		{"sort-vendor-after-edit", func(i int) { // every edit invalidates the sorted order
			one := a.rows[i%len(a.rows)]
			edited := *one
			edited.Firmware = fmt.Sprint("V", i)
			if _, err := a.s.ws.SaveAsset(edited); err != nil {
				b.Fatal(err)
			}
			a.sortCol, a.sortDesc = 3, false
			a.filterNow()
		}},
		{"search-sorted-by-vendor", func(i int) {
			a.sortCol, a.sortDesc = 3, false
			a.search.SetText(fmt.Sprintf("plc-0%d", i%10))
		}},
	} {
		b.Run(c.name, func(b *testing.B) {
			i := 0
			for b.Loop() {
				c.set(i)
				i++
			}
			b.ReportMetric(float64(len(a.rows)), "rows")
		})
		a.sortCol, a.sortDesc = 0, false
	}
}
