package ui

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	appreport "github.com/zonewalk/zonewalk/app/report"
	"github.com/zonewalk/zonewalk/assets"
	"github.com/zonewalk/zonewalk/assets/english"
)

func init() {
	registerScreen(90, "Report", theme.DefaultTheme().Icon(theme.IconNameDocument), func(s *session) screen { return newReportScreen(s) })
}

// reportScreen writes the audit report as PDF in the background.
type reportScreen struct {
	s *session

	classification *widget.Entry
	version        *widget.Entry
	date           *widget.Entry
	noZones        *widget.Check
	path           *widget.Entry
	generate       *widget.Button
	result         *widget.Label
	openFile       *widget.Button
	openDir        *widget.Button
	copyPath       *widget.Button

	written string // path of the last report written
}

func newReportScreen(s *session) *reportScreen { return &reportScreen{s: s} }

func (r *reportScreen) build() fyne.CanvasObject {
	r.classification = widget.NewEntry()
	r.version = widget.NewEntry()
	r.version.SetPlaceHolder("1.0")
	r.date = widget.NewEntry()
	r.date.SetPlaceHolder("YYYY-MM-DD (empty: today)")
	r.noZones = widget.NewCheck("Leave out the per-zone diagrams (a quicker draft of a large audit)", nil)
	r.path = widget.NewEntry()
	r.path.SetPlaceHolder("/path/to/report.pdf")
	pick := widget.NewButtonWithIcon("Choose…", theme.FolderOpenIcon(), func() {
		d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
			if err != nil || w == nil {
				r.s.showError(err)
				return
			}
			// The dialog made the file; the report replaces it when complete.
			w.Close()
			r.path.SetText(w.URI().Path())
		}, r.s.win)
		d.SetFileName(filepath.Base(r.path.Text))
		d.Show()
	})
	r.generate = widget.NewButtonWithIcon("Generate PDF", theme.DocumentPrintIcon(), func() { r.onGenerate(nil) })
	r.generate.Importance = widget.HighImportance
	r.result = widget.NewLabel("")
	r.result.Wrapping = fyne.TextWrapWord
	r.openFile = widget.NewButtonWithIcon("Open report", theme.DefaultTheme().Icon(theme.IconNameDocument), func() { r.open(r.written) })
	r.openDir = widget.NewButtonWithIcon("Open folder", theme.FolderOpenIcon(), func() { r.open(filepath.Dir(r.written)) })
	r.copyPath = widget.NewButtonWithIcon("Copy path", theme.ContentCopyIcon(), func() {
		r.s.fyneApp.Clipboard().SetContent(r.written)
	})
	for _, b := range []*widget.Button{r.openFile, r.openDir, r.copyPath} {
		b.Disable()
	}
	form := widget.NewForm(
		widget.NewFormItem("Classification", r.classification),
		widget.NewFormItem("Report version", r.version),
		widget.NewFormItem("Issue date", r.date),
		widget.NewFormItem("", r.noZones),
		widget.NewFormItem("Save as", container.NewBorder(nil, nil, nil, pick, r.path)),
	)
	help := widget.NewLabel("The report covers the audit as it is now: scope, the zone and conduit model with diagrams, " +
		"each zone's 62443-3-3 results, the 62443-2-1 checklist, findings with evidence photos and the asset inventory. " +
		"The classification is printed on every page. The file appears only when the report is complete.")
	help.Wrapping = fyne.TextWrapWord
	help.Importance = widget.LowImportance
	return container.NewVScroll(container.NewVBox(help, form, r.generate, r.result,
		container.NewHBox(r.openFile, r.openDir, r.copyPath)))
}

// refresh fills empty fields from the audit.
func (r *reportScreen) refresh() {
	if r.s.ws == nil {
		return
	}
	a := r.s.ws.Audit()
	if r.classification.Text == "" {
		c := a.Classification
		if strings.TrimSpace(c) == "" {
			c = assets.DefaultClassification
		}
		r.classification.SetText(c)
	}
	if r.path.Text == "" {
		r.path.SetText(filepath.Join(outputDir(r.s.ws.Dir()), reportFileName(a)))
	}
}

// outputDir is where reports and bundles go unless the user picks another
// place: Documents, else the home directory, else next to the workspace.
func outputDir(workspace string) string {
	if home, err := os.UserHomeDir(); err == nil {
		for _, d := range []string{filepath.Join(home, "Documents"), home} {
			if fi, err := os.Stat(d); err == nil && fi.IsDir() {
				return d
			}
		}
	}
	return filepath.Dir(workspace)
}

func reportFileName(a assets.Audit) string {
	name := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			return r
		}
		return '-'
	}, strings.ToLower(a.Site))
	for strings.Contains(name, "--") {
		name = strings.ReplaceAll(name, "--", "-")
	}
	if name = strings.Trim(name, "-"); name == "" {
		name = "audit"
	}
	return name + "-report-" + time.Now().Format("20060102") + ".pdf"
}

// options reads the form.
func (r *reportScreen) options() (appreport.Options, string, error) {
	opts := appreport.Options{Classification: r.classification.Text, Version: r.version.Text, NoZoneDiagrams: r.noZones.Checked}
	if d := strings.TrimSpace(r.date.Text); d != "" {
		t, err := time.Parse(time.DateOnly, d)
		if err != nil {
			return opts, "", fmt.Errorf("issue date %q: write it as YYYY-MM-DD", d)
		}
		opts.Date = t
	}
	path := strings.TrimSpace(r.path.Text)
	if path == "" {
		return opts, "", errors.New("choose where to save the report")
	}
	if !strings.EqualFold(filepath.Ext(path), ".pdf") {
		path += ".pdf"
	}
	return opts, path, nil
}

// onGenerate writes the report in the background; then (if set) runs on
// the UI goroutine with the outcome.
func (r *reportScreen) onGenerate(then func(error)) {
	opts, path, err := r.options()
	if err != nil {
		r.result.SetText(err.Error())
		if then != nil {
			then(err)
		}
		return
	}
	ws := r.s.ws
	var res *appreport.Result
	r.generate.Disable()
	r.s.background("Writing the report", func(ctx context.Context, report progress) error {
		var err error
		res, err = appreport.WriteFile(ctx, ws, path, opts, func(p appreport.Progress) {
			report(int(p.Fraction*1000), 1000, p.Step)
		})
		return err
	}, func(err error) {
		r.generate.Enable()
		switch {
		case err == nil:
			r.written = path
			r.result.SetText(fmt.Sprintf("Wrote %s: %d pages, %d photos, %s.\nData digest (SHA-256 of the records it was made from): %s",
				path, res.Pages, res.Photos, english.Size(res.Bytes), res.Digest))
			for _, b := range []*widget.Button{r.openFile, r.openDir, r.copyPath} {
				b.Enable()
			}
		case errors.Is(err, context.Canceled):
			r.result.SetText("Cancelled; no report was written.")
		case errors.Is(err, appreport.ErrOption):
			r.result.SetText(err.Error())
		default:
			r.result.SetText("The report could not be written: " + err.Error())
		}
		if then != nil {
			then(err)
		}
	})
}

// open shows a file or folder with the desktop's default application.
func (r *reportScreen) open(path string) {
	if path == "" {
		return
	}
	u := &url.URL{Scheme: "file", Path: filepath.ToSlash(path)}
	if err := r.s.fyneApp.OpenURL(u); err != nil {
		r.s.showError(fmt.Errorf("open %s: %w", path, err))
	}
}
