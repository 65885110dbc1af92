package ui

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log"
	"os"
	"os/user"
	"path/filepath"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/zonewalk/zonewalk/app/paths"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"github.com/zonewalk/zonewalk/app"
	"github.com/zonewalk/zonewalk/app/demo"
	"github.com/zonewalk/zonewalk/assets"
)

// Preference keys.
const (
	prefRecent = "recentAudits" // before the recent file; see migrateRecent
	prefAuthor = "auditorName"
)

// recentAudits lists the audit folders opened lately, newest first: from
// the recent file (0600: the paths name sites and clients) when the shell
// has one, else from memory (tests).
func (sh *shell) recentAudits() []string {
	if sh.opts.RecentFile == "" {
		return sh.recentMem
	}
	list, err := paths.LoadRecent(sh.opts.RecentFile)
	if err != nil {
		log.Printf("zonewalk: %v", err)
	}
	return list
}

func (sh *shell) addRecent(dir string) {
	if sh.opts.RecentFile == "" {
		sh.recentMem = append([]string{dir}, slices.DeleteFunc(slices.Clone(sh.recentMem), func(d string) bool { return d == dir })...)
		sh.recentMem = sh.recentMem[:min(len(sh.recentMem), paths.MaxRecent)]
		return
	}
	if err := paths.AddRecent(sh.opts.RecentFile, dir); err != nil {
		log.Printf("zonewalk: recent audits: %v", err)
	}
}

func (sh *shell) removeRecent(dir string) {
	if sh.opts.RecentFile == "" {
		sh.recentMem = slices.DeleteFunc(sh.recentMem, func(d string) bool { return d == dir })
		return
	}
	if err := paths.RemoveRecent(sh.opts.RecentFile, dir); err != nil {
		log.Printf("zonewalk: recent audits: %v", err)
	}
}

// migrateRecent moves the recent list that earlier versions kept in Fyne's
// preferences (a 0644 file) into the recent file, once.
func migrateRecent(a fyne.App, file string) {
	old := a.Preferences().StringList(prefRecent)
	if len(old) == 0 || file == "" {
		return
	}
	if _, err := os.Stat(file); errors.Is(err, fs.ErrNotExist) {
		for i := len(old) - 1; i >= 0; i-- {
			if err := paths.AddRecent(file, old[i]); err != nil {
				log.Printf("zonewalk: recent audits: %v", err)
				return
			}
		}
	}
	a.Preferences().RemoveValue(prefRecent)
}

// authorName is who changes are recorded as: the auditor's name from the
// preferences, else the login name.
func authorName(a fyne.App) string {
	if n := strings.TrimSpace(a.Preferences().String(prefAuthor)); n != "" {
		return n
	}
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	return "unknown auditor"
}

// demoDir is where the demo audit lives.
func (sh *shell) demoDir() string {
	if sh.opts.DemoDir != "" {
		return sh.opts.DemoDir
	}
	if root := sh.app.Storage().RootURI(); root != nil && root.Scheme() == "file" {
		return filepath.Join(root.Path(), "demo")
	}
	if cfg, err := os.UserConfigDir(); err == nil {
		return filepath.Join(cfg, "zonewalk", "demo")
	}
	return filepath.Join(os.TempDir(), "zonewalk-demo")
}

// start opens what the window should show first: the audit named on the
// command line, else the last audit, else the demo (created on first run).
func (sh *shell) start() {
	switch {
	case sh.opts.Workspace != "":
		sh.openDir(sh.opts.Workspace)
	case len(sh.recentAudits()) > 0:
		sh.openDir(sh.recentAudits()[0])
	default:
		sh.openDemo()
	}
}

// openMessage turns an open or create failure into what the auditor can do.
func openMessage(dir string, err error) string {
	switch {
	case errors.Is(err, app.ErrWrongPassphrase):
		return "Wrong passphrase."
	case errors.Is(err, app.ErrLocked):
		return fmt.Sprintf("The audit in %s is already open in another Zonewalk window or process. Close it there first.", dir)
	case errors.Is(err, app.ErrNotWorkspace):
		return fmt.Sprintf("%s is not a Zonewalk audit folder. Choose the folder that holds zonewalk-workspace.json.", dir)
	case errors.Is(err, app.ErrNewerSchema):
		return fmt.Sprintf("The audit in %s was saved by a newer version of Zonewalk. Update Zonewalk to open it; nothing was changed.", dir)
	case errors.Is(err, app.ErrPassphraseRequired):
		return "This audit is encrypted: enter its passphrase."
	case errors.Is(err, app.ErrExists):
		return fmt.Sprintf("%s is not empty. Choose a new or empty folder for the new audit.", dir)
	case errors.Is(err, app.ErrCorrupt):
		return fmt.Sprintf("The audit in %s is damaged (%v). Keep a copy of the folder and restore from your last bundle.", dir, err)
	}
	return err.Error()
}

