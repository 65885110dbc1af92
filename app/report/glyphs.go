package report

import (
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/zonewalk/zonewalk/assets/english"
	"github.com/zonewalk/zonewalk/diagram/fonts"
)

// drawText sets one cleaned line with its baseline at y, run by run, each
// in the font that has its characters (see metrics.runs).
func (d *doc) drawText(x, y float64, s string, st style) {
	for _, r := range d.m.runs(st.font, s) {
		if r.font == fallback {
			d.fail(ensureFallback(d.pdf))
		}
		d.setStyle(style{r.font, st.size, st.color})
		d.pdf.SetXY(x, y)
		d.fail(d.pdf.Text(r.text))
		x += d.m.width(r.font, st.size, r.text)
	}
}

// missingRunes lists, once each and in order, the runes of s that no
// embedded font draws (and that are not invisible by design).
func (m *metrics) missingRunes(s string) []rune {
	var out []rune
	for _, r := range s {
		if !fonts.Invisible(r) && r != '\n' && !m.hasGlyph(r) && !slices.Contains(out, r) {
			out = append(out, r)
		}
	}
	return out
}

// unprintable is a record field holding characters no font has.
type unprintable struct {
	kind, name, field string
	runes             []rune
}

// unprintables finds, in every record the report is made from, the text
// fields with characters the fonts lack. Fields are found by reflection so
// that a field added to a record later is covered too; IDs and version
// stamps (Meta) are left out.
func (m *metrics) unprintables(a *analysis) []unprintable {
	var out []unprintable
	add := func(kind, name string, rec any) {
		m.walk(reflect.ValueOf(rec), "", func(field string, rs []rune) {
			out = append(out, unprintable{kind, name, field, rs})
		})
	}
	add("audit", a.audit.Title, a.audit)
	for _, z := range a.zones {
		add("zone", z.Name, z)
	}
	for _, c := range a.conduits {
		add("conduit", c.Name, c)
	}
	for _, p := range a.assets {
		name := p.Tag
		if name == "" {
			name = p.Name
		}
		add("asset", name, *p)
	}
	for _, an := range a.answers {
		name := an.Item
		if z, ok := a.zoneByID[an.Zone]; ok {
			name += ", " + z.Name
		}
		add("checklist answer", name, an)
	}
	for _, f := range a.findings {
		name := f.Title
		if no := a.findingNo[f.ID]; no != "" {
			name = no + " " + name
		}
		add("finding", name, f)
	}
	for _, e := range a.evidence {
		add("evidence", e.Name, e)
	}
	return out
}

// walk calls found for every string (or list of strings) under v holding
// runes no font has, with its path of JSON names.
func (m *metrics) walk(v reflect.Value, path string, found func(field string, rs []rune)) {
	switch v.Kind() {
	case reflect.String:
		if rs := m.missingRunes(v.String()); len(rs) > 0 {
			found(path, rs)
		}
	case reflect.Slice, reflect.Array:
		if v.Type().Elem().Kind() == reflect.String {
			var rs []rune
			for i := range v.Len() {
				for _, r := range m.missingRunes(v.Index(i).String()) {
					if !slices.Contains(rs, r) {
						rs = append(rs, r)
					}
				}
			}
			if len(rs) > 0 {
				found(path, rs)
			}
			return
		}
		for i := range v.Len() {
			m.walk(v.Index(i), path, found)
		}
	case reflect.Map:
		keys := v.MapKeys()
		slices.SortFunc(keys, func(a, b reflect.Value) int { return strings.Compare(fmt.Sprint(a), fmt.Sprint(b)) })
		for _, k := range keys {
			m.walk(v.MapIndex(k), path, found)
		}
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			m.walk(v.Elem(), path, found)
		}
	case reflect.Struct:
		t := v.Type()
		for i := range t.NumField() {
			sf := t.Field(i)
			if !sf.IsExported() || sf.Name == "Meta" {
				continue
			}
			name, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
			if name == "-" {
				continue
			}
			if name == "" {
				name = strings.ToLower(sf.Name)
			}
			if path != "" && !sf.Anonymous {
				name = path + "." + name
			} else if sf.Anonymous {
				name = path
			}
			m.walk(v.Field(i), name, found)
		}
	}
}

// unprintableSection is the report's last part when some record holds
// characters no embedded font has: they were printed as "�", and this
// names where, so the auditor can check them in Zonewalk.
func (r *renderer) unprintableSection(d *doc) {
	list := r.m.unprintables(r.a)
	if len(list) == 0 {
		return
	}
	d.heading1("Characters not printed")
	d.para(fmt.Sprintf("The report's fonts have no glyph for some characters in %s of the audit data, mostly emoji. "+
		"They are printed as \uFFFD; the data itself is unchanged. The characters are given by their Unicode code points.",
		english.Count(len(list), "field", "fields")), body)
	d.gap(4)
	t := &table{cols: []column{{title: "Record", width: 1.2}, {title: "Name", width: 2.8}, {title: "Field", width: 1.4},
		{title: "Characters", width: 2.2}}, zebra: true}
	for _, u := range list {
		codes := make([]string, len(u.runes))
		for i, c := range u.runes {
			codes[i] = fmt.Sprintf("U+%04X", c)
		}
		t.rows = append(t.rows, []cell{txt(u.kind), txt(u.name), txt(u.field), txt(strings.Join(codes, " "))})
	}
	d.fail(d.table(t))
}
