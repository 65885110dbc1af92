package report

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/zonewalk/zonewalk/app/risk"
	"github.com/zonewalk/zonewalk/assets"
	"github.com/zonewalk/zonewalk/assets/english"
	"github.com/zonewalk/zonewalk/checklist"
)

// riskSection writes "Risk assessment and SL-T": the audit's risk matrix
// with the scenarios counted per cell, the register, and per zone where
// each level of its SL-T came from (62443-3-2 ZCR 2, 5 and the SL-T
// derivation of package risk).
func (r *renderer) riskSection(ctx context.Context, d *doc) error {
	a := r.a
	d.heading1("Risk assessment and SL-T")
	if len(a.risks) == 0 {
		d.para("No threat scenarios are recorded for this audit, so the target security levels (SL-T) in this report have no "+
			"recorded risk basis: they were set without a documented IEC 62443-3-2 risk assessment.", body)
		// An override needs no scenario; its reason is still the basis given.
		for _, z := range a.zones {
			if z.SLTBasis.Source == assets.BasisOverride {
				d.gap(2)
				d.bullet(fmt.Sprintf("Zone %s: SL-T %s set by the asset owner. Reason: %s", z.Name, z.SLT, z.SLTBasis.Reason), small)
			}
		}
		return d.check("risk assessment")
	}
	m := a.matrix
	d.para(fmt.Sprintf("The threat scenarios of the IEC 62443-3-2 risk assessment: the initial assessment (ZCR 2) rates the worst case "+
		"before countermeasures, the detailed assessment (ZCR 5) rates each zone and conduit with the countermeasures in place and "+
		"the residual risk left. Risk is likelihood × impact on the audit's %d×%d matrix; a score above %d is not tolerable. "+
		"For each foundational requirement (FR), the SL-T suggested for a zone is the highest attacker profile (SL 1–4) among the "+
		"scenarios above the tolerable line that apply to the zone (scoped to it, to a conduit that joins it, or to the whole "+
		"system) and name that FR.", len(m.Likelihoods), len(m.Impacts), m.Tolerable), body)

	d.heading2("Risk matrix", false, 180)
	r.riskMatrix(d)

	d.heading2("Risk register", false, 80)
	r.riskRegister(d)
	if err := ctx.Err(); err != nil {
		return err
	}

	d.heading2("SL-T per zone and its basis", false, 120)
	d.para("For each zone: the SL-T per FR, the suggestion recorded when the SL-T was accepted or overridden, the risk register's "+
		"suggestion now, and where each level came from: accepted from the risk assessment, overridden with the reason given, "+
		"or typed in with no risk basis. The reasons under each zone are the register's, FR by FR.", smallI)
	for i := range a.zones {
		r.zoneBasis(d, &a.zones[i])
		if err := ctx.Err(); err != nil {
			return err
		}
	}
	if len(a.zones) == 0 {
		d.para("No zones are defined.", body)
	}
	return d.check("risk assessment")
}

// Matrix geometry.
const (
	matrixCellH    = 26.0
	matrixMaxCellW = 64.0
	matrixHatch    = 5.0 // spacing of the hatching of cells above the tolerable line
)

var (
	tolerableFill = metFill
	aboveFill     = gapFill
	hatchColor    = rgb{0xc0, 0x6a, 0x60}
	edgeColor     = black
)

