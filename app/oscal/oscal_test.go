package oscal_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/zonewalk/zonewalk/app"
	"github.com/zonewalk/zonewalk/app/demo"
	"github.com/zonewalk/zonewalk/app/oscal"
	"github.com/zonewalk/zonewalk/assets"
	"github.com/zonewalk/zonewalk/assets/checks"
	"github.com/zonewalk/zonewalk/checklist"
	"github.com/zonewalk/zonewalk/store"
)

// day is the day the checks judge review dates against in these tests.
var day = time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)

// schemaPath is NIST's OSCAL 1.1.3 complete JSON schema, unchanged (a copy
// of ../shared/reference/oscal/, so the tests run from a clean clone).
const schemaPath = "testdata/oscal_complete_schema-1.1.3.json"

var schema = sync.OnceValues(func() (*jsonschema.Schema, error) {
	f, err := os.Open(schemaPath)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		return nil, err
	}
	c := jsonschema.NewCompiler()
	// Formats (date-time, uri-reference, uri) are checked too, not only
	// the patterns.
	c.AssertFormat()
	if err := c.AddResource("oscal.json", doc); err != nil {
		return nil, err
	}
	return c.Compile("oscal.json")
})

func validate(t testing.TB, b []byte) {
	t.Helper()
	sch, err := schema()
	if err != nil {
		t.Fatalf("OSCAL schema: %v", err)
	}
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("output is not JSON: %v", err)
	}
	if err := sch.Validate(v); err != nil {
		msg := err.Error()
		if len(msg) > 4000 {
			msg = msg[:4000] + " …"
		}
		t.Fatalf("not valid OSCAL 1.1.3: %s", msg)
	}
}

func export(t testing.TB, w *app.Workspace, model oscal.Model) []byte {
	t.Helper()
	var buf bytes.Buffer
	res, err := oscal.Export(context.Background(), w, &buf, oscal.Options{Model: model, Date: day})
	if err != nil {
		t.Fatalf("export %s: %v", model, err)
	}
	if res.Bytes != buf.Len() {
		t.Errorf("export %s: result says %d bytes, wrote %d", model, res.Bytes, buf.Len())
	}
	return buf.Bytes()
}

// doc is the exported JSON read back generically, so the checks below do
// not share the exporter's types.
type doc = map[string]any

func parse(t testing.TB, b []byte) doc {
	t.Helper()
	var d doc
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatal(err)
	}
	return d
}

func obj(v any, path ...string) map[string]any {
	m, _ := v.(map[string]any)
	for _, p := range path {
		m, _ = m[p].(map[string]any)
	}
	return m
}

func list(v any, key string) []any {
	l, _ := obj(v)[key].([]any)
	return l
}

func str(v any, key string) string { s, _ := obj(v)[key].(string); return s }

// propValues lists the values of the props of v with that name.
func propValues(v any, name string) []string {
	var out []string
	for _, p := range list(v, "props") {
		if str(p, "name") == name {
			out = append(out, str(p, "value"))
		}
	}
	return out
}

func propValue(v any, name string) string {
	if vs := propValues(v, name); len(vs) == 1 {
		return vs[0]
	}
	return ""
}

// walk calls fn for every object in v, depth first.
func walk(v any, fn func(map[string]any)) {
	switch x := v.(type) {
	case map[string]any:
		fn(x)
		for _, c := range x {
			walk(c, fn)
		}
	case []any:
		for _, c := range x {
			walk(c, fn)
		}
	}
}

// catalogIDs is every id given in the catalog (groups, controls, parts).
func catalogIDs(t testing.TB, cat doc) map[string]bool {
	ids := map[string]bool{}
	walk(cat, func(m map[string]any) {
		if id, ok := m["id"].(string); ok {
			if ids[id] {
				t.Errorf("catalog id %q given twice", id)
			}
			ids[id] = true
		}
	})
	return ids
}

