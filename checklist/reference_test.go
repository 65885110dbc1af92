package checklist

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// The reference file lists the IDs, titles and the 3-3 SL mapping that the
// built-in content must follow. The copy under testdata keeps the test
// running where ../shared is missing; where the shared file exists it is
// checked too, since it is the one that gets corrected.
var referenceFiles = []string{
	"../../shared/reference/iec62443-structure.md",
	"testdata/iec62443-structure.md",
}

type refItem struct {
	id, title, section string
	tier               string // 2-1:2010: TierElement or TierRequirement
	parent             string // 2-4: the BR an RE belongs to
	uncertain          bool
}

// refSR is one row of the 3-3 table: the items it implies (base SR and
// REs) with their required and disputed levels.
type refReq struct {
	id, parent, title string
	fr                int
	levels, unsure    []int
}

type reference struct {
	ed2       []refItem
	spe       []refGroup // SPE 1–8 of 2-1:2024
	ed2Count  [2]int     // "N requirement IDs in M groups", as stated
	ed1Items  []refItem  // whole elements and, where split, an element's requirements
	ed1Groups []refGroup // clauses 4.2–4.4 with their element IDs
	// ed1Section maps the IDs that are sections (element groups, and
	// elements split into requirements) to their titles.
	ed1Section  map[string]string
	ed1Elements int            // elements counted from the list
	ed1Stated   int            // "That is N elements", 0 when absent
	ed1Split    map[string]int // element → requirement count the reference states
	sr          []refReq       // base SRs and REs, in table order
}

// refGroup is a layer above sections: an SPE ("SPE 1", code "ORG") or a
// 2-1:2010 clause ("4.2").
type refGroup struct {
	id, title, code string
	members         []string // section IDs (2-1:2010: element IDs)
}

var (
	ed2Line   = regexp.MustCompile(`^- ([A-Z]+) (\d+) ([^:]+): (.+)$`)
	ed2Part   = regexp.MustCompile(`^(\d+\.\d+) (.+?)( \(\?\))?$`)
	ed1Line   = regexp.MustCompile(`^- (4\.\d) ([^:]+): (.+)$`)
	ed1Elem   = regexp.MustCompile(`^(\d+\.\d+\.\d+) ([^(]+?)(?: \((.*)\))?$`)
	ed1Sub    = regexp.MustCompile(`(?:^|[ ,…])(\d+\.\d+\.\d+\.\d+|\.\d+) `)
	ed1Split  = regexp.MustCompile(`^(\d+) requirements:`)
	ed1Stated = regexp.MustCompile(`^- That is (\d+) elements`)
	speGroup  = regexp.MustCompile(`SPE (\d+) ([^;(]+?) \(([A-Z]+)\)`)
	ed2Counts = regexp.MustCompile(`(\d+) requirement IDs in (\d+) groups`)
	srLine    = regexp.MustCompile(`^- FR(\d) [A-Z]+: (.+)$`)
	srPart    = regexp.MustCompile(`^SR(\d+\.\d+) (.+?) \[([^\]]+)\](.*)$`)
	uncertain = "(?)"
)

// logicalLines trims the file's lines and joins indented continuation
// lines to the line they continue, so a wrapped list entry reads as one.
func logicalLines(data []byte) []string {
	var out []string
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		raw := sc.Text()
		line := strings.TrimSpace(raw)
		if len(out) > 0 && line != "" && strings.HasPrefix(raw, "  ") && out[len(out)-1] != "" {
			out[len(out)-1] += " " + line
			continue
		}
		out = append(out, line)
	}
	return out
}

