package report

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/zonewalk/zonewalk/app"
	"github.com/zonewalk/zonewalk/app/atomicfile"
	"github.com/zonewalk/zonewalk/app/diff"
	"github.com/zonewalk/zonewalk/assets"
	"github.com/zonewalk/zonewalk/assets/checks"
	"github.com/zonewalk/zonewalk/diagram"
)

// ErrOption is returned for an option value the report cannot use.
var ErrOption = errors.New("report: bad option")

// errLayout means the two layout passes disagreed: a bug, never bad input.
var errLayout = errors.New("report: layout passes disagree")

// Options change what a report says about itself; the zero value is a
// complete report with the audit's own classification.
type Options struct {
	// Classification is printed on every page. Empty: the audit's
	// classification, else assets.DefaultClassification.
	Classification string
	// Version labels this issue of the report (cover and footer). Empty: "1.0".
	Version string
	// Date is the issue date. Zero: today.
	Date time.Time
	// NoZoneDiagrams leaves out the per-zone drawings (each is a Graphviz
	// layout, the slowest part of a large report), for quick drafts.
	NoZoneDiagrams bool
	// PhotoEdge is the longest edge, in pixels, photos are scaled down to.
	// 0: DefaultPhotoEdge.
	PhotoEdge int
	// Renderer lays out the diagrams. nil: the report makes its own, which
	// starts a Graphviz worker process for the report's duration; a GUI
	// passes the one it already has.
	Renderer *diagram.Renderer
	// Changes, when set, adds the section "Changes since the previous
	// audit" after the executive summary (see app/diff).
	Changes *diff.Report
}

// Progress reports how far a report has come.
type Progress struct {
	Step     string  // what is being done, for a status line
	Done     int     // units of the step done
	Total    int     // units in the step, 0 when not counted
	Fraction float64 // of the whole report, 0 to 1
}

// Result describes a written report.
type Result struct {
	Pages  int
	Digest string // data digest printed in the report
	Photos int    // images shown
	Listed int    // evidence listed but not shown (not an image, unreadable)
	Bytes  int64  // size of the PDF
}

const (
	maxClassification = 160
	maxVersion        = 40
)

func (o *Options) normalise(audit assets.Audit) error {
	if o.Classification == "" {
		o.Classification = audit.Classification
	}
	if strings.TrimSpace(o.Classification) == "" {
		o.Classification = assets.DefaultClassification
	}
	o.Classification = strings.Join(strings.Fields(o.Classification), " ")
	if !utf8.ValidString(o.Classification) || utf8.RuneCountInString(o.Classification) > maxClassification {
		return fmt.Errorf("%w: classification must be valid text of at most %d characters", ErrOption, maxClassification)
	}
	o.Version = strings.TrimSpace(o.Version)
	if o.Version == "" {
		o.Version = "1.0"
	}
	if !utf8.ValidString(o.Version) || utf8.RuneCountInString(o.Version) > maxVersion || strings.ContainsAny(o.Version, "\r\n") {
		return fmt.Errorf("%w: version must be one line of at most %d characters", ErrOption, maxVersion)
	}
	if o.Date.IsZero() {
		o.Date = time.Now()
	}
	if o.PhotoEdge < 0 || o.PhotoEdge > 10000 {
		return fmt.Errorf("%w: photo edge %d: want 0 (default) to 10000 pixels", ErrOption, o.PhotoEdge)
	}
	if o.PhotoEdge == 0 {
		o.PhotoEdge = DefaultPhotoEdge
	}
	return nil
}

