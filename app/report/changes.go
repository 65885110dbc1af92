package report

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/zonewalk/zonewalk/app/diff"
	"github.com/zonewalk/zonewalk/assets"
	"github.com/zonewalk/zonewalk/assets/checks"
	"github.com/zonewalk/zonewalk/assets/english"
)

// maxChangeRows bounds each table of the changes section: a re-audit of a
// large plant may change thousands of fields, and the report is read by
// people; `zonewalk diff` lists them all.
const maxChangeRows = 150

// changes writes "Changes since the previous audit" when Options.Changes
// is set: the counts, a per-FR chart of each assessed zone's SL-A before
// and after, and tables of what changed.
func (r *renderer) changes(ctx context.Context, d *doc) error {
	c := r.opts.Changes
	if c == nil {
		return nil
	}
	d.heading1("Changes since the previous audit")
	b := c.Baseline
	when := ""
	if b.StartDate != "" {
		when = fmt.Sprintf(" (%s to %s)", b.StartDate, cmpOr(b.EndDate, b.StartDate))
	}
	d.para(fmt.Sprintf("This audit is compared with the previous audit “%s”%s. Zones, conduits, assets and checklist answers are "+
		"matched by their record IDs; an asset deleted and recorded again is listed as removed and added. The findings of "+
		"both audits were judged on %s, so that review dates that merely aged do not count as changes.", b.Title, when, c.Day), body)
	d.gap(6)
	n := c.Counts
	recreated := ""
	if n.Assets.Recreated > 0 {
		recreated = fmt.Sprintf(" (%d re-created with the same tag)", n.Assets.Recreated)
	}
	d.kv([][2]string{
		{"Assets", fmt.Sprintf("%d added%s, %d removed, %d changed; %d before, %d now", n.Assets.Added, recreated,
			n.Assets.Removed, n.Assets.Changed, b.Assets, c.Current.Assets)},
		{"Zones", fmt.Sprintf("%d added, %d removed, %d changed", n.Zones.Added, n.Zones.Removed, n.Zones.Changed)},
		{"Conduits", fmt.Sprintf("%d added, %d removed, %d changed", n.Conduits.Added, n.Conduits.Removed, n.Conduits.Changed)},
		{"Findings", fmt.Sprintf("%d new, %d resolved, %d still open", n.Findings.New, n.Findings.Resolved, n.Findings.StillOpen)},
		{"Checklist answers", english.Count(n.Answers, "answer changed", "answers changed")},
	})

	r.slaChart(d, c.Zones.Levels)
	if err := ctx.Err(); err != nil {
		return err
	}

	findingRows := func(list []diff.Finding) [][]cell {
		rows := make([][]cell, 0, len(list))
		for _, f := range list {
			sev, _ := checks.ParseSeverity(f.Severity)
			rows = append(rows, []cell{sevCell(sev), txt(f.Rule), txt(f.Title)})
		}
		return rows
	}
	findingCols := []column{{title: "Severity", width: 1}, {title: "Rule or item", width: 1.8}, {title: "Finding", width: 6}}
	r.changeTable(d, "Findings resolved since the previous audit", findingCols, findingRows(c.Findings.Resolved))
	r.changeTable(d, "New findings", findingCols, findingRows(c.Findings.New))

	var added [][]cell
	for _, l := range []struct {
		what string
		list []diff.AssetRef
	}{{"added", c.Assets.Added}, {"removed", c.Assets.Removed}} {
		for _, a := range l.list {
			what := l.what
			if a.Recreated {
				what += " (re-created, same tag)"
			}
			added = append(added, []cell{txt(a.Tag), txt(a.Type), txt(a.Zone), txt(what)})
		}
	}
	r.changeTable(d, "Assets added and removed", []column{{title: "Tag", width: 2}, {title: "Type", width: 1.2},
		{title: "Zone", width: 2.4}, {title: "Change", width: 2.4}}, added)

	fieldCols := []column{{title: "Record", width: 2}, {title: "Field", width: 1.6}, {title: "Before", width: 2.4}, {title: "After", width: 2.4}}
	var assetRows [][]cell
	for _, a := range c.Assets.Changed {
		assetRows = append(assetRows, fieldRows(a.Tag, a.Changes)...)
	}
	r.changeTable(d, "Assets changed", fieldCols, assetRows)

	var modelRows [][]cell
	for _, z := range c.Zones.Added {
		modelRows = append(modelRows, []cell{txt("Zone " + z.Name), txt("–"), txt("–"), txt("added")})
	}
	for _, z := range c.Zones.Removed {
		modelRows = append(modelRows, []cell{txt("Zone " + z.Name), txt("–"), txt("removed"), txt("–")})
	}
	for _, z := range c.Zones.Changed {
		modelRows = append(modelRows, fieldRows("Zone "+z.Name, z.Changes)...)
	}
	for _, x := range c.Conduits.Added {
		modelRows = append(modelRows, []cell{txt("Conduit " + x.Name), txt("–"), txt("–"), txt("added")})
	}
	for _, x := range c.Conduits.Removed {
		modelRows = append(modelRows, []cell{txt("Conduit " + x.Name), txt("–"), txt("removed"), txt("–")})
	}
	for _, x := range c.Conduits.Changed {
		modelRows = append(modelRows, fieldRows("Conduit "+x.Name, x.Changes)...)
	}
	r.changeTable(d, "Zones and conduits changed", fieldCols, modelRows)

	var answerRows [][]cell
	for _, a := range c.Answers {
		item := strings.TrimSpace(a.Item + " " + a.ItemTitle)
		answerRows = append(answerRows, []cell{txt(item), txt(cmpOr(a.Zone, "(organisation)")), txt(answerText(a.Before)), txt(answerText(a.After))})
	}
	r.changeTable(d, "Checklist answers changed", []column{{title: "Item", width: 3}, {title: "Zone", width: 1.8},
		{title: "Before", width: 2}, {title: "After", width: 2}}, answerRows)
	return d.check("changes since the previous audit")
}

