package ui

import (
	"fmt"
	"log"
	"os"
	"runtime/pprof"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/zonewalk/zonewalk/app"
	"github.com/zonewalk/zonewalk/assets"
)

// shell is the main window: navigation on the left, the current screen in
// the middle, the undo bar and the workspace status at the bottom.
type shell struct {
	app  fyne.App
	win  fyne.Window
	opts Options

	s         *session // nil while no audit is open
	dir       string
	encrypted bool
	recentMem []string // the recent list when Options.RecentFile is empty
	notice    string   // shown in the status line until the next screen
	// findingsDelay > 0 keeps findings current that long after each change
	// (ui.Run sets it; tests that want it too, since on Fyne's test driver
	// the background refresh would touch widgets beside the test).
	findingsDelay time.Duration
	loads         int           // opens and creates started; the newest one wins
	loading       chan struct{} // closed when the newest load has finished

	specs   []screenSpec
	screens []screen
	views   []fyne.CanvasObject
	stale   []bool
	current int
	picking bool // the nav list is being selected by code

	nav      *widget.List
	content  *fyne.Container
	heading  *widget.Label
	status   *widget.Label
	hcButton *widget.Button
	undoBar  *fyne.Container
	undoText *widget.Label
	undos    []undoEntry

	trace bool
	// opened, when set, hears how each open or create ended (tests wait on it).
	opened func(err error)
	// exit ends the app once nothing is left unsaved (tests replace it).
	exit func()
	// restoredMsg is the notice about drafts restored at the last open.
	restoredMsg string
}

type undoEntry struct {
	label string
	fn    func() error
}

// maxUndo bounds the undo stack; older deletes stay undoable only through
// the record history.
const maxUndo = 20

func newShell(a fyne.App, opts Options) *shell {
	sh := &shell{app: a, opts: opts, current: -1}
	screensMu.Lock()
	sh.specs = append([]screenSpec(nil), screens...)
	screensMu.Unlock()
	if highContrast(a) {
		applyTheme(a, true)
	}
	sh.win = a.NewWindow("Zonewalk")
	sh.win.Resize(fyne.NewSize(1280, 800))
	sh.exit = func() {
		armQuitWatchdog(quitTimeout)
		sh.app.Quit()
	}
	sh.win.SetCloseIntercept(func() {
		sh.guarded(func() {
			armQuitWatchdog(quitTimeout)
			sh.win.Close()
		})
	})
	sh.setMenu()
	sh.win.SetContent(sh.placeholder("Starting…"))
	return sh
}

// shutdown ends the open session after the window closed.
func (sh *shell) shutdown() {
	if sh.s != nil {
		if err := sh.s.end(); err != nil {
			log.Printf("zonewalk: closing %s: %v", sh.dir, err)
		}
		sh.s = nil
	}
}

