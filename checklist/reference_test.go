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
	ed2        []refItem
	ed1Items   []refItem // leaf elements and sub-elements
	ed1Section map[string]string
	sr         []refReq // base SRs and REs, in table order
}

var (
	ed2Line   = regexp.MustCompile(`^- ([A-Z]+) (\d+) ([^:]+): (.+)$`)
	ed2Part   = regexp.MustCompile(`^(\d+\.\d+) (.+?)( \(\?\))?$`)
	ed1Line   = regexp.MustCompile(`^- (4\.\d) ([^:]+): (.+)$`)
	ed1Elem   = regexp.MustCompile(`^(\d+\.\d+\.\d+) ([^(]+?)(?: \((.*)\))?$`)
	ed1Sub    = regexp.MustCompile(`(?:^|[ ,…])(\d+\.\d+\.\d+\.\d+|\.\d+) `)
	srLine    = regexp.MustCompile(`^- FR(\d) [A-Z]+: (.+)$`)
	srPart    = regexp.MustCompile(`^SR(\d+\.\d+) (.+?) \[([^\]]+)\](.*)$`)
	uncertain = "(?)"
)

func parseReference(t *testing.T, data []byte) *reference {
	t.Helper()
	r := &reference{ed1Section: map[string]string{}}
	heading := ""
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(line, "## ") {
			heading = line
			continue
		}
		switch {
		case strings.HasPrefix(heading, "## 62443-2-1:2024"):
			m := ed2Line.FindStringSubmatch(line)
			if m == nil {
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
			m := ed1Line.FindStringSubmatch(line)
			if m == nil {
				continue
			}
			for _, p := range strings.Split(m[3], "; ") {
				em := ed1Elem.FindStringSubmatch(p)
				if em == nil {
					t.Fatalf("reference: cannot read 2-1:2010 element %q", p)
				}
				if em[3] == "" {
					r.ed1Items = append(r.ed1Items, refItem{id: em[1], title: em[2], section: em[1]})
					continue
				}
				r.ed1Section[em[1]] = em[2]
				for _, sm := range ed1Sub.FindAllStringSubmatch(em[3], -1) {
					id := sm[1]
					if strings.HasPrefix(id, ".") {
						id = em[1] + id
					}
					if !strings.HasPrefix(id, em[1]+".") {
						t.Fatalf("reference: sub-element %s outside %s", id, em[1])
					}
					r.ed1Items = append(r.ed1Items, refItem{id: id, section: em[1]})
				}
			}
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
	if len(r.ed2) == 0 || len(r.ed1Items) == 0 || len(r.sr) == 0 {
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
	found := 0
	for _, path := range referenceFiles {
		data, err := os.ReadFile(path)
		if os.IsNotExist(err) {
			t.Logf("%s: absent, skipped", path)
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		found++
		t.Run(path, func(t *testing.T) { checkReference(t, parseReference(t, data)) })
	}
	if found == 0 {
		t.Skip("no copy of the reference file found")
	}
}

func checkReference(t *testing.T, r *reference) {
	t.Run("2-1:2024", func(t *testing.T) {
		tpl := BuiltinByID(IEC62443_2_1_2024)
		want := map[string]bool{}
		for _, ri := range r.ed2 {
			want[ri.id] = true
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
			if it.Uncertain != ri.uncertain {
				t.Errorf("%s: uncertain = %v, reference marks it %v", ri.id, it.Uncertain, ri.uncertain)
			}
		}
		noExtra(t, tpl, want)
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
			slices.Sort(rr.levels)
			slices.Sort(rr.unsure)
			if !slices.Equal(it.Levels, rr.levels) {
				t.Errorf("%s: levels %v, reference %v", rr.id, it.Levels, rr.levels)
			}
			if !slices.Equal(it.UncertainLevels, rr.unsure) {
				t.Errorf("%s: uncertain levels %v, reference disputes %v", rr.id, it.UncertainLevels, rr.unsure)
			}
			if it.Uncertain != (len(rr.unsure) > 0) {
				t.Errorf("%s: uncertain = %v", rr.id, it.Uncertain)
			}
		}
		if srs != 51 {
			t.Errorf("reference lists %d SRs, want 51", srs)
		}
		noExtra(t, tpl, want)
	})
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
