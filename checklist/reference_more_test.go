package checklist

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// The companion reference holds the 2-4 and 3-2 structure (and 4-2, not yet
// a template). As with the main reference, the shared file is checked where
// it exists and the testdata copy keeps CI running without it.
var referenceMoreFiles = []string{
	"../../shared/reference/iec62443-more-structure.md",
	"testdata/iec62443-more-structure.md",
}

type moreReference struct {
	sp         []refItem         // 2-4 BRs and REs, in table order
	spSection  map[string]string // SP.aa → title
	spStated   [3]int            // areas, BRs, REs as the counts line states them
	zcr        []refItem
	zcrSection map[string]string // ZCR n → title
	zcrStated  [2]int            // groups, sub-requirements as stated
}

var (
	spLine    = regexp.MustCompile(`^- (SP\.\d{2}) (.+?) \((\d+) BR, (\d+) RE\): (.+)$`)
	spBR      = regexp.MustCompile(`^\.(\d{2}) (.+)$`)
	spRE      = regexp.MustCompile(`\bRE(\d+) `)
	spCounts  = regexp.MustCompile(`^Counts: (\d+) functional areas, (\d+) BRs, (\d+) REs`)
	zcrLine   = regexp.MustCompile(`^- (ZCR \d+) (.+?): (.+)$`)
	zcrPart   = regexp.MustCompile(`^(\d+\.\d+) (.+)$`)
	zcrCounts = regexp.MustCompile(`^Counts: (\d+) ZCR groups .*?, (\d+) assessable sub-requirements`)
)

// splitTop splits s at "; " outside parentheses.
func splitTop(s string) []string {
	var out []string
	depth, start := 0, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '(':
			depth++
		case ')':
			depth--
		case ';':
			if depth == 0 && strings.HasPrefix(s[i:], "; ") {
				out = append(out, s[start:i])
				start = i + 2
			}
		}
	}
	return append(out, s[start:])
}

func parseMoreReference(t *testing.T, data []byte) *moreReference {
	t.Helper()
	r := &moreReference{spSection: map[string]string{}, zcrSection: map[string]string{}}
	heading := ""
	atoi := func(s string) int { n, _ := strconv.Atoi(s); return n }
	for _, line := range logicalLines(data) {
		if strings.HasPrefix(line, "## ") {
			heading = line
			continue
		}
		switch {
		case strings.HasPrefix(heading, "## 62443-2-4"):
			if m := spCounts.FindStringSubmatch(line); m != nil {
				r.spStated = [3]int{atoi(m[1]), atoi(m[2]), atoi(m[3])}
				continue
			}
			m := spLine.FindStringSubmatch(line)
			if m == nil {
				continue
			}
			area := m[1]
			r.spSection[area] = m[2]
			brs, res := 0, 0
			for _, p := range splitTop(m[5]) {
				bm := spBR.FindStringSubmatch(p)
				if bm == nil {
					t.Fatalf("reference: cannot read %s entry %q", area, p)
				}
				br := area + "." + bm[1] + " BR"
				r.sp = append(r.sp, refItem{id: br, section: area})
				brs++
				// Each "REn" runs to the next one; a "(?)" inside disputes it.
				locs := spRE.FindAllStringSubmatchIndex(bm[2], -1)
				for i, loc := range locs {
					end := len(bm[2])
					if i+1 < len(locs) {
						end = locs[i+1][0]
					}
					n := bm[2][loc[2]:loc[3]]
					r.sp = append(r.sp, refItem{
						id: area + "." + bm[1] + " RE(" + n + ")", section: area, parent: br,
						uncertain: strings.Contains(bm[2][loc[0]:end], uncertain),
					})
					res++
				}
			}
			if brs != atoi(m[3]) || res != atoi(m[4]) {
				t.Fatalf("reference: %s lists %d BR and %d RE but states %s and %s", area, brs, res, m[3], m[4])
			}
		case strings.HasPrefix(heading, "## 62443-3-2"):
			if m := zcrCounts.FindStringSubmatch(line); m != nil {
				r.zcrStated = [2]int{atoi(m[1]), atoi(m[2])}
				continue
			}
			m := zcrLine.FindStringSubmatch(line)
			if m == nil {
				continue
			}
			r.zcrSection[m[1]] = m[2]
			for _, p := range strings.Split(m[3], "; ") {
				pm := zcrPart.FindStringSubmatch(p)
				if pm == nil {
					t.Fatalf("reference: cannot read %s entry %q", m[1], p)
				}
				r.zcr = append(r.zcr, refItem{id: "ZCR " + pm[1], section: m[1]})
			}
		}
	}
	if len(r.sp) == 0 || len(r.zcr) == 0 {
		t.Fatalf("reference: found %d 2-4 and %d 3-2 entries; has the file's layout changed?", len(r.sp), len(r.zcr))
	}
	return r
}

func TestMoreContentMatchesReference(t *testing.T) {
	eachReferenceCopy(t, referenceMoreFiles, func(t *testing.T, data []byte) { checkMoreReference(t, parseMoreReference(t, data)) })
}

func checkMoreReference(t *testing.T, r *moreReference) {
	t.Run("2-4:2023", func(t *testing.T) {
		tpl := BuiltinByID(IEC62443_2_4_2023)
		want := map[string]bool{}
		brs := 0
		for _, ri := range r.sp {
			want[ri.id] = true
			if ri.parent == "" {
				brs++
			}
			it := onlyOnce(t, tpl, ri.id)
			if it == nil {
				continue
			}
			if it.Section != ri.section {
				t.Errorf("%s: in section %q, want %q", ri.id, it.Section, ri.section)
			}
			if it.Parent != ri.parent {
				t.Errorf("%s: parent %q, want %q", ri.id, it.Parent, ri.parent)
			}
			checkUncertain(t, it, ri.uncertain)
		}
		noExtra(t, tpl, want)
		checkSections(t, tpl, r.spSection)
		if got := [3]int{len(r.spSection), brs, len(r.sp) - brs}; got != r.spStated {
			t.Errorf("reference lists %v areas, BRs and REs, states %v", got, r.spStated)
		}
	})
	t.Run("3-2:2020", func(t *testing.T) {
		tpl := BuiltinByID(IEC62443_3_2_2020)
		want := map[string]bool{}
		for _, ri := range r.zcr {
			want[ri.id] = true
			it := onlyOnce(t, tpl, ri.id)
			if it == nil {
				continue
			}
			if it.Section != ri.section {
				t.Errorf("%s: in section %q, want %q", ri.id, it.Section, ri.section)
			}
			checkUncertain(t, it, false)
		}
		noExtra(t, tpl, want)
		checkSections(t, tpl, r.zcrSection)
		if got := [2]int{len(r.zcrSection), len(r.zcr)}; got != r.zcrStated {
			t.Errorf("reference lists %v groups and sub-requirements, states %v", got, r.zcrStated)
		}
	})
}

// checkSections: the template's sections are exactly the reference's, with
// its titles.
func checkSections(t *testing.T, tpl *Template, want map[string]string) {
	t.Helper()
	if len(tpl.Sections) != len(want) {
		t.Errorf("%s: %d sections, reference %d", tpl.ID, len(tpl.Sections), len(want))
	}
	for _, s := range tpl.Sections {
		title, ok := want[s.ID]
		switch {
		case !ok:
			t.Errorf("%s: section %s is not in the reference", tpl.ID, s.ID)
		case !strings.EqualFold(s.Title, title):
			t.Errorf("section %s: title %q, reference %q", s.ID, s.Title, title)
		}
	}
}
