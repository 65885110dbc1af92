package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/zonewalk/zonewalk/app"
	"github.com/zonewalk/zonewalk/assets"
	"github.com/zonewalk/zonewalk/assets/english"
)

func init() {
	registerScreen(65, "Traffic", theme.DefaultTheme().Icon(theme.IconNameMediaFastForward), func(s *session) screen { return newTrafficScreen(s) })
}

// trafficScreen imports captures and Zeek logs and lets the auditor decide
// on the hosts they saw that the inventory lacks.
type trafficScreen struct {
	s *session

	path       *widget.Entry
	summary    *widget.Label
	candidates *widget.List
	zone       *widget.Select
	kind       *widget.Select
	accept     *widget.Button
	ignore     *widget.Button
	picked     *widget.Label
	matrix     *widget.Label
	undeclared *widget.Label

	hosts    []app.ObservedHost // candidates shown
	selected int
	zoneIDs  map[string]string // zone name → ID
}

func newTrafficScreen(s *session) *trafficScreen { return &trafficScreen{s: s, selected: -1} }

func (t *trafficScreen) build() fyne.CanvasObject {
	help := widget.NewLabel("Import a capture from a SPAN or mirror port (pcap, pcapng, also .gz) or a folder of Zeek logs. " +
		"Hosts the inventory lacks are listed as candidates: accept each into a zone, or ignore it. " +
		"Flows between zones that no conduit joins become findings.")
	help.Wrapping = fyne.TextWrapWord
	help.Importance = widget.LowImportance

	t.path = widget.NewEntry()
	t.path.SetPlaceHolder("/path/to/capture.pcapng or a folder of Zeek logs")
	t.path.OnSubmitted = func(string) { t.onImport(nil) }
	file := widget.NewButtonWithIcon("File…", theme.FileIcon(), func() {
		d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
			if err != nil || r == nil {
				t.s.showError(err)
				return
			}
			r.Close()
			t.path.SetText(r.URI().Path())
		}, t.s.win)
		d.Show()
	})
	folder := widget.NewButtonWithIcon("Folder…", theme.FolderOpenIcon(), func() {
		d := dialog.NewFolderOpen(func(l fyne.ListableURI, err error) {
			if err != nil || l == nil {
				t.s.showError(err)
				return
			}
			t.path.SetText(l.Path())
		}, t.s.win)
		d.Show()
	})
	importBtn := widget.NewButtonWithIcon("Import", theme.DownloadIcon(), func() { t.onImport(nil) })
	importBtn.Importance = widget.HighImportance
	t.summary = widget.NewLabel("")
	t.summary.Wrapping = fyne.TextWrapWord

	t.candidates = widget.NewList(
		func() int { return len(t.hosts) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("255.255.255.255 · Vendor")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i < len(t.hosts) {
				o.(*widget.Label).SetText(hostLine(t.hosts[i]))
			}
		})
	t.candidates.OnSelected = func(i widget.ListItemID) { t.onPick(i) }
	t.zone = widget.NewSelect(nil, nil)
	t.zone.PlaceHolder = "(no zone yet)"
	var types []string
	for _, at := range assets.AssetTypes {
		types = append(types, at.Label)
	}
	t.kind = widget.NewSelect(types, nil)
	t.picked = widget.NewLabel("Select a candidate.")
	t.picked.Wrapping = fyne.TextWrapWord
	t.accept = widget.NewButtonWithIcon("Accept as asset", theme.ConfirmIcon(), t.onAccept)
	t.accept.Importance = widget.HighImportance
	t.ignore = widget.NewButtonWithIcon("Ignore", theme.CancelIcon(), t.onIgnore)
	t.accept.Disable()
	t.ignore.Disable()
	decide := container.NewVBox(t.picked,
		widget.NewForm(widget.NewFormItem("Zone", t.zone), widget.NewFormItem("Type", t.kind)),
		container.NewHBox(t.accept, t.ignore))

	t.matrix = widget.NewLabel("")
	t.matrix.TextStyle = fyne.TextStyle{Monospace: true}
	t.undeclared = widget.NewLabel("")
	t.undeclared.Wrapping = fyne.TextWrapWord

	top := container.NewVBox(help,
		container.NewBorder(nil, nil, nil, container.NewHBox(file, folder, importBtn), t.path),
		t.summary)
	candidates := container.NewBorder(widget.NewLabelWithStyle("Candidates: seen, not in the inventory", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		decide, nil, nil, t.candidates)
	model := container.NewScroll(container.NewVBox(
		widget.NewLabelWithStyle("Zones × zones: declared conduits and observed traffic", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		t.matrix,
		widget.NewLabelWithStyle("Traffic the model does not declare", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		t.undeclared))
	split := container.NewHSplit(candidates, model)
	split.Offset = 0.45
	return container.NewBorder(top, nil, nil, nil, split)
}

// hostLine is one candidate in the list.
func hostLine(h app.ObservedHost) string {
	parts := []string{h.Key()}
	if h.Vendor != "" {
		parts = append(parts, h.Vendor)
	}
	if len(h.Roles) > 0 {
		parts = append(parts, strings.Join(h.Roles, ", "))
	}
	return strings.Join(parts, " · ")
}

func (t *trafficScreen) refresh() {
	if t.s.ws == nil {
		return
	}
	o, err := t.s.ws.Observed()
	if err != nil {
		t.summary.SetText("Imported traffic could not be read: " + err.Error())
		return
	}
	// Keep the selection on the same host, or, when it was just decided
	// on, on the one that took its place: the auditor goes down the list.
	prevKey, prevIdx := "", t.selected
	if prevIdx >= 0 && prevIdx < len(t.hosts) {
		prevKey = t.hosts[prevIdx].Key()
	}
	t.hosts = t.hosts[:0]
	for _, h := range o.Hosts {
		if h.Candidate() {
			t.hosts = append(t.hosts, h)
		}
	}
	t.candidates.Refresh()
	idx := -1
	if prevIdx >= 0 && len(t.hosts) > 0 {
		idx = min(prevIdx, len(t.hosts)-1)
		for i, h := range t.hosts {
			if h.Key() == prevKey {
				idx = i
			}
		}
	}
	if idx >= 0 {
		t.candidates.Select(idx)
		t.onPick(idx)
	} else {
		t.candidates.UnselectAll()
		t.selected = -1
		t.accept.Disable()
		t.ignore.Disable()
		t.picked.SetText(fmt.Sprintf("%s to decide on. Select one (Up/Down), pick its zone, then Accept or Ignore.", english.Count(len(t.hosts), "candidate", "candidates")))
	}

	t.zoneIDs = map[string]string{}
	var names []string
	for _, z := range t.s.ws.Zones() {
		t.zoneIDs[z.Name] = z.ID
		names = append(names, z.Name)
	}
	keep := t.zone.Selected
	t.zone.SetOptions(names)
	if _, ok := t.zoneIDs[keep]; ok {
		t.zone.SetSelected(keep)
	}

	if len(o.Sources) == 0 {
		t.summary.SetText("No traffic imported yet.")
	} else {
		var lines []string
		for _, src := range o.Sources {
			line := fmt.Sprintf("%s (%s): %s, %s, %s", src.Name, src.Format, english.Count(int(src.Connections), "connection", "connections"),
				english.Count(src.Hosts, "host", "hosts"), english.Count(src.Flows, "flow", "flows"))
			if !src.First.IsZero() {
				line += fmt.Sprintf(", %s to %s UTC", src.First.Format("2006-01-02 15:04"), src.Last.Format("2006-01-02 15:04"))
			}
			if src.Damage != "" {
				line += "; " + src.Damage
			}
			lines = append(lines, line)
		}
		t.summary.SetText(strings.Join(lines, "\n"))
	}
	t.showModel()
}

// showModel fills the zone matrix and the list of undeclared flows.
func (t *trafficScreen) showModel() {
	ctx := context.Background()
	m, err := t.s.ws.ObservedMatrix(ctx)
	if err != nil {
		t.matrix.SetText(err.Error())
		return
	}
	t.matrix.SetText(matrixText(m))
	flows, err := t.s.ws.ObservedCoverage(ctx)
	if err != nil {
		t.undeclared.SetText(err.Error())
		return
	}
	var lines []string
	for _, f := range flows {
		if f.Coverage != app.Undeclared && f.Coverage != app.OffPolicy {
			continue
		}
		line := fmt.Sprintf("%s (%s) → %s (%s): %s", f.Client, f.ClientZone, f.Server, f.ServerZone, f.Protocol)
		if len(f.Ops) > 0 {
			var ops []string
			for _, op := range f.Ops {
				ops = append(ops, op.Name)
			}
			line += " — " + strings.Join(ops, ", ")
		}
		if f.Coverage == app.OffPolicy {
			line += fmt.Sprintf(" [conduit %q does not list it]", f.ConduitName)
		}
		lines = append(lines, line)
	}
	if len(lines) == 0 {
		t.undeclared.SetText("None.")
		return
	}
	t.undeclared.SetText(strings.Join(lines, "\n"))
}

// matrixText draws the zone matrix as text, one row per zone: "D+" declared
// and seen, "D-" declared and not seen, "!!" seen and not declared.
func matrixText(m *app.TrafficMatrix) string {
	var b strings.Builder
	b.WriteString("D+ declared, seen   D- declared, not seen   !! seen, NOT declared\n\n")
	fmt.Fprintf(&b, "%31s", "")
	for j := range m.Zones {
		fmt.Fprintf(&b, " %2d", (j+1)%100)
	}
	b.WriteString("\n")
	for i, z := range m.Zones {
		fmt.Fprintf(&b, "%2d %-28.28s", i+1, z.Name)
		for j, o := range m.Zones {
			cell := " ."
			c := m.Cell(z.ID, o.ID)
			switch {
			case i == j:
				cell = " \\"
			case c.Declared && c.Seen():
				cell = "D+"
			case c.Declared:
				cell = "D-"
			case c.Seen():
				cell = "!!"
			}
			b.WriteString(" " + cell)
		}
		b.WriteString("\n")
	}
	return b.String()
}

func (t *trafficScreen) onPick(i int) {
	if i < 0 || i >= len(t.hosts) {
		return
	}
	t.selected = i
	h := t.hosts[i]
	text := hostLine(h)
	if len(h.MACs) > 0 {
		text += "\nMAC " + strings.Join(h.MACs, ", ")
	}
	text += fmt.Sprintf("\nSeen %s to %s, %s", h.First.Format("2006-01-02 15:04"), h.Last.Format("15:04"), english.Count(int(h.Packets), "packet", "packets"))
	t.picked.SetText(text)
	t.kind.SetSelected(app.GuessAssetType(h.Roles).Label())
	t.accept.Enable()
	t.ignore.Enable()
}

func (t *trafficScreen) onAccept() {
	if t.selected < 0 {
		return
	}
	h := t.hosts[t.selected]
	typ, _ := assets.ParseAssetType(t.kind.Selected)
	a, err := t.s.ws.AcceptHost(context.Background(), h.Key(), t.zoneIDs[t.zone.Selected], typ, "")
	if err != nil {
		t.s.showError(err)
		return
	}
	t.s.offerUndo("Added "+a.Title(), func() error { return t.s.ws.DeleteAsset(a.ID) })
	t.s.changed()
	t.refresh()
	t.pickAgain()
}

func (t *trafficScreen) onIgnore() {
	if t.selected < 0 {
		return
	}
	h := t.hosts[t.selected]
	if err := t.s.ws.IgnoreHost(context.Background(), h.Key(), ""); err != nil {
		t.s.showError(err)
		return
	}
	t.s.changed()
	t.refresh()
	t.pickAgain()
}

// pickAgain puts the keyboard back on the list, where refresh kept the
// selection on the next candidate.
func (t *trafficScreen) pickAgain() {
	if len(t.hosts) > 0 {
		t.s.win.Canvas().Focus(t.candidates)
	}
}

// onImport reads the capture or logs named in the path field in the
// background; then (if set) runs on the UI goroutine with the outcome.
func (t *trafficScreen) onImport(then func(error)) {
	path := strings.TrimSpace(t.path.Text)
	if path == "" {
		t.summary.SetText("Choose a capture file or a folder of Zeek logs first.")
		return
	}
	ws := t.s.ws
	var ims []app.TrafficImport
	t.s.background("Importing traffic", func(ctx context.Context, report progress) error {
		var err error
		ims, err = ws.ImportTraffic(ctx, []string{path}, func(name string, done, total int64) {
			report(int(done>>10), int(total>>10), fmt.Sprintf("Reading %s: %s of %s", name, english.Size(done), english.Size(total)))
		})
		return err
	}, func(err error) {
		if then != nil {
			defer then(err)
		}
		switch {
		case errors.Is(err, context.Canceled):
			t.summary.SetText("Import cancelled; nothing was stored.")
			return
		case err != nil:
			t.s.showError(fmt.Errorf("import %s: %w", path, err))
			return
		}
		t.s.changed()
		t.refresh()
		var msgs []string
		for _, im := range ims {
			if im.Already {
				msgs = append(msgs, im.Source.Name+" was imported before; nothing changed.")
			}
		}
		if len(msgs) > 0 {
			t.summary.SetText(t.summary.Text + "\n" + strings.Join(msgs, "\n"))
		}
	})
}
