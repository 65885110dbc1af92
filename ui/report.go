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

	"github.com/zonewalk/zonewalk/app"
	"github.com/zonewalk/zonewalk/app/oscal"
	"github.com/zonewalk/zonewalk/app/redact"
	appreport "github.com/zonewalk/zonewalk/app/report"
	"github.com/zonewalk/zonewalk/app/workbook"
	"github.com/zonewalk/zonewalk/assets"
	"github.com/zonewalk/zonewalk/assets/english"
)

func init() {
	registerScreen(90, "Report", theme.DefaultTheme().Icon(theme.IconNameDocument), func(s *session) screen { return newReportScreen(s) })
}

// reportScreen writes the audit report as PDF, the audit as OSCAL and the
// findings workbook, each in the background, on a tab of its own.
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

	oscalModel   *widget.Select
	oscalPath    *widget.Entry
	oscalExport  *widget.Button
	oscalResult  *widget.Label
	oscalDir     *widget.Button
	oscalCopy    *widget.Button
	oscalName    string // the default file name the path holds, if it still does
	oscalWritten string

	bookPath    *widget.Entry
	bookExport  *widget.Button
	bookResult  *widget.Label
	bookOpen    *widget.Button
	bookDir     *widget.Button
	bookWritten string

	// redaction chooses, for all three, the whole audit or a redacted copy
	// for a third party (app/redact's built-in profiles).
	redaction *widget.Select
}

// wholeAudit is the redaction choice that writes the audit itself.
const wholeAudit = "The whole audit (no redaction)"

// oscalModels are the OSCAL models the screen offers, as the picker names
// them, with the word their default file name carries.
var oscalModels = []struct {
	model oscal.Model
	label string
	file  string
}{
	{oscal.AssessmentResults, "Assessment results: findings, checklist observations, evidence hashes", "oscal-results"},
	{oscal.POAM, "Plan of action and milestones (POA&M): open and accepted findings", "oscal-poam"},
	{oscal.Catalog, "Catalog: the requirement IDs of Zonewalk's checklists and checks", "oscal-catalog"},
}

func newReportScreen(s *session) *reportScreen { return &reportScreen{s: s} }

func (r *reportScreen) build() fyne.CanvasObject {
	choices := []string{wholeAudit}
	for _, name := range redact.Builtin() {
		choices = append(choices, "Redacted copy: "+name)
	}
	r.redaction = widget.NewSelect(choices, nil)
	r.redaction.SetSelected(wholeAudit)
	top := container.NewBorder(nil, nil, widget.NewLabel("Write from"), nil, r.redaction)
	return container.NewBorder(top, nil, nil, nil, container.NewAppTabs(
		container.NewTabItemWithIcon("PDF report", theme.DocumentPrintIcon(), r.buildPDF()),
		container.NewTabItemWithIcon("OSCAL", theme.UploadIcon(), r.buildOSCAL()),
		container.NewTabItemWithIcon("Findings workbook", theme.GridIcon(), r.buildWorkbook()),
	))
}

// source is the workspace an output is written from: the audit, or a
// redacted copy of it (docs/redaction.md) that done removes. Called off
// the UI goroutine, in the background task; profile is read before.
func source(ctx context.Context, ws *app.Workspace, profile string) (*app.Workspace, func(), error) {
	if profile == "" {
		return ws, func() {}, nil
	}
	p, err := redact.Load(profile)
	if err != nil {
		return nil, nil, err
	}
	cp, _, done, err := redact.TempCopy(ctx, ws, p)
	return cp, done, err
}

// profile is the chosen redaction profile, "" for the whole audit.
func (r *reportScreen) profile() string {
	name, _ := strings.CutPrefix(r.redaction.Selected, "Redacted copy: ")
	if name == r.redaction.Selected {
		return ""
	}
	return name
}

