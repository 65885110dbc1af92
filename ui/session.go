package ui

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/zonewalk/zonewalk/app"
	"github.com/zonewalk/zonewalk/assets"
)

// session is what every screen shares: the window and the open audit.
type session struct {
	fyneApp fyne.App
	win     fyne.Window
	ws      *app.Workspace

	mu        sync.Mutex
	listeners []func()
	flushers  []func()
	navigate  func(title string) // set by the shell
	reveal    func(ref assets.Ref)
	undo      func(label string, undo func() error) // set by the shell
	tasks     sync.WaitGroup                        // background work in flight
	quit      chan struct{}                         // closed when the session ends: cancels background work
	drafts    *drafter                              // input typed but not yet stored, kept against a crash
	guards    []leaveGuard                          // forms that ask before their input is dropped
}

// newSession starts a session on an open workspace.
func newSession(a fyne.App, win fyne.Window, ws *app.Workspace) *session {
	return &session{fyneApp: a, win: win, ws: ws, quit: make(chan struct{}), drafts: newDrafter(ws, draftDelay)}
}

// end cancels background work, waits for it and closes the workspace.
// Call it off the UI goroutine or after the app loop stopped: background
// work finishes on the UI goroutine.
func (s *session) end() error {
	s.mu.Lock()
	select {
	case <-s.quit:
	default:
		close(s.quit)
	}
	s.mu.Unlock()
	s.tasks.Wait()
	s.drafts.stop() // writes drafts still waiting for their delay
	forgetBaselinePass(s)
	return s.ws.Close()
}

// onFlush registers f to commit any edit still in a widget (e.g. a field
// the user typed into but has not left). The shell flushes before it
// switches screens, opens another audit or quits, so no edit is lost.
func (s *session) onFlush(f func()) {
	s.mu.Lock()
	s.flushers = append(s.flushers, f)
	s.mu.Unlock()
}

// flush commits pending edits of every screen (UI goroutine).
func (s *session) flush() {
	s.mu.Lock()
	fs := append([]func(){}, s.flushers...)
	s.mu.Unlock()
	for _, f := range fs {
		f()
	}
}

// offerUndo shows "label — Undo" in the shell and binds Ctrl+Z to undo, so
// a delete needs no confirmation dialog. undo runs on the UI goroutine.
func (s *session) offerUndo(label string, undo func() error) {
	if s.undo != nil {
		s.undo(label, undo)
	}
}

// changed tells every screen that the model changed, so they refresh.
// Call it on the UI goroutine after a write.
func (s *session) changed() {
	s.mu.Lock()
	ls := append([]func(){}, s.listeners...)
	s.mu.Unlock()
	for _, f := range ls {
		f()
	}
}

// onChanged registers f to run (on the UI goroutine) after every change.
func (s *session) onChanged(f func()) {
	s.mu.Lock()
	s.listeners = append(s.listeners, f)
	s.mu.Unlock()
}

// showError shows err in a dialog over the window.
func (s *session) showError(err error) {
	if err != nil {
		dialog.ShowError(err, s.win)
	}
}

// progress reports how far long work has come; total 0 means unknown.
type progress func(done, total int, msg string)

// background runs work off the UI goroutine behind a progress dialog with
// a Cancel button. done runs on the UI goroutine with work's error
// (context.Canceled when the user cancelled).
func (s *session) background(title string, work func(ctx context.Context, report progress) error, done func(err error)) {
	ctx, cancel := context.WithCancel(context.Background())
	bar := widget.NewProgressBarInfinite()
	fixed := widget.NewProgressBar()
	msg := widget.NewLabel("")
	box := container.NewVBox(bar, fixed, msg)
	fixed.Hide()
	d := dialog.NewCustom(title, "Cancel", box, s.win)
	d.SetOnClosed(cancel)
	d.Show()
	s.tasks.Add(1)
	go func() {
		select {
		case <-s.quit: // the audit is being closed
			cancel()
		case <-ctx.Done():
		}
	}()
	report := func(n, total int, m string) {
		fyne.Do(func() {
			msg.SetText(m)
			if total > 0 {
				bar.Hide()
				fixed.Show()
				fixed.SetValue(float64(n) / float64(total))
			}
		})
	}
	go func() {
		defer s.tasks.Done()
		err := work(ctx, report)
		fyne.DoAndWait(func() {
			// Hiding runs the OnClosed chain, i.e. cancel: harmless now.
			// (SetOnClosed(nil) would add a nil callback to that chain.)
			d.Hide()
			cancel()
			if done != nil {
				done(err)
			}
		})
	}()
}

