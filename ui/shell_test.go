package ui

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/zonewalk/zonewalk/app"
	"github.com/zonewalk/zonewalk/app/demo"
	"github.com/zonewalk/zonewalk/assets"
)

// newDemoShell opens a fresh demo audit (real Badger on disk) in a shell
// on Fyne's test driver.
func newDemoShell(t *testing.T) (*shell, string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "demo")
	ws, err := demo.Create(context.Background(), dir, "tester")
	if err != nil {
		t.Fatal(err)
	}
	a := test.NewTempApp(t)
	sh := newShell(a, Options{DemoDir: filepath.Join(t.TempDir(), "unused-demo")})
	sh.attach(ws, false)
	sh.win.Resize(fyne.NewSize(1400, 900))
	t.Cleanup(sh.shutdown)
	return sh, dir
}

// screenOf shows the screen with title and returns it.
func screenOf[T screen](t testing.TB, sh *shell, title string) T {
	t.Helper()
	i := sh.screenIndex(title)
	if i < 0 {
		t.Fatalf("no screen %q", title)
	}
	sh.show(i)
	sc, ok := sh.screens[i].(T)
	if !ok {
		t.Fatalf("screen %q is %T", title, sh.screens[i])
	}
	return sc
}

// reopen closes the shell's workspace and opens dir again from disk, so
// assertions see what was made durable, not what is cached.
func reopen(t *testing.T, sh *shell, dir string) *app.Workspace {
	t.Helper()
	sh.shutdown()
	ws, err := app.Open(context.Background(), dir, app.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ws.Close() })
	return ws
}

// enter presses Return in an entry.
func enter(e fyne.Focusable) { e.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn}) }

// typeInto focuses e on the canvas, selects what it holds and types s.
func typeInto(sh *shell, e interface {
	fyne.Focusable
	fyne.Shortcutable
}, s string) {
	sh.win.Canvas().Focus(e)
	e.TypedShortcut(&fyne.ShortcutSelectAll{})
	test.Type(e, s)
}

func TestShellNavigationAndTitle(t *testing.T) {
	sh, _ := newDemoShell(t)
	if got := sh.win.Title(); !strings.Contains(got, "Greywater Valley") || !strings.Contains(got, "NOT encrypted") {
		t.Errorf("title %q does not name the audit and its encryption", got)
	}
	var titles []string
	for _, sp := range sh.specs {
		titles = append(titles, sp.title)
	}
	for i, want := range []string{"Overview", "Zones", "Conduits", "Assets"} {
		if titles[i] != want {
			t.Fatalf("screens in order %v, want %s at %d", titles, want, i)
		}
	}
	// Ctrl+2 is in the View menu and switches to Zones.
	var view *fyne.Menu
	for _, m := range sh.win.MainMenu().Items {
		if m.Label == "View" {
			view = m
		}
	}
	if view == nil {
		t.Fatal("no View menu")
	}
	for _, it := range view.Items {
		if it.Label == "Zones" {
			sc, ok := it.Shortcut.(interface{ ShortcutName() string })
			if !ok || !strings.Contains(sc.ShortcutName(), "2") {
				t.Errorf("Zones shortcut %v, want Ctrl+2", it.Shortcut)
			}
			it.Action()
		}
	}
	if sh.specs[sh.current].title != "Zones" {
		t.Errorf("current screen %q after the Zones menu item", sh.specs[sh.current].title)
	}
}

func TestOpenMessages(t *testing.T) {
	base := t.TempDir()
	enc := filepath.Join(base, "enc")
	ws, err := app.Create(context.Background(), enc, app.Options{Passphrase: []byte("correct horse battery")}, assets.Audit{Title: "Enc"})
	if err != nil {
		t.Fatal(err)
	}
	_, errLocked := app.Open(context.Background(), enc, app.Options{Passphrase: []byte("correct horse battery")})
	ws.Close()
	_, errWrong := app.Open(context.Background(), enc, app.Options{Passphrase: []byte("wrong")})
	_, errNot := app.Open(context.Background(), base, app.Options{})
	for _, c := range []struct {
		err  error
		want string
	}{
		{errWrong, "Wrong passphrase"},
		{errLocked, "already open"},
		{errNot, "not a Zonewalk audit folder"},
		{app.ErrNewerSchema, "newer version of Zonewalk"},
	} {
		if c.err == nil {
			t.Fatalf("want an error for %q", c.want)
		}
		if got := openMessage(enc, c.err); !strings.Contains(got, c.want) {
			t.Errorf("message for %v = %q, want %q", c.err, got, c.want)
		}
	}
}