// checkReferences checks that every target, subject, observation, risk,
// finding and evidence reference in an assessment results or POA&M
// document resolves, and that no UUID is defined twice.
func checkReferences(t *testing.T, d doc, catIDs map[string]bool) {
	t.Helper()
	defined := map[string]int{}
	walk(d, func(m map[string]any) {
		if u, ok := m["uuid"].(string); ok {
			defined[u]++
		}
	})
	for u, n := range defined {
		if n > 1 {
			t.Errorf("uuid %s defined %d times", u, n)
		}
	}
	refs := 0
	walk(d, func(m map[string]any) {
		for _, key := range []string{"subject-uuid", "observation-uuid", "risk-uuid", "finding-uuid", "component-uuid", "actor-uuid"} {
			if u, ok := m[key].(string); ok {
				refs++
				if defined[u] == 0 {
					t.Errorf("%s %s refers to nothing", key, u)
				}
			}
		}
		if h, ok := m["href"].(string); ok && strings.HasPrefix(h, "#") {
			refs++
			if defined[h[1:]] == 0 {
				t.Errorf("href %s refers to nothing", h)
			}
		}
		if id, ok := m["target-id"].(string); ok {
			refs++
			if !catIDs[id] {
				t.Errorf("target-id %q is not in the catalog", id)
			}
		}
		if id, ok := m["control-id"].(string); ok && !catIDs[id] {
			t.Errorf("control-id %q is not in the catalog", id)
		}
	})
	if refs == 0 {
		t.Error("no references checked")
	}
}

// exactlyOnce checks that the record IDs found in the output are those
// wanted, each once.
func exactlyOnce(t *testing.T, what string, got []string, want []string) {
	t.Helper()
	count := map[string]int{}
	for _, id := range got {
		count[id]++
	}
	wanted := map[string]bool{}
	for _, id := range want {
		wanted[id] = true
		if count[id] != 1 {
			t.Errorf("%s %s appears %d times, want once", what, id, count[id])
		}
	}
	for id := range count {
		if !wanted[id] {
			t.Errorf("%s %s appears but is not on the app's list", what, id)
		}
	}
	if len(got) != len(want) {
		t.Errorf("%d %s in the output, the app lists %d", len(got), what, len(want))
	}
}

// checkAll exports the three models, validates them against the schema,
// exports again to compare bytes, and checks that every finding and
// every answer is present exactly once and that every reference resolves.
func checkAll(t *testing.T, w *app.Workspace) (ar, poam doc) {
	ctx := context.Background()
	out := map[oscal.Model][]byte{}
	for _, m := range oscal.Models {
		b := export(t, w, m)
		validate(t, b)
		if again := export(t, w, m); !bytes.Equal(b, again) {
			t.Errorf("%s: a second export of the unchanged audit differs", m)
		}
		out[m] = b
	}
	cat := parse(t, out[oscal.Catalog])
	catIDs := catalogIDs(t, cat)
	ar, poam = parse(t, out[oscal.AssessmentResults]), parse(t, out[oscal.POAM])
	checkReferences(t, ar, catIDs)
	checkReferences(t, poam, catIDs)

	findings, err := w.CurrentFindings(ctx, day)
	if err != nil {
		t.Fatal(err)
	}
	answers, err := w.Answers("")
	if err != nil {
		t.Fatal(err)
	}
	var allIDs, openIDs, answerIDs []string
	for _, f := range findings {
		allIDs = append(allIDs, f.ID)
		if f.Status == checks.StatusOpen || f.Status == checks.StatusAccepted {
			openIDs = append(openIDs, f.ID)
		}
	}
	for _, a := range answers {
		answerIDs = append(answerIDs, a.ID)
	}
	res := list(obj(ar, "assessment-results"), "results")
	if len(res) != 1 {
		t.Fatalf("%d results, want 1", len(res))
	}
	var got, gotAnswers []string
	for _, f := range list(res[0], "findings") {
		got = append(got, propValue(f, "record-id"))
	}
	for _, o := range list(res[0], "observations") {
		if slicesContains(list(o, "types"), "control-objective") {
			gotAnswers = append(gotAnswers, propValue(o, "record-id"))
		}
	}
	exactlyOnce(t, "finding", got, allIDs)
	exactlyOnce(t, "answer", gotAnswers, answerIDs)
	got = got[:0]
	for _, it := range list(obj(poam, "plan-of-action-and-milestones"), "poam-items") {
		got = append(got, propValue(it, "record-id"))
	}
	exactlyOnce(t, "POA&M item", got, openIDs)

	// Every answered item is a reviewed control.
	reviewed := map[string]bool{}
	walk(obj(res[0], "reviewed-controls"), func(m map[string]any) {
		if id, ok := m["control-id"].(string); ok {
			reviewed[id] = true
		}
	})
	for _, o := range list(res[0], "observations") {
		if c := propValue(o, "control-id"); c != "" && !reviewed[c] {
			t.Errorf("answered control %s is not among the reviewed controls", c)
		}
	}
	return ar, poam
}

