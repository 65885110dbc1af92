package diff

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/zonewalk/zonewalk/app"
	"github.com/zonewalk/zonewalk/assets"
	"github.com/zonewalk/zonewalk/checklist"
)

// ErrNoWorkspace: Compare was given a nil workspace.
var ErrNoWorkspace = errors.New("diff: no workspace")

// SLATemplate is the zone checklist whose scores are each zone's SL-A: the
// one the model checks compare with SL-T (app's checklistInput).
const SLATemplate = checklist.IEC62443_3_3_2013

// Report is what changed from a baseline audit to the current one. Every
// list is sorted (see docs/diff.md) and empty lists are [] in JSON, never
// null, so that scripts can iterate without checks.
type Report struct {
	Day      string         `json:"day"` // findings were judged on this day, YYYY-MM-DD
	Baseline Audit          `json:"baseline"`
	Current  Audit          `json:"current"`
	Counts   Counts         `json:"counts"`
	Assets   AssetChanges   `json:"assets"`
	Zones    ZoneChanges    `json:"zones"`
	Conduits ConduitChanges `json:"conduits"`
	Findings FindingChanges `json:"findings"`
	Answers  []AnswerChange `json:"answers"`
}

// Audit says which audit one side of the comparison is.
type Audit struct {
	ID        string `json:"id"`
	Title     string `json:"title"`
	Site      string `json:"site"`
	StartDate string `json:"start_date"`
	EndDate   string `json:"end_date"`
	Assets    int    `json:"assets"` // live records
	Zones     int    `json:"zones"`
	Conduits  int    `json:"conduits"`
}

// Counts sums up the report; the lists hold the details.
type Counts struct {
	Assets   AssetCounts   `json:"assets"`
	Zones    RecordCounts  `json:"zones"`
	Conduits RecordCounts  `json:"conduits"`
	Findings FindingCounts `json:"findings"`
	Answers  int           `json:"answers"` // answers changed, given or withdrawn
}

// AssetCounts counts asset changes. Recreated is how many of the added
// assets have the tag of a removed one.
type AssetCounts struct {
	Added     int `json:"added"`
	Removed   int `json:"removed"`
	Changed   int `json:"changed"`
	Recreated int `json:"recreated"`
}

// RecordCounts counts zone or conduit changes.
type RecordCounts struct {
	Added   int `json:"added"`
	Removed int `json:"removed"`
	Changed int `json:"changed"`
}

// FindingCounts counts findings by how they moved.
type FindingCounts struct {
	New       int `json:"new"`
	Resolved  int `json:"resolved"`
	StillOpen int `json:"still_open"`
}

// Unchanged reports whether nothing differs but findings still open.
func (r *Report) Unchanged() bool {
	c := r.Counts
	return c.Assets == (AssetCounts{}) && c.Zones == (RecordCounts{}) && c.Conduits == (RecordCounts{}) &&
		c.Findings.New == 0 && c.Findings.Resolved == 0 && c.Answers == 0
}

// FieldChange is one field of a record, before and after. Values are
// strings, booleans, numbers, lists of strings, SL vectors (seven levels in
// FR order IAC, UC, SI, DC, RDF, TRE, RA) or null for an SL-A nobody
// assessed.
type FieldChange struct {
	Field  string `json:"field"`
	Before any    `json:"before"`
	After  any    `json:"after"`
}

// AssetChanges lists assets added, removed and changed.
type AssetChanges struct {
	Added   []AssetRef    `json:"added"`
	Removed []AssetRef    `json:"removed"`
	Changed []AssetChange `json:"changed"`
}

// AssetRef describes an added or removed asset as its side has it.
// Recreated marks an asset removed while another with the same tag (ignoring
// case and surrounding blanks) was added, or the reverse: most likely one
// device deleted and captured again. SameTag lists the other side's IDs.
type AssetRef struct {
	ID        string   `json:"id"`
	Tag       string   `json:"tag"`
	Name      string   `json:"name"`
	Type      string   `json:"type"`
	Zone      string   `json:"zone"` // zone name
	Recreated bool     `json:"recreated"`
	SameTag   []string `json:"same_tag"`
}

// AssetChange is an asset present on both sides whose fields differ; Tag
// is the current one.
type AssetChange struct {
	ID      string        `json:"id"`
	Tag     string        `json:"tag"`
	Changes []FieldChange `json:"changes"`
}

// ZoneChanges lists zones added, removed and changed, and the levels of
// every zone on either side (for a before/after chart).
type ZoneChanges struct {
	Added   []ZoneRef    `json:"added"`
	Removed []ZoneRef    `json:"removed"`
	Changed []ZoneChange `json:"changed"`
	Levels  []ZoneLevels `json:"levels"`
}

// ZoneRef describes an added or removed zone. SLA is nil when the zone's
// checklist was never answered.
type ZoneRef struct {
	ID   string           `json:"id"`
	Name string           `json:"name"`
	SLT  assets.SLVector  `json:"sl_t"`
	SLA  *assets.SLVector `json:"sl_a"`
}

// ZoneChange is a zone present on both sides whose fields, SL-T or SL-A
// differ; Name is the current one.
type ZoneChange struct {
	ID      string        `json:"id"`
	Name    string        `json:"name"`
	Changes []FieldChange `json:"changes"`
}

// ZoneLevels is one zone's SL-T and SL-A per FR before and after; nil
// where the zone is absent or not assessed.
type ZoneLevels struct {
	ID        string           `json:"id"`
	Name      string           `json:"name"`
	SLTBefore *assets.SLVector `json:"sl_t_before"`
	SLTAfter  *assets.SLVector `json:"sl_t_after"`
	SLABefore *assets.SLVector `json:"sl_a_before"`
	SLAAfter  *assets.SLVector `json:"sl_a_after"`
}