// screen is one entry of the navigation: a small struct with its widgets,
// onX handlers and a build method.
type screen interface {
	// build makes the screen's content once.
	build() fyne.CanvasObject
	// refresh rereads what the screen shows from the workspace.
	refresh()
}

// revealer is a screen that can select a record, e.g. a zone tapped in
// the diagram opens it on the Zones screen.
type revealer interface {
	reveal(ref assets.Ref) bool
}

type screenSpec struct {
	order int
	title string
	icon  fyne.Resource
	make  func(s *session) screen
}

var (
	screensMu sync.Mutex
	screens   []screenSpec
)

// registerScreen adds a screen to the navigation, in order (called from
// init in the screen's file): Overview 10, Zones 20, Conduits 30, Assets
// 40, Checklists 50, Findings 60, Diagram 70, Sync 80, Report 90.
func registerScreen(order int, title string, icon fyne.Resource, make func(s *session) screen) {
	screensMu.Lock()
	defer screensMu.Unlock()
	screens = append(screens, screenSpec{order: order, title: title, icon: icon, make: make})
	sort.Slice(screens, func(i, j int) bool { return screens[i].order < screens[j].order })
}

// field is a text entry that commits its value when the user leaves it or
// presses Enter. Screens save there, without a Save button to forget, and
// once per edit rather than per keystroke: every save is a new version of
// the record, and merges recognise only a few versions back.
type field struct {
	widget.Entry
	commit func()
	// max is how many characters the field takes: the limit validation
	// applies (assets.MaxLen), so typing never goes past what can be
	// saved, and a pasted novel cannot make every keystroke slow.
	max int
	// cut, when set, hears that typed or pasted text was cut at max.
	cut func(msg string)
	// loaded is the text the record gave the field (set); a draft keeps
	// only what differs from it.
	loaded string
	wraps  bool // a multi-line field that word-wraps its paragraphs (fitWrap)
}

// wrapLimit is the longest paragraph a multi-line field word-wraps. Fyne
// 2.7 measures the whole rest of a paragraph for each row it wraps, so a
// keystroke costs the square of the paragraph's length (a pasted page of
// 20,000 characters without a line break: seconds a key). Beyond this the
// field scrolls sideways instead.
const wrapLimit = 1000

// fitWrap turns word wrapping off while the longest paragraph, grown by
// extra characters, is longer than wrapLimit (on again when it is not).
// It runs before the change, so the entry never wraps a long paragraph.
func (f *field) fitWrap(text string, extra int) {
	if !f.wraps {
		return
	}
	want := fyne.TextWrapWord
	if longestLine(text)+extra > wrapLimit {
		want = fyne.TextWrapOff
	}
	f.Wrapping = want
}

func longestLine(s string) int {
	most := 0
	for line := range strings.SplitSeq(s, "\n") {
		most = max(most, utf8.RuneCountInString(line))
	}
	return most
}

// setText shows text (set by code), wrapping it only when that is cheap.
func (f *field) setText(text string) {
	f.fitWrap(text, 0)
	f.SetText(text)
}

func newField(commit func()) *field {
	f := &field{commit: commit, max: assets.MaxShortText}
	f.ExtendBaseWidget(f)
	f.OnSubmitted = func(string) { f.fire() }
	return f
}

// newLongField is a multi-line field; it commits when left.
func newLongField(commit func()) *field {
	f := newField(commit)
	f.max = assets.MaxLongText
	f.MultiLine = true
	f.wraps = true
	f.Wrapping = fyne.TextWrapWord
	f.SetMinRowsVisible(3)
	return f
}

// room is how many more characters fit, counting the selection (which
// typing replaces) as free.
func (f *field) room() int {
	if f.max <= 0 {
		return -1
	}
	n := utf8.RuneCountInString(f.Text)
	if sel := f.SelectedText(); sel != "" {
		n -= utf8.RuneCountInString(sel)
	}
	return f.max - n
}

func (f *field) tooLong() {
	if f.cut != nil {
		f.cut(fmt.Sprintf("This field takes at most %d characters; the rest was not entered.", f.max))
	}
}

// TypedRune refuses a character beyond the limit.
func (f *field) TypedRune(r rune) {
	if f.max > 0 && f.room() <= 0 {
		f.tooLong()
		return
	}
	f.fitWrap(f.Text, 1)
	f.Entry.TypedRune(r)
}

// TypedKey refuses a line break beyond the limit.
func (f *field) TypedKey(k *fyne.KeyEvent) {
	if f.MultiLine && (k.Name == fyne.KeyReturn || k.Name == fyne.KeyEnter) && f.max > 0 && f.room() <= 0 {
		f.tooLong()
		return
	}
	f.Entry.TypedKey(k)
}

