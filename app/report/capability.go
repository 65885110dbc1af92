package report

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/zonewalk/zonewalk/app/capability"
	"github.com/zonewalk/zonewalk/assets"
	"github.com/zonewalk/zonewalk/assets/english"
)

// Tags listed at most per FR and per asset type: a zone of 200 identical
// sensors is named by count; the inventory lists them all.
const maxCapTags = 12

var (
	slcFill = rgb{0xf0, 0xb0, 0x3c} // light in grey print, against SL-A's dark navy
	slaFill = navy
)

// capabilitySection writes "Component capability (SL-C)": per zone SL-T,
// SL-C and SL-A per FR, the assets that cap SL-C below SL-T and the
// members nothing is known of; then the capability records.
func (r *renderer) capabilitySection(ctx context.Context, d *doc) error {
	a := r.a
	d.heading1("Component capability (SL-C)")
	ix := capability.New(a.capabilities, a.componentSLC)
	zcs := make([]capability.ZoneCapability, len(a.zones))
	known := false
	for i, z := range a.zones {
		zcs[i] = ix.Zone(a.assetsByZone[z.ID])
		known = known || zcs[i].Known > 0
	}
	if !known && len(a.capabilities) == 0 {
		d.para("No capability information is recorded for any component of this audit (no IEC 62443-4-2 assessment, certificate "+
			"or recorded SL-C), so no zone's capability (SL-C) can be given, nor whether its components can reach its target.", body)
		return d.check("component capability")
	}
	d.para("What the components of each zone can do by themselves (IEC 62443-4-2 capability, SL-C), per foundational requirement, "+
		"beside the zone's target (SL-T) and what it achieves (SL-A, from the 62443-3-3 checklist). A zone is no more capable than its "+
		"weakest component: its SL-C in an FR is the lowest SL-C of its members with capability information. An asset's SL-C comes "+
		"from its own capability record or from that of its vendor and model: the level assessed with the 62443-4-2 checklist, else "+
		"the recorded vector, else the certificate's level in every FR; without a record, the single SL-C recorded on the asset.", body)

	d.heading2("SL-T, SL-C and SL-A per zone", false, 40+chartRowH)
	d.para("For each FR the left bar (light) is the zone's SL-C and the right bar (dark) its SL-A, from 0 to 4; the red mark is "+
		"the SL-T. Under each FR: C SL-C, A SL-A, T SL-T (– not known, not assessed or not set), in bold where SL-C is below SL-T. "+
		"Below each zone: the assets that cap its SL-C under the target, and those with no capability information.", smallI)
	d.gap(4)
	cms := zoneCompensation(a.countermeasures)
	for i := range a.zones {
		r.capabilityZone(d, &a.zones[i], zcs[i], cms)
		if err := ctx.Err(); err != nil {
			return err
		}
	}
	if len(a.zones) == 0 {
		d.para("No zones are defined.", body)
	}

	d.heading2("Capability records", false, 60)
	if len(a.capabilities) == 0 {
		d.para("No capability records: the levels above come from the single SL-C recorded on assets.", body)
		return d.check("component capability")
	}
	d.para("One record per asset, or per vendor and model shared by every asset of that model (matched ignoring case and spaces). "+
		"“Assets” counts the assets of this audit the record gives the SL-C of; an asset's own record wins over its model's.", smallI)
	d.gap(2)
	t := &table{cols: []column{{title: "For", width: 2.1}, {title: "Component type", width: 1.2}, {title: "SL-C", width: 1.4},
		{title: "Source of the level", width: 1.5}, {title: "Certificate", width: 2.6}, {title: "Notes", width: 1.9},
		{title: "Assets", width: 0.7, align: alignRight}}, zebra: true}
	uses := map[string]int{}
	for _, m := range a.assets {
		if e, ok := ix.ForAsset(m); ok && e.Capability != nil {
			uses[e.Capability.ID]++
		}
	}
	for i := range a.capabilities {
		cp := &a.capabilities[i]
		slc, source := recordLevel(cp, a.componentSLC)
		t.rows = append(t.rows, []cell{txt(a.capabilityFor(cp)), txt(cmpOr(assets.ComponentTypeLabel(cp.ComponentType), cp.ComponentType)),
			txt(slc), txt(source), txt(certificateText(cp.Certificate)), txt(cp.Notes), txt(strconv.Itoa(uses[cp.ID]))})
	}
	d.fail(d.table(t))
	return d.check("component capability")
}