// TestUnlockDialog opens an encrypted audit through the unlock dialog:
// first with a wrong passphrase, then with the right one.
func TestUnlockDialog(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "enc")
	ws, err := app.Create(context.Background(), dir, app.Options{Passphrase: []byte("correct horse battery")}, assets.Audit{Title: "Substation"})
	if err != nil {
		t.Fatal(err)
	}
	ws.Close()
	a := test.NewTempApp(t)
	sh := newShell(a, Options{Workspace: dir})
	t.Cleanup(sh.shutdown)
	opened := make(chan error, 4)
	sh.opened = func(err error) { opened <- err }
	sh.start()

	try := func(pass string) error {
		t.Helper()
		top := sh.win.Canvas().Overlays().Top()
		if top == nil {
			t.Fatal("no unlock dialog")
		}
		var entry *widget.Entry
		var unlock *widget.Button
		for _, o := range test.LaidOutObjects(top) {
			switch w := o.(type) {
			case *widget.Entry:
				if w.Password {
					entry = w
				}
			case *widget.Button:
				if w.Text == "Unlock" {
					unlock = w
				}
			}
		}
		if entry == nil || unlock == nil {
			t.Fatal("unlock dialog without passphrase entry or Unlock button")
		}
		test.Type(entry, pass)
		test.Tap(unlock)
		select {
		case err := <-opened:
			return err
		case <-time.After(20 * time.Second):
			t.Fatal("open did not finish")
		}
		return nil
	}
	if err := try("not it"); !errors.Is(err, app.ErrWrongPassphrase) {
		t.Fatalf("wrong passphrase: got %v", err)
	}
	var sawMessage bool
	for _, o := range test.LaidOutObjects(sh.win.Canvas().Overlays().Top()) {
		if l, ok := o.(*widget.Label); ok && strings.Contains(l.Text, "Wrong passphrase") && l.Visible() {
			sawMessage = true
		}
	}
	if !sawMessage {
		t.Error("the dialog shown again does not say \"Wrong passphrase\"")
	}
	if err := try("correct horse battery"); err != nil {
		t.Fatalf("right passphrase: %v", err)
	}
	if sh.s == nil || sh.s.ws.Audit().Title != "Substation" {
		t.Fatal("audit not shown after unlock")
	}
	if !strings.Contains(sh.win.Title(), "(encrypted)") {
		t.Errorf("title %q does not say encrypted", sh.win.Title())
	}
	if rec := sh.recentAudits(); len(rec) == 0 || rec[0] != dir {
		t.Errorf("recent audits %v, want %s first", rec, dir)
	}
}

// TestFirstRunOpensDemo: no workspace and no recent audit creates the demo.
func TestFirstRunOpensDemo(t *testing.T) {
	a := test.NewTempApp(t)
	demoDir := filepath.Join(t.TempDir(), "cfg", "demo")
	sh := newShell(a, Options{DemoDir: demoDir})
	t.Cleanup(sh.shutdown)
	opened := make(chan error, 1)
	sh.opened = func(err error) { opened <- err }
	sh.start()
	select {
	case err := <-opened:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(60 * time.Second):
		t.Fatal("demo not created")
	}
	if !app.IsWorkspace(demoDir) || sh.s.ws.AssetCount() == 0 {
		t.Fatalf("demo workspace missing or empty in %s", demoDir)
	}
	if rec := sh.recentAudits(); len(rec) != 1 || rec[0] != demoDir {
		t.Errorf("recent = %v", rec)
	}
}

