package ui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/zonewalk/zonewalk/app/capability"
	"github.com/zonewalk/zonewalk/app/risk"
	"github.com/zonewalk/zonewalk/assets"
	"github.com/zonewalk/zonewalk/assets/english"
	"github.com/zonewalk/zonewalk/checklist"
)

// levelsTab shows, per zone, the three levels an assessor defends: the
// target (SL-T, and where it came from), the capability of the zone's
// components (SL-C, with the assets that cap it) and what is achieved
// (SL-A from the 3-3 checklist), side by side per FR.
type levelsTab struct {
	s *session

	list    *widget.List
	title   *widget.Label
	chart   *fyne.Container // holds the zone's frChart
	basis   *widget.Label
	suggest *widget.Label
	accept  *widget.Button
	over    *widget.Button
	capping *fyne.Container // one line per FR with capping assets, each a button
	unknown *widget.Label
	detail  *fyne.Container
	empty   fyne.CanvasObject

	zones []assets.Zone
	caps  map[string]capability.ZoneCapability
	sla   map[string]assets.SLVector
	cur   string // zone ID shown
}

func (l *levelsTab) build() fyne.CanvasObject {
	l.list = widget.NewList(func() int { return len(l.zones) },
		func() fyne.CanvasObject {
			t := widget.NewLabel("Zone name that is long · SL-T 3")
			t.Truncation = fyne.TextTruncateEllipsis
			return t
		},
		func(i widget.ListItemID, o fyne.CanvasObject) { o.(*widget.Label).SetText(l.zoneLine(l.zones[i])) })
	l.list.OnSelected = func(i widget.ListItemID) {
		if i >= 0 && i < len(l.zones) {
			l.show(l.zones[i].ID)
		}
	}
	l.title = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	l.chart = container.NewStack()
	legend := wrapped("Per FR: left bar SL-C (what the zone's components can do, the weakest member counts), " +
		"right bar SL-A (achieved, from the 62443-3-3 checklist), 0–4; red mark: SL-T. Numbers: SL-C → SL-A (– not known).")
	legend.Importance = widget.LowImportance
	l.basis = wrapped("")
	l.suggest = wrapped("")
	l.accept = widget.NewButton("Accept suggested SL-T", l.onAccept)
	l.over = widget.NewButton("Set SL-T against the suggestion…", l.onOverride)
	l.capping = container.NewVBox()
	l.unknown = wrapped("")
	l.detail = container.NewVBox(l.title, l.chart, legend,
		heading("Target (SL-T) and its basis"), l.basis, l.suggest, container.NewHBox(l.accept, l.over),
		heading("Capability (SL-C): assets that cap it"), l.capping, l.unknown)
	l.empty = container.NewCenter(widget.NewLabel("Select a zone to see its SL-T, SL-C and SL-A."))
	split := container.NewHSplit(l.list, container.NewStack(l.empty, container.NewVScroll(l.detail)))
	split.Offset = 0.28
	l.detail.Hide()
	return split
}

func (l *levelsTab) zoneLine(z assets.Zone) string {
	s := z.Name + " · SL-T " + z.SLT.String()
	if c, ok := l.caps[z.ID]; ok && c.Known > 0 {
		s += " · SL-C " + c.SLC.String()
	}
	if a, ok := l.sla[z.ID]; ok {
		s += " · SL-A " + a.String()
	}
	return s
}

func (l *levelsTab) refresh() {
	l.zones = l.s.ws.Zones()
	var err error
	if l.caps, err = l.s.ws.ZoneCapabilities(); err != nil {
		l.s.showError(err)
	}
	if l.sla, err = l.s.ws.AchievedLevels(checklist.IEC62443_3_3_2013); err != nil {
		l.s.showError(err)
	}
	l.list.Refresh()
	if l.cur != "" {
		l.show(l.cur)
	}
}