// capabilityFor names what a record is for: the asset's tag, or vendor and model.
func (a *analysis) capabilityFor(cp *assets.Capability) string {
	if cp.Asset == "" {
		return strings.TrimSpace(cp.Vendor+" "+cp.Model) + " (model)"
	}
	for _, m := range a.assets {
		if m.ID == cp.Asset {
			return m.Title() + " (asset)"
		}
	}
	return "(deleted asset)"
}

// recordLevel is the SL-C a record gives and where it comes from, in the
// order assets.CapabilityIndex.Of takes them.
func recordLevel(cp *assets.Capability, scores map[string]assets.SLVector) (level, source string) {
	if v, ok := scores[cp.ID]; ok {
		return slcText(v), "assessed with the 62443-4-2 checklist"
	}
	if !cp.SLC.IsZero() {
		return slcText(cp.SLC), "recorded"
	}
	if ct := cp.Certificate; ct != nil && ct.Level >= 1 && ct.Level <= 4 {
		return slcText(assets.UniformSL(ct.Level)), "certificate"
	}
	return "–", "none"
}

// slcText writes a capability vector in full: SL-C 0 is a level (the
// component does not reach SL 1), so SLVector.String's "SL -" for all
// zeros would mislead.
func slcText(v assets.SLVector) string {
	parts := make([]string, len(v))
	for i, l := range v {
		parts[i] = strconv.Itoa(l)
	}
	return strings.Join(parts, ",")
}

func certificateText(ct *assets.Certificate) string {
	if ct == nil {
		return "–"
	}
	var parts []string
	add := func(label, v string) {
		if v = strings.TrimSpace(v); v != "" {
			parts = append(parts, label+v)
		}
	}
	add("", ct.Scheme)
	add("issued by ", ct.Issuer)
	add("no. ", ct.Number)
	if ct.Level > 0 {
		parts = append(parts, "level "+strconv.Itoa(ct.Level))
	}
	add("dated ", ct.Date)
	add("evidence: ", ct.Evidence)
	return cmpOr(strings.Join(parts, ", "), "recorded without details")
}

// zoneCompensation is, per zone ID and FR, the names of the implemented
// countermeasures that apply to the zone and name the FR: they make up
// for components below the target (as rule ZW-CAP-001 counts them).
func zoneCompensation(list []assets.Countermeasure) map[string][len(assets.FRs)][]string {
	out := map[string][len(assets.FRs)][]string{}
	for _, cm := range list {
		if cm.Status == assets.CountermeasurePlanned {
			continue
		}
		for _, ref := range cm.AppliesTo {
			if ref.Kind != "zone" {
				continue
			}
			v := out[ref.ID]
			for _, f := range cm.FRs {
				if f >= 0 && int(f) < len(v) {
					v[f] = append(v[f], cm.Name)
				}
			}
			out[ref.ID] = v
		}
	}
	return out
}

// capabilityZone draws one zone's chart row and lists what caps it.
func (r *renderer) capabilityZone(d *doc, z *assets.Zone, zc capability.ZoneCapability, cms map[string][len(assets.FRs)][]string) {
	a := r.a
	var slc, sla *assets.SLVector
	if zc.Known > 0 {
		v := zc.SLC
		slc = &v
	}
	if a.assessed[z.ID] {
		v := a.zoneScores[z.ID].SLA
		sla = &v
	}
	var notes []string
	switch {
	case zc.Members == 0:
		notes = append(notes, "No assets are assigned to this zone.")
	case zc.Known == 0:
		notes = append(notes, fmt.Sprintf("No capability information for any of its %s.", english.Count(zc.Members, "asset", "assets")))
	}
	if zc.Known > 0 {
		below := false
		for i, f := range zc.FRs {
			t := z.SLT[i]
			if t == 0 || f.SLC >= t {
				continue
			}
			below = true
			line := fmt.Sprintf("FR %d %s: SL-C %d below SL-T %d, capped by %s.", f.FR.Number(), f.FR, f.SLC, t, cappingText(f.Capping))
			if names := cms[z.ID][i]; len(names) > 0 {
				line += " Compensating countermeasure for the zone: " + strings.Join(names, "; ") + "."
			}
			notes = append(notes, line)
		}
		if !below && !z.SLT.IsZero() {
			notes = append(notes, "SL-C reaches SL-T in every FR.")
		}
	}
	if len(zc.Unknown) > 0 && zc.Known > 0 {
		var groups []string
		for _, g := range zc.Unknown {
			groups = append(groups, fmt.Sprintf("%d %s (%s)", len(g.Members), g.Label, tagList(g.Members)))
		}
		notes = append(notes, "No capability information: "+strings.Join(groups, "; ")+".")
	} else if len(zc.Unknown) > 0 {
		var groups []string
		for _, g := range zc.Unknown {
			groups = append(groups, fmt.Sprintf("%d %s", len(g.Members), g.Label))
		}
		notes[len(notes)-1] = strings.TrimSuffix(notes[len(notes)-1], ".") + ": " + strings.Join(groups, ", ") + "."
	}
	keep := chartRowH
	if len(notes) > 0 {
		keep += 2 * small.lineHeight()
	}
	d.room(keep)
	r.capabilityRow(d, z.Name, z.SLT, slc, sla)
	for _, n := range notes {
		d.bullet(n, small)
	}
	d.gap(6)
}