// openDir opens the audit in dir, asking for its passphrase when it is
// encrypted.
func (sh *shell) openDir(dir string) {
	if sh.dir == dir && sh.s != nil {
		return
	}
	if !app.IsWorkspace(dir) {
		sh.openFailed(dir, app.ErrNotWorkspace)
		sh.notifyOpened(app.ErrNotWorkspace)
		return
	}
	enc, err := app.IsEncrypted(dir)
	if err != nil {
		sh.openFailed(dir, err)
		sh.notifyOpened(err)
		return
	}
	if enc {
		sh.unlockDialog(dir, "")
		return
	}
	sh.openWith(dir, nil, false, func(err error) {
		if err != nil {
			sh.openFailed(dir, err)
		}
	})
}

func (sh *shell) notifyOpened(err error) {
	if sh.opened != nil {
		sh.opened(err)
	}
}

// openFailed says why dir did not open; with nothing else open, the window
// offers the other ways in.
func (sh *shell) openFailed(dir string, err error) {
	if errors.Is(err, app.ErrNotWorkspace) {
		sh.removeRecent(dir)
		sh.setMenu()
	}
	if sh.s == nil {
		sh.win.SetContent(sh.welcome())
	}
	dialog.ShowError(errors.New(openMessage(dir, err)), sh.win)
}

// errOpenSuperseded ends an open that a newer open, or a close, replaced
// while it was still loading.
var errOpenSuperseded = errors.New("superseded by a newer open")

// openWith opens dir off the UI goroutine (a large audit takes a moment to
// load, an encrypted one to derive its key) and shows it.
func (sh *shell) openWith(dir string, pass []byte, encrypted bool, done func(error)) {
	author := authorName(sh.app)
	sh.load("Opening "+dir+" …", func() (*app.Workspace, error) {
		return app.Open(context.Background(), dir, app.Options{Passphrase: pass, Author: author})
	}, func(ws *app.Workspace, err error) {
		if err == nil {
			sh.attach(ws, encrypted)
		}
		done(err)
	})
}

// load runs work (an open or a create) off the UI goroutine once the open
// audit is closed and any earlier load has finished, then hands its result
// to show on the UI goroutine. A load that a newer one or a close replaced
// meanwhile closes its workspace instead: two quick opens must not leave
// the first audit open and locked behind the second.
func (sh *shell) load(msg string, work func() (*app.Workspace, error), show func(*app.Workspace, error)) {
	sh.loads++
	gen := sh.loads
	ended := sh.leave()
	prev := sh.loading
	finished := make(chan struct{})
	sh.loading = finished
	sh.win.SetContent(sh.placeholder(msg))
	go func() {
		<-ended
		if prev != nil {
			<-prev
		}
		ws, err := work()
		fyne.Do(func() {
			if gen != sh.loads {
				go func() {
					if ws != nil {
						ws.Close()
					}
					close(finished)
					sh.notifyOpened(errOpenSuperseded)
				}()
				return
			}
			close(finished)
			show(ws, err)
			sh.notifyOpened(err)
		})
	}()
}

// leave ends the open session, committing pending edits first. The
// returned channel closes when the workspace is closed (its lock released),
// so the same folder can be opened again.
func (sh *shell) leave() <-chan struct{} {
	ended := make(chan struct{})
	if sh.s == nil {
		close(ended)
		return ended
	}
	sh.s.flush()
	old := sh.s
	sh.s, sh.dir = nil, ""
	sh.undos = nil
	// end waits for background work, which finishes on the UI goroutine,
	// so it must not block this one.
	go func() {
		defer close(ended)
		if err := old.end(); err != nil {
			fyne.Do(func() { dialog.ShowError(fmt.Errorf("closing the audit: %w", err), sh.win) })
		}
	}()
	return ended
}

func (sh *shell) closeAudit() {
	sh.loads++ // an audit still loading is not shown after a close
	sh.leave()
	sh.win.SetContent(sh.welcome())
	sh.updateTitle()
	sh.setMenu()
}