func TestNotAWorkspaceLeavesWelcome(t *testing.T) {
	a := test.NewTempApp(t)
	dir := t.TempDir()
	sh := newShell(a, Options{Workspace: dir})
	t.Cleanup(sh.shutdown)
	opened := make(chan error, 1)
	sh.opened = func(err error) { opened <- err }
	sh.start()
	if err := <-opened; !errors.Is(err, app.ErrNotWorkspace) {
		t.Fatalf("got %v", err)
	}
	if sh.s != nil {
		t.Fatal("a session is open")
	}
	var msg string
	for _, o := range test.LaidOutObjects(sh.win.Canvas().Overlays().Top()) {
		if l, ok := o.(*widget.Label); ok && strings.Contains(l.Text, "not a Zonewalk audit folder") {
			msg = l.Text
		}
	}
	if msg == "" {
		t.Error("no error dialog saying the folder is not an audit")
	}
}

func TestPassphraseWarning(t *testing.T) {
	for p, weak := range map[string]bool{"": true, "secret": true, "Tr0ub4dor&3": true, "correct horse battery staple": false, "Plant-Floor-2026!": false} {
		if got := passphraseWarning(p) != ""; got != weak {
			t.Errorf("%q: warning=%v, want %v", p, got, weak)
		}
	}
}

// TestNewAuditWarnsOfThePlainKey: creating an audit without a passphrase
// also leaves the signing key in plain form; the New audit dialog says so.
func TestNewAuditWarnsOfThePlainKey(t *testing.T) {
	if w := passphraseWarning(""); !strings.Contains(w, "unencrypted") || !strings.Contains(w, "sign bundles") {
		t.Errorf("warning without a passphrase: %q", w)
	}
}

func TestHighContrastTheme(t *testing.T) {
	sh, _ := newDemoShell(t)
	if highContrast(sh.app) {
		t.Fatal("high contrast on by default")
	}
	test.Tap(sh.hcButton)
	if !sh.app.Preferences().Bool(prefHighContrast) {
		t.Error("choice not remembered in preferences")
	}
	th := sh.app.Settings().Theme()
	if _, ok := th.(plantTheme); !ok {
		t.Fatalf("theme is %T", th)
	}
	if th.Size("text") < 18 {
		t.Errorf("text size %v is not large", th.Size("text"))
	}
	fg, bg := th.Color("foreground", 0), th.Color("background", 0)
	if contrast(fg, bg) < 15 {
		t.Errorf("foreground/background contrast %.1f:1, want at least 15:1", contrast(fg, bg))
	}
	test.Tap(sh.hcButton)
	if highContrast(sh.app) {
		t.Error("toggle did not switch back")
	}
}

// TestScreensFitALaptop: in either theme, no screen of the shell makes the
// window wider than a 1280-pixel laptop screen (Fyne grows a window to
// its content's minimum size, off the screen if need be).
func TestScreensFitALaptop(t *testing.T) {
	sh, _ := newDemoShell(t)
	// With a record selected: its form is the widest part.
	screenOf[*zonesScreen](t, sh, "Zones").reveal(assets.Ref{Kind: "zone", ID: demo.ZoneDosing})
	screenOf[*conduitsScreen](t, sh, "Conduits").reveal(assets.Ref{Kind: "conduit", ID: "conduit-dmz-scada"})
	screenOf[*assetsScreen](t, sh, "Assets").table.Select(widget.TableCellID{Row: 1, Col: 0})
	for _, high := range []bool{false, true} {
		applyTheme(sh.app, high)
		for _, title := range []string{"Overview", "Zones", "Conduits", "Assets"} {
			sh.navigate(title)
			if w := sh.win.Content().MinSize().Width; w > 1200 {
				t.Errorf("high contrast %v: %s needs %.0f px", high, title, w)
			}
		}
	}
}

