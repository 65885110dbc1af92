package ui

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/zonewalk/zonewalk/app/demo"
	"github.com/zonewalk/zonewalk/assets"
	"github.com/zonewalk/zonewalk/checklist"
)

// paste pastes text into e as Ctrl+V would.
func paste(sh *shell, e fyne.Shortcutable, text string) {
	cb := sh.app.Clipboard()
	cb.SetContent(text)
	e.TypedShortcut(&fyne.ShortcutPaste{Clipboard: cb})
}

func runes(s string) int { return utf8.RuneCountInString(s) }

// prose is n characters of words: Fyne 2.7 wraps a single word of
// thousands of characters in seconds, which is not what these tests are
// about (see TestLongNotesStayResponsive).
func prose(n int) string { return strings.Repeat("word ", n/5+1)[:n] }

// TestEntriesStopAtTheLimit: a 10,000-character name used to go into the
// entry (and freeze the app); every entry now stops at the limit
// validation applies, typed or pasted, and says so.
func TestEntriesStopAtTheLimit(t *testing.T) {
	sh, dir := newDemoShell(t)
	a := assetsOf(t, sh)
	test.Type(a.search, "PLC")
	a.filterNow()
	a.table.Select(widget.TableCellID{Row: 0, Col: 1})
	id := a.cur.ID

	long := strings.Repeat("Ω", 10_000)
	sh.win.Canvas().Focus(a.name)
	a.name.TypedShortcut(&fyne.ShortcutSelectAll{})
	paste(sh, a.name, long)
	if n := runes(a.name.Text); n != assets.MaxShortText {
		t.Errorf("pasted 10,000 characters into Name: it holds %d, want %d", n, assets.MaxShortText)
	}
	if !a.errs.box.Visible() || !strings.Contains(a.errs.label.Text, "at most 200") {
		t.Errorf("no note about the cut: %q", a.errs.label.Text)
	}
	typeInto(sh, a.vendor, strings.Repeat("v", assets.MaxShortText+25))
	if n := runes(a.vendor.Text); n != assets.MaxShortText {
		t.Errorf("typed %d characters into Vendor: it holds %d", assets.MaxShortText+25, n)
	}
	// Pasting into the middle keeps what was there and inserts what fits.
	typeInto(sh, a.model, strings.Repeat("m", assets.MaxShortText-3))
	a.model.CursorColumn = 1
	paste(sh, a.model, "ABCDEF")
	if a.model.Text != "m"+"ABC"+strings.Repeat("m", assets.MaxShortText-4) {
		t.Errorf("paste into the middle: %q", a.model.Text)
	}
	sh.win.Canvas().Unfocus()
	// A multi-line field takes the long limit.
	typeInto(sh, a.notes, "x")
	paste(sh, a.notes, prose(assets.MaxLongText+500))
	if n := runes(a.notes.Text); n != assets.MaxLongText {
		t.Errorf("notes hold %d characters, want %d", n, assets.MaxLongText)
	}
	// The quick-capture row too.
	typeInto(sh, a.capTag, "")
	paste(sh, a.capTag, long)
	if n := runes(a.capTag.Text); n != assets.MaxShortText || !strings.Contains(a.capMsg.Text, "at most") {
		t.Errorf("capture tag holds %d characters; message %q", n, a.capMsg.Text)
	}
	sh.win.Canvas().Unfocus()
	ws := reopen(t, sh, dir)
	got, _ := ws.Asset(id)
	if runes(got.Name) != assets.MaxShortText || runes(got.Notes) != assets.MaxLongText {
		t.Errorf("stored name %d, notes %d characters", runes(got.Name), runes(got.Notes))
	}
}