// riskMatrix draws the likelihood × impact grid, highest likelihood on
// top, with the number of scenarios in each cell rated by the risk that
// counts for it (see assets.Risk.Rating). Cells above the tolerable line
// are hatched and a heavy line follows the line, so the grid reads in
// grey print; the counts are figures, not shades.
func (r *renderer) riskMatrix(d *doc) {
	a := r.a
	m := a.matrix
	nl, ni := len(m.Likelihoods), len(m.Impacts)
	count := map[[2]int]int{}
	outside, above := 0, 0
	for i := range a.risks {
		sc := risk.Weigh(&a.risks[i], m)
		l, im, _ := a.risks[i].Rating()
		if !m.Contains(l, im) {
			outside++
			continue
		}
		count[[2]int{l, im}]++
		if sc.Raises() {
			above++
		}
	}
	rowLabel := func(l int) string { return strconv.Itoa(l) + " " + m.Likelihoods[l-1] }
	labelW := 0.0
	for l := 1; l <= nl; l++ {
		labelW = math.Max(labelW, d.m.width(small.font, small.size, rowLabel(l)))
	}
	labelW = math.Min(labelW+10, 150)
	cellW := math.Min(matrixMaxCellW, (contentW-labelW)/float64(ni))
	colLines := make([][]string, ni)
	colH := 0
	for i := range ni {
		colLines[i] = d.m.wrap(caption.font, caption.size, cellW-4, d.m.oneLine(strconv.Itoa(i+1)+" "+m.Impacts[i]))
		colLines[i] = colLines[i][:min(len(colLines[i]), 3)]
		colH = max(colH, len(colLines[i]))
	}
	gridH := float64(nl) * matrixCellH
	head := small.lineHeight() + 2
	total := head + gridH + 4 + float64(colH)*caption.lineHeight() + small.lineHeight() + 6
	d.room(total)
	x0 := marginL + labelW
	top := d.y + head
	d.text(marginL, d.y+ascent(label), "Likelihood", label)
	tolerates := func(l, i int) bool { return m.Tolerates(m.Score(l, i)) }
	for row := range nl {
		l := nl - row
		y := top + float64(row)*matrixCellH
		d.textIn(marginL, y+matrixCellH/2+small.size*0.35, labelW-8, d.m.fit(small.font, small.size, labelW-8, rowLabel(l)), small, alignRight)
		for i := 1; i <= ni; i++ {
			x := x0 + float64(i-1)*cellW
			if tolerates(l, i) {
				d.fillRect(x, y, cellW, matrixCellH, tolerableFill)
			} else {
				d.fillRect(x, y, cellW, matrixCellH, aboveFill)
				d.hatch(x, y, cellW, matrixCellH, matrixHatch, hatchColor, 0.5)
			}
			d.strokeRect(x, y, cellW, matrixCellH, white, 1)
			if n := count[[2]int{l, i}]; n > 0 {
				num := strconv.Itoa(n)
				st := style{bold, 11, black}
				w := d.m.width(st.font, st.size, num)
				bx, by := x+(cellW-w)/2-3, y+(matrixCellH-st.size-4)/2
				d.fillRect(bx, by, w+6, st.size+4, white)
				d.strokeRect(bx, by, w+6, st.size+4, black, 0.5)
				d.text(bx+3, by+2+st.size*0.8, num, st)
			}
		}
	}
	// The tolerable line: between a tolerable cell and the cell above it
	// or to its right that is not.
	for row := range nl {
		l := nl - row
		y := top + float64(row)*matrixCellH
		for i := 1; i <= ni; i++ {
			x := x0 + float64(i-1)*cellW
			if tolerates(l, i) {
				continue
			}
			if i > 1 && tolerates(l, i-1) {
				d.line(x, y, x, y+matrixCellH, edgeColor, 2)
			}
			if l > 1 && tolerates(l-1, i) {
				d.line(x, y+matrixCellH, x+cellW, y+matrixCellH, edgeColor, 2)
			}
		}
	}
	d.strokeRect(x0, top, cellW*float64(ni), gridH, grey, 0.6)
	y := top + gridH + 4
	for i, lines := range colLines {
		x := x0 + float64(i)*cellW
		for k, l := range lines {
			d.textIn(x, y+ascent(caption)+float64(k)*caption.lineHeight(), cellW, l, caption, alignCenter)
		}
	}
	y += float64(colH) * caption.lineHeight()
	d.textIn(x0, y+ascent(label), cellW*float64(ni), "Impact", label, alignCenter)
	d.y = y + small.lineHeight() + 6
	text := fmt.Sprintf("Figures: the number of scenarios rated in each cell, by the risk that counts for them (the residual risk "+
		"where the detailed assessment rated one, else the unmitigated risk). Hatched cells, beyond the heavy line, are above the "+
		"tolerable risk %d. %s; %d above the tolerable line.", m.Tolerable,
		english.Count(len(a.risks), "scenario", "scenarios"), above)
	if outside > 0 {
		text += fmt.Sprintf(" %s rated outside this matrix and not counted.", english.Count(outside, "scenario is", "scenarios are"))
	}
	d.para(text, smallI)
}

// hatch draws diagonal lines (top right to bottom left) every gap points
// across the rectangle, clipped to it.
func (d *doc) hatch(x, y, w, h, gap float64, c rgb, width float64) {
	for k := gap; k < w+h; k += gap {
		sx := math.Min(k, w)
		ey := math.Min(k, h)
		d.line(x+sx, y+k-sx, x+k-ey, y+ey, c, width)
	}
}

