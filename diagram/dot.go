package diagram

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/zonewalk/zonewalk/assets"
	"github.com/zonewalk/zonewalk/assets/english"
)

// MaxDetailAssets is how many assets a zone detail draws one by one unless
// told otherwise: beyond it a drawing is unreadable even zoomed in, and
// layout time grows fast. A larger zone is drawn as one box per Purdue
// level and asset type, with counts.
const MaxDetailAssets = 150

// dotWriter accumulates DOT source.
type dotWriter struct {
	b strings.Builder
}

func (w *dotWriter) line(indent int, format string, args ...any) {
	for range indent {
		w.b.WriteByte('\t')
	}
	fmt.Fprintf(&w.b, format, args...)
	w.b.WriteByte('\n')
}

// attrs formats attributes in the given order; empty values are left out.
func attrs(kv ...string) string {
	var parts []string
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == "" {
			continue
		}
		parts = append(parts, kv[i]+"="+kv[i+1])
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// htmlLabel wraps HTML-like label text in DOT's <…> delimiters.
func htmlLabel(s string) string { return "<" + s + ">" }

func fnt(size float64, color string, bold bool, text string) string {
	if bold {
		text = "<B>" + text + "</B>"
	}
	return fmt.Sprintf(`<FONT POINT-SIZE="%s" COLOR="%s">%s</FONT>`, strconv.FormatFloat(size, 'f', -1, 64), color, text)
}

// refID is the DOT id of a record: it reaches the SVG as the element id and
// the Graphviz JSON as the "id" attribute, from which Drawing regions are named.
func refID(kind, id string) string { return quote(kind + "-" + id) }

func header(w *dotWriter, name, title, subtitle string) {
	w.line(0, "digraph %s {", quote(name))
	label := `<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1">` +
		`<TR><TD ALIGN="LEFT">` + fnt(16, colInk, true, html(clean(title, 120))) + `</TD></TR>`
	if subtitle != "" {
		label += `<TR><TD ALIGN="LEFT">` + fnt(10, colMuted, false, html(subtitle)) + `</TD></TR>`
	}
	label += `</TABLE>`
	w.line(1, "graph %s;", attrs(
		"fontname", quote(fontName),
		"label", htmlLabel(label),
		"labelloc", "t",
		"labeljust", "l",
		"rankdir", "TB",
		"newrank", "true",
		"compound", "true",
		"nodesep", "0.35",
		"ranksep", "0.45",
		"pad", "0.25",
		"bgcolor", quote(colWhite),
		"outputorder", "edgesfirst",
		"forcelabels", "true", // xlabels are drawn even where they touch something
	))
	w.line(1, "node %s;", attrs(
		"fontname", quote(fontName),
		"shape", "box",
		"style", quote("rounded,filled"),
		"fillcolor", quote(colWhite),
		"color", quote(colZoneLine),
		"penwidth", "1.2",
		"margin", quote("0.12,0.06"),
	))
	w.line(1, "edge %s;", attrs(
		"fontname", quote(fontName),
		"color", quote(colLine),
		"penwidth", "1.4",
		"arrowsize", "0.7",
	))
}

// slBadge is the zone's SL-T as a dark badge cell. Its size is fixed (from
// the Go font's width, with room for wider fonts native dot may measure
// with, such as DejaVu Sans Bold) because
// Graphviz spreads a table's spare width over every cell, which would
// stretch the badge under a long zone name.
func slBadge(v assets.SLVector) string {
	text := "SL-T " + strings.TrimPrefix(v.String(), "SL ")
	w := math.Ceil(measure(text, true, 9)*1.3) + 6
	return fmt.Sprintf(`<TD BGCOLOR="%s" FIXEDSIZE="TRUE" WIDTH="%d" HEIGHT="16">%s</TD>`, colBadge, int(w), fnt(9, colWhite, true, html(text)))
}

// maxNotesShown is how many notes a label shows; the rest are counted.
const maxNotesShown = 4

// noteRows are a record's notes as rows of its label's table, spanning
// cols columns: "NOTE" on yellow, "FINDING" in red on pink.
func noteRows(notes []Note, cols int) string {
	var b strings.Builder
	for i, n := range notes {
		if i == maxNotesShown {
			fmt.Fprintf(&b, `<TR><TD COLSPAN="%d" ALIGN="LEFT">%s</TD></TR>`, cols,
				fnt(8, colMuted, false, html("+ "+english.Count(len(notes)-i, "more note", "more notes"))))
			break
		}
		tag, col, bg := "NOTE", colText, colNoteBg
		if n.Finding {
			tag, col, bg = "FINDING", colFinding, colFindingBg
		}
		for k, l := range wrap(clean(n.Text, 120), 30, 3) {
			text := fnt(8, colText, false, html(l))
			if k == 0 {
				text = fnt(8, col, true, tag) + " " + text
			}
			fmt.Fprintf(&b, `<TR><TD COLSPAN="%d" ALIGN="LEFT" BGCOLOR="%s">%s</TD></TR>`, cols, bg, text)
		}
	}
	return b.String()
}

// zoneLabel is a zone node: name, SL-T badge, asset count and levels,
// and the auditor's notes on it.
func zoneLabel(z *assets.Zone, count int, nameSize float64, notes []Note) string {
	var b strings.Builder
	b.WriteString(`<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="2">`)
	name := wrap(clean(z.Name, 90), 26, 3)
	if len(name) == 0 {
		name = []string{"(unnamed zone)"}
	}
	for i := range name {
		name[i] = html(name[i])
	}
	fmt.Fprintf(&b, `<TR><TD COLSPAN="3">%s</TD></TR>`, fnt(nameSize, colInk, true, strings.Join(name, "<BR/>")))
	info := english.Count(count, "asset", "assets")
	if span := levelSpan(z); span != "" {
		info += " · " + span
	}
	fmt.Fprintf(&b, `<TR>%s<TD WIDTH="6"></TD><TD ALIGN="LEFT">%s</TD></TR>`, slBadge(z.SLT), fnt(9, colMuted, false, html(info)))
	b.WriteString(noteRows(notes, 3))
	b.WriteString(`</TABLE>`)
	return b.String()
}

func zoneTooltip(z *assets.Zone) string {
	t := clean(z.Name, 200)
	if d := clean(z.Description, 300); d != "" {
		t += ": " + d
	}
	return t
}

// conduitStyle says how a conduit is drawn.
type conduitStyle struct {
	color, penwidth, style string
	markers                []string // upper-case tags under the label
}

func styleOf(m *Model, c *assets.Conduit) conduitStyle {
	s := conduitStyle{color: colLine, penwidth: "1.4"}
	if c.RemoteAccess {
		s.color = colRemote
		s.markers = append(s.markers, fnt(8, colRemote, true, "REMOTE ACCESS"))
	}
	if c.Temporary {
		s.style = "dashed"
		s.markers = append(s.markers, fnt(8, colMuted, true, "TEMPORARY"))
	}
	if m.ConduitFindings[c.ID] {
		s.color = colFinding
		s.penwidth = "2.4"
		s.markers = append(s.markers, fnt(8, colFinding, true, "FINDINGS"))
	}
	return s
}

func conduitLabel(c *assets.Conduit, s conduitStyle, notes []Note) string {
	var b strings.Builder
	b.WriteString(`<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1" BGCOLOR="#ffffff">`)
	name := clean(c.Name, 60)
	if name == "" {
		name = "(unnamed conduit)"
	}
	nameColor := colText
	if s.color != colLine {
		nameColor = s.color
	}
	fmt.Fprintf(&b, `<TR><TD>%s</TD></TR>`, fnt(9, nameColor, true, html(name)))
	var flows []string
	for _, f := range c.Flows {
		if t := clean(f.String(), 40); t != "" {
			flows = append(flows, t)
		}
	}
	for _, l := range pack(flows, 32, 3) {
		fmt.Fprintf(&b, `<TR><TD>%s</TD></TR>`, fnt(8, colMuted, false, html(l)))
	}
	if len(s.markers) > 0 {
		fmt.Fprintf(&b, `<TR><TD>%s</TD></TR>`, strings.Join(s.markers, fnt(8, colMuted, false, " · ")))
	}
	b.WriteString(noteRows(notes, 1))
	b.WriteString(`</TABLE>`)
	return b.String()
}

func conduitTooltip(c *assets.Conduit) string {
	var parts []string
	parts = append(parts, clean(c.Name, 200))
	if len(c.Controls) > 0 {
		ctl := make([]string, len(c.Controls))
		for i, x := range c.Controls {
			ctl[i] = clean(string(x), 40)
		}
		parts = append(parts, "controls: "+strings.Join(ctl, ", "))
	}
	if !c.SLT.IsZero() {
		parts = append(parts, "SL-T "+strings.TrimPrefix(c.SLT.String(), "SL "))
	}
	return strings.Join(parts, "; ")
}

// arrowDir maps a conduit's direction onto a DOT edge drawn from tail to
// head, where tail is the conduit's From zone when fromIsTail.
func arrowDir(d assets.Direction, fromIsTail bool) string {
	switch d {
	case assets.Bidirectional:
		return "both"
	case assets.FromToTo:
		if fromIsTail {
			return "forward"
		}
		return "back"
	case assets.ToToFrom:
		if fromIsTail {
			return "back"
		}
		return "forward"
	}
	return "none" // direction not recorded
}

// MaxLaidOutLabels is the number of conduits up to which the overview
// lays out conduit labels with the graph. Beyond it, labels are placed
// after layout (Graphviz xlabel): every label becomes part of the layout
// otherwise, and on a large plant they make the drawing several times as
// wide as it is high.
const MaxLaidOutLabels = 30

func conduitEdge(w *dotWriter, m *Model, c *assets.Conduit, notes []Note, tail, head string, fromIsTail, xlabel bool, extra ...string) {
	s := styleOf(m, c)
	labelAttr := "label"
	if xlabel {
		labelAttr = "xlabel"
	}
	kv := []string{
		"id", refID(KindConduit, c.ID),
		labelAttr, htmlLabel(conduitLabel(c, s, notes)),
		"tooltip", quote(conduitTooltip(c)),
		"color", quote(s.color),
		"penwidth", s.penwidth,
		"style", s.style,
		"dir", arrowDir(c.Direction, fromIsTail),
	}
	w.line(1, "%s -> %s %s;", tail, head, attrs(append(kv, extra...)...))
}

// legend builds the legend table: only entries the drawing uses.
type legend struct {
	rows []string
}

func (l *legend) add(swatch, text string) {
	l.rows = append(l.rows, fmt.Sprintf(`<TR><TD ALIGN="LEFT" WIDTH="44" HEIGHT="14">%s</TD><TD ALIGN="LEFT">%s</TD></TR>`,
		swatch, fnt(9, colText, false, html(text))))
}

func lineSwatch(color string, height int, dashed bool) string {
	if dashed {
		cell := fmt.Sprintf(`<TD WIDTH="8" HEIGHT="%d" FIXEDSIZE="TRUE" BGCOLOR="%s"></TD>`, height, color)
		return `<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="4" CELLPADDING="0"><TR>` + cell + cell + cell + `</TR></TABLE>`
	}
	return fmt.Sprintf(`<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="0"><TR><TD WIDTH="36" HEIGHT="%d" FIXEDSIZE="TRUE" BGCOLOR="%s"></TD></TR></TABLE>`, height, color)
}

func boxSwatch(fill, pen string) string {
	return fmt.Sprintf(`<TABLE BORDER="1" COLOR="%s" CELLBORDER="0" CELLSPACING="0" CELLPADDING="0"><TR><TD WIDTH="36" HEIGHT="10" FIXEDSIZE="TRUE" BGCOLOR="%s"></TD></TR></TABLE>`, pen, fill)
}

// gaps explains the zone fills the overview uses, when any zone is assessed.
func (l *legend) gaps(m *Model, zones []*assets.Zone) {
	used := map[string]bool{}
	white := false
	for _, z := range zones {
		if sla, ok := m.Achieved[z.ID]; ok {
			used[gapFill(Gap(z.SLT, sla))] = true
		} else {
			white = true
		}
	}
	if len(used) == 0 {
		return
	}
	for _, e := range []struct{ fill, text string }{
		{colGapNone, "Zone meets its SL-T (SL-A ≥ SL-T in every FR)"},
		{colGapOne, "Zone one level short of its SL-T in some FR"},
		{colGapMore, "Zone two or more levels short of its SL-T"},
	} {
		if used[e.fill] {
			l.add(boxSwatch(e.fill, colZoneLine), e.text)
		}
	}
	if white {
		l.add(boxSwatch(colWhite, colZoneLine), "Zone not assessed (no SL-A yet)")
	}
}

func (l *legend) conduits(m *Model, list []*assets.Conduit) {
	l.add(lineSwatch(colLine, 2, false), "Conduit (arrow: permitted direction of flow)")
	var remote, temp, finding bool
	for _, c := range list {
		remote = remote || c.RemoteAccess
		temp = temp || c.Temporary
		finding = finding || m.ConduitFindings[c.ID]
	}
	if remote {
		l.add(lineSwatch(colRemote, 2, false), "Remote-access conduit")
	}
	if temp {
		l.add(lineSwatch(colLine, 2, true), "Temporary connection")
	}
	if finding {
		l.add(lineSwatch(colFinding, 3, false), "Conduit with findings")
	}
}

func (l *legend) write(w *dotWriter, notes ...string) {
	var b strings.Builder
	b.WriteString(`<TABLE BORDER="1" COLOR="` + colBorder + `" CELLBORDER="0" CELLSPACING="0" CELLPADDING="3" BGCOLOR="#ffffff">`)
	fmt.Fprintf(&b, `<TR><TD COLSPAN="2" ALIGN="LEFT">%s</TD></TR>`, fnt(10, colInk, true, "Legend"))
	for _, r := range l.rows {
		b.WriteString(r)
	}
	// Narrower than the rows above, so the note never widens the columns.
	for _, note := range notes {
		for _, line := range wrap(note, 48, 0) {
			fmt.Fprintf(&b, `<TR><TD COLSPAN="2" ALIGN="LEFT">%s</TD></TR>`, fnt(8, colMuted, false, html(line)))
		}
	}
	b.WriteString(`</TABLE>`)
	w.line(1, "legend %s;", attrs("id", quote("legend"), "shape", "plain", "style", quote("solid"), "label", htmlLabel(b.String())))
}

func slNote() string {
	return "SL-T: target security level; where the seven FRs differ, the highest followed by FR1–FR7."
}

// bandLabel is the small caption of a Purdue row.
func bandLabel(p assets.Purdue) string {
	s := levelStyle[p]
	text := strings.ToUpper(s.name)
	if s.label != "" {
		text = s.label + "  " + text
	}
	return htmlLabel(fnt(9, colMuted, true, html(text)))
}

func bandAttrs(w *dotWriter, p assets.Purdue) {
	s := levelStyle[p]
	w.line(2, "graph %s;", attrs(
		"label", bandLabel(p),
		"labeljust", "l",
		"labelloc", "t",
		"style", quote("filled"),
		"fillcolor", quote(s.fill),
		"color", quote(s.border),
		"penwidth", "1",
		"margin", "10",
	))
}

// Overview returns the DOT source of the zone and conduit overview: one node
// per zone in bands by Purdue level (enterprise at the top, process at the
// bottom), one edge per conduit.
func Overview(m *Model) []byte {
	v := newView(m)
	w := &dotWriter{}
	header(w, "overview", m.Title, "Zones and conduits")

	// Bands from the highest level down; zones without a level at the bottom.
	var levels []assets.Purdue
	byLevel := map[assets.Purdue][]*assets.Zone{}
	for _, z := range v.zones {
		p := levelKey(z)
		if _, ok := byLevel[p]; !ok {
			levels = append(levels, p)
		}
		byLevel[p] = append(byLevel[p], z)
	}

	node := map[string]string{} // zone ID → DOT node name
	for i, z := range v.zones {
		node[z.ID] = "z" + strconv.Itoa(i)
	}

	external := false
	for _, c := range v.conduits {
		external = external || c.To == ""
	}
	var firsts []string // first node of each band, top to bottom, for ordering
	if external {
		w.line(1, "subgraph cluster_external {")
		w.line(2, "graph %s;", attrs(
			"label", htmlLabel(fnt(9, colMuted, true, "OUTSIDE THE SYSTEM UNDER CONSIDERATION")),
			"labeljust", "l", "style", quote("dashed,rounded"), "color", quote(colBorder), "margin", "10"))
		w.line(2, "external %s;", attrs(
			"id", quote(KindExternal),
			"label", htmlLabel(fnt(11, colInk, true, "External")+"<BR/>"+fnt(8, colMuted, false, "networks and parties outside")),
			"style", quote("rounded,filled,dashed"), "fillcolor", quote(colWhite), "color", quote(colMuted)))
		w.line(1, "}")
		firsts = append(firsts, "external")
	}

	var sizes []int
	if external {
		sizes = append(sizes, 1)
	}
	for _, p := range levels {
		sizes = append(sizes, len(byLevel[p]))
	}
	k := bandRowWidth(sizes)
	for li, p := range levels {
		zs := byLevel[p]
		w.line(1, "subgraph cluster_band%d {", li)
		bandAttrs(w, p)
		for _, z := range zs {
			fill := ""
			if sla, ok := m.Achieved[z.ID]; ok {
				fill = quote(gapFill(Gap(z.SLT, sla)))
			}
			w.line(2, "%s %s;", node[z.ID], attrs(
				"id", refID(KindZone, z.ID),
				"label", htmlLabel(zoneLabel(z, v.count[z.ID], 12, v.notes[zoneRef(z.ID)])),
				"tooltip", quote(zoneTooltip(z)),
				"fillcolor", fill,
			))
		}
		// A crowded band wraps into rows of k zones.
		for start := 0; start < len(zs); start += k {
			row := zs[start:min(start+k, len(zs))]
			names := make([]string, len(row))
			for i, z := range row {
				names[i] = node[z.ID]
			}
			w.line(2, "{ rank=same; %s; }", strings.Join(names, "; "))
			firsts = append(firsts, names[0])
		}
		w.line(1, "}")
	}

	// Conduits to zones that are not in the model (deleted, or not yet
	// merged) still appear, to a placeholder, so nothing silently vanishes.
	missing := map[string]string{}
	var missingIDs []string
	ref := func(id string) string {
		if n, ok := node[id]; ok {
			return n
		}
		if n, ok := missing[id]; ok {
			return n
		}
		n := "missing" + strconv.Itoa(len(missing))
		missing[id] = n
		missingIDs = append(missingIDs, id)
		return n
	}
	type edge struct {
		c          *assets.Conduit
		tail, head string
		fromIsTail bool
	}
	var edges []edge
	for _, c := range v.conduits {
		from := ref(c.From)
		if c.To == "" {
			edges = append(edges, edge{c, "external", from, false})
			continue
		}
		to := ref(c.To)
		// Draw downwards (higher level to lower) so the edge agrees with the bands.
		fz, tz := v.zoneByID[c.From], v.zoneByID[c.To]
		if fz != nil && tz != nil && levelKey(tz).Rank() > levelKey(fz).Rank() {
			edges = append(edges, edge{c, to, from, false})
		} else {
			edges = append(edges, edge{c, from, to, true})
		}
	}
	for i, id := range missingIDs {
		w.line(1, "%s %s;", missing[id], attrs(
			"label", htmlLabel(fnt(10, colMuted, true, "Missing zone")+"<BR/>"+fnt(8, colMuted, false, html(clean(id, 40)))),
			"style", quote("rounded,dashed"), "color", quote(colMuted)))
		_ = i
	}

	// Keep the bands in Purdue order with invisible, weightless edges
	// between the first node of consecutive bands.
	for i := 1; i < len(firsts); i++ {
		w.line(1, "%s -> %s %s;", firsts[i-1], firsts[i], attrs("style", "invis", "weight", "0"))
	}
	xlabel := len(edges) > MaxLaidOutLabels
	for _, e := range edges {
		conduitEdge(w, m, e.c, v.notes[conduitRef(e.c.ID)], e.tail, e.head, e.fromIsTail, xlabel)
	}
	observed := 0
	for _, o := range m.Undeclared {
		from, okF := node[o.From]
		to, okT := node[o.To]
		if !okF || !okT || o.From == o.To {
			continue
		}
		observed++
		w.line(1, "%s -> %s %s;", from, to, attrs(
			"id", quote("observed-"+strconv.Itoa(observed)),
			"xlabel", htmlLabel(fnt(8, colFinding, true, html(clean(o.Label, 48)))),
			"tooltip", quote("seen, no conduit: "+clean(o.Label, 200)),
			"color", quote(colFinding), "style", "dashed", "penwidth", "1.6", "constraint", "false"))
	}

	var l legend
	l.gaps(m, v.zones)
	l.conduits(m, v.conduits)
	if observed > 0 {
		l.add(lineSwatch(colFinding, 2, true), "Traffic seen where no conduit is declared")
	}
	notes := []string{slNote()}
	if v.noZone > 0 {
		notes = append(notes, english.Count(v.noZone, "asset is", "assets are")+" not assigned to a zone.")
	}
	l.write(w, notes...)
	if len(firsts) > 0 {
		w.line(1, "%s -> legend %s;", firsts[len(firsts)-1], attrs("style", "invis", "weight", "0"))
	}
	w.line(0, "}")
	return []byte(w.b.String())
}

// bandRowWidth is the most zones an overview row holds: the width whose
// drawing comes closest to A4 landscape proportions, assuming a zone node
// with its gaps and the conduits beside it is about 280 points wide and a
// row about 110 points high (measured on a 50-zone plant).
func bandRowWidth(bands []int) int {
	best, bestErr := 4, math.Inf(1)
	for k := 4; k <= 14; k++ {
		rows, widest := 0, 0
		for _, n := range bands {
			rows += (n + k - 1) / k
			widest = max(widest, min(n, k))
		}
		if rows == 0 {
			return k
		}
		ratio := float64(widest*280) / float64(rows*110)
		if e := math.Abs(math.Log(ratio / math.Sqrt2)); e < bestErr-1e-9 {
			best, bestErr = k, e
		}
	}
	return best
}

// assetLabel is an asset node: tag, type, vendor and model, firmware.
func assetLabel(a *assets.Asset) string {
	var rows []string
	title := clean(a.Title(), 40)
	if title == "" {
		title = "(untitled asset)"
	}
	rows = append(rows, fnt(10, colInk, true, html(title)))
	kind := fnt(8, colMuted, false, html(clean(a.Type.Label(), 30)))
	if a.EndOfLife {
		kind += fnt(8, colWarn, true, " · END OF LIFE")
	}
	rows = append(rows, kind)
	if vm := clean(strings.TrimSpace(a.Vendor+" "+a.Model), 40); vm != "" {
		rows = append(rows, fnt(8, colText, false, html(vm)))
	}
	if fw := clean(a.Firmware, 30); fw != "" {
		rows = append(rows, fnt(8, colMuted, false, "FW "+html(fw)))
	}
	return strings.Join(rows, "<BR/>")
}

// detailNode is one box of a zone detail: an asset, or in a large zone all
// assets of one type at one level.
type detailNode struct {
	level              assets.Purdue
	id, label, tooltip string
	look               assetLook
}

// detailNodes makes the boxes for a zone's sorted assets, one per asset or
// one per run of the same level and type.
func detailNodes(list []*assets.Asset, grouped bool) []detailNode {
	var out []detailNode
	if !grouped {
		for _, a := range list {
			look := lookOf(a.Type)
			if a.EndOfLife {
				look.pen = colWarn
			}
			out = append(out, detailNode{level: a.Purdue, id: refID(KindAsset, a.ID), label: assetLabel(a), tooltip: assetTooltip(a), look: look})
		}
		return out
	}
	for start := 0; start < len(list); {
		end := start + 1
		for end < len(list) && list[end].Purdue == list[start].Purdue && list[end].Type == list[start].Type {
			end++
		}
		out = append(out, groupNode(list[start:end], len(out)))
		start = end
	}
	return out
}

// groupNode draws assets of one type and level as one box: how many, the
// commonest vendor and model, and how many are end of life.
func groupNode(run []*assets.Asset, n int) detailNode {
	a := run[0]
	look := lookOf(a.Type)
	models := map[string]int{}
	eol := 0
	for _, x := range run {
		models[clean(strings.TrimSpace(x.Vendor+" "+x.Model), 40)]++
		if x.EndOfLife {
			eol++
		}
	}
	names := make([]string, 0, len(models))
	for k := range models {
		names = append(names, k)
	}
	slices.SortFunc(names, func(x, y string) int { return cmp.Or(cmp.Compare(models[y], models[x]), cmp.Compare(x, y)) })
	typ := clean(a.Type.Label(), 30)
	rows := []string{fnt(10, colInk, true, html(fmt.Sprintf("%d × %s", len(run), typ)))}
	var tip []string
	for i, name := range names {
		shown := name
		if shown == "" {
			shown = "vendor and model not recorded"
		}
		tip = append(tip, fmt.Sprintf("%s: %d", shown, models[name]))
		if i < 2 {
			rows = append(rows, fnt(8, colText, false, html(fmt.Sprintf("%s (%d)", shown, models[name]))))
		}
	}
	if len(names) > 2 {
		rows = append(rows, fnt(8, colMuted, false, html(fmt.Sprintf("+ %s", english.Count(len(names)-2, "other model", "other models")))))
	}
	if eol > 0 {
		look.pen = colWarn
		rows = append(rows, fnt(8, colWarn, true, fmt.Sprintf("%d END OF LIFE", eol)))
	}
	return detailNode{
		level:   a.Purdue,
		id:      quote("group-" + strconv.Itoa(n)),
		label:   strings.Join(rows, "<BR/>"),
		tooltip: fmt.Sprintf("%d × %s at %s; %s", len(run), typ, a.Purdue.Label(), strings.Join(tip, ", ")),
		look:    look,
	}
}

func assetTooltip(a *assets.Asset) string {
	parts := []string{clean(a.Title(), 100)}
	if a.Name != "" && a.Name != a.Title() {
		parts = append(parts, clean(a.Name, 100))
	}
	if len(a.IPs) > 0 {
		parts = append(parts, clean(strings.Join(a.IPs, ", "), 120))
	}
	if a.Criticality != "" {
		parts = append(parts, "criticality "+clean(string(a.Criticality), 20))
	}
	return strings.Join(parts, "; ")
}

// rowWidth is how many assets share a row in a zone detail: about square,
// which suits A4 landscape once labels are wider than tall.
func rowWidth(n int) int {
	k := 1
	for k*k < n {
		k++
	}
	return min(max(k+1, 4), 9)
}

// ZoneDetail returns the DOT source of one zone: its assets (grouped by
// Purdue level, shaped by type) and the conduits to its neighbours, which
// sit above it when their level is higher and below otherwise. A zone of
// more than maxAssets assets (0: MaxDetailAssets) is drawn as one box per
// level and type, with counts, so nothing is left out.
func ZoneDetail(m *Model, zoneID string, maxAssets int) ([]byte, error) {
	v := newView(m)
	z := v.zoneByID[zoneID]
	if z == nil {
		return nil, fmt.Errorf("zone detail for %q: %w", zoneID, ErrUnknownZone)
	}
	w := &dotWriter{}
	header(w, "zone", m.Title, "Zone detail: "+clean(z.Name, 80))

	if maxAssets <= 0 {
		maxAssets = MaxDetailAssets
	}
	list := v.assets[z.ID]
	nodes := detailNodes(list, len(list) > maxAssets)

	// Rows by level, highest first (the list is sorted that way).
	type group struct {
		level assets.Purdue
		items []detailNode
	}
	var groups []group
	for _, d := range nodes {
		if len(groups) == 0 || groups[len(groups)-1].level != d.level {
			groups = append(groups, group{level: d.level})
		}
		g := &groups[len(groups)-1]
		g.items = append(g.items, d)
	}
	k := rowWidth(len(nodes))

	// Zone cluster.
	var title strings.Builder
	info := english.Count(v.count[z.ID], "asset", "assets")
	if span := levelSpan(z); span != "" {
		info += " · " + span
	}
	fmt.Fprintf(&title, `<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="2"><TR><TD ALIGN="LEFT">`+
		`<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1"><TR><TD>%s</TD><TD WIDTH="8"> </TD>%s<TD WIDTH="8"> </TD><TD>%s</TD></TR></TABLE>`+
		`</TD></TR>`,
		fnt(13, colInk, true, html(clean(z.Name, 80))), slBadge(z.SLT), fnt(9, colMuted, false, html(info)))
	for _, l := range wrap(clean(z.Description, 240), 90, 3) {
		fmt.Fprintf(&title, `<TR><TD ALIGN="LEFT">%s</TD></TR>`, fnt(8, colText, false, html(l)))
	}
	title.WriteString(noteRows(v.notes[zoneRef(z.ID)], 1))
	title.WriteString(`</TABLE>`)

	w.line(1, "subgraph cluster_zone {")
	w.line(2, "graph %s;", attrs(
		"id", refID(KindZone, z.ID),
		"label", htmlLabel(title.String()),
		"labeljust", "l",
		"labelloc", "t",
		"tooltip", quote(zoneTooltip(z)),
		"style", quote("rounded,filled"),
		"fillcolor", quote("#f8fafc"),
		"color", quote(colZoneLine),
		"penwidth", "1.6",
		"margin", "14",
	))
	var rowFirsts []string
	n := 0
	sub := len(groups) > 1
	for gi, g := range groups {
		indent := 2
		if sub {
			w.line(2, "subgraph cluster_level%d {", gi)
			bandAttrs(w, g.level)
			indent = 3
		}
		for start := 0; start < len(g.items); start += k {
			row := g.items[start:min(start+k, len(g.items))]
			names := make([]string, len(row))
			for i, d := range row {
				name := "a" + strconv.Itoa(n)
				n++
				names[i] = name
				w.line(indent, "%s %s;", name, attrs(
					"id", d.id,
					"label", htmlLabel(d.label),
					"tooltip", quote(d.tooltip),
					"shape", d.look.shape,
					"style", quote(d.look.style),
					"margin", quote(d.look.margin),
					"peripheries", d.look.peripheries,
					"fillcolor", quote(d.look.fill),
					"color", quote(d.look.pen),
					"penwidth", "1.1",
				))
			}
			w.line(indent, "{ rank=same; %s; }", strings.Join(names, "; "))
			rowFirsts = append(rowFirsts, names[0])
		}
		if sub {
			w.line(2, "}")
		}
	}
	if len(list) == 0 {
		text := "No assets recorded in this zone"
		w.line(2, "none %s;", attrs("label", htmlLabel(fnt(9, colMuted, false, html(text))), "shape", "plain", "style", quote("solid")))
		rowFirsts = append(rowFirsts, "none")
	}
	w.line(1, "}")
	for i := 1; i < len(rowFirsts); i++ {
		w.line(1, "%s -> %s %s;", rowFirsts[i-1], rowFirsts[i], attrs("style", "invis"))
	}
	top, bottom := rowFirsts[0], rowFirsts[len(rowFirsts)-1]

	// Neighbours and the conduits to them.
	neighbour := map[string]string{}
	var conduits []*assets.Conduit
	nn := 0
	addNeighbour := func(id string) string {
		if n, ok := neighbour[id]; ok {
			return n
		}
		name := "n" + strconv.Itoa(nn)
		nn++
		neighbour[id] = name
		if id == "" {
			w.line(1, "%s %s;", name, attrs(
				"id", quote(KindExternal),
				"label", htmlLabel(fnt(11, colInk, true, "External")+"<BR/>"+fnt(8, colMuted, false, "networks and parties outside")),
				"style", quote("rounded,filled,dashed"), "color", quote(colMuted)))
		} else if nz := v.zoneByID[id]; nz != nil {
			w.line(1, "%s %s;", name, attrs(
				"id", refID(KindZone, nz.ID),
				"label", htmlLabel(zoneLabel(nz, v.count[nz.ID], 11, nil)),
				"tooltip", quote(zoneTooltip(nz)),
				"color", quote(colBorder)))
		} else {
			w.line(1, "%s %s;", name, attrs(
				"label", htmlLabel(fnt(10, colMuted, true, "Missing zone")+"<BR/>"+fnt(8, colMuted, false, html(clean(id, 40)))),
				"style", quote("rounded,dashed"), "color", quote(colMuted)))
		}
		return name
	}
	for _, c := range v.conduits {
		var other string
		switch {
		case c.From == z.ID:
			other = c.To
		case c.To == z.ID:
			other = c.From
		default:
			continue
		}
		conduits = append(conduits, c)
		nb := addNeighbour(other)
		above := other == ""
		if nz := v.zoneByID[other]; nz != nil {
			above = levelKey(nz).Rank() > levelKey(z).Rank()
		}
		fromIsZone := c.From == z.ID
		if above {
			conduitEdge(w, m, c, v.notes[conduitRef(c.ID)], nb, top, !fromIsZone, false, "lhead", "cluster_zone")
		} else {
			conduitEdge(w, m, c, v.notes[conduitRef(c.ID)], bottom, nb, fromIsZone, false, "ltail", "cluster_zone")
		}
	}

	var l legend
	var fams []string
	for _, a := range list {
		if f := lookOf(a.Type).family; !slices.Contains(fams, f) {
			fams = append(fams, f)
		}
	}
	for _, f := range families {
		if slices.Contains(fams, f.name) {
			l.add(boxSwatch(f.fill, f.pen), f.name+" ("+typesOf(f.name)+")")
		}
	}
	for _, a := range list {
		if a.EndOfLife {
			l.add(boxSwatch(colWhite, colWarn), "Asset at end of life (border)")
			break
		}
	}
	l.conduits(m, conduits)
	l.write(w, slNote())
	w.line(1, "%s -> legend %s;", bottom, attrs("style", "invis", "ltail", "cluster_zone"))
	w.line(0, "}")
	return []byte(w.b.String()), nil
}

// typesOf lists the asset types of a family for the legend.
func typesOf(fam string) string {
	var names []string
	for _, e := range assets.AssetTypes {
		if lookOf(e.Type).family == fam {
			names = append(names, strings.ToLower(e.Label))
		}
	}
	if fam == famControl {
		// Acronyms read better upper-case.
		for i, n := range names {
			switch n {
			case "plc", "rtu", "ied":
				names[i] = strings.ToUpper(n)
			case "sis controller":
				names[i] = "SIS"
			}
		}
	}
	if fam == famOperator {
		for i, n := range names {
			if n == "hmi" {
				names[i] = "HMI"
			}
		}
	}
	return strings.Join(names, ", ")
}