// TestEveryFormFieldIsCapped: zone, conduit, audit and checklist note
// fields stop at their validation limits.
func TestEveryFormFieldIsCapped(t *testing.T) {
	sh, _ := newDemoShell(t)
	z := screenOf[*zonesScreen](t, sh, "Zones")
	z.reveal(assets.Ref{Kind: "zone", ID: demo.ZoneDMZ})
	c := screenOf[*conduitsScreen](t, sh, "Conduits")
	c.list.Select(0)
	o := screenOf[*overviewScreen](t, sh, "Overview")
	for _, ed := range []interface{ fields() map[string]*field }{z.ed, c.ed, o.ed} {
		for name, f := range ed.fields() {
			if f.max <= 0 {
				t.Errorf("%s is not capped", name)
			}
		}
	}
	if z.text.max != assets.MaxLongText || z.approvedAt.max != assets.MaxShortText || c.policy.max != assets.MaxLongText || o.scope.max != assets.MaxLongText {
		t.Errorf("limits: rationale %d, approved on %d, policy %d, scope %d", z.text.max, z.approvedAt.max, c.policy.max, o.scope.max)
	}
	ch := screenOf[*checklistScreen](t, sh, "Checklists")
	selectTemplate(t, ch, checklist.IEC62443_3_3_2013)
	sh.win.Canvas().Focus(ch.notes)
	paste(sh, ch.notes, prose(assets.MaxLongText+1))
	if n := runes(ch.notes.Text); n != assets.MaxLongText {
		t.Errorf("checklist note holds %d", n)
	}
}

// TestFindingFieldsAreCapped: a finding's justification and every text
// field of a new observation stop at their validation limits, so what the
// auditor typed is never refused whole at save.
func TestFindingFieldsAreCapped(t *testing.T) {
	sh, _ := newDemoShell(t)
	f := screenOf[*findingsScreen](t, sh, "Findings")
	o := f.newObservationForm()
	for name, c := range map[string]struct {
		f    *field
		want int
	}{
		"justification":  {f.justification, assets.MaxLongText},
		"title":          {o.title, assets.MaxShortText},
		"detail":         {o.detail, assets.MaxLongText},
		"recommendation": {o.recommendation, assets.MaxLongText},
		"owner":          {o.owner, assets.MaxShortText},
		"due":            {o.due, assets.MaxShortText},
	} {
		sh.win.Canvas().Focus(c.f)
		paste(sh, c.f, prose(c.want+25))
		if n := runes(c.f.Text); n != c.want {
			t.Errorf("%s holds %d characters after a paste of %d, want %d", name, n, c.want+25, c.want)
		}
	}
}

// TestLongNotesStayResponsive: typing into notes holding nearly the most
// they may hold answers each key quickly (the freeze was ~10 s a key).
func TestLongNotesStayResponsive(t *testing.T) {
	sh, _ := newDemoShell(t)
	a := assetsOf(t, sh)
	test.Type(a.search, "PLC")
	a.filterNow()
	a.table.Select(widget.TableCellID{Row: 0, Col: 1})
	line := strings.Repeat("word ", 15) + "\n"
	sh.win.Canvas().Focus(a.notes)
	paste(sh, a.notes, strings.Repeat(line, (assets.MaxLongText-200)/len(line)))
	start := time.Now()
	test.Type(a.notes, strings.Repeat("k", 50))
	per := time.Since(start) / 50
	t.Logf("%d characters: %v a key", runes(a.notes.Text), per)
	// Fyne 2.7.1 redoes every row of a multi-line entry on each key (it
	// converts the whole text to runes once per row), so the cost grows
	// with the square of the length: ~0.25 s a key at 20,000 characters
	// on a loaded 2-core machine. The bound catches a return of the
	// multi-second freeze.
	if per > time.Second {
		t.Errorf("a key takes %v in notes of %d characters", per, runes(a.notes.Text))
	}
	// One pasted paragraph of 19,000 characters: before the field stopped
	// wrapping long paragraphs, the paste alone took 17 s.
	a.notes.SetText("")
	start = time.Now()
	paste(sh, a.notes, prose(19_000))
	test.Type(a.notes, strings.Repeat("k", 20))
	took := time.Since(start)
	t.Logf("paste of one 19,000-character paragraph and 20 keys: %v", took)
	if took > 5*time.Second {
		t.Errorf("paste and 20 keys into a long paragraph took %v", took)
	}
}