// Generate writes the audit report of the workspace as PDF to out.
//
// progress, when not nil, is called from the calling goroutine as the
// work advances.
//
// Memory: the PDF library keeps two copies of every photo until the file
// is written, so the heap needs about twice the photos' bytes plus some
// 50 MB for 5,000 assets (see BenchmarkLargeReport); the command line sets
// a soft memory limit, a GUI process can do the same. Cancelling ctx stops the report within a fraction of a
// second (a Graphviz layout under way is abandoned, see diagram.Renderer)
// and returns ctx's error; out may then hold part of a PDF, which is why
// WriteFile writes to a temporary file first.
func Generate(ctx context.Context, w *app.Workspace, out io.Writer, opts Options, progress func(Progress)) (*Result, error) {
	if progress == nil {
		progress = func(Progress) {}
	}
	report := func(step string, done, total int, from, to float64) {
		f := from
		if total > 0 {
			f += (to - from) * float64(done) / float64(total)
		}
		progress(Progress{Step: step, Done: done, Total: total, Fraction: f})
	}
	report("Reading the audit", 0, 0, 0, 0)
	day := opts.Date
	if day.IsZero() {
		day = time.Now()
	}
	recs, err := readRecords(ctx, w, day)
	if err != nil {
		return nil, err
	}
	if err := opts.normalise(recs.audit); err != nil {
		return nil, err
	}
	digest, err := recs.digest()
	if err != nil {
		return nil, err
	}
	obs, err := readObserved(ctx, w)
	if err != nil {
		return nil, fmt.Errorf("report: read observed traffic: %w", err)
	}
	changes := readChangeLog(ctx, w)
	a, err := analyse(recs)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	// Photos are prepared on the other cores while Graphviz runs.
	var evs []*assets.Evidence
	for _, p := range a.places {
		evs = append(evs, a.byPlace[p]...)
	}
	photos := startPhotos(ctx, evs, w.EvidenceData, opts.PhotoEdge, max(1, runtime.GOMAXPROCS(0)-1))
	defer photos.stop()

	m, err := newMetrics()
	if err != nil {
		return nil, err
	}
	report("Drawing the zone and conduit overview", 0, 0, 0.05, 0.05)
	// The zone drawings stop, and are waited for, however this returns.
	dctx, stopDiagrams := context.WithCancel(ctx)
	defer stopDiagrams()
	dg, err := startDiagrams(dctx, w, a, obs, !opts.NoZoneDiagrams, opts.Renderer)
	if err != nil {
		return nil, err
	}
	defer func() { stopDiagrams(); dg.wg.Wait() }()
	r := &renderer{a: a, m: m, opts: opts, digest: digest, diagrams: dg, photos: photos, obs: obs, log: changes}

	// Pass 1 measures: page of every heading and the page count.
	report("Laying out pages", 0, 0, 0.1, 0.1)
	fur := furniture{title: m.oneLine(a.audit.Title), classification: m.oneLine(opts.Classification), version: m.oneLine(opts.Version), digest: digest}
	dry, err := newDoc(m, true, fur, 0)
	if err != nil {
		return nil, err
	}
	if err := r.render(ctx, dry, 0, nil, func(done, total int) { report("Laying out pages", done, total, 0.1, 0.15) }); err != nil {
		return nil, err
	}
	tocPages := r.tocPages(dry.toc)
	entries := make([]tocEntry, len(dry.toc))
	for i, e := range dry.toc {
		e.page += tocPages
		entries[i] = e
	}
	total := dry.page + tocPages

	// Pass 2 writes, with real page numbers.
	doc, err := newDoc(m, false, fur, total)
	if err != nil {
		return nil, err
	}
	if err := r.render(ctx, doc, tocPages, entries, func(done, total int) { report("Writing pages", done, total, 0.15, 0.95) }); err != nil {
		return nil, err
	}
	if doc.page != total || len(doc.toc) != len(entries) {
		return nil, fmt.Errorf("%w: %d pages, %d headings; expected %d and %d", errLayout, doc.page, len(doc.toc), total, len(entries))
	}
	for i, e := range doc.toc {
		if e.page != entries[i].page {
			return nil, fmt.Errorf("%w: %q on page %d, expected %d", errLayout, e.title, e.page, entries[i].page)
		}
	}
	report("Saving the PDF", 0, 0, 0.95, 0.95)
	doc.pdf.SetInfo(pdfInfo(a, opts))
	cw := &countWriter{w: out}
	if _, err := doc.pdf.WriteTo(cw); err != nil {
		return nil, fmt.Errorf("report: write PDF: %w", err)
	}
	report("Done", 1, 1, 1, 1)
	return &Result{Pages: total, Digest: digest, Photos: r.shown, Listed: r.listed, Bytes: cw.n}, nil
}