func parseReference(t *testing.T, data []byte) *reference {
	t.Helper()
	r := &reference{ed1Section: map[string]string{}, ed1Split: map[string]int{}}
	heading := ""
	var ed2Prose strings.Builder
	for _, line := range logicalLines(data) {
		if strings.HasPrefix(line, "## ") {
			heading = line
			continue
		}
		switch {
		case strings.HasPrefix(heading, "## 62443-2-1:2024"):
			m := ed2Line.FindStringSubmatch(line)
			if m == nil {
				ed2Prose.WriteString(line + " ")
				continue
			}
			for _, p := range strings.Split(m[4], "; ") {
				pm := ed2Part.FindStringSubmatch(p)
				if pm == nil {
					t.Fatalf("reference: cannot read 2-1:2024 entry %q", p)
				}
				r.ed2 = append(r.ed2, refItem{
					id: m[1] + " " + pm[1], title: pm[2], section: m[1] + " " + m[2], uncertain: pm[3] != "",
				})
			}
		case strings.HasPrefix(heading, "## 62443-2-1:2010"):
			if m := ed1Stated.FindStringSubmatch(line); m != nil {
				r.ed1Stated, _ = strconv.Atoi(m[1])
				continue
			}
			m := ed1Line.FindStringSubmatch(line)
			if m == nil {
				continue
			}
			g := refGroup{id: m[1], title: m[2]}
			for _, p := range strings.Split(m[3], "; ") {
				em := ed1Elem.FindStringSubmatch(p)
				if em == nil {
					t.Fatalf("reference: cannot read 2-1:2010 element %q", p)
				}
				g.members = append(g.members, em[1])
				if em[3] == "" {
					r.ed1Elements++
					r.ed1Items = append(r.ed1Items, refItem{id: em[1], title: em[2], section: em[1], tier: TierElement})
					continue
				}
				// A parenthesis either lists the elements of an element
				// group or, as "(N requirements: …)", splits one element.
				r.ed1Section[em[1]] = em[2]
				tier, split := TierElement, ed1Split.FindStringSubmatch(em[3])
				if split != nil {
					tier = TierRequirement
					r.ed1Elements++
					r.ed1Split[em[1]], _ = strconv.Atoi(split[1])
				}
				n := 0
				for _, sm := range ed1Sub.FindAllStringSubmatch(em[3], -1) {
					id := sm[1]
					if strings.HasPrefix(id, ".") {
						id = em[1] + id
					}
					if !strings.HasPrefix(id, em[1]+".") {
						t.Fatalf("reference: sub-element %s outside %s", id, em[1])
					}
					r.ed1Items = append(r.ed1Items, refItem{id: id, section: em[1], tier: tier})
					n++
				}
				if split == nil {
					r.ed1Elements += n
				} else if n != r.ed1Split[em[1]] {
					t.Fatalf("reference: %s lists %d requirements but says %d", em[1], n, r.ed1Split[em[1]])
				}
			}
			r.ed1Groups = append(r.ed1Groups, g)
		case strings.HasPrefix(heading, "## 62443-3-3:2013"):
			m := srLine.FindStringSubmatch(line)
			if m == nil {
				continue
			}
			fr, _ := strconv.Atoi(m[1])
			for _, p := range strings.Split(m[2], "; ") {
				sm := srPart.FindStringSubmatch(p)
				if sm == nil {
					t.Fatalf("reference: cannot read SR entry %q", p)
				}
				r.sr = append(r.sr, srRow(t, fr, "SR "+sm[1], sm[2], sm[3], strings.Contains(sm[4], uncertain))...)
			}
		}
	}
	prose := ed2Prose.String()
	for _, m := range speGroup.FindAllStringSubmatch(prose, -1) {
		r.spe = append(r.spe, refGroup{id: "SPE " + m[1], title: m[2], code: m[3]})
	}
	if m := ed2Counts.FindStringSubmatch(prose); m != nil {
		r.ed2Count[0], _ = strconv.Atoi(m[1])
		r.ed2Count[1], _ = strconv.Atoi(m[2])
	}
	for i := range r.spe {
		seen := map[string]bool{}
		for _, ri := range r.ed2 {
			if strings.HasPrefix(ri.section, r.spe[i].code+" ") && !seen[ri.section] {
				seen[ri.section] = true
				r.spe[i].members = append(r.spe[i].members, ri.section)
			}
		}
	}
	if len(r.ed2) == 0 || len(r.spe) == 0 || len(r.ed1Items) == 0 || len(r.sr) == 0 {
		t.Fatalf("reference: found %d 2-1:2024, %d 2-1:2010 and %d 3-3 entries; has the file's layout changed?",
			len(r.ed2), len(r.ed1Items), len(r.sr))
	}
	return r
}

