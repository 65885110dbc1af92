package checklist

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// ref42 is the 4-2 section of the companion reference, read on its own
// terms: what the template must hold and the counts the reference states.
type ref42 struct {
	ccsc  []string
	items []ref42Item // generic CRs and REs, then type requirements and REs, in reference order
	// moved and none are the CRs that are not items: moved to the
	// component-type clauses, or with no component requirement. By FR.
	moved, none map[int][]string
	perFR       map[int]int // CR IDs the reference lists per FR (all three kinds)

	stated struct {
		ccsc, generic, genericREs, typeReqs, typeREs, assessable int
		crIDs                                                    map[int]int    // "FR1 14"
		typeReqsBy, typeREsBy                                    map[string]int // "SAR 2"
		perType                                                  map[string][4]int
	}
}

type ref42Item struct {
	refReq
	typ string // "" for generic CRs, else the type code
}

var (
	crFRLine   = regexp.MustCompile(`^- FR(\d) [A-Z]+: (.+)$`)
	crScored   = regexp.MustCompile(`^CR (\d+\.\d+) (.+?) \[([^\]]+)\](?: \(([^)]*)\))?(?: \[\d+\])?$`)
	crMoved    = regexp.MustCompile(`^CR (\d+\.\d+) (.+?) → (.+)$`)
	crNone     = regexp.MustCompile(`^CR (\d+\.\d+) (.+?): none$`)
	typeLine   = regexp.MustCompile(`^- (SAR|EDR|HDR|NDR) \([^)]*\): (.+)$`)
	typeEntry  = regexp.MustCompile(`^(SAR|EDR|HDR|NDR) ((\d+)\.\d+)(?: ([^\[]+?))? \[([^\]]+)\](?: \(([^)]*)\))?(?: \[\d+\])?$`)
	ccscLine   = regexp.MustCompile(`^- Common component security constraints[^:]*: (.+)$`)
	ccscEntry  = regexp.MustCompile(`^(CCSC \d+) .+$`)
	reNumber   = regexp.MustCompile(`\bRE(\d+)\b`)
	st42CCSC   = regexp.MustCompile(`\b(\d+) CCSC\b`)
	st42CRIDs  = regexp.MustCompile(`\d+ CR IDs \(([^)]*)\) = (\d+) with generic text`)
	st42GenRE  = regexp.MustCompile(`\b(\d+) REs on generic CRs`)
	st42Types  = regexp.MustCompile(`\b(\d+) component-type requirements \(([^)]*)\) with (\d+) REs \(([^)]*)\)`)
	st42Sum    = regexp.MustCompile(`\d+ \+ \d+ \+ \d+ \+ \d+ = (\d+), plus the \d+ CCSC`)
	st42PerSL  = regexp.MustCompile(`items required at SL-C 1/2/3/4: (.+?) \(`)
	st42TypeSL = regexp.MustCompile(`(SAR|EDR|HDR|NDR) (\d+)/(\d+)/(\d+)/(\d+)`)
	st42Pair   = regexp.MustCompile(`([A-Z]+\d?) (\d+)`)
)

func parse42(t *testing.T, data []byte) *ref42 {
	t.Helper()
	r := &ref42{moved: map[int][]string{}, none: map[int][]string{}, perFR: map[int]int{}}
	atoi := func(s string) int { n, _ := strconv.Atoi(s); return n }
	in := false
	var prose strings.Builder
	for _, line := range logicalLines(data) {
		if strings.HasPrefix(line, "## ") {
			in = strings.HasPrefix(line, "## 62443-4-2:2019")
			continue
		}
		if !in {
			continue
		}
		if m := ccscLine.FindStringSubmatch(line); m != nil {
			for _, p := range strings.Split(strings.TrimSuffix(m[1], "."), "; ") {
				cm := ccscEntry.FindStringSubmatch(p)
				if cm == nil {
					t.Fatalf("reference: cannot read constraint %q", p)
				}
				r.ccsc = append(r.ccsc, cm[1])
			}
			continue
		}
		if m := crFRLine.FindStringSubmatch(line); m != nil {
			fr := atoi(m[1])
			for _, p := range splitTop(strings.TrimSuffix(m[2], ".")) {
				r.crEntry(t, fr, p)
			}
			continue
		}
		if m := typeLine.FindStringSubmatch(line); m != nil {
			// "— other topics … as for EDR" is a remark, not an entry.
			body, _, _ := strings.Cut(m[2], " — ")
			for _, p := range splitTop(body) {
				em := typeEntry.FindStringSubmatch(p)
				if em == nil {
					t.Fatalf("reference: cannot read %s entry %q", m[1], p)
				}
				if em[1] != m[1] {
					t.Fatalf("reference: %s entry %q under %s", em[1], p, m[1])
				}
				id := em[1] + " " + em[2]
				r.addRow(t, atoi(em[3]), id, em[4], em[5], em[6], strings.ToLower(em[1]))
			}
			continue
		}
		prose.WriteString(line + " ")
	}
	r.readCounts(t, prose.String())
	if len(r.ccsc) == 0 || len(r.items) == 0 {
		t.Fatalf("reference: found %d constraints and %d 4-2 items; has the file's layout changed?", len(r.ccsc), len(r.items))
	}
	return r
}

