package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/zonewalk/zonewalk/assets"
	"github.com/zonewalk/zonewalk/assets/checks"
)

// openFindings opens the Findings screen on the demo and runs the checks
// through its Run checks handler.
func openFindings(t *testing.T) (*session, *findingsScreen) {
	t.Helper()
	s := demoSession(t)
	f := newFindingsScreen(s)
	s.win.SetContent(f.build())
	f.refresh()
	if len(f.all) != 0 {
		t.Fatalf("a fresh demo has %d findings before any check run", len(f.all))
	}
	if err := await(t, f.runChecks); err != nil {
		t.Fatal(err)
	}
	if len(f.shown) == 0 {
		t.Fatal("running the checks on the demo listed no findings")
	}
	return s, f
}

func TestFindingsStatusChange(t *testing.T) {
	s, f := openFindings(t)
	if !strings.Contains(f.message.Text, "Checks raise") {
		t.Errorf("after the run the screen says %q", f.message.Text)
	}
	f.list.Select(0)
	id := f.selected
	if id == "" || !f.detail.Visible() {
		t.Fatal("selecting the first finding showed no detail")
	}

	// Accepting without a justification is refused and changes nothing.
	f.status.SetSelected("Accepted")
	f.justification.SetText("")
	test.Tap(f.applyStatus)
	if !strings.Contains(f.editError.Text, "justification") {
		t.Errorf("accept without justification: error %q", f.editError.Text)
	}
	if got, _ := s.ws.Finding(id); got.Status != checks.StatusOpen {
		t.Fatalf("finding is %s after a refused accept", got.Status)
	}

	test.Type(f.justification, "Compensated by the locked cabinet; replacement budgeted for 2027.")
	test.Tap(f.applyStatus)
	got, err := s.ws.Finding(id)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != checks.StatusAccepted || !strings.HasPrefix(got.Justification, "Compensated by the locked cabinet") {
		t.Errorf("stored %s with justification %q", got.Status, got.Justification)
	}
	// The status filter now leaves it out of the open findings.
	f.statusSel.SetSelected("Open")
	for _, fd := range f.shown {
		if fd.ID == id || fd.Status != checks.StatusOpen {
			t.Fatalf("open filter lists %q (%s)", fd.Title, fd.Status)
		}
	}
	f.statusSel.SetSelected("Accepted")
	if len(f.shown) != 1 || f.shown[0].ID != id {
		t.Errorf("accepted filter lists %d findings, want the one accepted", len(f.shown))
	}
	// A rerun keeps the auditor's decision.
	if err := await(t, f.runChecks); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.ws.Finding(id); got.Status != checks.StatusAccepted {
		t.Errorf("rerun changed the accepted finding to %s", got.Status)
	}
}

func TestFindingsOwnerDueNotes(t *testing.T) {
	s, f := openFindings(t)
	f.list.Select(0)
	id := f.selected
	cv := s.win.Canvas()
	edit := func(e *field, text string) {
		cv.Focus(e)
		e.SetText("")
		test.Type(e, text)
		cv.Unfocus() // leaving the field saves it
	}
	edit(f.owner, "J. Patel (OT lead)")
	edit(f.due, "next week")
	if !strings.Contains(f.editError.Text, "YYYY-MM-DD") || f.due.Text != "next week" {
		t.Errorf("bad due date: error %q, field %q", f.editError.Text, f.due.Text)
	}
	if got, _ := s.ws.Finding(id); got.Owner != "J. Patel (OT lead)" || got.Due != "" {
		t.Fatalf("stored owner %q due %q, want the owner and no due date", got.Owner, got.Due)
	}
	edit(f.due, "2027-03-31")
	edit(f.notes, "Discussed at the closing meeting.")
	got, _ := s.ws.Finding(id)
	if got.Owner != "J. Patel (OT lead)" || got.Due != "2027-03-31" || got.Notes != "Discussed at the closing meeting." {
		t.Errorf("stored owner %q due %q notes %q", got.Owner, got.Due, got.Notes)
	}
	// Notes typed and not left are saved when another finding is picked.
	cv.Focus(f.notes)
	test.Type(f.notes, " Owner agreed.")
	second := f.shown[1].ID
	f.list.Select(1)
	if f.selected != second || f.title.Text != f.shown[1].Title {
		t.Errorf("after picking another finding the screen shows %q", f.title.Text)
	}
	if got, _ := s.ws.Finding(id); got.Notes != "Discussed at the closing meeting. Owner agreed." {
		t.Errorf("switching findings stored notes %q", got.Notes)
	}
	// The search finds it by owner.
	f.statusSel.SetSelected(filterAll)
	test.Type(f.search, "patel")
	if len(f.shown) != 1 || f.shown[0].ID != id {
		t.Errorf("search by owner lists %d findings", len(f.shown))
	}
}

