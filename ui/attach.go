package ui

import (
	"bufio"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/user"
	"path/filepath"
	"runtime"
	"sort"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/zonewalk/zonewalk/assets"
)

// Attaching evidence without the mouse: a path field to type or paste
// into, the usual places one click (or Tab, Space) away, and photos dropped
// on the window go to the record shown. Fyne 2.7 has no native file dialog
// outside Flatpak, so "Browse…" is Fyne's own, opened at the place chosen.

// place is a folder photos usually come from.
type place struct{ label, dir string }

// evidencePlaces are the Pictures folder, removable media (on Windows
// the drive letters) and home, those that exist.
func evidencePlaces() []place {
	var out []place
	add := func(label, dir string) {
		if st, err := os.Stat(dir); err == nil && st.IsDir() {
			out = append(out, place{label, dir})
		}
	}
	home, _ := os.UserHomeDir()
	if home != "" {
		add("Pictures", picturesDir(home))
	}
	switch runtime.GOOS {
	case "windows":
		// C: holds the system; A: and B: are floppy drives, slow to ask.
		for d := 'D'; d <= 'Z'; d++ {
			add(string(d)+":", string(d)+`:\`)
		}
	case "darwin":
		for _, dir := range subdirs("/Volumes") {
			add(filepath.Base(dir), dir)
		}
	default:
		name := ""
		if u, err := user.Current(); err == nil {
			name = u.Username
		}
		seen := map[string]bool{}
		for _, root := range []string{"/media/" + name, "/run/media/" + name, "/media"} {
			for _, dir := range subdirs(root) {
				if filepath.Base(dir) == name || seen[dir] {
					continue // /media/USER itself, listed through its children
				}
				seen[dir] = true
				add(filepath.Base(dir), dir)
			}
		}
	}
	if home != "" {
		add("Home", home)
	}
	return out
}

// subdirs lists the folders in dir, sorted; none if it cannot be read.
func subdirs(dir string) []string {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range entries {
		if e.IsDir() {
			out = append(out, filepath.Join(dir, e.Name()))
		}
	}
	sort.Strings(out)
	return out
}

// picturesDir is the user's Pictures folder: XDG_PICTURES_DIR from
// user-dirs.dirs on Linux (it is localised: "Bilder", "Images"…), else
// ~/Pictures.
func picturesDir(home string) string {
	if runtime.GOOS != "windows" && runtime.GOOS != "darwin" {
		cfg := os.Getenv("XDG_CONFIG_HOME")
		if cfg == "" {
			cfg = filepath.Join(home, ".config")
		}
		if f, err := os.Open(filepath.Join(cfg, "user-dirs.dirs")); err == nil {
			defer f.Close()
			sc := bufio.NewScanner(f)
			for sc.Scan() {
				v, ok := strings.CutPrefix(strings.TrimSpace(sc.Text()), "XDG_PICTURES_DIR=")
				if ok {
					v = strings.ReplaceAll(strings.Trim(v, `"`), "$HOME", home)
					if v != "" && v != home {
						return v
					}
				}
			}
		}
	}
	return filepath.Join(home, "Pictures")
}

// cleanPath reads a typed or pasted path: quotes (Windows "Copy as
// path"), a file:// URI from a file manager, ~ for home.
func cleanPath(text string) string {
	p := strings.TrimSpace(text)
	p = strings.Trim(p, `"'`)
	if strings.HasPrefix(p, "file://") {
		if u, err := url.Parse(p); err == nil {
			p = u.Path
			if runtime.GOOS == "windows" {
				p = strings.TrimPrefix(p, "/")
			}
		}
	}
	if p == "~" || strings.HasPrefix(p, "~/") {
		if home, err := os.UserHomeDir(); err == nil {
			p = filepath.Join(home, p[1:])
		}
	}
	return p
}