// srRow expands one SR's cells: "-" not required, "B" base required,
// numbers base plus those REs; "(?)" on a cell disputes what the cell
// names (the base SR for "-" and "B", else the listed REs); "(?)" after
// the row disputes every cell the row requires.
func srRow(t *testing.T, fr int, id, title, cells string, rowUnsure bool) []refReq {
	t.Helper()
	var cs []string
	if cells == "B all" {
		cs = []string{"B", "B", "B", "B"}
	} else {
		cs = strings.Split(cells, "/")
	}
	if len(cs) != 4 {
		t.Fatalf("reference: %s has %d cells", id, len(cs))
	}
	base := refReq{id: id, title: title, fr: fr}
	res := map[int]*refReq{}
	add := func(r *refReq, sl int, unsure bool) {
		if !slices.Contains(r.levels, sl) {
			r.levels = append(r.levels, sl)
		}
		if unsure || rowUnsure {
			r.unsure = append(r.unsure, sl)
		}
	}
	for i, c := range cs {
		sl := i + 1
		unsure := strings.HasSuffix(c, uncertain)
		core := strings.TrimSpace(strings.TrimSuffix(c, uncertain))
		switch core {
		case "-":
			if unsure {
				base.unsure = append(base.unsure, sl)
			}
			continue
		case "B":
			add(&base, sl, unsure)
			continue
		}
		add(&base, sl, false)
		for _, n := range strings.Split(core, ",") {
			k, err := strconv.Atoi(strings.TrimSpace(n))
			if err != nil {
				t.Fatalf("reference: %s cell %q", id, c)
			}
			re := res[k]
			if re == nil {
				re = &refReq{id: fmt.Sprintf("%s RE %d", id, k), parent: id, fr: fr}
				res[k] = re
			}
			add(re, sl, unsure)
		}
	}
	out := []refReq{base}
	keys := make([]int, 0, len(res))
	for k := range res {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		out = append(out, *res[k])
	}
	return out
}

func TestContentMatchesReference(t *testing.T) {
	eachReferenceCopy(t, referenceFiles, func(t *testing.T, data []byte) { checkReference(t, parseReference(t, data)) })
}