// ConduitChanges lists conduits added, removed and changed.
type ConduitChanges struct {
	Added   []ConduitRef    `json:"added"`
	Removed []ConduitRef    `json:"removed"`
	Changed []ConduitChange `json:"changed"`
}

// ConduitRef describes an added or removed conduit; From and To are zone
// names ("" for outside the system under consideration).
type ConduitRef struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	From string `json:"from"`
	To   string `json:"to"`
}

// ConduitChange is a conduit present on both sides whose fields differ.
type ConduitChange struct {
	ID      string        `json:"id"`
	Name    string        `json:"name"`
	Changes []FieldChange `json:"changes"`
}

// FindingChanges sorts the findings of both sides by how they moved. A
// finding counts as open when its status is open or accepted: an accepted
// risk is still there.
type FindingChanges struct {
	New       []Finding `json:"new"`        // open now, not before
	Resolved  []Finding `json:"resolved"`   // open before, closed or no longer raised now
	StillOpen []Finding `json:"still_open"` // open on both sides
}

// Finding is one finding as the current audit describes it (the baseline's
// for a resolved one no longer stored). Before and After are its status on
// each side: open, accepted, closed, or "" where it does not exist.
type Finding struct {
	ID          string `json:"id"`
	Source      string `json:"source"`
	Rule        string `json:"rule"` // rule ID, "TEMPLATE ITEM" or "manual"
	SubjectKind string `json:"subject_kind"`
	SubjectID   string `json:"subject_id"`
	SubjectName string `json:"subject_name"`
	Title       string `json:"title"`
	Severity    string `json:"severity"`
	Before      string `json:"before"`
	After       string `json:"after"`

	sev int // for sorting
}

// AnswerChange is a checklist answer whose status, maturity level or note
// differs. Before or After is nil where the item was not answered.
type AnswerChange struct {
	Template  string       `json:"template"`
	Item      string       `json:"item"`
	ItemTitle string       `json:"item_title"`
	ZoneID    string       `json:"zone_id"` // "" for program templates
	Zone      string       `json:"zone"`
	Before    *AnswerState `json:"before"`
	After     *AnswerState `json:"after"`
}

// AnswerState is the part of an answer the diff compares.
type AnswerState struct {
	Status   string `json:"status"`
	Maturity int    `json:"maturity"`
	Note     string `json:"note"`
}

// Compare reports what changed from baseline to current. Findings of both
// are those CurrentFindings gives on day (today when zero): a baseline
// opened read-only has them computed in memory, nothing is written to it.
// The current workspace stores its recomputed findings as any reader does.
func Compare(ctx context.Context, baseline, current *app.Workspace, day time.Time) (*Report, error) {
	if baseline == nil || current == nil {
		return nil, ErrNoWorkspace
	}
	if day.IsZero() {
		day = time.Now()
	}
	before, err := load(ctx, baseline, day)
	if err != nil {
		return nil, fmt.Errorf("baseline %s: %w", baseline.Dir(), err)
	}
	after, err := load(ctx, current, day)
	if err != nil {
		return nil, fmt.Errorf("current %s: %w", current.Dir(), err)
	}
	r := &Report{Day: day.Format(time.DateOnly), Baseline: before.info(), Current: after.info()}
	r.Assets = compareAssets(before, after)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	r.Zones = compareZones(before, after)
	r.Conduits = compareConduits(before, after)
	r.Findings = compareFindings(before, after)
	r.Answers = compareAnswers(before, after)
	r.Counts = Counts{
		Assets: AssetCounts{Added: len(r.Assets.Added), Removed: len(r.Assets.Removed), Changed: len(r.Assets.Changed)},
		Zones:  RecordCounts{Added: len(r.Zones.Added), Removed: len(r.Zones.Removed), Changed: len(r.Zones.Changed)},
		Conduits: RecordCounts{Added: len(r.Conduits.Added), Removed: len(r.Conduits.Removed),
			Changed: len(r.Conduits.Changed)},
		Findings: FindingCounts{New: len(r.Findings.New), Resolved: len(r.Findings.Resolved),
			StillOpen: len(r.Findings.StillOpen)},
		Answers: len(r.Answers),
	}
	for _, a := range r.Assets.Added {
		if a.Recreated {
			r.Counts.Assets.Recreated++
		}
	}
	return r, nil
}

// compareText orders names for lists: ignoring case, then exactly, then by
// ID so that equal names still sort the same way every time.
func compareText(a, b, idA, idB string) int {
	return cmp.Or(strings.Compare(strings.ToLower(a), strings.ToLower(b)), strings.Compare(a, b), strings.Compare(idA, idB))
}

func sameName(a, b string) bool {
	return strings.EqualFold(strings.TrimSpace(a), strings.TrimSpace(b))
}

// equal compares field values of the types fields are given as.
func equal(a, b any) bool {
	switch x := a.(type) {
	case []string:
		y, ok := b.([]string)
		return ok && slices.Equal(x, y)
	case *assets.SLVector:
		y, ok := b.(*assets.SLVector)
		return ok && (x == nil) == (y == nil) && (x == nil || *x == *y)
	}
	return a == b
}

// fields turns two lists of values, in the same field order, into changes.
func fields(names []string, before, after []any) []FieldChange {
	var out []FieldChange
	for i, n := range names {
		if !equal(before[i], after[i]) {
			out = append(out, FieldChange{Field: n, Before: before[i], After: after[i]})
		}
	}
	return out
}

// sortedCopy returns a sorted copy, never nil, so that a reordering is no
// change and JSON shows [] rather than null.
func sortedCopy(s []string) []string {
	out := append([]string{}, s...)
	slices.Sort(out)
	return out
}