// pathField is an entry for the file to write with a button that picks it
// in a save dialog.
func (r *reportScreen) pathField(e *widget.Entry) fyne.CanvasObject {
	pick := widget.NewButtonWithIcon("Choose…", theme.FolderOpenIcon(), func() {
		d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
			if err != nil || w == nil {
				r.s.showError(err)
				return
			}
			// The dialog made the file; the export replaces it when complete.
			w.Close()
			e.SetText(w.URI().Path())
		}, r.s.win)
		d.SetFileName(filepath.Base(e.Text))
		d.Show()
	})
	return container.NewBorder(nil, nil, nil, pick, e)
}

// actionRow puts a tab's main button beside the buttons that act on what
// it wrote: one row, so each tab fits a 768-pixel-high window with its
// result below.
func actionRow(main *widget.Button, then ...fyne.CanvasObject) fyne.CanvasObject {
	return container.NewBorder(nil, nil, nil, container.NewHBox(then...), main)
}

// helpText is the low-importance text that opens each tab.
func helpText(text string) *widget.Label {
	l := wrapped(text)
	l.Importance = widget.LowImportance
	return l
}

func (r *reportScreen) buildPDF() fyne.CanvasObject {
	r.classification = widget.NewEntry()
	r.version = widget.NewEntry()
	r.version.SetPlaceHolder("1.0")
	r.date = widget.NewEntry()
	r.date.SetPlaceHolder("YYYY-MM-DD (empty: today)")
	r.noZones = widget.NewCheck("Leave out the per-zone diagrams (a quicker draft of a large audit)", nil)
	r.path = widget.NewEntry()
	r.path.SetPlaceHolder("/path/to/report.pdf")
	r.generate = widget.NewButtonWithIcon("Generate PDF", theme.DocumentPrintIcon(), func() { r.onGenerate(nil) })
	r.generate.Importance = widget.HighImportance
	r.result = wrapped("")
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
		widget.NewFormItem("Save as", r.pathField(r.path)),
	)
	intro := helpText("The report covers the audit as it is now: scope, the zone and conduit model with diagrams, " +
		"each zone's 62443-3-3 results, the 62443-2-1 checklist, findings with evidence photos and the asset inventory. " +
		"The classification is printed on every page. The file appears only when the report is complete.")
	return container.NewVScroll(container.NewVBox(intro, form, actionRow(r.generate, r.openFile, r.openDir, r.copyPath), r.result))
}

func (r *reportScreen) buildOSCAL() fyne.CanvasObject {
	labels := make([]string, len(oscalModels))
	for i, m := range oscalModels {
		labels[i] = m.label
	}
	r.oscalPath = widget.NewEntry()
	r.oscalPath.SetPlaceHolder("/path/to/results.json")
	r.oscalModel = widget.NewSelect(labels, func(string) { r.onOSCALModel() })
	r.oscalModel.SetSelectedIndex(0)
	r.oscalExport = widget.NewButtonWithIcon("Export OSCAL", theme.UploadIcon(), func() { r.onOSCAL(nil) })
	r.oscalExport.Importance = widget.HighImportance
	r.oscalResult = wrapped("")
	r.oscalDir = widget.NewButtonWithIcon("Open folder", theme.FolderOpenIcon(), func() { r.open(filepath.Dir(r.oscalWritten)) })
	r.oscalCopy = widget.NewButtonWithIcon("Copy path", theme.ContentCopyIcon(), func() {
		r.s.fyneApp.Clipboard().SetContent(r.oscalWritten)
	})
	r.oscalDir.Disable()
	r.oscalCopy.Disable()
	form := widget.NewForm(
		widget.NewFormItem("Model", r.oscalModel),
		widget.NewFormItem("Save as", r.pathField(r.oscalPath)),
	)
	intro := helpText("NIST OSCAL 1.1.3 JSON, for a GRC platform or a programme office that compares sites. " +
		"Evidence is listed by SHA-256 hash, without its bytes. Review dates are judged as of today; " +
		"two exports of an unchanged audit are identical. The mapping is in docs/oscal.md.")
	return container.NewVScroll(container.NewVBox(intro, form, actionRow(r.oscalExport, r.oscalDir, r.oscalCopy), r.oscalResult))
}