// WriteFile writes the report to path, whole or not at all: a cancelled
// or failed report never leaves a partial PDF under the final name.
func WriteFile(ctx context.Context, w *app.Workspace, path string, opts Options, progress func(Progress)) (*Result, error) {
	var res *Result
	err := atomicfile.Write(path, 0o600, func(out io.Writer) error {
		var err error
		res, err = Generate(ctx, w, out, opts, progress)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	return res, nil
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// diagrams holds the laid-out drawings. The overview is laid out before
// the first pass, which sizes it by its shape. Zone drawings go into boxes
// of a fixed size, so the pages do not depend on them: Graphviz lays them
// out in the background, one after the other, while the pages are
// measured and written, and the second pass waits for each as it comes to
// its zone.
type diagrams struct {
	overview    *diagram.Drawing
	overviewErr error
	zones       map[string]*zoneDrawing // nil when zone diagrams are left out
	wg          sync.WaitGroup
}

type zoneDrawing struct {
	ready chan struct{}
	d     *diagram.Drawing
	err   error
}

// zone waits for the drawing of a zone.
func (dg *diagrams) zone(ctx context.Context, id string) (*diagram.Drawing, error, error) {
	z := dg.zones[id]
	if z == nil {
		return nil, nil, fmt.Errorf("report: zone %s has no diagram queued", id)
	}
	select {
	case <-z.ready:
		return z.d, z.err, nil
	case <-ctx.Done():
		return nil, nil, ctx.Err()
	}
}

// startDiagrams lays out the overview and starts the zone drawings. A
// drawing that fails is reported in its place in the PDF; only
// cancellation stops the report. Callers must wait on dg.wg.
func startDiagrams(ctx context.Context, w *app.Workspace, a *analysis, obs *observed, zones bool, shared *diagram.Renderer) (*diagrams, error) {
	dg := &diagrams{}
	model := &diagram.Model{Title: a.audit.Title, Zones: a.zones, Conduits: a.conduits, Assets: make([]assets.Asset, len(a.assets)),
		ConduitFindings: map[string]bool{}}
	for i, p := range a.assets {
		model.Assets[i] = *p
	}
	// As app.DiagramModel marks them: conduits with open findings.
	for _, f := range a.findings {
		if f.Status == checks.StatusOpen && f.Subject.Kind == "conduit" {
			model.ConduitFindings[f.Subject.ID] = true
		}
	}
	if obs != nil {
		model.Undeclared = app.UndeclaredLinks(obs.flows)
	}
	// As the Diagram screen draws them: the auditor's pins, notes and the
	// SL gap fills.
	if err := addDrawingMarks(w, a, model); err != nil {
		return nil, err
	}
	if len(a.zones) == 0 {
		return dg, nil
	}
	r, done := shared, func() {}
	if r == nil {
		r = diagram.NewRenderer()
		done = func() { r.Close() }
	}
	dg.overview, dg.overviewErr = r.LayoutOverview(ctx, model)
	if err := ctx.Err(); err != nil {
		done()
		return nil, err
	}
	if !zones {
		done()
		return dg, nil
	}
	dg.zones = make(map[string]*zoneDrawing, len(a.zones))
	order := make([]*zoneDrawing, len(a.zones))
	for i, z := range a.zones {
		order[i] = &zoneDrawing{ready: make(chan struct{})}
		dg.zones[z.ID] = order[i]
	}
	dg.wg.Add(1)
	go func() {
		defer dg.wg.Done()
		defer done()
		for i, z := range a.zones {
			zd := order[i]
			if err := ctx.Err(); err != nil {
				zd.err = err
			} else {
				dot, err := diagram.ZoneDetail(model, z.ID, paperDetailAssets)
				if err == nil {
					zd.d, err = r.Layout(ctx, dot)
				}
				zd.err = err
			}
			close(zd.ready)
		}
	}()
	return dg, nil
}