// welcome is shown while no audit is open.
func (sh *shell) welcome() fyne.CanvasObject {
	title := widget.NewLabelWithStyle("No audit is open", fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	box := container.NewVBox(title,
		widget.NewButton("New audit…", sh.newAuditDialog),
		widget.NewButton("Open an audit folder…", sh.openDialog),
		widget.NewButton("Open the demo audit", sh.openDemo))
	if rec := sh.recentAudits(); len(rec) > 0 {
		box.Add(widget.NewLabel("Recent audits"))
		for _, d := range rec {
			box.Add(widget.NewButton(d, func() { sh.openDir(d) }))
		}
	}
	return container.NewStack(container.NewCenter(box), sh.probe(false))
}

// openDemo opens the demo audit, creating it on first use.
func (sh *shell) openDemo() {
	dir := sh.demoDir()
	if app.IsWorkspace(dir) {
		sh.openDir(dir)
		return
	}
	author := authorName(sh.app)
	sh.load("Creating the demo audit in "+dir+" …", func() (*app.Workspace, error) {
		if err := os.MkdirAll(filepath.Dir(dir), 0o700); err != nil {
			return nil, err
		}
		return demo.Create(context.Background(), dir, author)
	}, func(ws *app.Workspace, err error) {
		if err != nil {
			sh.openFailed(dir, err)
		} else {
			sh.attach(ws, false)
		}
	})
}

// openDialog picks an audit folder.
func (sh *shell) openDialog() {
	d := dialog.NewFolderOpen(func(u fyne.ListableURI, err error) {
		if err != nil {
			sh.showErr(err)
			return
		}
		if u != nil {
			sh.openDir(u.Path())
		}
	}, sh.win)
	d.Resize(fyne.NewSize(900, 600))
	d.Show()
}

func (sh *shell) showErr(err error) { dialog.ShowError(err, sh.win) }

// unlockDialog asks for the passphrase of an encrypted audit and says so
// plainly when it is wrong.
func (sh *shell) unlockDialog(dir, problem string) {
	pass := widget.NewPasswordEntry()
	pass.SetPlaceHolder("Passphrase")
	msg := widget.NewLabel(problem)
	msg.Importance = widget.DangerImportance
	msg.Wrapping = fyne.TextWrapWord
	if problem == "" {
		msg.Hide()
	}
	var d *dialog.CustomDialog
	unlock := func() {
		p := []byte(pass.Text)
		d.Hide()
		sh.openWith(dir, p, true, func(err error) {
			if err == nil {
				return
			}
			if sh.s == nil {
				sh.win.SetContent(sh.welcome())
			}
			if errors.Is(err, app.ErrWrongPassphrase) || errors.Is(err, app.ErrPassphraseRequired) {
				sh.unlockDialog(dir, openMessage(dir, err)+" Try again.")
				return
			}
			sh.openFailed(dir, err)
		})
	}
	pass.OnSubmitted = func(string) { unlock() }
	content := container.NewVBox(widget.NewLabel("The audit in "+dir+" is encrypted."), pass, msg)
	d = dialog.NewCustomWithoutButtons("Unlock audit", content, sh.win)
	cancel := widget.NewButton("Cancel", func() {
		d.Hide()
		if sh.s == nil {
			sh.win.SetContent(sh.welcome())
		}
	})
	ok := widget.NewButton("Unlock", unlock)
	ok.Importance = widget.HighImportance
	d.SetButtons([]fyne.CanvasObject{cancel, ok})
	d.Resize(fyne.NewSize(520, 0))
	d.Show()
	sh.win.Canvas().Focus(pass)
}

// passphraseWarning says why a passphrase is weak; "" when it is not.
func passphraseWarning(p string) string {
	if p == "" {
		return "Without a passphrase the audit is stored unencrypted: anyone with this laptop can read it, " +
			"and use the signing key kept with it to sign bundles as this laptop."
	}
	classes := 0
	for _, in := range []func(rune) bool{unicode.IsLower, unicode.IsUpper, unicode.IsDigit, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}} {
		if strings.IndexFunc(p, in) >= 0 {
			classes++
		}
	}
	n := len([]rune(p))
	if n < 12 || (n < 16 && classes < 3) {
		return "Weak passphrase: use at least 12 characters, or several words, so a stolen laptop does not give the audit away."
	}
	return ""
}