// crEntry reads one entry of an FR line: a CR with cells, one or more CRs
// moved to the type clauses, or a CR with no component requirement.
func (r *ref42) crEntry(t *testing.T, fr int, p string) {
	t.Helper()
	if m := crScored.FindStringSubmatch(p); m != nil {
		r.perFR[fr]++
		r.addRow(t, fr, "CR "+m[1], m[2], m[3], m[4], "")
		return
	}
	if m := crNone.FindStringSubmatch(p); m != nil {
		r.perFR[fr]++
		r.none[fr] = append(r.none[fr], "CR "+m[1])
		return
	}
	if !strings.Contains(p, "→") {
		t.Fatalf("reference: cannot read FR%d entry %q", fr, p)
	}
	// "CR 3.10 Update support, CR 3.11 …, CR 3.14 Boot integrity → EDR/HDR/NDR"
	// moves several at once.
	head, dest, _ := strings.Cut(p, " → ")
	for _, part := range strings.Split(head, ", CR ") {
		m := crMoved.FindStringSubmatch("CR " + strings.TrimPrefix(part, "CR ") + " → " + dest)
		if m == nil {
			t.Fatalf("reference: cannot read moved entry %q in %q", part, p)
		}
		r.perFR[fr]++
		r.moved[fr] = append(r.moved[fr], "CR "+m[1])
	}
}

// addRow expands a row's cells with srRow (the notation of the 3-3 table)
// and checks that the REs the cells name are those the parenthesis lists.
func (r *ref42) addRow(t *testing.T, fr int, id, title, cells, res, typ string) {
	t.Helper()
	rows := srRow(t, fr, id, title, cells, false)
	var fromCells, listed []string
	for _, rr := range rows[1:] {
		fromCells = append(fromCells, strings.TrimPrefix(rr.id, id+" RE "))
	}
	for _, m := range reNumber.FindAllStringSubmatch(res, -1) {
		listed = append(listed, m[1])
	}
	if !slices.Equal(fromCells, listed) {
		t.Fatalf("reference: %s cells name REs %v, its parenthesis %v", id, fromCells, listed)
	}
	for _, rr := range rows {
		r.items = append(r.items, ref42Item{refReq: rr, typ: typ})
	}
}

func (r *ref42) readCounts(t *testing.T, prose string) {
	t.Helper()
	s := &r.stated
	atoi := func(v string) int { n, _ := strconv.Atoi(v); return n }
	pairs := func(list string) map[string]int {
		out := map[string]int{}
		for _, m := range st42Pair.FindAllStringSubmatch(list, -1) {
			out[m[1]] = atoi(m[2])
		}
		return out
	}
	must := func(re *regexp.Regexp) []string {
		m := re.FindStringSubmatch(prose)
		if m == nil {
			t.Fatalf("reference: no counts matching %s", re)
		}
		return m
	}
	s.ccsc = atoi(must(st42CCSC)[1])
	m := must(st42CRIDs)
	s.crIDs, s.generic = map[int]int{}, atoi(m[2])
	for k, v := range pairs(m[1]) {
		s.crIDs[atoi(strings.TrimPrefix(k, "FR"))] = v
	}
	s.genericREs = atoi(must(st42GenRE)[1])
	m = must(st42Types)
	s.typeReqs, s.typeReqsBy, s.typeREs, s.typeREsBy = atoi(m[1]), pairs(m[2]), atoi(m[3]), pairs(m[4])
	s.assessable = atoi(must(st42Sum)[1])
	s.perType = map[string][4]int{}
	for _, tm := range st42TypeSL.FindAllStringSubmatch(must(st42PerSL)[1], -1) {
		s.perType[strings.ToLower(tm[1])] = [4]int{atoi(tm[2]), atoi(tm[3]), atoi(tm[4]), atoi(tm[5])}
	}
}

func TestComponentContentMatchesReference(t *testing.T) {
	eachReferenceCopy(t, referenceMoreFiles, func(t *testing.T, data []byte) { check42(t, parse42(t, data)) })
}

