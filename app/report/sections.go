package report

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/signintech/gopdf"

	"github.com/zonewalk/zonewalk/assets"
	"github.com/zonewalk/zonewalk/assets/checks"
	"github.com/zonewalk/zonewalk/assets/english"
	"github.com/zonewalk/zonewalk/checklist"
	"github.com/zonewalk/zonewalk/diagram"
)

// renderer writes the sections of one report; render runs once per pass.
type renderer struct {
	a        *analysis
	m        *metrics
	opts     Options
	digest   string
	diagrams *diagrams
	photos   *photoSet
	obs      *observed // nil when no traffic was imported
	log      *changeLog

	// Counted in the real pass.
	shown, listed int
}

var frTitles = [7]string{
	"Identification and authentication control", "Use control", "System integrity",
	"Data confidentiality", "Restricted data flow", "Timely response to events", "Resource availability",
}

// render lays out the whole report on d. In the real pass tocPages pages
// of contents follow the cover, listing entries.
func (r *renderer) render(ctx context.Context, d *doc, tocPages int, entries []tocEntry, progress func(done, total int)) error {
	steps := 9 + len(r.a.zones)
	step := 0
	next := func(where string) error {
		step++
		progress(step, steps)
		if err := d.check(where); err != nil {
			return err
		}
		return ctx.Err()
	}
	r.cover(d)
	if !d.dry {
		r.contents(d, tocPages, entries)
	}
	if err := next("cover"); err != nil {
		return err
	}
	r.summary(d)
	if err := next("summary"); err != nil {
		return err
	}
	if err := r.changes(ctx, d); err != nil {
		return err
	}
	if err := r.scope(ctx, d); err != nil {
		return err
	}
	if err := next("scope"); err != nil {
		return err
	}
	if err := r.model(ctx, d); err != nil {
		return err
	}
	if err := next("model"); err != nil {
		return err
	}
	// Where the levels come from, before the zones that are measured
	// against them: the target's risk basis (3-2), what the components can
	// do (4-2) and the countermeasures that compensated items rest on.
	if err := r.riskSection(ctx, d); err != nil {
		return err
	}
	if err := r.capabilitySection(ctx, d); err != nil {
		return err
	}
	if err := r.countermeasureSection(ctx, d); err != nil {
		return err
	}
	if err := next("risk, capability and countermeasures"); err != nil {
		return err
	}
	d.heading1("Zones")
	for i := range r.a.zones {
		if err := r.zone(ctx, d, &r.a.zones[i], i == 0); err != nil {
			return err
		}
		if err := next("zone " + r.a.zones[i].Name); err != nil {
			return err
		}
	}
	if err := r.unassigned(ctx, d); err != nil {
		return err
	}
	if err := r.observedSection(ctx, d); err != nil {
		return err
	}
	if err := r.program(ctx, d); err != nil {
		return err
	}
	if err := next("checklists"); err != nil {
		return err
	}
	if err := r.findingsSection(ctx, d); err != nil {
		return err
	}
	if err := next("findings"); err != nil {
		return err
	}
	if err := r.inventory(ctx, d); err != nil {
		return err
	}
	if err := next("inventory"); err != nil {
		return err
	}
	if err := r.evidenceIndex(ctx, d); err != nil {
		return err
	}
	r.about(d)
	r.unprintableSection(d)
	return next("appendix")
}

// --- cover and contents ---

func (r *renderer) cover(d *doc) {
	a := r.a.audit
	d.newPage()
	d.y = 150
	kicker := style{bold, 10, navy}
	d.text(marginL, d.y, "IEC 62443 SITE ASSESSMENT REPORT", kicker)
	d.y += 22
	title := style{bold, 24, navy}
	for _, l := range d.m.wrap(title.font, title.size, contentW, d.m.oneLine(a.Title)) {
		d.text(marginL, d.y+ascent(title), l, title)
		d.y += title.lineHeight()
	}
	d.y += 8
	if a.Site != "" {
		st := style{regular, 14, grey}
		for _, l := range d.m.wrap(st.font, st.size, contentW, d.m.oneLine(a.Site)) {
			d.text(marginL, d.y+ascent(st), l, st)
			d.y += st.lineHeight()
		}
	}
	d.y += 10
	d.line(marginL, d.y, pageW-marginR, d.y, navy, 1.5)
	d.y += 20
	dates := a.StartDate
	if a.EndDate != "" && a.EndDate != a.StartDate {
		dates = strings.TrimSpace(dates + " to " + a.EndDate)
	}
	d.kv([][2]string{
		{"Site", a.Site},
		{"Location", a.Location},
		{"Asset owner", a.Owner},
		{"Assessment dates", dates},
		{"Auditors", strings.Join(a.Auditors, "; ")},
		{"Assessed against", strings.Join(a.Standards, "; ")},
		{"Report version", r.opts.Version},
		{"Report date", r.opts.Date.Format(time.DateOnly)},
		{"Classification", r.opts.Classification},
	})
	d.y += 16
	open, hi := 0, 0
	for _, f := range r.a.openFindings() {
		open++
		if f.Severity >= checks.High {
			hi++
		}
	}
	d.kv([][2]string{
		{"Scope of the data", fmt.Sprintf("%d zones, %d conduits, %d assets, %d checklist answers, %d findings (%d open or accepted, %d of them high or critical), %d pieces of evidence",
			len(r.a.zones), len(r.a.conduits), len(r.a.assets), len(r.a.answers), len(r.a.findings), open, hi, len(r.a.evidence))},
	})
	// The digest block sits at the foot of the cover.
	d.y = math.Max(d.y+20, bottom-78)
	d.fillRect(marginL, d.y, contentW, 62, zebraFill)
	d.text(marginL+8, d.y+14, "Data digest (SHA-256)", style{bold, 8.5, navy})
	d.text(marginL+8, d.y+30, r.digest, style{mono, 8.6, black})
	d.paraAtY(marginL+8, d.y+38, contentW-16, "Computed over the audit records this report was made from ("+DigestVersion+"); see “About this report” to check it.", caption)
}

// paraAtY sets wrapped text with its first line box at y, without moving
// the flow (for text inside drawn boxes).
func (d *doc) paraAtY(x, y, w float64, s string, st style) {
	for _, l := range d.m.wrap(st.font, st.size, w, d.m.clean(s)) {
		d.text(x, y+ascent(st), l, st)
		y += st.lineHeight()
	}
}