// TestNewAuditDialog creates an encrypted audit through File → New audit:
// mismatched passphrases are refused in the dialog, then it is created,
// opened and shown as encrypted.
func TestNewAuditDialog(t *testing.T) {
	// The folder first: cleanups run last-in first-out, and the audit
	// must be closed before its folder is removed.
	dir := filepath.Join(t.TempDir(), "northfield")
	a := test.NewTempApp(t)
	sh := newShell(a, Options{})
	t.Cleanup(sh.shutdown)
	opened := make(chan error, 1)
	sh.opened = func(err error) { opened <- err }
	sh.newAuditDialog()
	top := sh.win.Canvas().Overlays().Top()
	var plain, secret []*widget.Entry
	var create *widget.Button
	var problem *widget.Label
	for _, o := range test.LaidOutObjects(top) {
		switch w := o.(type) {
		case *widget.Entry:
			if w.Password {
				secret = append(secret, w)
			} else {
				plain = append(plain, w)
			}
		case *widget.Button:
			if w.Text == "Create" {
				create = w
			}
		case *widget.Label:
			if w.Importance == widget.DangerImportance {
				problem = w
			}
		}
	}
	if len(plain) != 3 || len(secret) != 2 || create == nil || problem == nil {
		t.Fatalf("dialog: %d text entries, %d passphrase entries, create %v", len(plain), len(secret), create != nil)
	}
	plain[0].SetText(dir)
	test.Type(plain[1], "Northfield substation")
	test.Type(plain[2], "Northfield")
	test.Type(secret[0], "correct horse battery staple")
	test.Type(secret[1], "correct horse battery stapel")
	test.Tap(create)
	if !problem.Visible() || !strings.Contains(problem.Text, "differ") {
		t.Fatalf("mismatch not refused: %q", problem.Text)
	}
	secret[0].SetText("short")
	secret[1].SetText("short")
	test.Tap(create)
	if !problem.Visible() || !strings.Contains(problem.Text, "at least 10 characters") {
		t.Fatalf("a 5-character passphrase not refused in the dialog: %q", problem.Text)
	}
	secret[0].SetText("correct horse battery staple")
	secret[1].SetText("correct horse battery staple")
	test.Tap(create)
	select {
	case err := <-opened:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("not created")
	}
	if enc, err := app.IsEncrypted(dir); err != nil || !enc {
		t.Fatalf("encrypted=%v err=%v", enc, err)
	}
	if got := sh.s.ws.Audit(); got.Title != "Northfield substation" || got.Site != "Northfield" {
		t.Errorf("audit %+v", got)
	}
	if !strings.Contains(sh.win.Title(), "(encrypted)") {
		t.Errorf("title %q", sh.win.Title())
	}
}

// TestQuickOpensDoNotLeak opens a second audit while the first is still
// opening: the first must end closed (its lock released), not stay open
// behind the second.
func TestQuickOpensDoNotLeak(t *testing.T) {
	base := t.TempDir()
	dirs := []string{filepath.Join(base, "a"), filepath.Join(base, "b")}
	for _, d := range dirs {
		ws, err := app.Create(context.Background(), d, app.Options{Unencrypted: true}, assets.Audit{Title: filepath.Base(d)})
		if err != nil {
			t.Fatal(err)
		}
		ws.Close()
	}
	a := test.NewTempApp(t)
	sh := newShell(a, Options{})
	t.Cleanup(sh.shutdown)
	opened := make(chan error, 4)
	sh.opened = func(err error) { opened <- err }
	sh.openDir(dirs[0])
	sh.openDir(dirs[1])
	var shown, superseded int
	for shown+superseded < 2 {
		select {
		case err := <-opened:
			switch {
			case err == nil:
				shown++
			case errors.Is(err, errOpenSuperseded):
				superseded++
			default:
				t.Fatalf("open: %v", err)
			}
		case <-time.After(20 * time.Second):
			t.Fatal("opens did not finish")
		}
	}
	if shown != 1 || superseded != 1 {
		t.Fatalf("shown %d, superseded %d; want 1 and 1", shown, superseded)
	}
	if sh.dir != dirs[1] {
		t.Fatalf("window shows %q, want the later open %q", sh.dir, dirs[1])
	}
	// The superseded audit is closed once its close finishes: opening it
	// here must not find it locked.
	deadline := time.Now().Add(10 * time.Second)
	for {
		ws, err := app.Open(context.Background(), dirs[0], app.Options{})
		if err == nil {
			ws.Close()
			break
		}
		if !errors.Is(err, app.ErrLocked) || time.Now().After(deadline) {
			t.Fatalf("first audit after a quick second open: %v (left open and locked)", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