// changeTable sets one table of the section under its heading, or says
// there is nothing; long tables are cut at maxChangeRows.
func (r *renderer) changeTable(d *doc, title string, cols []column, rows [][]cell) {
	d.heading2(title, false, 60)
	if len(rows) == 0 {
		d.para("None.", body)
		return
	}
	more := 0
	if len(rows) > maxChangeRows {
		more, rows = len(rows)-maxChangeRows, rows[:maxChangeRows]
	}
	d.fail(d.table(&table{cols: cols, rows: rows, zebra: true}))
	if more > 0 {
		d.para(fmt.Sprintf("%d further rows are not shown; `zonewalk diff` lists every change.", more), smallI)
	}
}

// fieldRows is one row per changed field, and one per FR for a security
// level vector whose levels changed on both sides.
func fieldRows(record string, changes []diff.FieldChange) [][]cell {
	var rows [][]cell
	for _, ch := range changes {
		b, bok := ch.Before.(*assets.SLVector)
		a, aok := ch.After.(*assets.SLVector)
		if bok && aok && b != nil && a != nil {
			name := strings.ToUpper(strings.ReplaceAll(ch.Field, "_", "-"))
			for i, fr := range assets.FRs {
				if b[i] != a[i] {
					rows = append(rows, []cell{txt(record), txt(fmt.Sprintf("%s FR %d %s", name, fr.Number(), fr)),
						txt(strconv.Itoa(b[i])), txt(strconv.Itoa(a[i]))})
				}
			}
			continue
		}
		rows = append(rows, []cell{txt(record), txt(ch.Field), txt(changeValue(ch.Before)), txt(changeValue(ch.After))})
	}
	return rows
}