// placeholder is the window content while no audit is shown.
func (sh *shell) placeholder(msg string) fyne.CanvasObject {
	l := widget.NewLabelWithStyle(msg, fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	return container.NewStack(container.NewCenter(l), sh.probe(false))
}

// probe reports the first frame (audit=false) or the first frame showing
// an audit (audit=true) when tracing start-up.
func (sh *shell) probe(audit bool) fyne.CanvasObject {
	return frameProbe(func() {
		if !sh.trace {
			return
		}
		if audit {
			traceLine("first frame with the audit")
		} else {
			traceLine("first frame")
		}
	})
}

// attach shows an open workspace: a new session and fresh screens. Any
// previous session must have ended.
func (sh *shell) attach(ws *app.Workspace, encrypted bool) {
	if sh.trace {
		traceLine("workspace open")
		defer traceLine("screens built")
	}
	sh.s = newSession(sh.app, sh.win, ws)
	sh.dir = ws.Dir()
	sh.encrypted = encrypted
	sh.s.navigate = sh.navigate
	sh.s.reveal = sh.reveal
	sh.s.undo = sh.pushUndo
	sh.s.onChanged(sh.modelChanged)
	if sh.findingsDelay > 0 {
		sh.s.keepFindingsCurrent(sh.findingsDelay)
	}
	sh.undos = nil
	n := len(sh.specs)
	sh.screens, sh.views, sh.stale = make([]screen, n), make([]fyne.CanvasObject, n), make([]bool, n)
	sh.current = -1
	sh.win.SetContent(sh.layout())
	sh.updateTitle()
	sh.setMenu()
	if n > 0 {
		sh.show(0)
	}
	sh.addRecent(sh.dir)
	sh.restoreDrafts()
}

// guarded runs f once no form holds input it could not save: at once, or
// after the auditor chose to save what is valid or to discard the rest.
// Keeping on editing cancels f.
func (sh *shell) guarded(f func()) {
	if sh.s == nil {
		f()
		return
	}
	sh.s.leave(f, nil)
}

func (sh *shell) layout() fyne.CanvasObject {
	sh.nav = widget.NewList(func() int { return len(sh.specs) },
		func() fyne.CanvasObject {
			// The Ctrl+1…9 keys are in the View menu; the rail stays narrow.
			return container.NewHBox(widget.NewIcon(theme.HomeIcon()), widget.NewLabel("Checklists"))
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			row := o.(*fyne.Container).Objects
			row[0].(*widget.Icon).SetResource(sh.specs[i].icon)
			row[1].(*widget.Label).SetText(sh.specs[i].title)
		})
	sh.nav.OnSelected = func(i widget.ListItemID) {
		if !sh.picking {
			sh.show(i)
		}
	}
	sh.content = container.NewStack()
	sh.heading = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	sh.heading.Truncation = fyne.TextTruncateEllipsis
	sh.hcButton = widget.NewButtonWithIcon("", theme.VisibilityIcon(), sh.toggleContrast)
	sh.updateContrastButton()
	top := container.NewBorder(nil, nil, nil, sh.hcButton, sh.heading)
	sh.status = widget.NewLabel("")
	sh.status.Truncation = fyne.TextTruncateEllipsis
	sh.undoText = widget.NewLabel("")
	undoBtn := widget.NewButtonWithIcon("Undo (Ctrl+Z)", theme.ContentUndoIcon(), sh.undoLast)
	undoBtn.Importance = widget.HighImportance
	sh.undoBar = container.NewHBox(widget.NewIcon(theme.InfoIcon()), sh.undoText, undoBtn)
	sh.undoBar.Hide()
	bottom := container.NewBorder(nil, nil, nil, container.NewHBox(sh.undoBar, sh.probe(true)), sh.status)
	left := container.NewBorder(nil, nil, nil, widget.NewSeparator(), sh.nav)
	return container.NewBorder(container.NewVBox(top, widget.NewSeparator()),
		container.NewVBox(widget.NewSeparator(), bottom), left, nil, sh.content)
}

// show switches to screen i, building it on first use. Input the current
// screen could not save is asked about first.
func (sh *shell) show(i int) {
	if i < 0 || i >= len(sh.specs) || sh.s == nil {
		return
	}
	if sh.current >= 0 && i != sh.current {
		cur := sh.current
		sh.selectNav(cur) // until the auditor has answered
		sh.s.leave(func() { sh.notice = ""; sh.showScreen(i); sh.updateTitle() }, func() { sh.selectNav(cur) })
		return
	}
	sh.showScreen(i)
}

func (sh *shell) selectNav(i int) {
	sh.picking = true
	sh.nav.Select(i)
	sh.picking = false
}

// ensureScreen builds screen i if it was not yet.
func (sh *shell) ensureScreen(i int) {
	if sh.screens[i] == nil {
		sh.screens[i] = sh.specs[i].make(sh.s)
		sh.views[i] = sh.screens[i].build()
		sh.screens[i].refresh()
		sh.stale[i] = false
	}
}

// showScreen switches to screen i with no question asked.
func (sh *shell) showScreen(i int) {
	if sh.s == nil {
		return
	}
	sh.s.flush()
	sh.display(i)
}

// display shows screen i as it is: no edit is committed (restored drafts
// stay unsaved until the auditor has seen them).
func (sh *shell) display(i int) {
	if sh.screens[i] == nil {
		sh.ensureScreen(i)
	} else if sh.stale[i] {
		sh.screens[i].refresh()
		sh.stale[i] = false
	}
	sh.current = i
	sh.content.Objects = []fyne.CanvasObject{sh.views[i]}
	sh.content.Refresh()
	sh.selectNav(i)
}

// screenIndex finds a screen by title; -1 if none.
func (sh *shell) screenIndex(title string) int {
	for i, sp := range sh.specs {
		if sp.title == title {
			return i
		}
	}
	return -1
}

func (sh *shell) navigate(title string) { sh.show(sh.screenIndex(title)) }

// reveal opens the record on the first screen that knows it.
func (sh *shell) reveal(ref assets.Ref) {
	sh.guarded(func() {
		for i := range sh.specs {
			sh.ensureScreen(i)
			if r, ok := sh.screens[i].(revealer); ok {
				sh.showScreen(i)
				if r.reveal(ref) {
					return
				}
			}
		}
	})
}

// modelChanged refreshes the visible screen now and the others when shown.
func (sh *shell) modelChanged() {
	for i := range sh.screens {
		if sh.screens[i] == nil {
			continue
		}
		if i == sh.current {
			sh.screens[i].refresh()
		} else {
			sh.stale[i] = true
		}
	}
	sh.updateTitle()
}

func (sh *shell) updateTitle() {
	if sh.s == nil {
		sh.win.SetTitle("Zonewalk")
		return
	}
	enc := "encrypted"
	if !sh.encrypted {
		enc = "NOT encrypted"
	}
	a := sh.s.ws.Audit()
	sh.win.SetTitle(fmt.Sprintf("Zonewalk — %s (%s)", a.Title, enc))
	if sh.heading != nil {
		sh.heading.SetText(a.Title)
	}
	if sh.status != nil && sh.notice == "" {
		who := authorName(sh.app)
		sh.status.Importance = widget.MediumImportance
		sh.status.SetText(fmt.Sprintf("%s · %s · saved on every change · changes by %s", sh.dir, enc, who))
	}
}

func (sh *shell) pushUndo(label string, fn func() error) {
	sh.undos = append(sh.undos, undoEntry{label: label, fn: fn})
	if len(sh.undos) > maxUndo {
		sh.undos = sh.undos[len(sh.undos)-maxUndo:]
	}
	sh.showUndoBar()
}

func (sh *shell) showUndoBar() {
	if sh.undoBar == nil {
		return
	}
	if len(sh.undos) == 0 {
		sh.undoBar.Hide()
		return
	}
	sh.undoText.SetText(sh.undos[len(sh.undos)-1].label)
	sh.undoBar.Show()
}

// undoLast undoes the most recent delete.
func (sh *shell) undoLast() {
	if sh.s == nil || len(sh.undos) == 0 {
		return
	}
	u := sh.undos[len(sh.undos)-1]
	sh.undos = sh.undos[:len(sh.undos)-1]
	sh.showUndoBar()
	if err := u.fn(); err != nil {
		sh.s.showError(fmt.Errorf("undo %s: %w", strings.ToLower(u.label), err))
	}
	sh.s.changed()
}

// editUndo is Ctrl+Z: inside a text field it undoes typing, elsewhere the
// last delete.
func (sh *shell) editUndo() {
	type textField interface {
		fyne.Shortcutable
		SelectedText() string
	}
	if f, ok := sh.win.Canvas().Focused().(textField); ok {
		f.TypedShortcut(&fyne.ShortcutUndo{})
		return
	}
	sh.undoLast()
}

// newRecord is Ctrl+N: a new zone or conduit on those screens, otherwise
// the quick-capture row of the assets screen.
func (sh *shell) newRecord() {
	if sh.s == nil {
		return
	}
	if sh.current >= 0 {
		if n, ok := sh.screens[sh.current].(interface{ newRecord() }); ok {
			n.newRecord()
			return
		}
	}
	if i := sh.screenIndex("Assets"); i >= 0 {
		sh.show(i)
		if n, ok := sh.screens[i].(interface{ newRecord() }); ok {
			n.newRecord()
		}
	}
}

// findAsset is Ctrl+F: the assets screen with the cursor in its search.
func (sh *shell) findAsset() {
	i := sh.screenIndex("Assets")
	if sh.s == nil || i < 0 {
		return
	}
	sh.show(i)
	if a, ok := sh.screens[i].(*assetsScreen); ok {
		sh.win.Canvas().Focus(a.search)
		a.search.TypedShortcut(&fyne.ShortcutSelectAll{})
	}
}

func (sh *shell) toggleContrast() {
	applyTheme(sh.app, !highContrast(sh.app))
	sh.updateContrastButton()
	sh.setMenu()
}

func (sh *shell) updateContrastButton() {
	if sh.hcButton == nil {
		return
	}
	if highContrast(sh.app) {
		sh.hcButton.SetText("Normal view")
	} else {
		sh.hcButton.SetText("High contrast")
	}
}

func ctrl(k fyne.KeyName) fyne.Shortcut {
	return &desktop.CustomShortcut{KeyName: k, Modifier: fyne.KeyModifierShortcutDefault}
}

// setMenu (re)builds the main menu: the recent list and check marks change.
func (sh *shell) setMenu() {
	item := func(label string, sc fyne.Shortcut, f func()) *fyne.MenuItem {
		it := fyne.NewMenuItem(label, f)
		it.Shortcut = sc
		return it
	}
	var recent []*fyne.MenuItem
	for _, dir := range sh.recentAudits() {
		recent = append(recent, fyne.NewMenuItem(dir, func() { sh.guarded(func() { sh.openDir(dir) }) }))
	}
	if len(recent) == 0 {
		none := fyne.NewMenuItem("(none yet)", nil)
		none.Disabled = true
		recent = append(recent, none)
	}
	recentItem := fyne.NewMenuItem("Recent audits", nil)
	recentItem.ChildMenu = fyne.NewMenu("", recent...)
	// Leaving the audit asks about input a form could not save.
	closeItem := fyne.NewMenuItem("Close audit", func() { sh.guarded(sh.closeAudit) })
	closeItem.Disabled = sh.s == nil
	quit := item("Quit", ctrl(fyne.KeyQ), sh.quit)
	quit.IsQuit = true
	file := fyne.NewMenu("File",
		item("New audit…", &desktop.CustomShortcut{KeyName: fyne.KeyN, Modifier: fyne.KeyModifierShortcutDefault | fyne.KeyModifierShift}, func() { sh.guarded(sh.newAuditDialog) }),
		item("Open audit…", ctrl(fyne.KeyO), func() { sh.guarded(sh.openDialog) }),
		recentItem,
		fyne.NewMenuItem("Open the demo audit", func() { sh.guarded(sh.openDemo) }),
		closeItem,
		fyne.NewMenuItemSeparator(),
		fyne.NewMenuItem("Preferences…", sh.preferencesDialog),
		fyne.NewMenuItemSeparator(),
		quit)
	undo := item("Undo", &fyne.ShortcutUndo{}, sh.editUndo)
	edit := fyne.NewMenu("Edit", undo, item("New record / quick capture", ctrl(fyne.KeyN), sh.newRecord),
		item("Find asset", ctrl(fyne.KeyF), sh.findAsset),
		item("Choose checklist and zone", ctrl(fyne.KeyL), sh.chooseChecklist))
	hc := item("High contrast, large text", &desktop.CustomShortcut{KeyName: fyne.KeyH,
		Modifier: fyne.KeyModifierShortcutDefault | fyne.KeyModifierShift}, sh.toggleContrast)
	hc.Checked = highContrast(sh.app)
	view := fyne.NewMenu("View", hc, fyne.NewMenuItemSeparator())
	// Ctrl+1 … Ctrl+9, then Ctrl+0 for the tenth, as on the number row.
	keys := []fyne.KeyName{fyne.Key1, fyne.Key2, fyne.Key3, fyne.Key4, fyne.Key5, fyne.Key6, fyne.Key7, fyne.Key8, fyne.Key9, fyne.Key0}
	for i, sp := range sh.specs {
		var sc fyne.Shortcut
		if i < len(keys) {
			sc = ctrl(keys[i])
		} else if k, ok := screenKeys[sp.title]; ok {
			sc = ctrl(k)
		}
		view.Items = append(view.Items, item(sp.title, sc, func() { sh.show(i) }))
	}
	sh.win.SetMainMenu(fyne.NewMainMenu(file, edit, view))
	sh.bindWindowInput()
}

// screenKeys are the shortcuts of the screens after the tenth, which the
// number row cannot reach.
var screenKeys = map[string]fyne.KeyName{"Risk": fyne.KeyR}

// quit ends the app, asking first about input a form could not save.
func (sh *shell) quit() {
	sh.guarded(sh.exit)
}

// quitTimeout bounds how long quitting may take.
const quitTimeout = 20 * time.Second

var watchdogOnce sync.Once

// armQuitWatchdog makes sure quitting never hangs the laptop's session:
// if the process still runs after d, it writes every goroutine's stack to
// stderr, for a bug report, and exits with status 3. Every write was
// synced when it was acknowledged, so nothing saved is lost.
func armQuitWatchdog(d time.Duration) {
	watchdogOnce.Do(func() {
		time.AfterFunc(d, func() {
			fmt.Fprintf(os.Stderr, "zonewalk: still running %v after quit; goroutines:\n", d)
			_ = pprof.Lookup("goroutine").WriteTo(os.Stderr, 2)
			os.Exit(3)
		})
	})
}