func slicesContains(l []any, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}

func TestDemo(t *testing.T) {
	ctx := context.Background()
	w, err := demo.Create(ctx, filepath.Join(t.TempDir(), "demo"), "test")
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()

	// Evidence on a zone and on an answer: hashes and names travel, bytes
	// never do.
	zone := w.Zones()[0]
	photo := []byte("\xff\xd8\xff\xe0 pretend JPEG of the cabinet, unique bytes 7f3a")
	ev, err := w.AttachEvidence(assets.Ref{Kind: "zone", ID: zone.ID}, "cabinet.jpg", photo, "Cabinet door open")
	if err != nil {
		t.Fatal(err)
	}
	answers, err := w.Answers(checklist.IEC62443_3_3_2013)
	if err != nil || len(answers) == 0 {
		t.Fatalf("demo answers: %v %d", err, len(answers))
	}
	a := answers[0]
	doc := []byte("firewall rule export, unique bytes 91c2")
	ev2, err := w.AttachEvidence(assets.Ref{Kind: "answer", ID: a.ID}, "rules.txt", doc, "")
	if err != nil {
		t.Fatal(err)
	}

	// An accepted finding, with owner and due date, for the POA&M.
	fs, err := w.CurrentFindings(ctx, day)
	if err != nil || len(fs) < 10 {
		t.Fatalf("demo findings: %v %d", err, len(fs))
	}
	acc := fs[0]
	if _, err := w.SetFindingStatus(ctx, acc.ID, checks.StatusAccepted, "Compensated by locked cabinet"); err != nil {
		t.Fatal(err)
	}
	if _, err := w.SetFindingOwner(ctx, acc.ID, "Plant IT"); err != nil {
		t.Fatal(err)
	}
	if _, err := w.SetFindingDue(ctx, acc.ID, "2027-03-31"); err != nil {
		t.Fatal(err)
	}

	ar, poam := checkAll(t, w)
	arBytes, _ := json.Marshal(ar)
	for _, raw := range [][]byte{photo, doc} {
		if bytes.Contains(arBytes, []byte(base64.StdEncoding.EncodeToString(raw))) || bytes.Contains(arBytes, raw) {
			t.Error("evidence bytes appear in the assessment results")
		}
	}

	res := list(obj(ar, "assessment-results"), "results")[0]
	// Evidence: one resource per record, with its SHA-256 and name.
	resources := list(obj(ar, "assessment-results", "back-matter"), "resources")
	for _, e := range []assets.Evidence{ev, ev2} {
		found := 0
		for _, r := range resources {
			for _, rl := range list(r, "rlinks") {
				for _, h := range list(rl, "hashes") {
					if str(h, "algorithm") == "SHA-256" && str(h, "value") == e.SHA256 && str(r, "title") == e.Name {
						found++
					}
				}
			}
		}
		if found != 1 {
			t.Errorf("evidence %s: %d resources carry its hash and name, want 1", e.Name, found)
		}
	}
	// The answer's observation lists its evidence.
	for _, o := range list(res, "observations") {
		if propValue(o, "record-id") == a.ID && len(list(o, "relevant-evidence")) != 1 {
			t.Errorf("answer observation has %d pieces of evidence, want 1", len(list(o, "relevant-evidence")))
		}
	}

	// SL-T and SL-A per zone.
	sla, err := w.AchievedLevels(checklist.IEC62443_3_3_2013)
	if err != nil || len(sla) == 0 {
		t.Fatalf("demo SL-A: %v %v", err, sla)
	}
	comps := map[string]any{}
	for _, c := range list(obj(res, "local-definitions"), "components") {
		comps[propValue(c, "record-id")] = c
	}
	scored := 0
	for _, z := range w.Zones() {
		c := comps[z.ID]
		if c == nil {
			t.Errorf("zone %s has no component", z.Name)
			continue
		}
		for i, fr := range assets.FRs {
			class := fmt.Sprintf("fr%d", fr.Number())
			for _, kind := range []string{"sl-t", "sl-a"} {
				var want string
				switch v, ok := sla[z.ID]; {
				case kind == "sl-t" && z.SLT[i] > 0:
					want = fmt.Sprint(z.SLT[i])
				case kind == "sl-a" && ok:
					want = fmt.Sprint(v[i])
				}
				got := ""
				for _, p := range list(c, "props") {
					if str(p, "name") == kind && str(p, "class") == class {
						got = str(p, "value")
					}
				}
				if got != want {
					t.Errorf("zone %s %s %s = %q, want %q", z.Name, kind, class, got, want)
				}
			}
		}
		if _, ok := sla[z.ID]; ok {
			scored++
		}
	}
	if scored == 0 {
		t.Error("no demo zone carries SL-A")
	}
	if n := len(list(obj(res, "local-definitions"), "inventory-items")); n != len(w.Assets()) {
		t.Errorf("%d inventory items, %d assets", n, len(w.Assets()))
	}

	// The accepted finding in the POA&M, with owner, due date and status.
	for _, it := range list(obj(poam, "plan-of-action-and-milestones"), "poam-items") {
		if propValue(it, "record-id") != acc.ID {
			continue
		}
		if propValue(it, "owner") != "Plant IT" || propValue(it, "due") != "2027-03-31" || propValue(it, "status") != "accepted" {
			t.Errorf("accepted POA&M item props: %v", list(it, "props"))
		}
	}
	for _, r := range list(obj(poam, "plan-of-action-and-milestones"), "risks") {
		if strings.HasPrefix(str(r, "deadline"), "2027-03-31T") && str(r, "status") != "deviation-approved" {
			t.Errorf("accepted finding's risk status %q", str(r, "status"))
		}
	}

	// Metadata: auditors and asset owner as parties, data date as
	// last-modified.
	md := obj(ar, "assessment-results", "metadata")
	if str(md, "oscal-version") != "1.1.3" {
		t.Errorf("oscal-version %q", str(md, "oscal-version"))
	}
	names := map[string]bool{}
	for _, p := range list(md, "parties") {
		names[str(p, "name")] = true
	}
	for _, n := range append(slicesOf(demo.Audit.Auditors), demo.Audit.Owner) {
		if !names[n] {
			t.Errorf("party %q missing", n)
		}
	}
	if want := w.Store().Clock().Time().UTC().Format("2006-01-02T15:04:05Z"); str(md, "last-modified") != want {
		t.Errorf("last-modified %s, want the data date %s", str(md, "last-modified"), want)
	}
	if str(res, "start") != "2026-11-16T00:00:00Z" || str(res, "end") != "2026-11-20T23:59:59Z" {
		t.Errorf("result %s – %s, want the audit's dates", str(res, "start"), str(res, "end"))
	}

	// An edit changes the export, and the document UUID with it; the
	// finding UUIDs stay.
	before := export(t, w, oscal.AssessmentResults)
	z := w.Zones()[1]
	z.Description = "Edited after the first export"
	if _, err := w.SaveZone(z); err != nil {
		t.Fatal(err)
	}
	after := export(t, w, oscal.AssessmentResults)
	b, a2 := parse(t, before), parse(t, after)
	if str(obj(b, "assessment-results"), "uuid") == str(obj(a2, "assessment-results"), "uuid") {
		t.Error("the document UUID did not change with the data")
	}
	if list(list(obj(b, "assessment-results"), "results")[0], "findings") == nil ||
		str(list(list(obj(b, "assessment-results"), "results")[0], "findings")[0], "uuid") !=
			str(list(list(obj(a2, "assessment-results"), "results")[0], "findings")[0], "uuid") {
		t.Error("finding UUIDs changed with an unrelated edit")
	}
}