// newAuditDialog creates an encrypted audit.
func (sh *shell) newAuditDialog() {
	home, _ := os.UserHomeDir()
	dir := widget.NewEntry()
	dir.SetText(filepath.Join(home, "Zonewalk", "new-audit"))
	browse := widget.NewButton("Choose…", func() {
		fd := dialog.NewFolderOpen(func(u fyne.ListableURI, err error) {
			if err == nil && u != nil {
				dir.SetText(filepath.Join(u.Path(), filepath.Base(dir.Text)))
			}
		}, sh.win)
		fd.Resize(fyne.NewSize(900, 600))
		fd.Show()
	})
	title := widget.NewEntry()
	title.SetPlaceHolder("e.g. Northfield substation — IEC 62443 assessment")
	site := widget.NewEntry()
	pass1 := widget.NewPasswordEntry()
	pass2 := widget.NewPasswordEntry()
	warn := widget.NewLabel(passphraseWarning(""))
	warn.Importance = widget.WarningImportance
	warn.Wrapping = fyne.TextWrapWord
	problem := widget.NewLabel("")
	problem.Importance = widget.DangerImportance
	problem.Wrapping = fyne.TextWrapWord
	problem.Hide()
	pass1.OnChanged = func(p string) {
		warn.SetText(passphraseWarning(p))
		warn.Hidden = warn.Text == ""
		warn.Refresh()
	}
	form := container.New(layout.NewFormLayout(),
		widget.NewLabel("Folder"), container.NewBorder(nil, nil, nil, browse, dir),
		widget.NewLabel("Title"), title,
		widget.NewLabel("Site"), site,
		widget.NewLabel("Passphrase"), pass1,
		widget.NewLabel("Repeat"), pass2)
	var d *dialog.CustomDialog
	create := func(unencrypted bool) {
		p := []byte(pass1.Text)
		target := strings.TrimSpace(dir.Text)
		audit := assets.Audit{Title: strings.TrimSpace(title.Text), Site: strings.TrimSpace(site.Text)}
		d.Hide()
		author := authorName(sh.app)
		sh.load("Creating "+target+" …", func() (*app.Workspace, error) {
			return app.Create(context.Background(), target, app.Options{Passphrase: p, Unencrypted: unencrypted, Author: author}, audit)
		}, func(ws *app.Workspace, err error) {
			if err != nil {
				sh.openFailed(target, err)
			} else {
				sh.attach(ws, !unencrypted)
			}
		})
	}
	submit := func() {
		fail := func(m string) { problem.SetText(m); problem.Show() }
		switch {
		case strings.TrimSpace(dir.Text) == "":
			fail("Choose a folder for the new audit.")
		case strings.TrimSpace(title.Text) == "":
			fail("Give the audit a title.")
		case pass1.Text != pass2.Text:
			fail("The two passphrases differ.")
		case pass1.Text != "" && utf8.RuneCountInString(pass1.Text) < app.MinPassphraseLength:
			fail(fmt.Sprintf("The passphrase needs at least %d characters: a shorter one is guessed quickly, however slow each guess is made.", app.MinPassphraseLength))
		case pass1.Text == "":
			dialog.ShowConfirm("Store unencrypted?", passphraseWarning("")+"\n\nCreate the audit without encryption?",
				func(yes bool) {
					if yes {
						create(true)
					}
				}, sh.win)
		default:
			create(false)
		}
	}
	pass2.OnSubmitted = func(string) { submit() }
	d = dialog.NewCustomWithoutButtons("New audit", container.NewVBox(form, warn, problem), sh.win)
	ok := widget.NewButton("Create", submit)
	ok.Importance = widget.HighImportance
	d.SetButtons([]fyne.CanvasObject{widget.NewButton("Cancel", func() { d.Hide() }), ok})
	d.Resize(fyne.NewSize(720, 0))
	d.Show()
	sh.win.Canvas().Focus(title)
}

// preferencesDialog sets the auditor's name recorded with every change.
func (sh *shell) preferencesDialog() {
	name := widget.NewEntry()
	name.SetText(sh.app.Preferences().String(prefAuthor))
	name.SetPlaceHolder(authorName(sh.app))
	note := widget.NewLabel("Your name is recorded with every change you make. It applies to audits opened from now on; reopen the current audit to use it there.")
	note.Wrapping = fyne.TextWrapWord
	items := []*widget.FormItem{widget.NewFormItem("Auditor name", name), widget.NewFormItem("", note)}
	d := dialog.NewForm("Preferences", "Save", "Cancel", items, func(ok bool) {
		if ok {
			sh.app.Preferences().SetString(prefAuthor, strings.TrimSpace(name.Text))
			sh.updateTitle()
		}
	}, sh.win)
	d.Resize(fyne.NewSize(560, 0))
	d.Show()
}