// The contents pages: one line per entry.
const (
	tocTop   = marginT + 40 // below the "Contents" heading on the first page
	tocLine1 = 17.0
	tocLine2 = 13.5
)

// tocPlace gives each entry its contents page (0-based) and top y.
func tocPlace(entries []tocEntry) (pages []int, ys []float64, count int) {
	page, y := 0, tocTop
	for _, e := range entries {
		h := tocLine2
		if e.level == 1 {
			h = tocLine1
		}
		if y+h > bottom {
			page++
			y = marginT
		}
		pages = append(pages, page)
		ys = append(ys, y)
		y += h
	}
	return pages, ys, page + 1
}

func (r *renderer) tocPages(entries []tocEntry) int {
	_, _, n := tocPlace(entries)
	return n
}

func (r *renderer) contents(d *doc, n int, entries []tocEntry) {
	pages, ys, _ := tocPlace(entries)
	d.newPage()
	d.text(marginL, d.y+ascent(h1Style), "Contents", h1Style)
	at := 0
	for i, e := range entries {
		for at < pages[i] {
			d.newPage()
			at++
		}
		st, indent := style{bold, 10, black}, 0.0
		if e.level == 2 {
			st, indent = style{regular, 9.5, black}, 16
		}
		num := strconv.Itoa(e.page)
		numW := d.m.width(st.font, st.size, num)
		y := ys[i] + ascent(st)
		titleW := contentW - indent - numW - 30
		title := d.m.fit(st.font, st.size, titleW, e.title)
		d.text(marginL+indent, y, title, st)
		d.textIn(marginL, y, contentW, num, st, alignRight)
		// Dot leaders between title and page number.
		tw := d.m.width(st.font, st.size, title)
		dot := style{regular, st.size, lightGrey}
		dw := d.m.width(dot.font, dot.size, " .")
		if k := int((contentW - indent - tw - numW - 12) / dw); k > 0 {
			d.text(marginL+indent+tw+6, y, strings.Repeat(" .", k), dot)
		}
		if !d.dry {
			d.pdf.AddInternalLink(e.anchor, marginL, ys[i], contentW, st.lineHeight())
		}
	}
	for at < n-1 {
		d.newPage()
		at++
	}
}

// --- executive summary ---

func (r *renderer) summary(d *doc) {
	a := r.a
	d.heading1("Executive summary")
	open := a.openFindings()
	var bySev [checks.Critical + 1][3]int
	for _, f := range a.findings {
		if !f.Severity.Valid() {
			continue
		}
		switch f.Status {
		case checks.StatusOpen:
			bySev[f.Severity][0]++
		case checks.StatusAccepted:
			bySev[f.Severity][1]++
		default:
			bySev[f.Severity][2]++
		}
	}
	assessed, below := 0, 0
	for _, z := range a.zones {
		if !a.assessed[z.ID] {
			continue
		}
		assessed++
		for i, t := range z.SLT {
			if t > a.zoneScores[z.ID].SLA[i] {
				below++
				break
			}
		}
	}
	site := a.audit.Site
	if site == "" {
		site = "the site"
	}
	when := ""
	if a.audit.StartDate != "" {
		when = " between " + a.audit.StartDate + " and " + cmpOr(a.audit.EndDate, a.audit.StartDate)
	}
	d.para(fmt.Sprintf("This report records the IEC 62443 assessment of %s%s. The system under consideration is divided into %d zones joined by %d conduits, holding %d assets. "+
		"%d of the zones were assessed against the 62443-3-3 system requirements; %d of those fall short of their target security level in at least one foundational requirement. "+
		"%d findings are open or accepted, %d of them high or critical.",
		site, when, len(a.zones), len(a.conduits), len(a.assets), assessed, below, len(open), bySev[checks.High][0]+bySev[checks.High][1]+bySev[checks.Critical][0]+bySev[checks.Critical][1]), body)

	d.heading2("Security levels per zone", false, 80)
	d.para("Each cell shows the target level (SL-T) and the achieved level (SL-A) of one foundational requirement (FR). Red: achieved below target; green: target reached; a dash: not set or not assessed.", smallI)
	d.gap(4)
	cols := []column{{title: "Zone", width: 3.2}}
	for _, fr := range assets.FRs {
		cols = append(cols, column{title: fmt.Sprintf("FR %d %s", fr.Number(), fr), width: 1, align: alignCenter})
	}
	cols = append(cols, column{title: "Gaps", width: 0.8, align: alignCenter})
	t := &table{cols: cols}
	for _, z := range a.zones {
		row := []cell{txt(z.Name)}
		sc := a.zoneScores[z.ID]
		done := a.assessed[z.ID]
		for i := range assets.FRs {
			row = append(row, slCell(z.SLT[i], sc.SLA[i], done))
		}
		g := "–"
		if done {
			g = strconv.Itoa(len(sc.Gaps))
		}
		row = append(row, txt(g))
		t.rows = append(t.rows, row)
	}
	if len(t.rows) == 0 {
		d.para("No zones are defined.", body)
	} else {
		d.fail(d.table(t))
	}

	for _, pr := range a.programs {
		d.heading2("Security programme maturity ("+pr.t.Standard+")", false, 80)
		d.para("Items per security program element (SPE) by verdict, and the maturity levels (ML1 Initial to ML4 Improving) given to the assessed items.", smallI)
		d.gap(4)
		r.maturityTable(d, pr)
	}

	d.heading2("Findings by severity", false, 80)
	st := &table{cols: []column{{title: "Severity", width: 2}, {title: "Open", width: 1, align: alignCenter},
		{title: "Accepted", width: 1, align: alignCenter}, {title: "Closed", width: 1, align: alignCenter}}}
	for s := checks.Critical; s >= checks.Info; s-- {
		c := sevCell(s)
		st.rows = append(st.rows, []cell{c, txt(strconv.Itoa(bySev[s][0])), txt(strconv.Itoa(bySev[s][1])), txt(strconv.Itoa(bySev[s][2]))})
	}
	d.fail(d.table(st))

	d.heading2("Top findings", false, 80)
	if len(open) == 0 {
		d.para("No findings are open.", body)
		return
	}
	top := &table{cols: []column{{title: "No.", width: 0.7}, {title: "Severity", width: 1}, {title: "Finding", width: 5},
		{title: "Owner", width: 1.6}, {title: "Due", width: 1.2}}}
	for i, f := range open {
		if i == 10 {
			break
		}
		top.rows = append(top.rows, []cell{txt(a.findingNo[f.ID]), sevCell(f.Severity), txt(f.Title), txt(cmpOr(f.Owner, "–")), txt(cmpOr(f.Due, "–"))})
	}
	d.fail(d.table(top))
	if len(open) > 10 {
		d.para(fmt.Sprintf("%d further findings are listed in the Findings section.", len(open)-10), smallI)
	}
}