func TestFindingsAddObservation(t *testing.T) {
	s, f := openFindings(t)
	form := f.newObservationForm()
	z, _ := s.ws.ZoneByName("Chemical Dosing Control")
	for i, r := range form.subjects {
		if r == (assets.Ref{Kind: "zone", ID: z.ID}) {
			form.subject.SetSelectedIndex(i)
		}
	}
	test.Type(form.title, "Dosing panel key left in the lock")
	form.severity.SetSelected("high")
	test.Type(form.references, "62443-2-1 ORG 3.1, 62443-3-3 SR 2.1")
	if err := f.addObservation(form.observation()); err != nil {
		t.Fatal(err)
	}
	fd, err := s.ws.Finding(f.selected)
	if err != nil {
		t.Fatal(err)
	}
	if fd.Source != checks.SourceManual || fd.Subject.ID != z.ID || fd.SubjectName != z.Name ||
		fd.Severity != checks.High || len(fd.References) != 2 {
		t.Errorf("stored observation %+v", fd)
	}
	f.sourceSel.SetSelected("Observations")
	if len(f.shown) != 1 || f.shown[0].ID != fd.ID {
		t.Errorf("observations filter lists %d", len(f.shown))
	}
	// A title is required.
	empty := f.newObservationForm()
	if err := f.addObservation(empty.observation()); err == nil || !strings.Contains(err.Error(), "title") {
		t.Errorf("observation without title: %v", err)
	}
}

func TestFindingsOpenChecklistItem(t *testing.T) {
	s, f := openFindings(t)
	var revealed []assets.Ref
	s.reveal = func(r assets.Ref) { revealed = append(revealed, r) }
	f.sourceSel.SetSelected("Checklists")
	if len(f.shown) == 0 {
		t.Fatal("the demo raises no checklist findings")
	}
	var zoneIdx = -1
	for i, fd := range f.shown {
		if fd.Subject.Kind == "zone" {
			zoneIdx = i
		}
	}
	if zoneIdx < 0 {
		t.Fatal("no 62443-3-3 finding in the demo")
	}
	f.list.Select(zoneIdx)
	fd, _ := f.current()
	if !f.openItem.Visible() {
		t.Fatal("no Open checklist item button on a checklist finding")
	}
	test.Tap(f.openItem)
	if len(revealed) != 1 || revealed[0].Kind != "answer" {
		t.Fatalf("revealed %v", revealed)
	}
	// The checklist screen opens that item in that zone.
	c := newChecklistScreen(s)
	s.win.SetContent(c.build())
	c.refresh()
	if !c.reveal(revealed[0]) {
		t.Fatalf("the checklist screen does not know answer %s", revealed[0].ID)
	}
	if c.t.ID != fd.Template || c.zone != fd.Subject.ID || c.items[c.cur].Item.ID != fd.Item {
		t.Errorf("checklist shows %s %s %s, want %s %s %s", c.t.ID, c.zone, c.items[c.cur].Item.ID, fd.Template, fd.Subject.ID, fd.Item)
	}
}
