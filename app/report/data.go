package report

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/zonewalk/zonewalk/app"
	"github.com/zonewalk/zonewalk/assets"
	"github.com/zonewalk/zonewalk/assets/checks"
	"github.com/zonewalk/zonewalk/checklist"
	"github.com/zonewalk/zonewalk/store"
)

// DigestVersion names the digest definition (see the package doc). It
// changes whenever the definition does.
const DigestVersion = "zonewalk-data-digest-v1"

// records is what a report is made from: the live records of the
// workspace at one moment.
type records struct {
	audit    assets.Audit
	zones    []assets.Zone
	conduits []assets.Conduit
	assets   []*assets.Asset
	answers  []checklist.Answer
	findings []checks.Finding
	evidence []assets.Evidence
	// templates answered in this audit, by ID; nil for one that does not
	// load (e.g. a user template from a newer Zonewalk).
	templates map[string]*checklist.Template
	// scoreOpts count answers as the workspace does (Met needs evidence,
	// compensation only by live, implemented countermeasures), so the
	// report's SL-A is the one the screens show.
	scoreOpts checklist.ScoreOptions

	// The 62443-3-2 and 4-2 records: the risk register on the audit's
	// matrix, the countermeasures, and the capability records with the
	// SL-C the 4-2 checklist assessed (by capability ID).
	matrix          assets.RiskMatrix
	risks           []assets.Risk
	countermeasures []assets.Countermeasure
	capabilities    []assets.Capability
	componentSLC    map[string]assets.SLVector
}

// readRecords reads the inventory from the workspace's memory and
// answers, findings and evidence from its store. With a day, findings are
// first brought up to date with the data (a report never shows findings
// of data that changed since); without, they are read as stored.
func readRecords(ctx context.Context, w *app.Workspace, day time.Time) (*records, error) {
	r := &records{audit: w.Audit(), zones: w.Zones(), conduits: w.Conduits(), assets: w.Assets()}
	var err error
	if r.answers, err = w.Answers(""); err != nil {
		return nil, fmt.Errorf("report: read checklist answers: %w", err)
	}
	r.templates = map[string]*checklist.Template{}
	for _, a := range r.answers {
		if _, seen := r.templates[a.Template]; !seen {
			t, _ := w.Template(a.Template) // nil: shown as not available
			r.templates[a.Template] = t
		}
	}
	if r.scoreOpts, err = w.ScoreOptions(r.answers); err != nil {
		return nil, fmt.Errorf("report: read scoring options: %w", err)
	}
	r.matrix = r.audit.Matrix()
	if r.risks, err = w.Risks(); err != nil {
		return nil, fmt.Errorf("report: read risk register: %w", err)
	}
	if r.countermeasures, err = w.Countermeasures(); err != nil {
		return nil, fmt.Errorf("report: read countermeasures: %w", err)
	}
	if r.capabilities, err = w.Capabilities(); err != nil {
		return nil, fmt.Errorf("report: read capabilities: %w", err)
	}
	if r.componentSLC, err = w.ComponentSLC(); err != nil {
		return nil, fmt.Errorf("report: read component checklist results: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if day.IsZero() {
		r.findings, err = w.Findings()
	} else {
		r.findings, err = w.CurrentFindings(ctx, day)
	}
	if err != nil {
		return nil, fmt.Errorf("report: read findings: %w", err)
	}
	if r.evidence, err = store.All[assets.Evidence](w.Store(), store.KindEvidence); err != nil {
		return nil, fmt.Errorf("report: read evidence: %w", err)
	}
	slices.SortFunc(r.evidence, func(a, b assets.Evidence) int {
		return cmp.Or(cmp.Compare(a.TakenAt, b.TakenAt), cmp.Compare(a.Name, b.Name), cmp.Compare(a.ID, b.ID))
	})
	return r, ctx.Err()
}

// digest computes the data digest defined in the package documentation.
func (r *records) digest() (string, error) {
	type rec struct {
		kind, id string
		v        any
	}
	var all []rec
	add := func(kind, id string, v any) { all = append(all, rec{kind, id, v}) }
	if r.audit.ID != "" || r.audit.Title != "" {
		a := r.audit
		a.Meta = assets.Meta{ID: a.ID}
		add(string(store.KindAudit), a.ID, a)
	}
	for _, z := range r.zones {
		z.Meta = assets.Meta{ID: z.ID}
		add(string(store.KindZone), z.ID, z)
	}
	for _, c := range r.conduits {
		c.Meta = assets.Meta{ID: c.ID}
		add(string(store.KindConduit), c.ID, c)
	}
	for _, p := range r.assets {
		a := *p
		a.Meta = assets.Meta{ID: a.ID}
		add(string(store.KindAsset), a.ID, a)
	}
	for _, a := range r.answers {
		a.Meta = assets.Meta{ID: a.ID}
		add(string(app.KindAnswer), a.ID, a)
	}
	for _, f := range r.findings {
		f.Meta = assets.Meta{ID: f.ID}
		add(string(app.KindFinding), f.ID, f)
	}
	for _, e := range r.evidence {
		e.Meta = assets.Meta{ID: e.ID}
		add(string(store.KindEvidence), e.ID, e)
	}
	slices.SortFunc(all, func(a, b rec) int { return cmp.Or(cmp.Compare(a.kind, b.kind), cmp.Compare(a.id, b.id)) })
	h := sha256.New()
	h.Write([]byte(DigestVersion + "\n"))
	for _, x := range all {
		b, err := json.Marshal(x.v)
		if err != nil {
			return "", fmt.Errorf("report: digest of %s %s: %w", x.kind, x.id, err)
		}
		h.Write([]byte(x.kind + "\t" + x.id + "\t" + strconv.Itoa(len(b)) + "\n"))
		h.Write(b)
		h.Write([]byte("\n"))
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// Digest returns the data digest of the workspace's current records, the
// value a report made now would print (see the package documentation).
func Digest(ctx context.Context, w *app.Workspace) (string, error) {
	r, err := readRecords(ctx, w, time.Time{})
	if err != nil {
		return "", err
	}
	return r.digest()
}
