package ui

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"reflect"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/zonewalk/zonewalk/app"
	"github.com/zonewalk/zonewalk/assets"
)

// Nothing typed may be lost: not to a crash or a flat battery (drafts,
// below), nor to leaving a form whose input its record refused (the leave
// guard, further down).

// draftDelay is how long after the last keystroke a draft is written:
// often enough that a crash loses at most about a second of typing,
// seldom enough that typing does not wait for the disk.
const draftDelay = 700 * time.Millisecond

// drafter keeps the input of forms, by draft key, in the workspace a short
// while after the last keystroke (app.Workspace.SaveDraft), and forgets it
// when the input was stored or discarded.
type drafter struct {
	ws    *app.Workspace
	delay time.Duration

	mu      sync.Mutex
	closed  bool
	pending map[string]map[string]string // written when its timer fires
	timers  map[string]*time.Timer
	stored  map[string]bool // keys that may have a draft on disk

	wmu sync.Mutex // held while writing: a clear never overtakes a write
}

func newDrafter(ws *app.Workspace, delay time.Duration) *drafter {
	return &drafter{ws: ws, delay: delay, pending: map[string]map[string]string{},
		timers: map[string]*time.Timer{}, stored: map[string]bool{}}
}

// keep writes fields as the draft of key after the delay, unless keep or
// clear is called for key again meanwhile. UI goroutine: no disk access.
func (d *drafter) keep(key string, fields map[string]string) {
	if d == nil { // a session made by hand in a test
		return
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closed {
		return
	}
	d.pending[key] = fields
	if t := d.timers[key]; t != nil {
		t.Stop()
	}
	d.timers[key] = time.AfterFunc(d.delay, func() { d.write(key) })
}

// write stores the pending draft of key (off the UI goroutine).
func (d *drafter) write(key string) {
	d.wmu.Lock()
	defer d.wmu.Unlock()
	d.mu.Lock()
	fields, ok := d.pending[key]
	if d.closed || !ok {
		d.mu.Unlock()
		return
	}
	delete(d.pending, key)
	delete(d.timers, key)
	d.stored[key] = true
	d.mu.Unlock()
	d.save(key, fields)
}

func (d *drafter) save(key string, fields map[string]string) {
	if err := d.ws.SaveDraft(key, fields); err != nil {
		log.Printf("zonewalk: keeping unsaved input %s: %v", key, err)
	}
}

// clear forgets the draft of key: its input was stored or discarded.
func (d *drafter) clear(key string) {
	if d == nil { // a session made by hand in a test
		return
	}
	d.mu.Lock()
	if t := d.timers[key]; t != nil {
		t.Stop()
	}
	delete(d.timers, key)
	delete(d.pending, key)
	onDisk := d.stored[key]
	delete(d.stored, key)
	closed := d.closed
	d.mu.Unlock()
	if !onDisk || closed {
		return
	}
	d.wmu.Lock()
	defer d.wmu.Unlock()
	if err := d.ws.ClearDraft(key); err != nil {
		log.Printf("zonewalk: forgetting unsaved input %s: %v", key, err)
	}
}

// restored notes that key has a draft on disk (read at open).
func (d *drafter) restored(key string) {
	if d == nil { // a session made by hand in a test
		return
	}
	d.mu.Lock()
	d.stored[key] = true
	d.mu.Unlock()
}

// stop writes what is still waiting for its delay and ends the drafter;
// the workspace may close after it returns.
func (d *drafter) stop() {
	if d == nil { // a session made by hand in a test
		return
	}
	d.mu.Lock()
	if d.closed {
		d.mu.Unlock()
		return
	}
	d.closed = true
	for _, t := range d.timers {
		t.Stop()
	}
	pending := d.pending
	d.pending = nil
	d.mu.Unlock()
	d.wmu.Lock() // waits for a write in flight
	defer d.wmu.Unlock()
	for key, fields := range pending {
		d.save(key, fields)
	}
}

// draftChanges lists the fields whose text differs from what the record
// gave them, by name: the draft of a form.
func draftChanges(fields map[string]*field) map[string]string {
	out := map[string]string{}
	for name, f := range fields {
		if f.Text != f.loaded {
			out[name] = f.Text
		}
	}
	return out
}

// restorer is a screen that can put a draft back into its widgets.
type restorer interface {
	// restoreDraft shows the draft of key; false if the key is not the
	// screen's or its record is gone.
	restoreDraft(key string, fields map[string]string) bool
}

// restoreDrafts puts the drafts a crash left back into their widgets and
// says so. The input stays unsaved until the auditor leaves the field, as
// if just typed. Drafts whose record is gone are dropped.
func (sh *shell) restoreDrafts() {
	ds, err := sh.s.ws.Drafts()
	if err != nil {
		log.Printf("zonewalk: reading unsaved input: %v", err)
		return
	}
	if len(ds) == 0 {
		return
	}
	var newest time.Time
	shown := -1
	var what []string
	for _, d := range ds {
		done := false
		for i := range sh.specs {
			sh.ensureScreen(i)
			if r, ok := sh.screens[i].(restorer); ok && r.restoreDraft(d.Key, d.Fields) {
				sh.s.drafts.restored(d.Key)
				done, shown = true, i
				what = append(what, sh.specs[i].title)
				break
			}
		}
		if !done {
			_ = sh.s.ws.ClearDraft(d.Key)
			continue
		}
		if d.Saved.After(newest) {
			newest = d.Saved
		}
	}
	if shown < 0 {
		return
	}
	sh.display(shown)
	when := newest.Local().Format("15:04")
	if y, m, day := newest.Local().Date(); time.Now().Year() != y || time.Now().Month() != m || time.Now().Day() != day {
		when = newest.Local().Format("2006-01-02 15:04")
	}
	msg := fmt.Sprintf("Restored unsaved input from %s (%s). Zonewalk was closed before it was saved: check it, then leave the field or press Enter to save it.",
		when, strings.Join(dedupe(what), ", "))
	sh.restoredMsg = msg
	// In the status line, not a dialog: a modal box in front of the input
	// it talks about would take a keystroke to get out of the way, and the
	// restored fields say the same thing beside them.
	sh.notice = msg
	if sh.status != nil {
		sh.status.Importance = widget.WarningImportance
		sh.status.SetText(msg)
	}
}

func dedupe(in []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, s := range in {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// leaveGuard is a form that may hold input its record did not take.
type leaveGuard interface {
	// leave commits the form and runs then when nothing is left unsaved,
	// at once or after asking; stay runs when the auditor keeps editing.
	leave(then, stay func())
}

// onLeave registers a form's guard.
func (s *session) onLeave(g leaveGuard) {
	s.mu.Lock()
	s.guards = append(s.guards, g)
	s.mu.Unlock()
}

// leave commits every screen's pending edits, asks about input a form
// could not save, and runs then (at once when there was none). stay (may
// be nil) runs instead when the auditor chooses to keep editing.
func (s *session) leave(then, stay func()) {
	s.flush()
	s.mu.Lock()
	gs := append([]leaveGuard(nil), s.guards...)
	s.mu.Unlock()
	var next func(i int)
	next = func(i int) {
		if i == len(gs) {
			then()
			return
		}
		gs[i].leave(func() { next(i + 1) }, stay)
	}
	next(0)
}

// editor is what the leave guard and the drafts know of a record's form:
// the four detail forms (audit, zone, conduit, asset) share it.
type editor[T any] struct {
	s        *session
	kind     string // record kind: draft key and field limits
	labels   map[string]string
	errs     *errorBox
	cur      *T       // the record as stored
	edited   func() T // the record as the form shows it
	save     func(T) (T, error)
	load     func(T)           // shows a record in the form
	id       func() string     // of *cur; "" when no record is shown
	idFields []string          // dropped by "save what is valid" when a save fails for no named field (a duplicate name)
	title    func() string     // names the record in the question
	focus    func()            // shows the form again (keep editing)
	texts    map[string]*field // text fields by validation name
	loading  *bool
}

// init caps the text fields at their limits, keeps drafts as they are
// typed and registers the guard.
func (e *editor[T]) init() {
	for name, f := range e.texts {
		f.max = fieldLimit(e.kind, name)
		f.cut = e.errs.note
		f.OnChanged = func(string) { e.typed() }
	}
	e.s.onLeave(e)
}

func (e *editor[T]) draftKey() string {
	if e.kind == "audit" {
		return "audit"
	}
	return e.kind + ":" + e.id()
}

// typed keeps the form's changed text as a draft (a keystroke).
func (e *editor[T]) typed() {
	if *e.loading || e.id() == "" {
		return
	}
	if ch := draftChanges(e.texts); len(ch) > 0 {
		e.s.drafts.keep(e.draftKey(), ch)
	} else {
		e.s.drafts.clear(e.draftKey())
	}
}

// commit saves the form when it changed; stored, its draft goes.
func (e *editor[T]) commit() {
	if *e.loading || e.id() == "" {
		return
	}
	if err := saveEdited(e.s, e.errs, e.labels, e.cur, e.edited(), e.save); err == nil {
		e.stored()
	}
}

// stored: the form shows its record as saved.
func (e *editor[T]) stored() {
	for _, f := range e.texts {
		f.loaded = f.Text
	}
	e.s.drafts.clear(e.draftKey())
}

// pending reports whether the form holds input its record does not.
func (e *editor[T]) pending() bool {
	return e.id() != "" && !reflect.DeepEqual(e.edited(), *e.cur)
}

func (e *editor[T]) leave(then, stay func()) {
	e.commit()
	if !e.pending() {
		then()
		return
	}
	problem := e.errs.label.Text
	if problem == "" {
		problem = "Some input is not saved yet."
	}
	askLeave(e.s, e.title(), problem, e.saveValid, e.discard, func() {
		e.focus()
		if stay != nil {
			stay()
		}
	}, then)
}

// saveValid stores every changed field that is valid and drops the rest.
func (e *editor[T]) saveValid() error {
	saved, err := saveValidPart(*e.cur, e.edited(), e.save, e.idFields)
	if err != nil {
		e.errs.show(err, e.labels)
		return err
	}
	changed := !reflect.DeepEqual(saved, *e.cur)
	*e.cur = saved
	e.load(saved)
	e.errs.show(nil, nil)
	e.stored()
	if changed {
		e.s.changed()
	}
	return nil
}

// discard shows the record as stored again.
func (e *editor[T]) discard() {
	e.load(*e.cur)
	e.errs.show(nil, nil)
	e.stored()
}

// restore shows a draft's text in the form (after load of its record).
func (e *editor[T]) restore(fields map[string]string) {
	*e.loading = true // the draft is on disk already
	defer func() { *e.loading = false }()
	for name, text := range fields {
		if f, ok := e.texts[name]; ok {
			f.setText(text) // not set: the text differs from the record
		}
	}
	e.errs.note("Restored unsaved input: check it, then leave the field or press Enter to save it.")
}

// askLeave asks what to do with input a form could not save.
func askLeave(s *session, what, problem string, saveValid func() error, discard, keep, then func()) {
	msg := widget.NewLabel(fmt.Sprintf("%s has input that is not saved.\n\n%s", what, problem))
	msg.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustomWithoutButtons("Unsaved input", msg, s.win)
	save := widget.NewButton("Save what is valid", func() {
		d.Hide()
		if err := saveValid(); err != nil {
			keep()
			return
		}
		then()
	})
	save.Importance = widget.HighImportance
	stay := widget.NewButton("Keep editing", func() { d.Hide(); keep() })
	drop := widget.NewButton("Discard", func() { d.Hide(); discard(); then() })
	drop.Importance = widget.DangerImportance
	d.SetButtons([]fyne.CanvasObject{save, stay, drop})
	d.Resize(fyne.NewSize(560, 260))
	d.Show()
}

// saveValidPart saves edited with every field that makes the save fail
// put back to its value in cur: the valid edits are kept, the others
// dropped. Fields are named as validation names them ("ips",
// "rationale.approved_at", "flows[2].ports"); a failure that names no
// field (a duplicate name) drops idFields.
func saveValidPart[T any](cur, edited T, save func(T) (T, error), idFields []string) (T, error) {
	usedID := false
	for range 16 {
		if reflect.DeepEqual(cur, edited) {
			return cur, nil
		}
		saved, err := save(edited)
		if err == nil {
			return saved, nil
		}
		var names []string
		var ve *assets.ValidationError
		switch {
		case errors.As(err, &ve):
			for _, f := range ve.Fields {
				names = append(names, f.Field)
			}
		case !usedID:
			names, usedID = idFields, true
		}
		next, changed, rerr := revertFields(cur, edited, names)
		if rerr != nil || !changed {
			return cur, err
		}
		edited = next
	}
	return cur, errors.New("could not separate the valid input from the invalid")
}

// revertFields puts the named fields of edited back to their values in
// cur, through the records' JSON (validation names fields by their JSON
// names). A field inside a list or a fixed vector reverts the whole list.
func revertFields[T any](cur, edited T, names []string) (T, bool, error) {
	var zero T
	cm, err := jsonMap(cur)
	if err != nil {
		return zero, false, err
	}
	em, err := jsonMap(edited)
	if err != nil {
		return zero, false, err
	}
	changed := false
	for _, name := range names {
		c, e := cm, em
		parts := strings.Split(name, ".")
		for i, p := range parts {
			if j := strings.IndexByte(p, '['); j >= 0 {
				p = p[:j]
			}
			cn, cok := c[p].(map[string]any)
			en, eok := e[p].(map[string]any)
			if i < len(parts)-1 && cok && eok && !strings.Contains(parts[i], "[") {
				c, e = cn, en
				continue
			}
			old, had := c[p]
			if !reflect.DeepEqual(old, e[p]) {
				changed = true
			}
			if had {
				e[p] = old
			} else {
				delete(e, p)
			}
			break
		}
	}
	b, err := json.Marshal(em)
	if err != nil {
		return zero, false, err
	}
	var out T
	if err := json.Unmarshal(b, &out); err != nil {
		return zero, false, err
	}
	return out, changed, nil
}

func jsonMap(v any) (map[string]any, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	// Numbers stay as written: a version stamp's nanoseconds do not fit
	// a float64.
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	m := map[string]any{}
	return m, d.Decode(&m)
}

// fieldLimit is how many characters a form's text field takes: the limit
// validation applies to it (assets.MaxLen), or for a field that holds a
// list (one entry per line or separated by spaces or commas) as many
// entries as a record may have, each of the longest valid size.
func fieldLimit(kind, name string) int {
	switch kind + "." + name {
	case "asset.ips":
		return assets.MaxListLen * 50 // an IPv6 address with its prefix length, and a separator
	case "asset.macs":
		return assets.MaxListLen * 18
	case "audit.auditors", "audit.standards", "conduit.controls":
		return assets.MaxListLen * (assets.MaxShortText + 2)
	case "conduit.flows":
		return assets.MaxListLen * (2*assets.MaxShortText + 2) // protocol and ports
	}
	return assets.MaxLen(kind, name)
}

// noteLimit caps a text field and shows a cut in lbl: for fields outside
// a record form (quick capture, checklist notes).
func noteLimit(f *field, max int, lbl *widget.Label) {
	f.max = max
	f.cut = func(msg string) {
		lbl.Importance = widget.WarningImportance
		lbl.SetText(msg)
	}
}

// fields are the form's text fields by validation name.
func (e *editor[T]) fields() map[string]*field { return e.texts }