// riskRegister lists the scenarios as Workspace.Risks orders them:
// highest risk that counts first.
func (r *renderer) riskRegister(d *doc) {
	a := r.a
	m := a.matrix
	t := &table{cols: []column{{title: "Scenario", width: 3.3}, {title: "Applies to", width: 1.5}, {title: "Stage", width: 1},
		{title: "Attacker", width: 0.9, align: alignCenter}, {title: "Risk → residual", width: 1.5},
		{title: "Tolerable", width: 1.2}, {title: "Countermeasures", width: 2.1}}, zebra: true}
	cms := a.countermeasureByID()
	for i := range a.risks {
		k := &a.risks[i]
		sc := risk.Weigh(k, m)
		var facts []string
		for _, f := range [][2]string{{"Threat source", k.ThreatSource}, {"vector", k.Vector}, {"weakness", k.Weakness}, {"consequence", k.Consequence}} {
			if s := strings.TrimSpace(f[1]); s != "" {
				facts = append(facts, f[0]+": "+s)
			}
		}
		if len(k.FRs) > 0 {
			var frs []string
			for _, f := range k.FRs {
				frs = append(frs, f.String())
			}
			facts = append(facts, "FRs: "+strings.Join(frs, ", "))
		}
		scenario := k.Title
		if len(facts) > 0 {
			scenario += "\n" + strings.Join(facts, "; ") + "."
		}
		if s := strings.TrimSpace(k.Description); s != "" {
			scenario += "\n" + s
		}
		stage := "Initial (ZCR 2)"
		if k.Detailed() {
			stage = "Detailed (ZCR 5)"
		}
		rating := ratingText(m, k.Likelihood, k.Impact)
		switch {
		case k.HasResidual():
			rating += "\n→ " + ratingText(m, k.ResidualLikelihood, k.ResidualImpact)
		case k.Detailed():
			rating += "\n→ residual not rated"
		}
		var tol cell
		switch {
		case sc.Score == 0:
			tol = cell{text: "Not rated", color: grey}
		case sc.Tolerable:
			tol = cell{text: "Yes", fill: tolerableFill, fills: true}
		default:
			tol = cell{text: fmt.Sprintf("No: above %d", m.Tolerable), fill: aboveFill, fills: true, bold: true}
		}
		var names []string
		for _, id := range k.Countermeasures {
			names = append(names, cmName(cms, id))
		}
		t.rows = append(t.rows, []cell{txt(scenario), txt(a.scopeName(k.Scope)), txt(stage), txt("SL " + strconv.Itoa(k.Attacker)),
			txt(rating), tol, txt(cmpOr(strings.Join(names, "; "), "none"))})
	}
	d.fail(d.table(t))
	d.para("Attacker: the SL attacker profile the scenario assumes (1 chance or accident, 2 deliberate with simple means, "+
		"3 sophisticated means, 4 sophisticated means with extended resources; 0 none). Risk: score (likelihood × impact); "+
		"“Tolerable” judges the residual risk where one is rated, else the unmitigated risk.", smallI)
}

// ratingText is "12 (L3 × I4)", or the ratings alone when they are not a
// cell of the matrix.
func ratingText(m assets.RiskMatrix, l, i int) string {
	if s := m.Score(l, i); s > 0 {
		return fmt.Sprintf("%d (L%d × I%d)", s, l, i)
	}
	return fmt.Sprintf("L%d × I%d, outside the matrix", l, i)
}