func (r *reportScreen) buildWorkbook() fyne.CanvasObject {
	r.bookPath = widget.NewEntry()
	r.bookPath.SetPlaceHolder("/path/to/findings.xlsx (or .csv)")
	r.bookExport = widget.NewButtonWithIcon("Write findings workbook", theme.GridIcon(), func() { r.onWorkbook(nil) })
	r.bookExport.Importance = widget.HighImportance
	r.bookResult = wrapped("")
	r.bookOpen = widget.NewButtonWithIcon("Open workbook", theme.GridIcon(), func() { r.open(r.bookWritten) })
	r.bookDir = widget.NewButtonWithIcon("Open folder", theme.FolderOpenIcon(), func() { r.open(filepath.Dir(r.bookWritten)) })
	r.bookOpen.Disable()
	r.bookDir.Disable()
	form := widget.NewForm(widget.NewFormItem("Save as", r.pathField(r.bookPath)))
	intro := helpText("One row per finding (severity, status, owner, due date, subject, requirements, recommendation) " +
		"and one per checklist answer, on two sheets with filters and frozen headers; an About sheet names the audit. " +
		"A name ending in .csv writes the findings alone as CSV. Nothing in the file is a formula.")
	return container.NewVScroll(container.NewVBox(intro, form, actionRow(r.bookExport, r.bookOpen, r.bookDir), r.bookResult))
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
	dir := outputDir(r.s.ws.Dir())
	if r.path.Text == "" {
		r.path.SetText(filepath.Join(dir, reportFileName(a)))
	}
	if r.oscalPath.Text == "" {
		r.oscalName = outputName(a, oscalModels[max(r.oscalModel.SelectedIndex(), 0)].file, ".json")
		r.oscalPath.SetText(filepath.Join(dir, r.oscalName))
	}
	if r.bookPath.Text == "" {
		r.bookPath.SetText(filepath.Join(dir, outputName(a, "findings", ".xlsx")))
	}
}