func check42(t *testing.T, r *ref42) {
	// The parse itself must account for every count the reference states,
	// so that a line the parser skipped cannot go unnoticed.
	t.Run("reference", func(t *testing.T) {
		s := r.stated
		var generic, genericREs int
		typeReqs, typeREs := map[string]int{}, map[string]int{}
		for _, ri := range r.items {
			switch {
			case ri.typ == "" && ri.parent == "":
				generic++
			case ri.typ == "":
				genericREs++
			case ri.parent == "":
				typeReqs[strings.ToUpper(ri.typ)]++
			default:
				typeREs[strings.ToUpper(ri.typ)]++
			}
		}
		if len(r.ccsc) != s.ccsc || generic != s.generic || genericREs != s.genericREs {
			t.Errorf("reference lists %d CCSC, %d CRs, %d REs; states %d, %d, %d",
				len(r.ccsc), generic, genericREs, s.ccsc, s.generic, s.genericREs)
		}
		if !mapsEqual(typeReqs, s.typeReqsBy) || !mapsEqual(typeREs, s.typeREsBy) || sum(typeReqs) != s.typeReqs || sum(typeREs) != s.typeREs {
			t.Errorf("reference lists type requirements %v and REs %v; states %v (%d) and %v (%d)",
				typeReqs, typeREs, s.typeReqsBy, s.typeReqs, s.typeREsBy, s.typeREs)
		}
		if len(r.items) != s.assessable {
			t.Errorf("reference lists %d assessable items, states %d", len(r.items), s.assessable)
		}
		for fr, n := range s.crIDs {
			if r.perFR[fr] != n {
				t.Errorf("FR%d: reference lists %d CR IDs, states %d", fr, r.perFR[fr], n)
			}
		}
		if len(s.perType) != len(ComponentTypes) {
			t.Fatalf("reference states per-SL counts for %d types", len(s.perType))
		}
		for _, c := range ComponentTypes {
			var got [4]int
			for _, ri := range r.items {
				if ri.typ != "" && ri.typ != c {
					continue
				}
				for sl := 1; sl <= 4; sl++ {
					if slices.Contains(ri.levels, sl) {
						got[sl-1]++
					}
				}
			}
			if got != s.perType[c] {
				t.Errorf("%s: reference rows give %v items at SL 1-4, it states %v", c, got, s.perType[c])
			}
		}
	})
	t.Run("4-2:2019", func(t *testing.T) {
		tpl := BuiltinByID(IEC62443_4_2_2019)
		if tpl == nil || tpl.Kind != KindComponent {
			t.Fatalf("no built-in component template %s", IEC62443_4_2_2019)
		}
		want := map[string]bool{}
		for _, id := range r.ccsc {
			want[id] = true
			it := onlyOnce(t, tpl, id)
			if it == nil {
				continue
			}
			if it.HasFR || len(it.Levels)+len(it.UncertainLevels) != 0 || len(it.Types) != 0 {
				t.Errorf("%s: a constraint must have no FR, levels or types: %+v", id, it)
			}
			checkUncertain(t, it, false)
		}
		for _, ri := range r.items {
			want[ri.id] = true
			it := onlyOnce(t, tpl, ri.id)
			if it == nil {
				continue
			}
			if ri.title != "" && !strings.EqualFold(it.Title, ri.title) {
				t.Errorf("%s: title %q, reference %q", ri.id, it.Title, ri.title)
			}
			if it.Parent != ri.parent {
				t.Errorf("%s: parent %q, want %q", ri.id, it.Parent, ri.parent)
			}
			if !it.HasFR || it.FR.Number() != ri.fr {
				t.Errorf("%s: FR %v, reference FR %d", ri.id, it.FR, ri.fr)
			}
			var wantTypes []string
			if ri.typ != "" {
				wantTypes = []string{ri.typ}
			}
			if !slices.Equal(it.Types, wantTypes) {
				t.Errorf("%s: types %v, want %v", ri.id, it.Types, wantTypes)
			}
			checkCells(t, it, ri.levels, ri.unsure)
		}
		noExtra(t, tpl, want)
		// The CRs that are not items are named in their FR's section.
		for fr := 1; fr <= 7; fr++ {
			s := tpl.Section(fmt.Sprintf("FR %d", fr))
			if s == nil {
				t.Errorf("no section FR %d", fr)
				continue
			}
			for _, id := range append(slices.Clone(r.moved[fr]), r.none[fr]...) {
				if tpl.Item(id) != nil {
					t.Errorf("%s is an item; the reference has no generic text for it", id)
				}
				if !strings.Contains(s.Description+" ", id+" ") {
					t.Errorf("section FR %d: description does not mention %s", fr, id)
				}
			}
		}
		for _, c := range ComponentTypes {
			var got [4]int
			for _, it := range tpl.ItemsFor(c) {
				for sl := 1; sl <= 4; sl++ {
					if it.RequiredAt(sl) {
						got[sl-1]++
					}
				}
			}
			if got != r.stated.perType[c] {
				t.Errorf("%s: template requires %v items at SL 1-4, reference states %v", c, got, r.stated.perType[c])
			}
		}
	})
}

func mapsEqual(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

func sum(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}