// TypedShortcut cuts pasted text at the limit.
func (f *field) TypedShortcut(sc fyne.Shortcut) {
	if p, ok := sc.(*fyne.ShortcutPaste); ok && p.Clipboard != nil && f.max > 0 {
		room := max(f.room(), 0)
		text := p.Clipboard.Content()
		cut := utf8.RuneCountInString(text) > room
		if cut {
			text = string([]rune(text)[:room])
		}
		f.fitWrap(f.Text, longestLine(text))
		f.Entry.TypedShortcut(&fyne.ShortcutPaste{Clipboard: fixedClipboard(text)})
		if cut {
			f.tooLong()
		}
		return
	}
	f.Entry.TypedShortcut(sc)
}

// fixedClipboard hands a paste the text it may insert, leaving the system
// clipboard as it was.
type fixedClipboard string

func (c fixedClipboard) Content() string   { return string(c) }
func (c fixedClipboard) SetContent(string) {}

// FocusLost commits the edit.
func (f *field) FocusLost() {
	f.Entry.FocusLost()
	f.fire()
}

func (f *field) fire() {
	if f.commit != nil {
		f.commit()
	}
}

// set shows text without disturbing a field that already shows it (the
// cursor of a field being typed into stays put).
func (f *field) set(text string) {
	f.loaded = text
	if f.Text != text {
		f.setText(text)
	}
}

// errorBox shows why a record was not saved, next to its form.
type errorBox struct {
	label *widget.Label
	box   *fyne.Container
}

func newErrorBox() *errorBox {
	l := widget.NewLabel("")
	l.Importance = widget.DangerImportance
	l.Wrapping = fyne.TextWrapWord
	l.TextStyle.Bold = true
	b := &errorBox{label: l, box: container.NewBorder(nil, nil, widget.NewIcon(theme.ErrorIcon()), nil, l)}
	b.box.Hide()
	return b
}

// saveEdited stores edited when it differs from *cur. Validation errors
// show in box with the form's labels; on success the saved record (with its
// new version) becomes *cur and every screen refreshes. It returns the
// error of the save (nil when saved or unchanged).
func saveEdited[T any](s *session, box *errorBox, labels map[string]string, cur *T, edited T, save func(T) (T, error)) error {
	if reflect.DeepEqual(edited, *cur) {
		return nil
	}
	saved, err := save(edited)
	box.show(err, labels)
	if err != nil {
		return err
	}
	*cur = saved
	s.changed()
	return nil
}

// show explains err with the form's own labels (by field name); nil hides.
func (b *errorBox) show(err error, labels map[string]string) {
	if err == nil {
		b.label.SetText("")
		b.box.Hide()
		return
	}
	b.label.SetText(describeError(err, labels))
	b.box.Show()
}

// note shows a message that is not a validation error (text cut at a
// limit, input restored after a crash); the next save clears it.
func (b *errorBox) note(msg string) {
	b.label.SetText(msg)
	b.box.Show()
}

// describeError lists every field problem of a validation error on its own
// line, named as the form names the field.
func describeError(err error, labels map[string]string) string {
	var ve *assets.ValidationError
	if !errors.As(err, &ve) {
		return "Not saved: " + err.Error()
	}
	lines := []string{"Not saved — please correct:"}
	for _, f := range ve.Fields {
		name := f.Field
		if l, ok := labels[f.Field]; ok {
			name = l
		} else if i := strings.IndexByte(f.Field, '.'); i > 0 {
			if l, ok := labels[f.Field[:i]]; ok {
				name = l + " " + f.Field[i+1:]
			}
		}
		switch {
		case f.Value != "":
			lines = append(lines, fmt.Sprintf("• %s: %q %s", name, f.Value, f.Reason))
		case startsWithWord(f.Reason, name):
			// "tag or name is required" already names the field: not
			// "Tag tag or name is required".
			r, size := utf8.DecodeRuneInString(f.Reason)
			lines = append(lines, "• "+strings.ToUpper(string(r))+f.Reason[size:])
		default:
			lines = append(lines, fmt.Sprintf("• %s %s", name, f.Reason))
		}
	}
	return strings.Join(lines, "\n")
}

// startsWithWord reports whether text begins with word, ignoring case, as
// a whole word.
func startsWithWord(text, word string) bool {
	if len(text) < len(word) || !strings.EqualFold(text[:len(word)], word) {
		return false
	}
	return len(text) == len(word) || text[len(word)] == ' '
}