// zoneBasis sets one zone's SL-T, per FR where it came from, and the
// risk register's reasons.
func (r *renderer) zoneBasis(d *doc, z *assets.Zone) {
	a := r.a
	now, reasons := risk.SuggestSLT(risk.ZoneScope(z.ID, a.conduits), a.risks, a.matrix)
	b := z.SLTBasis
	cols := []column{{title: "", width: 2.2}}
	for _, fr := range assets.FRs {
		cols = append(cols, column{title: fmt.Sprintf("FR %d %s", fr.Number(), fr), width: 1, align: alignCenter})
	}
	t := &table{cols: cols}
	row := func(name string, v assets.SLVector) {
		cells := []cell{{text: name, bold: true}}
		for i := range v {
			cells = append(cells, txt(dash(v[i])))
		}
		t.rows = append(t.rows, cells)
	}
	row("SL-T", z.SLT)
	if b.Source != "" {
		row("Suggested when decided", b.Suggested)
	}
	row("Suggested now", now)
	basis := []cell{{text: "Where it came from", bold: true}}
	for i := range assets.FRs {
		basis = append(basis, basisCell(z, i))
	}
	t.rows = append(t.rows, basis)

	d.heading3("Zone: "+z.Name, 20+float64(len(t.rows)+1)*cellBody.lineHeight()+20)
	d.para(basisSentence(z), small)
	d.gap(2)
	d.fail(d.table(t))
	if b.Source != "" && b.Suggested != now {
		d.para(fmt.Sprintf("The register has changed since the decision: it suggested %s then and suggests %s now.", b.Suggested, now), small)
	}
	var named, silent []string
	for _, rs := range reasons {
		if len(rs.Considered) > 0 {
			named = append(named, rs.String())
		} else {
			silent = append(silent, fmt.Sprintf("FR %d %s", rs.FR.Number(), rs.FR))
		}
	}
	if len(named) == 0 {
		d.para("No scenario of the register applies to this zone: none is scoped to it, to a conduit that joins it, or to the whole system.", smallI)
		return
	}
	for _, s := range named {
		d.bullet(s, small)
	}
	if len(silent) > 0 {
		them := "them"
		if len(silent) == 1 {
			them = "it"
		}
		d.bullet(strings.Join(silent, ", ")+": no scenario that applies to this zone names "+them+".", small)
	}
}

// basisSentence says in words where the zone's SL-T came from.
func basisSentence(z *assets.Zone) string {
	b := z.SLTBasis
	switch b.Source {
	case assets.BasisRisk:
		if z.SLT != b.Suggested {
			return fmt.Sprintf("SL-T %s was accepted from the risk assessment as %s and changed since, with no reason recorded.", z.SLT, b.Suggested)
		}
		return fmt.Sprintf("SL-T %s: accepted from the risk assessment's suggestion.", z.SLT)
	case assets.BasisOverride:
		if b.Suggested.IsZero() {
			return fmt.Sprintf("SL-T %s: set by the asset owner, the risk assessment suggesting no level. Reason: %s", z.SLT, b.Reason)
		}
		return fmt.Sprintf("SL-T %s: set against the risk assessment's suggestion %s. Reason: %s", z.SLT, b.Suggested, b.Reason)
	}
	if z.SLT.IsZero() {
		return "No SL-T is set."
	}
	return fmt.Sprintf("SL-T %s was typed in: no risk basis is recorded.", z.SLT)
}

// basisCell says where the level of FR i came from, in a word or two.
func basisCell(z *assets.Zone, i int) cell {
	b := z.SLTBasis
	switch {
	case b.Source != "" && z.SLT[i] == 0 && b.Suggested[i] == 0:
		return cell{text: "no level", color: grey}
	case b.Source == assets.BasisRisk && z.SLT[i] == b.Suggested[i]:
		return txt("accepted")
	case b.Source == assets.BasisRisk:
		return cell{text: "changed, no reason", fill: gapFill, fills: true}
	case b.Source == assets.BasisOverride && z.SLT[i] == b.Suggested[i]:
		return txt("as suggested")
	case b.Source == assets.BasisOverride:
		return cell{text: "overridden", fill: partFill, fills: true, bold: true}
	case z.SLT[i] == 0:
		return cell{text: "not set", color: grey}
	}
	return cell{text: "typed in", color: grey}
}

// scopeName names what a scenario or countermeasure applies to.
func (a *analysis) scopeName(ref assets.Ref) string {
	switch ref.Kind {
	case "audit":
		return "The whole system"
	case "zone":
		if _, ok := a.zoneByID[ref.ID]; ok {
			return "Zone " + a.zoneName(ref.ID)
		}
		return "Zone (deleted)"
	case "conduit":
		for _, c := range a.conduits {
			if c.ID == ref.ID {
				return "Conduit " + c.Name
			}
		}
		return "Conduit (deleted)"
	case "asset":
		for _, m := range a.assets {
			if m.ID == ref.ID {
				return "Asset " + m.Title()
			}
		}
		return "Asset (deleted)"
	}
	return ref.Kind + " " + ref.ID
}

func (a *analysis) countermeasureByID() map[string]*assets.Countermeasure {
	out := make(map[string]*assets.Countermeasure, len(a.countermeasures))
	for i := range a.countermeasures {
		out[a.countermeasures[i].ID] = &a.countermeasures[i]
	}
	return out
}

// cmName names a countermeasure, saying when it is only planned or gone.
func cmName(cms map[string]*assets.Countermeasure, id string) string {
	cm := cms[id]
	switch {
	case cm == nil:
		return "(deleted countermeasure)"
	case cm.Status == assets.CountermeasurePlanned:
		return cm.Name + " (planned)"
	}
	return cm.Name
}