// pickFile asks for a file to attach: a path typed or pasted (Enter
// attaches it; a folder opens the browser there), a usual place, or Browse.
func (v *evidenceView) pickFile() {
	owner := v.owner
	var d dialog.Dialog
	path := widget.NewEntry()
	path.SetPlaceHolder("Path of a photo or file (type or paste), then Enter")
	msg := widget.NewLabel("Or open the file browser in one of these places:")
	msg.Wrapping = fyne.TextWrapWord
	browse := func(dir string) {
		fd := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
			if err != nil {
				v.s.showError(err)
				return
			}
			if r == nil {
				return
			}
			defer r.Close()
			data, err := io.ReadAll(r)
			if err != nil {
				v.s.showError(err)
				return
			}
			d.Hide()
			v.attachData(owner, r.URI().Name(), data)
		}, v.s.win)
		if dir != "" {
			if l, err := storage.ListerForURI(storage.NewFileURI(dir)); err == nil {
				fd.SetLocation(l)
			}
		}
		fd.Resize(fyne.NewSize(900, 600))
		fd.Show()
	}
	path.OnSubmitted = func(text string) {
		p := cleanPath(text)
		if p == "" {
			return
		}
		st, err := os.Stat(p)
		switch {
		case err != nil:
			msg.Importance = widget.DangerImportance
			msg.SetText(fmt.Sprintf("No file %s.", p))
		case st.IsDir():
			browse(p)
		default:
			if err := v.attachFile(owner, p); err != nil {
				msg.Importance = widget.DangerImportance
				msg.SetText(err.Error())
				return
			}
			d.Hide()
		}
	}
	var buttons []fyne.CanvasObject
	for _, pl := range evidencePlaces() {
		buttons = append(buttons, widget.NewButtonWithIcon(pl.label, theme.FolderIcon(), func() { browse(pl.dir) }))
	}
	buttons = append(buttons, widget.NewButtonWithIcon("Browse…", theme.FolderOpenIcon(), func() {
		dir := ""
		if p := cleanPath(path.Text); p != "" {
			if st, err := os.Stat(p); err == nil && st.IsDir() {
				dir = p
			} else if st, err := os.Stat(filepath.Dir(p)); err == nil && st.IsDir() {
				dir = filepath.Dir(p)
			}
		}
		browse(dir)
	}))
	attach := widget.NewButtonWithIcon("Attach", theme.ContentAddIcon(), func() { path.OnSubmitted(path.Text) })
	attach.Importance = widget.HighImportance
	cancel := widget.NewButton("Cancel", func() { d.Hide() })
	body := container.NewVBox(path, msg, container.NewGridWrap(fyne.NewSize(150, 36), buttons...),
		widget.NewLabel("Photos can also be dropped on the window: they go to the record shown."),
		container.NewHBox(cancel, attach))
	d = dialog.NewCustomWithoutButtons("Attach evidence", body, v.s.win)
	d.Resize(fyne.NewSize(720, 300))
	d.Show()
	v.s.win.Canvas().Focus(path)
}

// attachFile attaches the file at path to owner.
func (v *evidenceView) attachFile(owner assets.Ref, path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("cannot read %s: %w", path, err)
	}
	v.attachData(owner, filepath.Base(path), data)
	return nil
}

// dropTarget is a screen that takes dropped files as evidence of the record
// it shows (nil when it shows none).
type dropTarget interface {
	dropEvidence() *evidenceView
}

func (a *assetsScreen) dropEvidence() *evidenceView {
	if a.evidence == nil || a.cur.ID == "" {
		return nil
	}
	return a.evidence
}

func (c *checklistScreen) dropEvidence() *evidenceView {
	if c.evidence == nil || c.evidence.owner.ID == "" {
		return nil
	}
	return c.evidence
}

// dropped attaches files dropped on the window to the record shown.
func (sh *shell) dropped(_ fyne.Position, uris []fyne.URI) {
	if sh.s == nil || sh.current < 0 || len(uris) == 0 {
		return
	}
	t, ok := sh.screens[sh.current].(dropTarget)
	var v *evidenceView
	if ok {
		v = t.dropEvidence()
	}
	if v == nil {
		dialog.ShowInformation("Nothing to attach to",
			"Drop photos on an asset or on a checklist item that has an answer: they are attached to the record shown.", sh.win)
		return
	}
	for _, u := range uris {
		if u.Scheme() != "file" {
			continue
		}
		if err := v.attachFile(v.owner, u.Path()); err != nil {
			sh.s.showError(err)
		}
	}
}