// cappingText names the capping members by tag, grouped by the source
// of their level: "PLC-1, PLC-2 (certificate); PLC-104 (recorded)".
func cappingText(ms []capability.Member) string {
	var order []assets.SLCSource
	by := map[assets.SLCSource][]capability.Member{}
	for _, m := range ms {
		if _, ok := by[m.Source]; !ok {
			order = append(order, m.Source)
		}
		by[m.Source] = append(by[m.Source], m)
	}
	slices.Sort(order)
	var parts []string
	for _, s := range order {
		parts = append(parts, tagList(by[s])+" ("+s.Label()+")")
	}
	return strings.Join(parts, "; ")
}

// tagList names members by tag, up to maxCapTags.
func tagList(ms []capability.Member) string {
	var tags []string
	for i, m := range ms {
		if i == maxCapTags {
			tags = append(tags, fmt.Sprintf("and %d more", len(ms)-maxCapTags))
			break
		}
		tags = append(tags, m.Tag)
	}
	return strings.Join(tags, ", ")
}

// capabilityRow draws one zone as slaChart does: per FR, SL-C and SL-A
// bars side by side with the SL-T mark, and the figures under each FR.
func (r *renderer) capabilityRow(d *doc, name string, slt assets.SLVector, slc, sla *assets.SLVector) {
	groupW := (contentW - chartLabelW) / float64(len(assets.FRs))
	top := d.y
	base := top + chartBarMax + 2
	y := top
	for _, l := range d.m.wrap(small.font, small.size, chartLabelW-8, d.m.oneLine(name)) {
		if y+small.lineHeight() > base+2*caption.lineHeight() {
			break
		}
		d.text(marginL, y+ascent(small)+chartBarMax/2-4, l, small)
		y += small.lineHeight()
	}
	d.line(marginL+chartLabelW, base, pageW-marginR, base, grey, 0.5)
	for i, fr := range assets.FRs {
		x := marginL + chartLabelW + float64(i)*groupW
		cx := x + groupW/2
		bar := func(v *assets.SLVector, left float64, fill rgb, outline bool) {
			if v == nil || v[i] == 0 {
				return
			}
			h := chartBarMax * float64(v[i]) / 4
			d.fillRect(left, base-h, chartBarW, h, fill)
			if outline {
				d.strokeRect(left, base-h, chartBarW, h, grey, 0.5)
			}
		}
		bar(slc, cx-chartBarW-1, slcFill, true)
		bar(sla, cx+1, slaFill, false)
		if slt[i] > 0 {
			y := base - chartBarMax*float64(slt[i])/4
			d.line(cx-chartBarW-4, y, cx+chartBarW+4, y, classRed, 1.4)
		}
		figures := "C" + level(slc, i) + " A" + level(sla, i) + " T" + dash(slt[i])
		st := caption
		if slc != nil && slc[i] < slt[i] {
			st = style{bold, caption.size, black}
		}
		d.textIn(x, base+2+ascent(caption), groupW, fr.String(), caption, alignCenter)
		d.textIn(x, base+2+caption.lineHeight()+ascent(st), groupW, figures, st, alignCenter)
	}
	d.y += chartRowH
}