func slicesOf(s []string) []string { return append([]string(nil), s...) }

// TestUUIDs checks the derivation against values computed independently
// (Python's uuid.uuid5).
func TestUUIDs(t *testing.T) {
	if got := fmt.Sprintf("%x-%x-%x-%x-%x", oscal.Namespace[0:4], oscal.Namespace[4:6], oscal.Namespace[6:8], oscal.Namespace[8:10], oscal.Namespace[10:]); got != "ab0bd6e8-6873-54b9-97d1-55727c40c6cb" {
		t.Errorf("namespace %s", got)
	}
	// uuid.uuid5(ns, "zone:abc") in Python.
	if got := oscal.UUID("zone", "abc"); got != "8021799c-0e5d-5a76-926b-d3200b8b1f1f" {
		t.Errorf("zone:abc → %s", got)
	}
	if !regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`).MatchString(oscal.UUID("finding", "x")) {
		t.Error("not a v5 UUID")
	}
}

// TestNothingOpen: a POA&M needs an item; an audit with nothing open gets
// an error, not an invalid file.
func TestNothingOpen(t *testing.T) {
	ctx := context.Background()
	w, err := app.Create(ctx, filepath.Join(t.TempDir(), "w"), app.Options{Unencrypted: true, Author: "t"},
		assets.Audit{Meta: assets.Meta{ID: "a"}, Title: "Empty", Site: "S", ReviewedAt: "2026-11-01"})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	fs, err := w.CurrentFindings(ctx, day)
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) != 0 {
		t.Fatalf("an empty, recently reviewed audit raises %d findings; the test needs none", len(fs))
	}
	var buf bytes.Buffer
	if _, err = oscal.Export(ctx, w, &buf, oscal.Options{Model: oscal.POAM, Date: day}); !errors.Is(err, oscal.ErrNothingOpen) {
		t.Errorf("POA&M with nothing open: %v, want ErrNothingOpen", err)
	}
	if buf.Len() != 0 {
		t.Errorf("a failed POA&M wrote %d bytes", buf.Len())
	}
	// The other models still validate for an audit with no zones at all.
	validate(t, export(t, w, oscal.AssessmentResults))
	validate(t, export(t, w, oscal.Catalog))
}

// synthetic makes the large audit: 50 zones, 5,000 assets, and every
// zone's 62443-3-3 items answered, 40 of them Not met, for about 2,000
// checklist findings besides the model checks'.
func synthetic(t testing.TB, dir string) *app.Workspace {
	ctx := context.Background()
	w, err := demo.Synthetic(ctx, dir, 50, 5000)
	if err != nil {
		t.Fatal(err)
	}
	tpl := checklist.BuiltinByID(checklist.IEC62443_3_3_2013)
	items := tpl.Items()
	var list []checklist.Answer
	for _, z := range w.Zones() {
		for i, it := range items {
			st := checklist.StatusMet
			if i%2 == 0 && i/2 < 40 {
				st = checklist.StatusNotMet
			}
			a := checklist.Answer{Template: tpl.ID, Item: it.ID, Zone: z.ID, Status: st, Note: "synthetic answer " + it.ID,
				AnsweredBy: "generator", AnsweredAt: "2026-11-17T09:00:00Z"}
			a.ID = checklist.AnswerID(a.Template, a.Item, a.Zone)
			list = append(list, a)
		}
	}
	err = w.Store().Update(ctx, func(tx *store.Tx) error {
		for i := range list {
			if err := tx.Put(app.KindAnswer, &list[i]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func TestLargeAudit(t *testing.T) {
	if testing.Short() {
		t.Skip("5,000 assets: skipped in -short")
	}
	w := synthetic(t, filepath.Join(t.TempDir(), "big"))
	defer w.Close()
	ar, _ := checkAll(t, w)
	res := list(obj(ar, "assessment-results"), "results")[0]
	n := len(list(res, "findings"))
	t.Logf("5,000 assets: %d findings, %d observations, %d inventory items", n, len(list(res, "observations")), len(list(obj(res, "local-definitions"), "inventory-items")))
	if n < 2000 {
		t.Errorf("%d findings, want at least 2,000", n)
	}
}

// TestSchemaRejects makes sure the validation above has teeth: the same
// document with a date without time, a control ID with a space, or a
// required field missing is refused.
func TestSchemaRejects(t *testing.T) {
	w, err := demo.Create(context.Background(), filepath.Join(t.TempDir(), "demo"), "test")
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	good := export(t, w, oscal.AssessmentResults)
	sch, err := schema()
	if err != nil {
		t.Fatal(err)
	}
	for name, mutate := range map[string]func(d doc){
		"date without time": func(d doc) { obj(d, "assessment-results", "metadata")["last-modified"] = "2026-11-27" },
		"token with space": func(d doc) {
			f := list(list(obj(d, "assessment-results"), "results")[0], "findings")[0]
			obj(f, "target")["target-id"] = "SR 5.2"
		},
		"no import-ap href": func(d doc) {
			obj(d, "assessment-results", "import-ap")["href"] = nil
			delete(obj(d, "assessment-results", "import-ap"), "href")
		},
		"not a v4/v5 uuid": func(d doc) { obj(d, "assessment-results")["uuid"] = "00000000-0000-0000-0000-000000000000" },
	} {
		d := parse(t, good)
		mutate(d)
		b, _ := json.Marshal(d)
		v, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		if sch.Validate(v) == nil {
			t.Errorf("%s: the schema accepts it", name)
		}
	}
}