// --- countermeasures ---

// countermeasureSection writes "Countermeasures": every countermeasure
// the audit relies on, with what relies on it, and the conduit items met
// by compensation (zone items are listed in each zone's results).
func (r *renderer) countermeasureSection(ctx context.Context, d *doc) error {
	a := r.a
	d.heading1("Countermeasures")
	conduitComp := r.conduitCompensated()
	if len(a.countermeasures) == 0 {
		d.para("No countermeasures are recorded: no checklist item is met by a compensating countermeasure and no risk scenario rests on one.", body)
		return d.check("countermeasures")
	}
	d.para("The security measures this audit relies on, each recorded once and linked wherever it helps: checklist items met by "+
		"compensation (their zone's results list them with the reason) and risk scenarios whose residual risk rests on it. "+
		"Only a countermeasure in place compensates; a planned one does not count towards an achieved level.", body)
	d.gap(4)
	byScenario, byItem := map[string]int{}, map[string]int{}
	for _, k := range a.risks {
		for _, id := range k.Countermeasures {
			byScenario[id]++
		}
	}
	for _, an := range r.latestZoneTemplateAnswers() {
		if an.Status == checklist.StatusCompensated {
			for _, id := range an.Countermeasures {
				byItem[id]++
			}
		}
	}
	for _, pr := range a.programs {
		for _, c := range pr.score.Compensated {
			for _, id := range c.Countermeasures {
				byItem[id]++
			}
		}
	}
	t := &table{cols: []column{{title: "Countermeasure", width: 3}, {title: "Status", width: 0.9}, {title: "Applies to", width: 1.9},
		{title: "FRs", width: 1}, {title: "Owner", width: 1.3}, {title: "Evidence", width: 1.8}, {title: "Relied on by", width: 1.3}}, zebra: true}
	for _, cm := range a.countermeasures {
		name := cm.Name
		if s := strings.TrimSpace(cm.Description); s != "" {
			name += "\n" + s
		}
		status := cell{text: "In place"}
		if cm.Status == assets.CountermeasurePlanned {
			status = cell{text: "Planned", fill: partFill, fills: true, bold: true}
		}
		var where, frs []string
		for _, ref := range cm.AppliesTo {
			where = append(where, a.scopeName(ref))
		}
		for _, f := range cm.FRs {
			frs = append(frs, f.String())
		}
		var uses []string
		if n := byScenario[cm.ID]; n > 0 {
			uses = append(uses, english.Count(n, "scenario", "scenarios"))
		}
		if n := byItem[cm.ID]; n > 0 {
			uses = append(uses, english.Count(n, "checklist item", "checklist items"))
		}
		t.rows = append(t.rows, []cell{txt(name), status, txt(cmpOr(strings.Join(where, "; "), "–")), txt(cmpOr(strings.Join(frs, ", "), "–")),
			txt(cmpOr(cm.Owner, "–")), txt(cmpOr(cm.Evidence, "none recorded")), txt(cmpOr(strings.Join(uses, ", "), "nothing yet"))})
	}
	d.fail(d.table(t))
	if err := ctx.Err(); err != nil {
		return err
	}
	if len(conduitComp) > 0 {
		d.heading2("Conduit requirements met by compensation", false, 60)
		ct := compensatedTable(true)
		cms := a.countermeasureByID()
		for _, cc := range conduitComp {
			ct.rows = append(ct.rows, append([]cell{txt(cc.conduit)}, compensatedRow(cc.item, cms)...))
		}
		d.fail(d.table(ct))
	}
	return d.check("countermeasures")
}

// latestZoneTemplateAnswers are the newest answers to the 3-3 template
// for zones and conduits, carried answers left out (they do not count).
func (r *renderer) latestZoneTemplateAnswers() []*checklist.Answer {
	latest := map[string]*checklist.Answer{}
	for i := range r.a.answers {
		an := &r.a.answers[i]
		if an.Template != r.a.zoneTmpl.ID || an.Carried {
			continue
		}
		k := an.Item + "\x00" + an.Zone + "\x00" + an.Conduit
		if prev, ok := latest[k]; ok && prev.Version.Compare(an.Version) >= 0 {
			continue
		}
		latest[k] = an
	}
	out := make([]*checklist.Answer, 0, len(latest))
	for _, an := range latest {
		out = append(out, an)
	}
	return out
}

type conduitItem struct {
	conduit string // name
	item    checklist.CompensatedItem
}