// show fills the right-hand side for zone id.
func (l *levelsTab) show(id string) {
	z, ok := l.s.ws.Zone(id)
	if !ok {
		l.cur = ""
		l.detail.Hide()
		l.empty.Show()
		return
	}
	l.cur = id
	l.empty.Hide()
	l.detail.Show()
	l.title.SetText(z.Name)
	zc := l.caps[id]
	var slc, sla *assets.SLVector
	if zc.Known > 0 {
		v := zc.SLC
		slc = &v
	}
	if v, ok := l.sla[id]; ok {
		sla = &v
	}
	slt := z.SLT
	l.chart.Objects = []fyne.CanvasObject{newFRChart("SL-C and SL-A", &slt,
		frSeries{name: "SL-C", v: slc, fill: theme.ColorNameWarning},
		frSeries{name: "SL-A", v: sla, fill: theme.ColorNamePrimary})}
	l.chart.Refresh()

	l.basis.SetText(basisText(z))
	v, reasons, err := l.s.ws.SuggestZoneSLT(id)
	if err != nil {
		l.suggest.SetText("No suggestion: " + err.Error())
		l.accept.Disable()
	} else {
		l.suggest.SetText(suggestionText(v, reasons))
		if v.IsZero() || (z.SLTBasis.Source == assets.BasisRisk && z.SLT == v) {
			l.accept.Disable()
		} else {
			l.accept.Enable()
		}
	}

	l.capping.RemoveAll()
	if zc.Known == 0 {
		l.capping.Add(wrapped(fmt.Sprintf("No capability information for any of the %s.", english.Count(zc.Members, "asset", "assets"))))
	}
	// FRs capped at the same level by the same assets share a line.
	type capLine struct {
		frs  []assets.FR
		slc  int
		tags string
		f    capability.FR
	}
	var lines []*capLine
	for _, f := range zc.FRs {
		if zc.Known == 0 || len(f.Capping) == 0 {
			continue
		}
		var tags []string
		for _, m := range f.Capping {
			tags = append(tags, m.ID)
		}
		key := strings.Join(tags, ",")
		var ln *capLine
		for _, x := range lines {
			if x.slc == f.SLC && x.tags == key {
				ln = x
			}
		}
		if ln == nil {
			ln = &capLine{slc: f.SLC, tags: key, f: f}
			lines = append(lines, ln)
		}
		ln.frs = append(ln.frs, f.FR)
	}
	for _, ln := range lines {
		var names, below []string
		for _, fr := range ln.frs {
			names = append(names, fmt.Sprintf("FR %d %s", fr.Number(), fr))
			if ln.slc < slt[fr] {
				below = append(below, fmt.Sprintf("%s (SL-T %d)", fr, slt[fr]))
			}
		}
		text := strings.Join(names, ", ") + fmt.Sprintf(" at SL-C %d, capped by", ln.slc)
		row := container.NewHBox(widget.NewLabel(text))
		for i, m := range ln.f.Capping {
			if i == 4 {
				row.Add(widget.NewLabel(fmt.Sprintf("and %d more", len(ln.f.Capping)-4)))
				break
			}
			ref := assets.Ref{Kind: "asset", ID: m.ID}
			b := widget.NewButton(m.Tag, func() {
				if l.s.reveal != nil {
					l.s.reveal(ref)
				}
			})
			b.Importance = widget.LowImportance
			row.Add(b)
		}
		l.capping.Add(row)
		if len(below) > 0 {
			warn := widget.NewLabelWithStyle("Below SL-T in "+strings.Join(below, ", ")+".", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
			warn.Importance = widget.DangerImportance
			l.capping.Add(warn)
		}
	}
	var unknown []string
	for _, g := range zc.Unknown {
		unknown = append(unknown, fmt.Sprintf("%d %s", len(g.Members), g.Label))
	}
	setOrHide(l.unknown, "")
	if len(unknown) > 0 {
		setOrHide(l.unknown, "No capability information: "+strings.Join(unknown, ", ")+
			". Record it per asset or per model with `zonewalk capability set`, or answer the 62443-4-2 checklist.")
	}
}

// basisText says where a zone's SL-T came from.
func basisText(z assets.Zone) string {
	switch z.SLTBasis.Source {
	case assets.BasisRisk:
		if z.SLT != z.SLTBasis.Suggested {
			return fmt.Sprintf("The target was accepted from the risk assessment as %s and changed since to %s, with no reason given.",
				z.SLTBasis.Suggested, z.SLT)
		}
		return fmt.Sprintf("The target %s was accepted from the risk assessment's suggestion.", z.SLT)
	case assets.BasisOverride:
		return fmt.Sprintf("The target %s was set against the suggestion %s. Reason: %s", z.SLT, z.SLTBasis.Suggested, z.SLTBasis.Reason)
	}
	if z.SLT.IsZero() {
		return "No SL-T set."
	}
	return fmt.Sprintf("The target %s was typed in, not taken from the risk assessment.", z.SLT)
}

// suggestionText is the suggested vector and one line per FR.
func suggestionText(v assets.SLVector, reasons []risk.Reason) string {
	if v.IsZero() {
		return "The risk register suggests no SL-T for this zone: no scenario that applies to it is above the tolerable line. " +
			"Add threat scenarios on the Register tab."
	}
	lines := []string{"Suggested by the risk register: SL-T " + v.String()}
	for _, r := range reasons {
		lines = append(lines, "· "+r.String())
	}
	return strings.Join(lines, "\n")
}

func (l *levelsTab) onAccept() {
	if l.cur == "" {
		return
	}
	if _, err := l.s.ws.AcceptSLT(l.cur); err != nil {
		l.s.showError(err)
		return
	}
	l.s.changed()
}

// onOverride asks for the levels and the reason, then sets them.
func (l *levelsTab) onOverride() {
	z, ok := l.s.ws.Zone(l.cur)
	if !ok {
		return
	}
	ed := newSLEditor(func() {})
	ed.set(z.SLT)
	reason := widget.NewMultiLineEntry()
	reason.SetPlaceHolder("Why this SL-T and not the suggested one (required)")
	reason.SetMinRowsVisible(3)
	d := dialog.NewCustomConfirm("SL-T of "+z.Name, "Set SL-T", "Cancel",
		container.NewVBox(ed.content, widget.NewLabel("Reason"), reason), func(ok bool) {
			if !ok {
				return
			}
			if _, err := l.s.ws.OverrideSLT(l.cur, ed.get(), reason.Text); err != nil {
				l.s.showError(err)
				return
			}
			l.s.changed()
		}, l.s.win)
	d.Resize(fyne.NewSize(640, 0))
	d.Show()
}