// onOSCALModel follows the model in the file name, as long as the name is
// the one the screen proposed.
func (r *reportScreen) onOSCALModel() {
	if r.s.ws == nil || r.oscalPath == nil || r.oscalName == "" {
		return
	}
	path := strings.TrimSpace(r.oscalPath.Text)
	if filepath.Base(path) != r.oscalName {
		return
	}
	r.oscalName = outputName(r.s.ws.Audit(), oscalModels[max(r.oscalModel.SelectedIndex(), 0)].file, ".json")
	r.oscalPath.SetText(filepath.Join(filepath.Dir(path), r.oscalName))
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

func reportFileName(a assets.Audit) string { return outputName(a, "report", ".pdf") }

// outputName is the default name of a file written from the audit: the
// site, what it is and today's date.
func outputName(a assets.Audit, what, ext string) string {
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
	return name + "-" + what + "-" + time.Now().Format("20060102") + ext
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
	ws, profile := r.s.ws, r.profile()
	var res *appreport.Result
	var left string // why the changes since the previous audit are left out
	r.generate.Disable()
	r.s.background("Writing the report", func(ctx context.Context, report progress) error {
		if profile == "" { // the previous audit would not be redacted
			report(0, 0, "Comparing with the previous audit")
			opts.Changes, left = reportChanges(ctx, r.s, ws, opts.Date)
		}
		src, done, err := source(ctx, ws, profile)
		if err != nil {
			return err
		}
		defer done()
		res, err = appreport.WriteFile(ctx, src, path, opts, func(p appreport.Progress) {
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
			if left != "" {
				r.result.SetText(r.result.Text + "\n" + left)
			}
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

// savePath reads a path entry: trimmed, with ext added unless the name
// already ends in one of exts.
func savePath(e *widget.Entry, what string, exts ...string) (string, error) {
	path := strings.TrimSpace(e.Text)
	if path == "" {
		return "", fmt.Errorf("choose where to save the %s", what)
	}
	for _, x := range exts {
		if strings.EqualFold(filepath.Ext(path), x) {
			return path, nil
		}
	}
	return path + exts[0], nil
}

// onOSCAL writes the chosen OSCAL model in the background; then (if set)
// runs on the UI goroutine with the outcome.
func (r *reportScreen) onOSCAL(then func(error)) {
	m := oscalModels[max(r.oscalModel.SelectedIndex(), 0)].model
	path, err := savePath(r.oscalPath, "OSCAL file", ".json")
	if err != nil {
		r.oscalResult.SetText(err.Error())
		if then != nil {
			then(err)
		}
		return
	}
	ws, profile := r.s.ws, r.profile()
	var res oscal.Result
	r.oscalExport.Disable()
	r.s.background("Writing OSCAL", func(ctx context.Context, report progress) error {
		report(0, 0, "Bringing the findings up to date and writing "+string(m))
		src, done, err := source(ctx, ws, profile)
		if err != nil {
			return err
		}
		defer done()
		res, err = oscal.WriteFile(ctx, src, path, oscal.Options{Model: m})
		return err
	}, func(err error) {
		r.oscalExport.Enable()
		switch {
		case err == nil:
			r.oscalWritten = path
			var what string
			switch m {
			case oscal.Catalog:
				what = "OSCAL catalog, " + english.Count(res.Controls, "control", "controls")
			case oscal.POAM:
				what = "OSCAL POA&M, " + english.Count(res.POAMItems, "item", "items")
			default:
				what = fmt.Sprintf("OSCAL assessment results, %s, %s, %s (hashes, no bytes)",
					english.Count(res.Findings, "finding", "findings"), english.Count(res.Observations, "observation", "observations"),
					english.Count(res.Evidence, "piece of evidence", "pieces of evidence"))
			}
			r.oscalResult.SetText(fmt.Sprintf("Wrote %s: %s, %s.", path, what, english.Size(int64(res.Bytes))))
			r.oscalDir.Enable()
			r.oscalCopy.Enable()
		case errors.Is(err, context.Canceled):
			r.oscalResult.SetText("Cancelled; no OSCAL file was written.")
		case errors.Is(err, oscal.ErrNothingOpen):
			r.oscalResult.SetText("No finding is open or accepted, so there is no plan of action to write.")
		default:
			r.oscalResult.SetText("The OSCAL file could not be written: " + err.Error())
		}
		if then != nil {
			then(err)
		}
	})
}

// onWorkbook writes the findings workbook (or CSV) in the background;
// then (if set) runs on the UI goroutine with the outcome.
func (r *reportScreen) onWorkbook(then func(error)) {
	path, err := savePath(r.bookPath, "findings workbook", ".xlsx", ".csv")
	if err != nil {
		r.bookResult.SetText(err.Error())
		if then != nil {
			then(err)
		}
		return
	}
	ws, profile := r.s.ws, r.profile()
	version := r.s.fyneApp.Metadata().Version
	var res workbook.Result
	r.bookExport.Disable()
	r.s.background("Writing the findings workbook", func(ctx context.Context, report progress) error {
		report(0, 0, "Bringing the findings up to date and writing the workbook")
		src, done, err := source(ctx, ws, profile)
		if err != nil {
			return err
		}
		defer done()
		res, err = workbook.WriteFile(ctx, src, path, workbook.Options{Version: version})
		return err
	}, func(err error) {
		r.bookExport.Enable()
		switch {
		case err == nil:
			r.bookWritten = path
			what := fmt.Sprintf("%s and %s", english.Count(res.Findings, "finding", "findings"),
				english.Count(res.Answers, "checklist answer", "checklist answers"))
			if res.Format == workbook.CSV {
				what = "CSV, " + english.Count(res.Findings, "finding", "findings")
			}
			r.bookResult.SetText(fmt.Sprintf("Wrote %s: %s, %s.", path, what, english.Size(res.Bytes)))
			r.bookOpen.Enable()
			r.bookDir.Enable()
		case errors.Is(err, context.Canceled):
			r.bookResult.SetText("Cancelled; no workbook was written.")
		default:
			r.bookResult.SetText("The workbook could not be written: " + err.Error())
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