func cmpOr(s, alt string) string {
	if strings.TrimSpace(s) == "" {
		return alt
	}
	return s
}

func slCell(target, achieved int, assessed bool) cell {
	t, a := "–", "–"
	if target > 0 {
		t = strconv.Itoa(target)
	}
	if assessed {
		a = strconv.Itoa(achieved)
	}
	c := txt(t + " / " + a)
	switch {
	case !assessed || target == 0:
		c.color = grey
	case achieved < target:
		c.fill, c.fills = gapFill, true
	default:
		c.fill, c.fills = metFill, true
	}
	return c
}

var sevColors = map[checks.Severity][2]rgb{
	checks.Critical: {{0x8e, 0x1b, 0x1b}, white},
	checks.High:     {{0xd2, 0x4a, 0x2b}, white},
	checks.Medium:   {{0xf0, 0xb0, 0x3c}, black},
	checks.Low:      {{0xb6, 0xd3, 0xec}, black},
	checks.Info:     {{0xe2, 0xe2, 0xe2}, black},
}

func sevLabel(s checks.Severity) string {
	if !s.Valid() {
		return "Unset"
	}
	n := s.String()
	return strings.ToUpper(n[:1]) + n[1:]
}

func sevCell(s checks.Severity) cell {
	c := txt(sevLabel(s))
	if col, ok := sevColors[s]; ok {
		c.fill, c.fills, c.color, c.bold = col[0], true, col[1], true
	}
	return c
}

func (r *renderer) maturityTable(d *doc, pr programResult) {
	t := &table{cols: []column{{title: "SPE", width: 0.9}, {title: "Element", width: 3.6},
		{title: "Met", width: 0.55, align: alignCenter}, {title: "Partly", width: 0.6, align: alignCenter},
		{title: "Not met", width: 0.65, align: alignCenter}, {title: "N/A", width: 0.5, align: alignCenter},
		{title: "Open", width: 0.6, align: alignCenter},
		{title: "ML1", width: 0.5, align: alignCenter}, {title: "ML2", width: 0.5, align: alignCenter},
		{title: "ML3", width: 0.5, align: alignCenter}, {title: "ML4", width: 0.5, align: alignCenter},
		{title: "Avg ML", width: 0.75, align: alignCenter}}}
	row := func(id, title string, s checklist.SectionScore, b bool) []cell {
		c := s.Counts
		avg := "–"
		if s.Maturity.Rated > 0 {
			avg = strconv.FormatFloat(s.Maturity.Average, 'f', 1, 64)
		}
		cells := []cell{txt(id), txt(title), txt(strconv.Itoa(c.Met)), txt(strconv.Itoa(c.Partial)), txt(strconv.Itoa(c.NotMet)),
			txt(strconv.Itoa(c.NA)), txt(strconv.Itoa(c.NotAssessed))}
		for ml := 1; ml <= checklist.MaxMaturity; ml++ {
			cells = append(cells, txt(strconv.Itoa(s.Maturity.Levels[ml])))
		}
		cells = append(cells, mlCell(avg, s.Maturity))
		for i := range cells {
			cells[i].bold = cells[i].bold || b
		}
		return cells
	}
	for _, s := range pr.score.Sections {
		t.rows = append(t.rows, row(s.ID, s.Title, s, false))
	}
	t.rows = append(t.rows, row("", "All elements", pr.score.Overall, true))
	d.fail(d.table(t))
}

// mlCell shades an average maturity: below ML2 red, below ML3 amber.
func mlCell(text string, p checklist.MaturityProfile) cell {
	c := txt(text)
	if p.Rated == 0 {
		return c
	}
	switch {
	case p.Average < 2:
		c.fill, c.fills = gapFill, true
	case p.Average < 3:
		c.fill, c.fills = partFill, true
	default:
		c.fill, c.fills = metFill, true
	}
	return c
}

// --- scope and method ---

func (r *renderer) scope(ctx context.Context, d *doc) error {
	a := r.a.audit
	d.heading1("Scope and method")
	d.heading2("Scope", false, 40)
	if strings.TrimSpace(a.Scope) != "" {
		d.para(a.Scope, body)
	} else {
		d.para("No scope statement was recorded for this audit.", smallI)
	}
	d.gap(6)
	dates := a.StartDate
	if a.EndDate != "" && a.EndDate != a.StartDate {
		dates = strings.TrimSpace(dates + " to " + a.EndDate)
	}
	d.kv([][2]string{
		{"Site", a.Site}, {"Location", a.Location}, {"Asset owner", a.Owner}, {"Assessment dates", dates},
		{"Auditors", strings.Join(a.Auditors, "; ")}, {"Standards", strings.Join(a.Standards, "; ")},
		{"Data last reviewed", a.ReviewedAt},
	})
	d.heading2("Method", false, 60)
	for _, p := range methodText {
		d.para(p, body)
		d.gap(5)
	}
	d.heading2("How to read the results", false, 60)
	for _, p := range readingText {
		d.bullet(p, body)
		d.gap(2)
	}
	if len(r.a.unknownTmpl) > 0 {
		d.gap(4)
		d.para("Answers to these checklist templates are kept in the audit data but not shown, because this version of Zonewalk does not have the templates: "+strings.Join(r.a.unknownTmpl, ", ")+".", smallI)
	}
	return r.photoGrid(ctx, d, "Photos of the site", r.a.byPlace[placeAudit])
}

// Method text: our own description of how Zonewalk audits are done.
var methodText = []string{
	"The system under consideration was divided into zones (groups of assets with the same security needs) and conduits (the communication paths between zones), following the zone and conduit approach of IEC 62443-3-2. Each zone was given a target security level (SL-T) for each of the seven foundational requirements (FR) of IEC 62443-3-3, based on a risk rating whose rationale is recorded with the zone and, where the audit has a risk register, on its threat scenarios (see “Risk assessment and SL-T”).",
	"The achieved security level (SL-A) of each zone comes from the IEC 62443-3-3 system requirement checklist, answered for that zone by interview, document review and inspection on site. The asset owner's security programme was assessed with the IEC 62443-2-1 checklist, once for the whole audit, rating each item's maturity from ML1 to ML4.",
	"Findings come from three sources: model checks run by Zonewalk over the zone, conduit and asset data; checklist items answered as not met or partly met; and the auditors' own observations. Each carries a severity, a recommendation and, where agreed with the asset owner, an owner and a due date.",
}