// eachReferenceCopy runs check on every copy of a reference that is
// present: the shared one beside the repository and the testdata copy CI
// has in a clone. Under CI none at all fails the run.
func eachReferenceCopy(t *testing.T, paths []string, check func(t *testing.T, data []byte)) {
	found := 0
	for _, path := range paths {
		data, err := os.ReadFile(path)
		if os.IsNotExist(err) {
			t.Logf("%s: absent, skipped", path)
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		found++
		t.Run(path, func(t *testing.T) { check(t, data) })
	}
	if found == 0 {
		if os.Getenv("CI") != "" {
			t.Fatal("no copy of the reference found (testdata/ holds one)")
		}
		t.Skip("no copy of the reference found")
	}
}

func checkReference(t *testing.T, r *reference) {
	t.Run("2-1:2024", func(t *testing.T) {
		tpl := BuiltinByID(IEC62443_2_1_2024)
		want := map[string]bool{}
		sections := map[string]bool{}
		for _, ri := range r.ed2 {
			want[ri.id] = true
			sections[ri.section] = true
			it := onlyOnce(t, tpl, ri.id)
			if it == nil {
				continue
			}
			if !strings.EqualFold(it.Title, ri.title) {
				t.Errorf("%s: title %q, reference %q", ri.id, it.Title, ri.title)
			}
			if it.Section != ri.section {
				t.Errorf("%s: in section %q, want %q", ri.id, it.Section, ri.section)
			}
			checkUncertain(t, it, ri.uncertain)
		}
		noExtra(t, tpl, want)
		if r.ed2Count != [2]int{len(r.ed2), len(sections)} {
			t.Errorf("reference states %v IDs and groups, lists %d in %d", r.ed2Count, len(r.ed2), len(sections))
		}
		checkGroups(t, tpl, r.spe)
	})
	t.Run("2-1:2010", func(t *testing.T) {
		tpl := BuiltinByID(IEC62443_2_1_2010)
		want := map[string]bool{}
		for _, ri := range r.ed1Items {
			want[ri.id] = true
			it := onlyOnce(t, tpl, ri.id)
			if it == nil {
				continue
			}
			if it.Section != ri.section {
				t.Errorf("%s: in section %q, want %q", ri.id, it.Section, ri.section)
			}
			if ri.title != "" && !strings.EqualFold(it.Title, ri.title) {
				t.Errorf("%s: title %q, reference %q", ri.id, it.Title, ri.title)
			}
			if it.Tier != ri.tier {
				t.Errorf("%s: tier %q, reference makes it %q", ri.id, it.Tier, ri.tier)
			}
			checkUncertain(t, it, false)
		}
		for id, title := range r.ed1Section {
			s := tpl.Section(id)
			if s == nil {
				t.Errorf("element %s (%s) is not a section", id, title)
			} else if !strings.EqualFold(s.Title, title) {
				t.Errorf("section %s: title %q, reference %q", id, s.Title, title)
			}
		}
		noExtra(t, tpl, want)
		if r.ed1Stated == 0 || r.ed1Elements != r.ed1Stated {
			t.Errorf("reference lists %d elements, states %d", r.ed1Elements, r.ed1Stated)
		}
		for id, n := range r.ed1Split {
			if s := tpl.Section(id); s != nil && len(s.Items) != n {
				t.Errorf("element %s: %d items, reference splits it into %d requirements", id, len(s.Items), n)
			}
		}
		checkGroups(t, tpl, r.ed1Groups)
	})
	t.Run("3-3:2013", func(t *testing.T) {
		tpl := BuiltinByID(IEC62443_3_3_2013)
		want := map[string]bool{}
		srs := 0
		for _, rr := range r.sr {
			want[rr.id] = true
			if rr.parent == "" {
				srs++
			}
			it := onlyOnce(t, tpl, rr.id)
			if it == nil {
				continue
			}
			if rr.title != "" && !strings.EqualFold(it.Title, rr.title) {
				t.Errorf("%s: title %q, reference %q", rr.id, it.Title, rr.title)
			}
			if it.Parent != rr.parent {
				t.Errorf("%s: parent %q, want %q", rr.id, it.Parent, rr.parent)
			}
			if !it.HasFR || it.FR.Number() != rr.fr {
				t.Errorf("%s: FR %v, reference FR %d", rr.id, it.FR, rr.fr)
			}
			checkCells(t, it, rr.levels, rr.unsure)
		}
		if srs != 51 {
			t.Errorf("reference lists %d SRs, want 51", srs)
		}
		noExtra(t, tpl, want)
	})
}

// checkCells compares an item's SL row with the reference cell by cell:
// required or not, disputed or not, at each of SL1–SL4.
func checkCells(t *testing.T, it *Item, levels, unsure []int) {
	t.Helper()
	for sl := 1; sl <= 4; sl++ {
		if got, want := it.RequiredAt(sl), slices.Contains(levels, sl); got != want {
			t.Errorf("%s SL%d: required = %v, reference %v", it.ID, sl, got, want)
		}
		if got, want := it.UncertainAt(sl), slices.Contains(unsure, sl); got != want {
			t.Errorf("%s SL%d: disputed = %v, reference %v", it.ID, sl, got, want)
		}
	}
	if len(it.Levels)+len(it.UncertainLevels) == 0 {
		t.Errorf("%s: no SL cell at all", it.ID)
	}
	checkUncertain(t, it, len(unsure) > 0)
}

// checkUncertain: an item is flagged exactly when the reference disputes
// it, and a flag always says why.
func checkUncertain(t *testing.T, it *Item, want bool) {
	t.Helper()
	if it.Uncertain != want {
		t.Errorf("%s: uncertain = %v, reference %v", it.ID, it.Uncertain, want)
	}
	if it.Uncertain && it.UncertainNote == "" {
		t.Errorf("%s: uncertain without a note", it.ID)
	}
}

// checkGroups compares the template's groups with the reference's layer
// above the sections: same IDs in the same order, same titles, the same
// sections in each, and each item carrying its section's group.
func checkGroups(t *testing.T, tpl *Template, want []refGroup) {
	t.Helper()
	if len(tpl.Groups) != len(want) {
		t.Errorf("%s: %d groups, reference %d", tpl.ID, len(tpl.Groups), len(want))
	}
	for i, rg := range want {
		if i >= len(tpl.Groups) {
			break
		}
		g := tpl.Groups[i]
		if g.ID != rg.id || !strings.EqualFold(g.Title, rg.title) {
			t.Errorf("group %d: %s %q, reference %s %q", i+1, g.ID, g.Title, rg.id, rg.title)
		}
		var got []string
		for _, s := range g.Sections {
			got = append(got, s.ID)
		}
		if !slices.Equal(got, rg.members) {
			t.Errorf("group %s: sections %v, reference %v", rg.id, got, rg.members)
		}
	}
	for _, s := range tpl.Sections {
		for _, it := range s.Items {
			if it.Group != s.Group || tpl.Group(it.Group) == nil {
				t.Errorf("%s: group %q, section %s is in %q", it.ID, it.Group, s.ID, s.Group)
			}
		}
	}
}

func onlyOnce(t *testing.T, tpl *Template, id string) *Item {
	t.Helper()
	n := 0
	for _, it := range tpl.Items() {
		if it.ID == id {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%s: %s appears %d times, want once", tpl.ID, id, n)
		return nil
	}
	return tpl.Item(id)
}

// noExtra catches invented IDs: everything in the content must come from
// the reference.
func noExtra(t *testing.T, tpl *Template, want map[string]bool) {
	t.Helper()
	for _, it := range tpl.Items() {
		if !want[it.ID] {
			t.Errorf("%s: item %s is not in the reference", tpl.ID, it.ID)
		}
	}
}