// conduitCompensated scores the conduits answered per conduit and
// returns their items met by compensation, conduit by conduit.
func (r *renderer) conduitCompensated() []conduitItem {
	a := r.a
	answered := map[string]bool{}
	for _, an := range a.answers {
		if an.Template == a.zoneTmpl.ID && an.Conduit != "" {
			answered[an.Conduit] = true
		}
	}
	var out []conduitItem
	for _, c := range a.conduits {
		if !answered[c.ID] {
			continue
		}
		cs, err := checklist.ScoreConduit(a.zoneTmpl, c.ID, c.SLT, a.audit.ConduitSRs, a.answers, a.scoreOpts)
		if err != nil {
			// A conduit item set this version cannot read; its items are
			// in the audit data and `zonewalk checklist score` names the problem.
			continue
		}
		for _, it := range cs.Compensated {
			out = append(out, conduitItem{conduit: c.Name, item: it})
		}
	}
	return out
}

// compensatedTable lists items met by compensation: with a scope column
// for conduits, without it in a zone's results.
func compensatedTable(withScope bool) *table {
	var cols []column
	if withScope {
		cols = append(cols, column{title: "Conduit", width: 1.6})
	}
	cols = append(cols, column{title: "Requirement", width: 1.1}, column{title: "Title", width: 2.6},
		column{title: "Countermeasures", width: 2.4}, column{title: "Reason", width: 3.4})
	return &table{cols: cols, zebra: true}
}

// compensatedRow is one item met by compensation, without its scope. An
// item that does not count says why.
func compensatedRow(c checklist.CompensatedItem, cms map[string]*assets.Countermeasure) []cell {
	var names []string
	for _, id := range c.Countermeasures {
		names = append(names, cmName(cms, id))
	}
	measures := txt(strings.Join(names, "; "))
	if !c.Counted {
		measures.text += "\nNot counted as met: a countermeasure is planned or deleted."
		measures.fill, measures.fills = gapFill, true
	}
	return []cell{txt(c.Item.ID), txt(c.Item.Title), measures, txt(c.Reason)}
}

// compensatedIn counts the items of fr met by compensation that count.
func compensatedIn(list []checklist.CompensatedItem, fr assets.FR) int {
	n := 0
	for _, c := range list {
		if c.Counted && c.Item.HasFR && c.Item.FR == fr {
			n++
		}
	}
	return n
}

// compensatedNote is a programme item's note with what compensates.
func compensatedNote(cms map[string]*assets.Countermeasure, an *checklist.Answer) string {
	var names []string
	for _, id := range an.Countermeasures {
		names = append(names, cmName(cms, id))
	}
	return strings.TrimSpace("Compensated by: " + strings.Join(names, "; ") + ". " + an.Note)
}

// zoneJustified lists, in a zone's 62443-3-3 results, the items that
// count towards SL-A without being plainly met: met by compensation
// (with the countermeasures and the reason) and not applicable (with the
// reason).
func (r *renderer) zoneJustified(d *doc, z *assets.Zone, sc *checklist.ZoneScore) {
	a := r.a
	if len(sc.Compensated) > 0 {
		d.heading3(fmt.Sprintf("Met by compensating countermeasure (%d)", len(sc.Compensated)), 60)
		cms := a.countermeasureByID()
		t := compensatedTable(false)
		for _, c := range sc.Compensated {
			t.rows = append(t.rows, compensatedRow(c, cms))
		}
		d.fail(d.table(t))
	}
	var na []*checklist.Answer
	for _, it := range a.zoneTmpl.Items() {
		if an := a.zoneAnswers[z.ID][it.ID]; an != nil && an.Status == checklist.StatusNA && !an.Carried {
			na = append(na, an)
		}
	}
	if len(na) == 0 {
		return
	}
	d.heading3(fmt.Sprintf("Not applicable (%d)", len(na)), 60)
	t := &table{cols: []column{{title: "Requirement", width: 1.2}, {title: "Title", width: 3.4}, {title: "Why it does not apply", width: 5}}, zebra: true}
	for _, an := range na {
		title := ""
		if it := a.zoneTmpl.Item(an.Item); it != nil {
			title = it.Title
		}
		reason := txt(an.Note)
		if strings.TrimSpace(an.Note) == "" {
			reason = cell{text: "No reason recorded.", color: grey}
		}
		t.rows = append(t.rows, []cell{txt(an.Item), txt(title), reason})
	}
	d.fail(d.table(t))
}