var readingText = []string{
	"SL-A of an FR is the highest level for which every requirement counted at that level and below is met, met by a compensating countermeasure that is in place, or not applicable. Partly met does not count. Where public sources disagree about the level at which a requirement applies, it is counted as required, so that a doubtful mapping never makes a zone look better than it is.",
	"Maturity levels: ML1 Initial (done ad hoc), ML2 Managed (documented and done consistently), ML3 Defined (practised across the site and repeatable, with evidence), ML4 Improving (measured and improved).",
	"Severities, from most to least serious: critical, high, medium, low, info. Open findings await action; accepted findings are risks the asset owner has accepted, with a recorded justification; closed findings were fixed or are no longer raised.",
	"Requirement IDs are those of the IEC 62443 standards; all explanatory wording in this report is Zonewalk's own.",
}

// --- zones and conduits ---

func (r *renderer) model(ctx context.Context, d *doc) error {
	a := r.a
	d.heading1("Zone and conduit model")
	d.para(fmt.Sprintf("%d zones and %d conduits. The overview shows zones in bands by Purdue level; conduits drawn in red have open findings.", len(a.zones), len(a.conduits)), body)
	d.gap(6)
	r.drawing(d, r.diagrams.overview, r.diagrams.overviewErr, bottom-d.y-4, "overview diagram")

	d.heading2("Zones", false, 60)
	zt := &table{cols: []column{{title: "Zone", width: 3}, {title: "Purdue levels", width: 1.3}, {title: "SL-T", width: 2},
		{title: "SL-A", width: 2}, {title: "Assets", width: 0.8, align: alignRight}, {title: "Conduits", width: 0.9, align: alignRight}}, zebra: true}
	conduitCount := map[string]int{}
	for _, c := range a.conduits {
		conduitCount[c.From]++
		if c.To != c.From {
			conduitCount[c.To]++
		}
	}
	for _, z := range a.zones {
		var lv []string
		for _, p := range z.PurdueLevels {
			lv = append(lv, p.Label())
		}
		sla := "not assessed"
		if a.assessed[z.ID] {
			sla = a.zoneScores[z.ID].SLA.String()
		}
		zt.rows = append(zt.rows, []cell{txt(z.Name), txt(strings.Join(lv, ", ")), txt(z.SLT.String()), txt(sla),
			txt(strconv.Itoa(len(a.assetsByZone[z.ID]))), txt(strconv.Itoa(conduitCount[z.ID]))})
	}
	if n := len(a.assetsByZone[""]); n > 0 {
		zt.rows = append(zt.rows, []cell{{text: "Not in any zone", color: grey}, txt(""), txt(""), txt(""), txt(strconv.Itoa(n)), txt("")})
	}
	d.fail(d.table(zt))

	d.heading2("Conduits", false, 60)
	if len(a.conduits) == 0 {
		d.para("No conduits are defined.", body)
	} else {
		d.fail(d.table(r.conduitTable(a.conduits, "")))
	}
	return r.photoGrid(ctx, d, "Photos of conduits", a.byPlace[placeConduits])
}

func directionArrow(c *assets.Conduit) string {
	switch c.Direction {
	case assets.FromToTo:
		return "→"
	case assets.ToToFrom:
		return "←"
	}
	return "↔"
}

// conduitTable lists conduits; seen from zone (when set) the far end is named.
func (r *renderer) conduitTable(list []assets.Conduit, zone string) *table {
	cols := []column{{title: "Conduit", width: 2.2}, {title: "Between", width: 2.6}, {title: "Flows", width: 2},
		{title: "Controls", width: 2}, {title: "SL-T", width: 1}}
	t := &table{cols: cols, zebra: true}
	for i := range list {
		c := &list[i]
		between := r.a.zoneName(c.From) + " " + directionArrow(c) + " " + r.a.zoneName(c.To)
		var flows, ctl []string
		for _, f := range c.Flows {
			flows = append(flows, f.String())
		}
		for _, x := range c.Controls {
			ctl = append(ctl, string(x))
		}
		var flags []string
		if c.RemoteAccess {
			flags = append(flags, "remote access")
		}
		if c.Temporary {
			flags = append(flags, "temporary")
		}
		name := c.Name
		if len(flags) > 0 {
			name += " (" + strings.Join(flags, ", ") + ")"
		}
		t.rows = append(t.rows, []cell{txt(name), txt(between), txt(strings.Join(flows, ", ")), txt(cmpOr(strings.Join(ctl, ", "), "none")), txt(c.SLT.String())})
	}
	return t
}

// drawing places a laid-out diagram at the current position, as large as
// the content width and maxH allow, or says why there is none.
func (r *renderer) drawing(d *doc, dr *diagram.Drawing, err error, maxH float64, what string) {
	if dr == nil || dr.Width <= 0 || dr.Height <= 0 {
		msg := "The " + what + " was not drawn."
		if err != nil {
			msg = "The " + what + " could not be drawn: " + err.Error()
		}
		d.para(msg, smallI)
		return
	}
	maxH = math.Min(maxH, bottom-marginT)
	if maxH < 150 {
		maxH = math.Min(bottom-marginT, 420)
	}
	s := math.Min(contentW/dr.Width, maxH/dr.Height)
	s = math.Min(s, 1.4) // small drawings are not blown up
	w, h := dr.Width*s, dr.Height*s
	d.room(h)
	r.paint(d, dr, marginL+(contentW-w)/2, d.y, w, h)
	d.y += h + 6
}

func (r *renderer) paint(d *doc, dr *diagram.Drawing, x, y, w, h float64) {
	if !d.dry && d.err == nil {
		d.fail(diagram.DrawPDF(d.pdf, dr, x, y, w, h))
		d.fontSet = false // DrawPDF changes the current font
	}
}

// paperDetailAssets is how many assets a zone drawing shows one by one on
// a page; a larger zone is drawn as one box per level and type (its assets
// are listed beside it and in the appendix). More would print too small
// to read.
const paperDetailAssets = 40