func changeValue(v any) string {
	switch x := v.(type) {
	case string:
		return cmpOr(x, "–")
	case []string:
		return cmpOr(strings.Join(x, ", "), "–")
	case bool:
		if x {
			return "yes"
		}
		return "no"
	case int:
		return strconv.Itoa(x)
	case *assets.SLVector:
		if x == nil {
			return "not assessed"
		}
		return x.String()
	}
	return fmt.Sprint(v)
}

func answerText(a *diff.AnswerState) string {
	if a == nil {
		return "not answered"
	}
	s := a.Status
	if a.Maturity > 0 {
		s += fmt.Sprintf(", ML%d", a.Maturity)
	}
	if note := strings.TrimSpace(a.Note); note != "" {
		s += ": " + note
	}
	return s
}

// Chart geometry: a row per zone, a group of two bars per FR.
const (
	chartLabelW = 130.0
	chartBarMax = 30.0 // height of level 4
	chartRowH   = chartBarMax + 26
	chartBarW   = 12.0
)

var (
	beforeFill = lightGrey
	afterFill  = navy
)

// slaChart draws, for every zone assessed in either audit, SL-A per FR
// before (grey) and after (blue) as bars, with the current SL-T as a red
// mark across each pair.
func (r *renderer) slaChart(d *doc, levels []diff.ZoneLevels) {
	var shown []diff.ZoneLevels
	var never []string
	for _, z := range levels {
		if z.SLABefore == nil && z.SLAAfter == nil {
			never = append(never, z.Name)
			continue
		}
		shown = append(shown, z)
	}
	d.heading2("Achieved security level per zone, before and after", false, 40+chartRowH)
	if len(shown) == 0 {
		d.para("No zone was assessed against the 62443-3-3 system requirements in either audit.", body)
		return
	}
	d.para("For each foundational requirement (FR), the left bar is the achieved level (SL-A) of the previous audit "+
		"and the right bar that of this audit, from 0 to 4; the red mark is the zone's target level (SL-T) now. "+
		"The numbers under each pair read SL-A before → after; “–”: not assessed, or the zone did not exist.", smallI)
	d.gap(4)
	groupW := (contentW - chartLabelW) / float64(len(assets.FRs))
	for _, z := range shown {
		d.room(chartRowH)
		top := d.y
		base := top + chartBarMax + 2
		for _, l := range d.m.wrap(small.font, small.size, chartLabelW-8, d.m.oneLine(z.Name)) {
			d.text(marginL, top+ascent(small)+chartBarMax/2-4, l, small)
			top += small.lineHeight()
		}
		d.line(marginL+chartLabelW, base, pageW-marginR, base, grey, 0.5)
		for i, fr := range assets.FRs {
			x := marginL + chartLabelW + float64(i)*groupW
			cx := x + groupW/2
			bar := func(v *assets.SLVector, left float64, fill rgb) {
				if v == nil || v[i] == 0 {
					return
				}
				h := chartBarMax * float64(v[i]) / 4
				d.fillRect(left, base-h, chartBarW, h, fill)
			}
			bar(z.SLABefore, cx-chartBarW-1, beforeFill)
			bar(z.SLAAfter, cx+1, afterFill)
			if z.SLTAfter != nil && z.SLTAfter[i] > 0 {
				y := base - chartBarMax*float64(z.SLTAfter[i])/4
				d.line(cx-chartBarW-4, y, cx+chartBarW+4, y, classRed, 1.2)
			}
			d.textIn(x, base+2+ascent(caption), groupW, fr.String(), caption, alignCenter)
			d.textIn(x, base+2+caption.lineHeight()+ascent(caption), groupW, level(z.SLABefore, i)+" → "+level(z.SLAAfter, i), caption, alignCenter)
		}
		d.y += chartRowH
	}
	if len(never) > 0 {
		d.para("Not assessed in either audit: "+strings.Join(never, ", ")+".", smallI)
	}
}

func level(v *assets.SLVector, i int) string {
	if v == nil {
		return "–"
	}
	return strconv.Itoa(v[i])
}