// Zone drawings get a box whose height follows from the number of assets
// alone, never from the drawing (see diagrams).
func zoneDiagramH(assets int) float64 {
	if assets > paperDetailAssets {
		return 440
	}
	return 300
}

// zoneDrawing places a zone's drawing at the top of its box, centred, or
// says in the box why there is none.
func (r *renderer) zoneDrawing(ctx context.Context, d *doc, z *assets.Zone, boxH float64) error {
	d.room(boxH)
	top := d.y
	if !d.dry {
		dr, derr, err := r.diagrams.zone(ctx, z.ID)
		if err != nil {
			return err
		}
		if dr != nil && dr.Width > 0 && dr.Height > 0 {
			s := math.Min(math.Min(contentW/dr.Width, boxH/dr.Height), 1.4)
			w, h := dr.Width*s, dr.Height*s
			r.paint(d, dr, marginL+(contentW-w)/2, top, w, h)
		} else {
			msg := "The zone diagram was not drawn."
			if derr != nil {
				msg = "The zone diagram could not be drawn: " + derr.Error()
			}
			d.paraAtY(marginL, top, contentW, msg, smallI)
		}
	}
	d.y = top + boxH + 6
	return nil
}

func (r *renderer) zone(ctx context.Context, d *doc, z *assets.Zone, first bool) error {
	a := r.a
	d.heading2("Zone: "+z.Name, !first, 200)
	if z.Description != "" {
		d.para(z.Description, body)
		d.gap(6)
	}
	var lv []string
	for _, p := range z.PurdueLevels {
		lv = append(lv, p.Label())
	}
	members := a.assetsByZone[z.ID]
	sc := a.zoneScores[z.ID]
	assessed := a.assessed[z.ID]
	sla := "not assessed"
	if assessed {
		sla = sc.SLA.String()
	}
	rt := z.Rationale
	approved := rt.ApprovedBy
	if rt.ApprovedAt != "" {
		approved = strings.TrimSpace(approved + ", " + rt.ApprovedAt)
	}
	d.kv([][2]string{
		{"Purdue levels", strings.Join(lv, ", ")},
		{"Target level (SL-T)", z.SLT.String()},
		{"Achieved level (SL-A)", sla},
		{"Assets", strconv.Itoa(len(members))},
	})
	d.heading3("Risk rationale", 40)
	if rt.IsEmpty() {
		d.para("No risk rationale is recorded for this zone.", smallI)
	} else {
		rating := func(v int) string {
			if v == 0 {
				return "–"
			}
			return strconv.Itoa(v)
		}
		t := &table{cols: []column{{title: "Safety", width: 1, align: alignCenter}, {title: "Environment", width: 1, align: alignCenter},
			{title: "Operations", width: 1, align: alignCenter}, {title: "Finance", width: 1, align: alignCenter},
			{title: "Reputation", width: 1, align: alignCenter}, {title: "Likelihood", width: 1, align: alignCenter},
			{title: "Tolerable risk", width: 1.3, align: alignCenter}}}
		t.rows = [][]cell{{txt(rating(rt.Safety)), txt(rating(rt.Environment)), txt(rating(rt.Operations)), txt(rating(rt.Finance)),
			txt(rating(rt.Reputation)), txt(rating(rt.Likelihood)), txt(cmpOr(rt.TolerableRisk, "–"))}}
		d.fail(d.table(t))
		if rt.Text != "" {
			d.para(rt.Text, body)
		}
		if approved != "" {
			d.gap(2)
			d.para("Approved by "+approved+".", smallI)
		} else {
			d.gap(2)
			d.para("The rationale has not been approved.", smallI)
		}
	}

	if r.diagrams.zones != nil {
		boxH := zoneDiagramH(len(members))
		d.heading3("Zone diagram", boxH)
		if err := r.zoneDrawing(ctx, d, z, boxH); err != nil {
			return err
		}
	}

	var cs []assets.Conduit
	for _, c := range a.conduits {
		if c.From == z.ID || c.To == z.ID {
			cs = append(cs, c)
		}
	}
	d.heading3("Conduits", 70)
	if len(cs) == 0 {
		d.para("No conduit joins this zone.", smallI)
	} else {
		d.fail(d.table(r.conduitTable(cs, z.ID)))
	}

	d.heading3("IEC 62443-3-3 results", 60)
	if !assessed {
		d.para("The 62443-3-3 checklist has not been answered for this zone, so no achieved level can be given.", smallI)
	} else {
		ft := &table{cols: []column{{title: "Foundational requirement", width: 4}, {title: "SL-T", width: 0.8, align: alignCenter},
			{title: "SL-A", width: 0.8, align: alignCenter}, {title: "Gap", width: 0.8, align: alignCenter},
			{title: "Unanswered", width: 1.1, align: alignCenter}, {title: "Note", width: 2.6}}}
		for _, f := range sc.FRs {
			var notes []string
			if f.DependsOnUncertain {
				notes = append(notes, fmt.Sprintf("SL %d if disputed mappings are not counted", f.SLALenient))
			}
			if n := compensatedIn(sc.Compensated, f.FR); n > 0 {
				notes = append(notes, english.Count(n, "item", "items")+" met by compensation")
			}
			note := strings.Join(notes, "; ")
			gap := txt(strconv.Itoa(f.Gap))
			if f.Gap > 0 {
				gap.fill, gap.fills = gapFill, true
			}
			ft.rows = append(ft.rows, []cell{txt(fmt.Sprintf("FR %d %s", f.FR.Number(), frTitles[f.FR])), txt(dash(f.SLT)),
				slCell(f.SLT, f.SLA, true), gap, txt(strconv.Itoa(f.Unanswered)), txt(note)})
		}
		d.fail(d.table(ft))
		if len(sc.Gaps) > 0 {
			d.heading3(fmt.Sprintf("Gaps to the target level (%d)", len(sc.Gaps)), 80)
			const maxGaps = 40
			gt := &table{cols: []column{{title: "Requirement", width: 1.2}, {title: "Title", width: 3.4}, {title: "Status", width: 1.2},
				{title: "From SL", width: 0.7, align: alignCenter}, {title: "Auditor's note", width: 3.2}}, zebra: true}
			for i, g := range sc.Gaps {
				if i == maxGaps {
					break
				}
				note := ""
				if an := a.zoneAnswers[z.ID][g.Item.ID]; an != nil {
					note = an.Note
				}
				title := g.Item.Title
				if g.Uncertain {
					title += " (disputed mapping)"
				}
				gt.rows = append(gt.rows, []cell{txt(g.Item.ID), txt(title), statusCell(g.Status), txt(strconv.Itoa(g.Level)), txt(note)})
			}
			d.fail(d.table(gt))
			if len(sc.Gaps) > maxGaps {
				d.para(fmt.Sprintf("%d further gaps are not listed; the cheapest path to the target comes first.", len(sc.Gaps)-maxGaps), smallI)
			}
		}
		r.zoneJustified(d, z, sc)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	r.assetList(d, members)
	return r.photoGrid(ctx, d, "Photos", a.byPlace[placeZone(z.ID)])
}

func dash(v int) string {
	if v == 0 {
		return "–"
	}
	return strconv.Itoa(v)
}

func statusCell(s checklist.Status) cell {
	c := txt(s.Label())
	switch s {
	case checklist.StatusNotMet:
		c.fill, c.fills = gapFill, true
	case checklist.StatusPartial:
		c.fill, c.fills = partFill, true
	case checklist.StatusMet:
		c.fill, c.fills = metFill, true
	case checklist.StatusCompensated:
		c.fill, c.fills, c.bold = metFill, true, true
	case checklist.StatusNotAssessed:
		c.color = grey
	}
	return c
}

// assetList shows a zone's assets, most critical first, up to a limit; the
// appendix has them all.
func (r *renderer) assetList(d *doc, members []*assets.Asset) {
	const maxList = 40
	d.heading3(fmt.Sprintf("Assets (%d)", len(members)), 90)
	if len(members) == 0 {
		d.para("No assets are assigned to this zone.", smallI)
		return
	}
	byType := map[assets.AssetType]int{}
	eol := 0
	for _, m := range members {
		byType[m.Type]++
		if m.EndOfLife {
			eol++
		}
	}
	var parts []string
	for _, t := range assets.AssetTypes {
		if n := byType[t.Type]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, t.Label))
		}
	}
	line := strings.Join(parts, ", ") + "."
	if eol > 0 {
		line += fmt.Sprintf(" %d no longer supported by their vendor.", eol)
	}
	d.para(line, small)
	d.gap(3)
	list := sortByCriticality(members)
	t := assetTable(r.a, false)
	for i, m := range list {
		if i == maxList {
			break
		}
		t.rows = append(t.rows, assetRow(r.a, m, false))
	}
	d.fail(d.table(t))
	if len(list) > maxList {
		d.para(fmt.Sprintf("The %d most critical assets are listed; all %d are in Appendix A.", maxList, len(list)), smallI)
	}
}

func critRank(c assets.Criticality) int {
	switch c {
	case assets.CriticalityCrit:
		return 0
	case assets.CriticalityHigh:
		return 1
	case assets.CriticalityMed:
		return 2
	case assets.CriticalityLow:
		return 3
	}
	return 4
}

func sortByCriticality(list []*assets.Asset) []*assets.Asset {
	out := make([]*assets.Asset, len(list))
	copy(out, list)
	// Stable: the workspace order (by tag) is kept within a criticality.
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && critRank(out[j].Criticality) < critRank(out[j-1].Criticality); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

func assetTable(a *analysis, withZone bool) *table {
	cols := []column{{title: "Tag and name", width: 2}, {title: "Type", width: 1.2},
		{title: "Vendor and model", width: 2.3}, {title: "Firmware", width: 1.1}}
	if withZone {
		cols = append(cols, column{title: "Zone", width: 1.5})
	}
	cols = append(cols, column{title: "Level", width: 0.6, align: alignCenter}, column{title: "IP address", width: 1.35},
		column{title: "Criticality", width: 1}, column{title: "Notes", width: 2.2})
	return &table{cols: cols, zebra: true}
}

func assetRow(a *analysis, m *assets.Asset, withZone bool) []cell {
	var notes []string
	if m.EndOfLife {
		notes = append(notes, "end of life")
	}
	if m.Wireless {
		notes = append(notes, "wireless")
	}
	if m.SLC > 0 {
		notes = append(notes, fmt.Sprintf("SL-C %d", m.SLC))
	}
	if m.Notes != "" {
		notes = append(notes, m.Notes)
	}
	vm := strings.TrimSpace(m.Vendor + " " + m.Model)
	tag := m.Tag
	if m.Name != "" && m.Name != m.Tag {
		tag = strings.TrimSpace(tag + "\n" + m.Name)
	}
	row := []cell{txt(tag), txt(m.Type.Label()), txt(vm), txt(m.Firmware)}
	if withZone {
		z := ""
		if m.Zone != "" {
			z = a.zoneName(m.Zone)
		}
		row = append(row, txt(z))
	}
	crit := txt(string(m.Criticality))
	if m.Criticality == assets.CriticalityCrit {
		crit.bold = true
	}
	row = append(row, txt(m.Purdue.Label()), txt(strings.Join(m.IPs, ", ")), crit, txt(strings.Join(notes, "; ")))
	return row
}

func (r *renderer) unassigned(ctx context.Context, d *doc) error {
	list := r.a.assetsByZone[""]
	evs := r.a.byPlace[placeZoneUnassigned()]
	if len(list) == 0 && len(evs) == 0 {
		return nil
	}
	d.heading2("Assets not in any zone", true, 100)
	d.para("These assets were found during the audit but are not yet placed in a zone; until they are, no zone's security level covers them.", body)
	r.assetList(d, list)
	return r.photoGrid(ctx, d, "Photos", evs)
}

// --- checklist results ---

func (r *renderer) program(ctx context.Context, d *doc) error {
	for _, pr := range r.a.programs {
		d.heading1("Security programme: " + pr.t.Standard)
		d.para(pr.t.Title+". Each item is shown with the auditor's verdict, the maturity level given and the auditor's note.", body)
		if len(pr.answers) == 0 {
			d.gap(4)
			d.para("This checklist has not been answered in this audit.", smallI)
			continue
		}
		cms := r.a.countermeasureByID()
		for _, s := range pr.t.Sections {
			d.heading2(s.ID+" "+s.Title, false, 60)
			t := &table{cols: []column{{title: "Item", width: 0.9}, {title: "Requirement", width: 2.8}, {title: "Status", width: 1.2},
				{title: "ML", width: 0.5, align: alignCenter}, {title: "Note", width: 4.2}}, zebra: true}
			for _, it := range s.Items {
				an := pr.answers[it.ID]
				st, ml, note := checklist.StatusNotAssessed, "", ""
				if an != nil {
					st, note = an.Status, an.Note
					if an.Maturity > 0 {
						ml = "ML" + strconv.Itoa(an.Maturity)
					}
					if st == checklist.StatusCompensated {
						note = compensatedNote(cms, an)
					}
				}
				title := it.Title
				if it.Uncertain {
					title += " (ID disputed)"
				}
				t.rows = append(t.rows, []cell{txt(it.ID), txt(title), statusCell(st), txt(ml), txt(note)})
			}
			d.fail(d.table(t))
			if err := r.photoGrid(ctx, d, "Photos", r.a.byPlace[placeSection(pr.t.ID, s.ID)]); err != nil {
				return err
			}
			if err := ctx.Err(); err != nil {
				return err
			}
		}
	}
	return nil
}

// --- findings ---

func (r *renderer) findingsSection(ctx context.Context, d *doc) error {
	a := r.a
	d.heading1("Findings")
	open := a.openFindings()
	if len(a.findings) == 0 {
		d.para("No findings were recorded.", body)
		return nil
	}
	text := fmt.Sprintf("%s open or accepted, described below, most serious first.", english.Count(len(open), "finding is", "findings are"))
	if n := len(a.findings) - len(open); n > 0 {
		text += fmt.Sprintf(" %s listed at the end.", english.Count(n, "closed finding is", "closed findings are"))
	}
	d.para(text, body)
	for i := range open {
		f := &open[i]
		action := cmpOr(f.Owner, "no owner assigned") + "; "
		if f.Due != "" {
			action += "due " + f.Due
		} else {
			action += "no due date"
		}
		status := ""
		if f.Status == checks.StatusAccepted {
			status = "risk accepted by the asset owner"
		}
		facts := [][2]string{
			{"Status", status},
			{"Subject", a.subject(f)},
			{"References", strings.Join(f.References, "; ")},
			{"Owner and due date", action},
		}
		r.findingHead(d, a.findingNo[f.ID], f, d.kvHeight(facts)+2*body.lineHeight())
		d.kv(facts)
		if f.Detail != "" {
			d.gap(2)
			d.para(f.Detail, body)
		}
		if f.Recommendation != "" {
			d.heading3("Recommendation", 24)
			d.para(f.Recommendation, body)
		}
		if f.Status == checks.StatusAccepted && f.Justification != "" {
			d.heading3("Why the risk is accepted", 24)
			d.para(f.Justification, body)
		}
		if f.Notes != "" {
			d.heading3("Notes", 24)
			d.para(f.Notes, body)
		}
		if err := r.photoGrid(ctx, d, "Evidence", a.byPlace[placeFinding(f.ID)]); err != nil {
			return err
		}
		d.gap(8)
		if err := ctx.Err(); err != nil {
			return err
		}
	}
	var closed []checks.Finding
	for _, f := range a.findings {
		if f.Status == checks.StatusClosed {
			closed = append(closed, f)
		}
	}
	if len(closed) > 0 {
		d.heading2("Closed findings", false, 60)
		t := &table{cols: []column{{title: "No.", width: 0.7}, {title: "Severity", width: 1}, {title: "Finding", width: 5}, {title: "Resolution", width: 3}}, zebra: true}
		for _, f := range closed {
			t.rows = append(t.rows, []cell{txt(a.findingNo[f.ID]), sevCell(f.Severity), txt(f.Title), txt(f.Resolution)})
		}
		d.fail(d.table(t))
		for _, f := range closed {
			if err := r.photoGrid(ctx, d, "Evidence for "+a.findingNo[f.ID], a.byPlace[placeFinding(f.ID)]); err != nil {
				return err
			}
		}
	}
	return nil
}

// findingHead sets a finding's number, severity badge and title, kept
// with the start of its details.
func (r *renderer) findingHead(d *doc, no string, f *checks.Finding, keep float64) {
	st := style{bold, 10.5, black}
	badge := style{bold, 7.5, white}
	label := strings.ToUpper(sevLabel(f.Severity))
	bw := d.m.width(badge.font, badge.size, label) + 10
	noW := d.m.width(st.font, st.size, no) + 8
	x0 := marginL + noW + bw + 8
	lines := d.m.wrap(st.font, st.size, pageW-marginR-x0, d.m.oneLine(f.Title))
	h := float64(max(1, len(lines))) * st.lineHeight()
	d.y += 6
	d.room(h + 10 + keep)
	d.line(marginL, d.y, pageW-marginR, d.y, lightGrey, 0.6)
	d.y += 6
	d.text(marginL, d.y+ascent(st), no, st)
	col := sevColors[f.Severity]
	if col[0] == (rgb{}) {
		col = [2]rgb{grey, white}
	}
	badge.color = col[1]
	d.fillRect(marginL+noW, d.y, bw, st.lineHeight()-1, col[0])
	d.textIn(marginL+noW, d.y+ascent(badge)+2, bw, label, badge, alignCenter)
	for _, l := range lines {
		d.text(x0, d.y+ascent(st), l, st)
		d.y += st.lineHeight()
	}
	d.y += 4
}

// --- photos ---

// photoGrid shows the images among evs two to a row with their captions,
// and lists the rest (not images, unreadable) by file name.
func (r *renderer) photoGrid(ctx context.Context, d *doc, title string, evs []*assets.Evidence) error {
	if len(evs) == 0 {
		return nil
	}
	var shown, other []*photo
	for _, ev := range evs {
		p, err := r.photos.get(ctx, ev.ID)
		if err != nil {
			return err
		}
		if p.shown() {
			shown = append(shown, p)
		} else {
			other = append(other, p)
		}
	}
	const gapX, maxH = 14.0, 200.0
	cw := (contentW - gapX) / 2
	type placed struct {
		p    *photo
		w, h float64
		cap  []string
	}
	type photoRow struct {
		items []placed
		h     float64
	}
	var rows []photoRow
	for i := 0; i < len(shown); i += 2 {
		var row photoRow
		for _, p := range shown[i:min(i+2, len(shown))] {
			s := math.Min(cw/float64(p.w), maxH/float64(p.h))
			s = math.Min(s, 1.5)
			capText := p.ev.Name
			if c := strings.TrimSpace(p.ev.Caption); c != "" {
				capText = c + " (" + p.ev.Name + ")"
			}
			pl := placed{p: p, w: float64(p.w) * s, h: float64(p.h) * s,
				cap: d.m.wrap(caption.font, caption.size, cw, d.m.clean(capText))}
			row.h = math.Max(row.h, pl.h+4+float64(len(pl.cap))*caption.lineHeight())
			row.items = append(row.items, pl)
		}
		rows = append(rows, row)
	}
	keep := small.lineHeight()
	if len(rows) > 0 {
		keep = rows[0].h
	}
	d.heading3(title, keep)
	for _, row := range rows {
		d.room(row.h)
		for k, pl := range row.items {
			x := marginL + float64(k)*(cw+gapX)
			if !d.dry && d.err == nil {
				data, err := r.photos.bytes(pl.p)
				var h gopdf.ImageHolder
				if err == nil {
					h, err = gopdf.ImageHolderByBytes(data)
				}
				if err == nil {
					err = d.pdf.ImageByHolder(h, x, d.y, &gopdf.Rect{W: pl.w, H: pl.h})
				}
				d.fail(err)
				d.strokeRect(x, d.y, pl.w, pl.h, lightGrey, 0.5)
				r.shown++
				// gopdf keeps its own copies; each photo is placed once.
				pl.p.data = nil
			}
			cy := d.y + pl.h + 4
			for _, l := range pl.cap {
				d.text(x, cy+ascent(caption), l, caption)
				cy += caption.lineHeight()
			}
		}
		d.y += row.h + 8
		if err := ctx.Err(); err != nil {
			return err
		}
	}
	for _, p := range other {
		d.bullet(fmt.Sprintf("File not shown: %s (%s, %s): %s.", p.ev.Name, cmpOr(p.ev.MediaType, "unknown type"), english.Size(p.ev.Size), p.note), small)
		if !d.dry {
			r.listed++
		}
	}
	return nil
}

// --- appendices ---

func (r *renderer) inventory(ctx context.Context, d *doc) error {
	a := r.a
	d.heading1("Appendix A: Asset inventory")
	d.para(fmt.Sprintf("All %d assets of the audit, by tag.", len(a.assets)), body)
	d.gap(4)
	t := assetTable(a, true)
	t.body = style{regular, 6.8, black}
	t.head = style{bold, 6.8, black}
	for _, m := range a.assets {
		t.rows = append(t.rows, assetRow(a, m, true))
	}
	t.every = func(i int) error {
		if i%256 == 0 {
			return ctx.Err()
		}
		return nil
	}
	return d.table(t)
}

func (r *renderer) evidenceIndex(ctx context.Context, d *doc) error {
	a := r.a
	d.heading1("Appendix B: Evidence")
	if len(a.evidence) == 0 {
		d.para("No evidence files are attached to this audit.", body)
		return nil
	}
	d.para("Every file attached to the audit, with the record it is attached to and the start of its SHA-256 (the full value is in the audit data).", body)
	d.gap(4)
	t := &table{cols: []column{{title: "File", width: 2.6}, {title: "Type", width: 1.3}, {title: "Size", width: 0.8, align: alignRight},
		{title: "Attached to", width: 2.6}, {title: "Shown", width: 1.7}, {title: "SHA-256", width: 1.4}}, zebra: true}
	for _, p := range a.places {
		for _, ev := range a.byPlace[p] {
			ph, err := r.photos.get(ctx, ev.ID)
			if err != nil {
				return err
			}
			shown := "yes"
			if !ph.shown() {
				shown = "no: " + ph.note
			}
			t.rows = append(t.rows, []cell{txt(ev.Name), txt(ev.MediaType), txt(english.Size(ev.Size)), txt(r.ownerName(ev.Owner)), txt(shown), {text: short(ev.SHA256, 12)}})
		}
	}
	if err := d.table(t); err != nil {
		return err
	}
	return r.photoGrid(ctx, d, "Other evidence", a.byPlace[placeOther])
}

// ownerName names the record a piece of evidence is attached to.
func (r *renderer) ownerName(ref assets.Ref) string {
	a := r.a
	switch ref.Kind {
	case "audit":
		return "the audit"
	case "zone":
		return "zone " + a.zoneName(ref.ID)
	case "asset":
		for _, m := range a.assets {
			if m.ID == ref.ID {
				return "asset " + m.Title()
			}
		}
	case "conduit":
		for _, c := range a.conduits {
			if c.ID == ref.ID {
				return "conduit " + c.Name
			}
		}
	case "finding":
		if no, ok := a.findingNo[ref.ID]; ok {
			return "finding " + no
		}
	case "answer":
		for _, an := range a.answers {
			if an.ID == ref.ID {
				s := "checklist item " + an.Item
				if an.Zone != "" {
					s += " in zone " + a.zoneName(an.Zone)
				}
				return s
			}
		}
	}
	return ref.Kind + " " + short(ref.ID, 12) + " (not in the audit)"
}

func (r *renderer) about(d *doc) {
	d.heading1("Appendix C: About this report")
	d.kv([][2]string{
		{"Made by", "Zonewalk"},
		{"Report version", r.opts.Version},
		{"Report date", r.opts.Date.Format(time.DateOnly)},
		{"Digest definition", DigestVersion},
	})
	d.gap(4)
	d.text(marginL, d.y+ascent(label), "Data digest", label)
	d.text(marginL+118, d.y+ascent(body), r.digest, style{mono, 8.6, black})
	d.y += body.lineHeight() + 6
	for _, p := range aboutText {
		d.para(p, body)
		d.gap(5)
	}
	r.changeLogSection(d)
}

var aboutText = []string{
	"The data digest identifies the audit data this report was made from. It is a SHA-256 over every live record of the audit (the audit description, zones, conduits, assets, checklist answers, findings and evidence descriptions), in order of record kind and ID. Each record is written as its JSON encoding, without its version history, after a line giving its kind, ID and length. Evidence files enter through the SHA-256 of their content, which each evidence record holds.",
	"The same data gives the same digest on any laptop, whichever order the changes were made or merged in; any change to a record changes it. To check that this report matches a copy of the audit, run `zonewalk report --digest --workspace DIR` on that copy and compare the value with the one printed here.",
}

func pdfInfo(a *analysis, o Options) gopdf.PdfInfo {
	return gopdf.PdfInfo{
		Title:        a.audit.Title,
		Author:       strings.Join(a.audit.Auditors, "; "),
		Subject:      "IEC 62443 audit report, version " + o.Version + " (" + o.Classification + ")",
		Creator:      "Zonewalk",
		Producer:     "Zonewalk (gopdf)",
		CreationDate: o.Date,
	}
}
