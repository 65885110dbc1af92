package ui

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/zonewalk/zonewalk/app"
	"github.com/zonewalk/zonewalk/assets"
)

func init() {
	registerScreen(40, "Assets", theme.DefaultTheme().Icon(theme.IconNameComputer), func(s *session) screen { return newAssetsScreen(s) })
}

var assetLabels = map[string]string{
	"tag": "Tag", "name": "Name", "type": "Type", "ips": "IP addresses", "macs": "MAC addresses",
	"purdue": "Purdue level", "zone": "Zone", "criticality": "Criticality", "sl_c": "SL-C", "notes": "Notes",
}

// typePreset is what a type usually implies, filled in on quick capture.
type typePreset struct {
	purdue assets.Purdue
	crit   assets.Criticality
}

var typePresets = map[assets.AssetType]typePreset{
	assets.TypePLC:         {assets.Purdue1, assets.CriticalityHigh},
	assets.TypeRTU:         {assets.Purdue1, assets.CriticalityHigh},
	assets.TypeSIS:         {assets.Purdue1, assets.CriticalityCrit},
	assets.TypeIED:         {assets.Purdue1, assets.CriticalityHigh},
	assets.TypeDrive:       {assets.Purdue1, assets.CriticalityMed},
	assets.TypeSensor:      {assets.Purdue0, assets.CriticalityMed},
	assets.TypeHMI:         {assets.Purdue2, assets.CriticalityHigh},
	assets.TypeEWS:         {assets.Purdue2, assets.CriticalityHigh},
	assets.TypeHistorian:   {assets.Purdue3, assets.CriticalityMed},
	assets.TypeServer:      {assets.Purdue3, assets.CriticalityMed},
	assets.TypeWorkstation: {assets.Purdue3, assets.CriticalityLow},
	assets.TypeFirewall:    {"", assets.CriticalityHigh},
	assets.TypeNetwork:     {"", assets.CriticalityMed},
	assets.TypeWireless:    {"", assets.CriticalityMed},
	assets.TypeTransient:   {"", assets.CriticalityMed},
}

// presetHint says what a type's preset fills in.
func presetHint(t assets.AssetType) string {
	p, ok := typePresets[t]
	if !ok {
		return ""
	}
	var parts []string
	if p.purdue != "" {
		parts = append(parts, "Purdue "+p.purdue.Label())
	}
	if p.crit != "" {
		parts = append(parts, "criticality "+string(p.crit))
	}
	return t.Label() + ": " + strings.Join(parts, ", ")
}

// assetColumn is one column of the asset table.
type assetColumn struct {
	title string
	width float32
	text  func(sc *assetsScreen, a *assets.Asset) string
	order app.AssetOrder
}

var assetColumns = []assetColumn{
	{"Tag", 150, func(_ *assetsScreen, a *assets.Asset) string { return a.Tag }, app.ByTag},
	{"Name", 190, func(_ *assetsScreen, a *assets.Asset) string { return a.Name }, app.ByName},
	{"Type", 150, func(_ *assetsScreen, a *assets.Asset) string { return a.Type.Label() }, app.ByType},
	{"Vendor", 150, func(_ *assetsScreen, a *assets.Asset) string { return a.Vendor }, app.ByVendor},
	{"Model", 150, func(_ *assetsScreen, a *assets.Asset) string { return a.Model }, app.ByModel},
	{"Firmware", 110, func(_ *assetsScreen, a *assets.Asset) string { return a.Firmware }, app.ByFirmware},
	{"Zone", 180, func(sc *assetsScreen, a *assets.Asset) string { return sc.zoneNames[a.Zone] }, app.ByZone},
	{"Purdue", 80, func(_ *assetsScreen, a *assets.Asset) string { return a.Purdue.Label() }, app.ByPurdue},
	{"IP", 140, func(_ *assetsScreen, a *assets.Asset) string { return strings.Join(a.IPs, " ") }, app.ByIP},
	{"Criticality", 110, func(_ *assetsScreen, a *assets.Asset) string { return string(a.Criticality) }, app.ByCriticality},
}

// Filter choices.
const (
	anyZone    = "All zones"
	noZone     = "Unassigned"
	anyType    = "All types"
	anyPurdue  = "All levels"
	noneChoice = "–"
)

// assetsScreen is the inventory: quick capture, a virtualised table that
// filters as you type, and the selected asset's form.
type assetsScreen struct {
	s         *session
	rows      []*assets.Asset
	total     int
	zoneNames map[string]string
	zones     []assets.Zone
	sortCol   int
	sortDesc  bool

	debounce time.Duration // search-as-you-type delay; 0 filters at once
	mu       sync.Mutex
	timer    *time.Timer
	gen      int // filter generation: results of older filters are dropped

	table                      *keyTable
	search                     *searchEntry
	zoneSel, typeSel, levelSel *widget.Select
	count                      *widget.Label

	// Plain entries only: a SelectEntry's drop-down button is a Tab stop,
	// which breaks typing a row without looking.
	capTag, capName, capVendor, capModel, capFirmware, capIP *capField
	capType, capZone                                         *capField
	capMsg                                                   *widget.Label
	addBtn                                                   *widget.Button
	capLoading                                               bool // the row is being set by code: no draft

	cur                                                   assets.Asset
	loading                                               bool
	tag, name, vendor, model, firmware, serial, ips, macs *field
	building, room, cabinet, owner, cert, notes           *field
	typ, purdue, zone, crit, slc                          *widget.Select
	eol, wireless                                         *widget.Check
	errs                                                  *errorBox
	evidence                                              *evidenceView
	detail                                                *fyne.Container
	empty                                                 fyne.CanvasObject
	dupBtn, delBtn                                        *widget.Button
	ed                                                    *editor[assets.Asset]
}

func newAssetsScreen(s *session) *assetsScreen {
	a := &assetsScreen{s: s, debounce: 120 * time.Millisecond, zoneNames: map[string]string{}}
	s.onFlush(a.commit)
	return a
}

func typeLabels() []string {
	out := make([]string, len(assets.AssetTypes))
	for i, t := range assets.AssetTypes {
		out[i] = t.Label
	}
	return out
}

func (a *assetsScreen) build() fyne.CanvasObject {
	// Quick capture: Tab moves along, Enter saves and starts the next.
	// Fields without a commit of their own: they cap what is typed at the
	// asset's limits, and the row is kept as a draft while typed.
	// Tabbing into one selects its text, so typing replaces it.
	a.capTag, a.capName, a.capType = newCapField("Tag"), newCapField("Name"), newCapField("Type")
	a.capVendor, a.capModel, a.capFirmware = newCapField("Vendor"), newCapField("Model"), newCapField("Firmware")
	a.capIP, a.capZone = newCapField("IP"), newCapField("Zone")
	a.capType.OnChanged = func(s string) {
		a.captureTyped()
		if t, err := resolveType(s); err == nil {
			a.capMsg.Importance = widget.MediumImportance
			a.capMsg.SetText("Type " + presetHint(t))
		}
	}
	a.capZone.OnChanged = func(s string) {
		a.captureTyped()
		if id, err := a.resolveZone(s); err == nil && id != "" {
			a.capMsg.Importance = widget.MediumImportance
			a.capMsg.SetText("Zone: " + a.zoneNames[id])
		}
	}
	for name, e := range a.captureFields() {
		e.OnSubmitted = func(string) { a.capture() }
		if e != &a.capType.field && e != &a.capZone.field {
			e.OnChanged = func(string) { a.captureTyped() }
		}
		e.max = fieldLimit("asset", name)
	}
	addBtn := widget.NewButtonWithIcon("Add (Enter)", theme.ContentAddIcon(), a.capture)
	addBtn.Importance = widget.HighImportance
	a.addBtn = addBtn
	// Placeholders stay short: one that overflows its entry shows a scroll bar.
	a.capMsg = widget.NewLabel("Ctrl+N, then: tag (PLC-101) Tab name Tab type (plc, hmi, rtu, ews…) Tab vendor Tab model Tab firmware Tab IP Tab zone (start of its name) Enter.")
	a.capMsg.Truncation = fyne.TextTruncateEllipsis
	for _, e := range a.captureFields() {
		noteLimit(e, e.max, a.capMsg)
	}
	capRow := container.NewBorder(nil, a.capMsg, widget.NewLabelWithStyle("Quick capture", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), addBtn,
		container.NewGridWithColumns(8, a.capTag, a.capName, a.capType, a.capVendor, a.capModel, a.capFirmware, a.capIP, a.capZone))

	// Filters.
	a.search = newSearchEntry()
	a.search.onDown = a.enterTable
	a.search.SetPlaceHolder("Search tag, name, vendor, model, firmware, IP, location…")
	a.search.OnChanged = func(string) { a.filterSoon() }
	a.zoneSel = widget.NewSelect(nil, func(string) { a.filterNow() })
	a.typeSel = widget.NewSelect(append([]string{anyType}, typeLabels()...), func(string) { a.filterNow() })
	levels := []string{anyPurdue}
	for _, p := range assets.PurdueLevels {
		levels = append(levels, p.Label())
	}
	a.levelSel = widget.NewSelect(levels, func(string) { a.filterNow() })
	a.count = widget.NewLabel("")
	imp := widget.NewButtonWithIcon("Import CSV…", theme.FolderOpenIcon(), a.importDialog)
	exp := widget.NewButtonWithIcon("Export CSV…", theme.DocumentSaveIcon(), a.exportDialog)
	// Two rows keep the window narrow enough for a small laptop in the
	// large-text theme.
	filterRow := container.NewVBox(
		container.NewBorder(nil, nil, nil, container.NewHBox(a.count, imp, exp), a.search),
		container.NewGridWithColumns(3, a.zoneSel, a.typeSel, a.levelSel))

	// Table.
	a.table = newKeyTable(
		func() (int, int) { return len(a.rows), len(assetColumns) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("PLC-000000")
			l.Truncation = fyne.TextTruncateEllipsis
			return container.NewThemeOverride(l, compactRows{}) // cells are made late: themed one by one
		},
		func(id widget.TableCellID, o fyne.CanvasObject) {
			if id.Row < len(a.rows) {
				o.(*container.ThemeOverride).Content.(*widget.Label).SetText(assetColumns[id.Col].text(a, a.rows[id.Row]))
			}
		})
	a.table.ShowHeaderColumn = false
	// Headers sort when clicked but are no Tab stops: Tab from the
	// filters reaches the rows at once.
	a.table.CreateHeader = func() fyne.CanvasObject { return container.NewThemeOverride(newHeaderCell(), compactRows{}) }
	a.table.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		h := o.(*container.ThemeOverride).Content.(*headerCell)
		if id.Col < 0 {
			return
		}
		var icon fyne.Resource
		switch {
		case id.Col != a.sortCol:
		case a.sortDesc:
			icon = theme.MoveDownIcon()
		default:
			icon = theme.MoveUpIcon()
		}
		h.set(assetColumns[id.Col].title, icon)
		col := id.Col
		h.OnTapped = func() { a.sortBy(col) }
	}
	a.table.selected = a.selectedRow
	a.table.onTop = func() { a.s.win.Canvas().Focus(a.search) }
	for i, c := range assetColumns {
		a.table.SetColumnWidth(i, c.width)
	}
	a.table.OnSelected = func(id widget.TableCellID) {
		if id.Row >= 0 && id.Row < len(a.rows) {
			if next := *a.rows[id.Row]; next.ID != a.cur.ID {
				// Input the form could not save is asked about first.
				a.ed.leave(func() { a.load(next) }, nil)
			}
		}
	}

	split := container.NewHSplit(a.table, a.buildDetail())
	split.Offset = 0.62
	// The top first in the tree, so Tab goes capture row, filters, rows.
	top := container.NewVBox(capRow, widget.NewSeparator(), filterRow)
	return container.New(layout.NewBorderLayout(top, nil, nil, nil), top, split)
}

func (a *assetsScreen) buildDetail() fyne.CanvasObject {
	c := a.commit
	changed := func() {
		if !a.loading {
			a.commit()
		}
	}
	a.tag, a.name, a.vendor, a.model, a.firmware, a.serial = newField(c), newField(c), newField(c), newField(c), newField(c), newField(c)
	a.ips, a.macs = newField(c), newField(c)
	a.ips.SetPlaceHolder("e.g. 10.0.0.5 10.0.1.0/24")
	a.building, a.room, a.cabinet, a.owner, a.cert = newField(c), newField(c), newField(c), newField(c), newField(c)
	a.notes = newLongField(c)
	a.typ = widget.NewSelect(typeLabels(), func(string) { changed() })
	levels := []string{noneChoice}
	for _, p := range assets.PurdueLevels {
		levels = append(levels, p.Label())
	}
	a.purdue = widget.NewSelect(levels, func(string) { changed() })
	a.zone = widget.NewSelect(nil, func(string) { changed() })
	crits := []string{noneChoice}
	for _, cr := range assets.Criticalities {
		crits = append(crits, string(cr))
	}
	a.crit = widget.NewSelect(crits, func(string) { changed() })
	a.slc = widget.NewSelect(slOptions, func(string) { changed() })
	a.eol = widget.NewCheck("End of life (vendor support ended)", func(bool) { changed() })
	a.wireless = widget.NewCheck("Wireless interface", func(bool) { changed() })
	a.errs = newErrorBox()
	a.dupBtn = widget.NewButtonWithIcon("Duplicate", theme.ContentCopyIcon(), a.duplicate)
	a.delBtn = widget.NewButtonWithIcon("Delete", theme.DeleteIcon(), a.deleteSelected)
	form := container.New(layout.NewFormLayout(),
		widget.NewLabel("Tag"), a.tag,
		widget.NewLabel("Name"), a.name,
		widget.NewLabel("Type"), a.typ,
		widget.NewLabel("Vendor"), a.vendor,
		widget.NewLabel("Model"), a.model,
		widget.NewLabel("Firmware"), a.firmware,
		widget.NewLabel("Serial"), a.serial,
		widget.NewLabel("IP addresses"), a.ips,
		widget.NewLabel("MAC addresses"), a.macs,
		widget.NewLabel("Purdue level"), a.purdue,
		widget.NewLabel("Zone"), a.zone,
		widget.NewLabel("Criticality"), a.crit,
		widget.NewLabel("Location"), container.NewGridWithColumns(3, a.building, a.room, a.cabinet),
		widget.NewLabel("Owner"), a.owner,
		widget.NewLabel("SL-C"), a.slc,
		widget.NewLabel("Certificate"), a.cert,
		widget.NewLabel(""), container.NewVBox(a.eol, a.wireless),
		widget.NewLabel("Notes"), a.notes,
	)
	a.building.SetPlaceHolder("Building")
	a.room.SetPlaceHolder("Room")
	a.cabinet.SetPlaceHolder("Cabinet")
	a.ed = &editor[assets.Asset]{s: a.s, kind: "asset", labels: assetLabels, errs: a.errs, cur: &a.cur,
		edited: a.edited, save: a.s.ws.SaveAsset, load: a.load, id: func() string { return a.cur.ID },
		idFields: []string{"tag"}, title: func() string { return "Asset " + a.cur.Title() },
		focus: a.keepEditing, loading: &a.loading,
		texts: map[string]*field{"tag": a.tag, "name": a.name, "vendor": a.vendor, "model": a.model,
			"firmware": a.firmware, "serial": a.serial, "ips": a.ips, "macs": a.macs,
			"location.building": a.building, "location.room": a.room, "location.cabinet": a.cabinet,
			"owner": a.owner, "certificate": a.cert, "notes": a.notes}}
	a.ed.init()
	a.evidence = newEvidenceView(a.s, assets.Ref{})
	a.detail = container.NewStack(withEvidenceTab("Asset",
		container.NewVBox(container.NewHBox(layout.NewSpacer(), a.dupBtn, a.delBtn), a.errs.box, form), a.evidence))
	a.empty = container.NewCenter(widget.NewLabel("Select an asset to edit it."))
	a.showDetail(false)
	return container.NewStack(a.empty, a.detail)
}

func (a *assetsScreen) showDetail(on bool) {
	if on {
		a.empty.Hide()
		a.detail.Show()
	} else {
		a.detail.Hide()
		a.empty.Show()
	}
}

// refresh rereads zones and reapplies the filter.
func (a *assetsScreen) refresh() {
	a.zones = a.s.ws.Zones()
	a.zoneNames = map[string]string{"": ""}
	names := make([]string, len(a.zones))
	for i, z := range a.zones {
		a.zoneNames[z.ID] = z.Name
		names[i] = z.Name
	}
	a.loading = true
	zf := a.zoneSel.Selected
	a.zoneSel.SetOptions(append([]string{anyZone, noZone}, names...))
	if zf == "" || (zf != noZone && zf != anyZone && a.zoneByName(zf) == "") {
		zf = anyZone
	}
	a.zoneSel.SetSelected(zf)
	if a.typeSel.Selected == "" {
		a.typeSel.SetSelected(anyType)
	}
	if a.levelSel.Selected == "" {
		a.levelSel.SetSelected(anyPurdue)
	}
	a.zone.SetOptions(append([]string{noZone}, names...))
	a.loading = false
	a.filterNow()
	if a.cur.ID != "" {
		stored, ok := a.s.ws.Asset(a.cur.ID)
		switch {
		case !ok:
			a.cur = assets.Asset{}
			a.showDetail(false)
		case !reflect.DeepEqual(stored, a.cur) && a.ed.pending():
			a.cur = stored // changed elsewhere; the input on screen stays, unsaved
		case !reflect.DeepEqual(stored, a.cur):
			a.load(stored)
		default:
			a.loading = true
			a.zone.SetSelected(a.zoneLabel(stored.Zone))
			a.loading = false
		}
	}
}

func (a *assetsScreen) zoneByName(name string) string {
	for _, z := range a.zones {
		if z.Name == name {
			return z.ID
		}
	}
	return ""
}

func (a *assetsScreen) zoneLabel(id string) string {
	if id == "" {
		return noZone
	}
	return a.zoneNames[id]
}

// currentFilter reads the filter widgets.
func (a *assetsScreen) currentFilter() app.AssetFilter {
	f := app.AssetFilter{Text: a.search.Text}
	switch z := a.zoneSel.Selected; z {
	case "", anyZone:
	case noZone:
		f.Zone = app.Unassigned
	default:
		f.Zone = a.zoneByName(z)
		if f.Zone == "" {
			f.Zone = "\x00none" // a zone that went: match nothing rather than everything
		}
	}
	if t, ok := assets.ParseAssetType(a.typeSel.Selected); ok {
		f.Type = t
	}
	if p, err := assets.ParsePurdue(a.levelSel.Selected); err == nil && a.levelSel.Selected != anyPurdue {
		f.Purdue = p
	}
	return f
}

// query filters and sorts: the work behind every keystroke in the search.
// It only reads the workspace, so it runs off the UI goroutine.
func (a *assetsScreen) query(f app.AssetFilter, col int, desc bool) []*assets.Asset {
	return a.s.ws.QueryAssets(f, assetColumns[col].order, desc)
}

// filterNow filters at once (a picker changed, or the model changed).
func (a *assetsScreen) filterNow() {
	if a.loading || a.table == nil {
		return
	}
	a.mu.Lock()
	a.gen++
	if a.timer != nil {
		a.timer.Stop()
	}
	a.mu.Unlock()
	a.setRows(a.query(a.currentFilter(), a.sortCol, a.sortDesc))
}

// filterSoon filters shortly after the last keystroke, off the UI
// goroutine, so typing never waits for a search of 100,000 assets.
func (a *assetsScreen) filterSoon() {
	if a.debounce <= 0 {
		a.filterNow()
		return
	}
	f, col, desc := a.currentFilter(), a.sortCol, a.sortDesc
	a.mu.Lock()
	defer a.mu.Unlock()
	a.gen++
	gen := a.gen
	if a.timer != nil {
		a.timer.Stop()
	}
	a.timer = time.AfterFunc(a.debounce, func() {
		rows := a.query(f, col, desc)
		fyne.Do(func() {
			a.mu.Lock()
			current := gen == a.gen
			a.mu.Unlock()
			if current {
				a.setRows(rows)
			}
		})
	})
}

func (a *assetsScreen) setRows(rows []*assets.Asset) {
	a.rows = rows
	a.total = a.s.ws.AssetCount()
	a.table.UnselectAll()
	// The asset in the form stays selected when it is still listed (a
	// refresh after a save must not drop the row just captured).
	if i := a.selectedRow(); i >= 0 {
		a.table.Select(widget.TableCellID{Row: i, Col: 0})
	}
	a.table.Refresh()
	if len(rows) == a.total {
		a.count.SetText(fmt.Sprintf("%d assets", a.total))
	} else {
		a.count.SetText(fmt.Sprintf("%d of %d", len(rows), a.total))
	}
}

// sortBy sorts by a column; again reverses it.
func (a *assetsScreen) sortBy(col int) {
	if a.sortCol == col {
		a.sortDesc = !a.sortDesc
	} else {
		a.sortCol, a.sortDesc = col, false
	}
	a.filterNow()
}

// newRecord puts the cursor in the quick-capture row (Ctrl+N).
func (a *assetsScreen) newRecord() {
	a.s.win.Canvas().Focus(a.capTag)
	a.capTag.TypedShortcut(&fyne.ShortcutSelectAll{})
}

// resolveType reads a type code or label, or an unambiguous start of one
// ("eng" is an engineering workstation).
func resolveType(text string) (assets.AssetType, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return "", fmt.Errorf("type the asset type: plc, rtu, sis, hmi, ews, historian, server, network, firewall, …")
	}
	if t, ok := assets.ParseAssetType(text); ok {
		return t, nil
	}
	var hits []assets.AssetType
	low := strings.ToLower(text)
	for _, e := range assets.AssetTypes {
		if strings.HasPrefix(string(e.Type), low) || strings.HasPrefix(strings.ToLower(e.Label), low) {
			hits = append(hits, e.Type)
		}
	}
	switch len(hits) {
	case 1:
		return hits[0], nil
	case 0:
		return "", fmt.Errorf("%q is not an asset type: plc, rtu, sis, hmi, ews, historian, server, network, firewall, …", text)
	}
	names := make([]string, len(hits))
	for i, h := range hits {
		names[i] = h.Label()
	}
	return "", fmt.Errorf("%q could be %s: type more", text, strings.Join(names, ", "))
}

// resolveZone finds a zone by name, or by an unambiguous start of its name.
func (a *assetsScreen) resolveZone(text string) (string, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return "", nil
	}
	if z, ok := a.s.ws.ZoneByName(text); ok {
		return z.ID, nil
	}
	var hits []assets.Zone
	for _, z := range a.zones {
		if strings.HasPrefix(strings.ToLower(z.Name), strings.ToLower(text)) {
			hits = append(hits, z)
		}
	}
	switch len(hits) {
	case 1:
		return hits[0].ID, nil
	case 0:
		return "", fmt.Errorf("no zone called %q", text)
	}
	return "", fmt.Errorf("%q could be %q or %q: type more of the zone name", text, hits[0].Name, hits[1].Name)
}

// capture saves the quick-capture row as a new asset and readies the next.
func (a *assetsScreen) capture() {
	fail := func(msg string) {
		a.capMsg.Importance = widget.DangerImportance
		a.capMsg.SetText(msg)
	}
	tag := strings.TrimSpace(a.capTag.Text)
	if tag == "" {
		fail("Type a tag first.")
		a.s.win.Canvas().Focus(a.capTag)
		return
	}
	t, err := resolveType(a.capType.Text)
	if err != nil {
		fail(err.Error())
		a.s.win.Canvas().Focus(a.capType)
		return
	}
	zone, err := a.resolveZone(a.capZone.Text)
	if err != nil {
		fail(err.Error())
		a.s.win.Canvas().Focus(a.capZone)
		return
	}
	as := assets.Asset{Tag: tag, Name: strings.TrimSpace(a.capName.Text), Type: t, Vendor: strings.TrimSpace(a.capVendor.Text),
		Model: strings.TrimSpace(a.capModel.Text), Firmware: strings.TrimSpace(a.capFirmware.Text),
		IPs: splitAddrs(a.capIP.Text), Zone: zone}
	if p, ok := typePresets[t]; ok {
		as.Purdue, as.Criticality = p.purdue, p.crit
	}
	saved, err := a.s.ws.SaveAsset(as)
	if err != nil {
		fail(strings.ReplaceAll(describeError(err, assetLabels), "\n", " "))
		if captureFieldOf(err) == "ips" {
			a.s.win.Canvas().Focus(a.capIP)
		}
		return
	}
	a.s.drafts.clear(captureDraft)
	where := "no zone yet"
	if zone != "" {
		where = a.zoneNames[zone]
	}
	next := a.s.ws.NextFreeTag(tag) // skips tags already taken
	msg := fmt.Sprintf("Added %s (%s, %s).", saved.Tag, t.Label(), where)
	if next != "" {
		msg += " Enter adds " + next + " alike."
	}
	a.capMsg.Importance = widget.SuccessImportance
	a.capMsg.SetText(msg)
	a.capLoading = true
	a.capTag.set(next)
	// Name and address belong to one device; the rest is kept for the next alike.
	a.capName.set("")
	a.capIP.set("")
	a.capLoading = false
	a.s.changed()
	a.selectRow(saved.ID) // shown, and scrolled to, in the table
	a.s.win.Canvas().Focus(a.capTag)
	a.capTag.TypedShortcut(&fyne.ShortcutSelectAll{})
}

func (a *assetsScreen) load(as assets.Asset) {
	a.loading = true
	defer func() { a.loading = false }()
	a.cur = as
	a.tag.set(as.Tag)
	a.name.set(as.Name)
	a.typ.SetSelected(as.Type.Label())
	a.vendor.set(as.Vendor)
	a.model.set(as.Model)
	a.firmware.set(as.Firmware)
	a.serial.set(as.Serial)
	a.ips.set(strings.Join(as.IPs, " "))
	a.macs.set(strings.Join(as.MACs, " "))
	if as.Purdue == "" {
		a.purdue.SetSelected(noneChoice)
	} else {
		a.purdue.SetSelected(as.Purdue.Label())
	}
	a.zone.SetSelected(a.zoneLabel(as.Zone))
	if as.Criticality == "" {
		a.crit.SetSelected(noneChoice)
	} else {
		a.crit.SetSelected(string(as.Criticality))
	}
	if as.SLC >= 1 && as.SLC <= 4 {
		a.slc.SetSelected(strconv.Itoa(as.SLC))
	} else {
		a.slc.SetSelected(noneChoice)
	}
	a.building.set(as.Location.Building)
	a.room.set(as.Location.Room)
	a.cabinet.set(as.Location.Cabinet)
	a.owner.set(as.Owner)
	a.cert.set(as.Certificate)
	a.notes.set(as.Notes)
	a.eol.SetChecked(as.EndOfLife)
	a.wireless.SetChecked(as.Wireless)
	if a.evidence.owner.ID != as.ID {
		a.evidence.setOwner(assets.Ref{Kind: "asset", ID: as.ID})
		a.errs.show(nil, nil)
	}
	a.showDetail(true)
}

func splitAddrs(s string) []string {
	f := strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == ',' || r == ';' || r == '\n' })
	if len(f) == 0 {
		return nil
	}
	return f
}

func (a *assetsScreen) form() assets.Asset {
	as := a.cur
	as.Tag = strings.TrimSpace(a.tag.Text)
	as.Name = strings.TrimSpace(a.name.Text)
	if t, ok := assets.ParseAssetType(a.typ.Selected); ok {
		as.Type = t
	}
	as.Vendor, as.Model = strings.TrimSpace(a.vendor.Text), strings.TrimSpace(a.model.Text)
	as.Firmware, as.Serial = strings.TrimSpace(a.firmware.Text), strings.TrimSpace(a.serial.Text)
	as.IPs, as.MACs = splitAddrs(a.ips.Text), splitAddrs(a.macs.Text)
	as.Purdue = ""
	if p, err := assets.ParsePurdue(a.purdue.Selected); err == nil && a.purdue.Selected != noneChoice {
		as.Purdue = p
	}
	as.Zone = a.zoneByName(a.zone.Selected)
	as.Criticality = ""
	if a.crit.Selected != noneChoice {
		as.Criticality = assets.Criticality(a.crit.Selected)
	}
	as.SLC, _ = strconv.Atoi(a.slc.Selected)
	as.Location = assets.Location{Building: strings.TrimSpace(a.building.Text), Room: strings.TrimSpace(a.room.Text),
		Cabinet: strings.TrimSpace(a.cabinet.Text)}
	as.Owner, as.Certificate = strings.TrimSpace(a.owner.Text), strings.TrimSpace(a.cert.Text)
	as.Notes = a.notes.Text
	as.EndOfLife, as.Wireless = a.eol.Checked, a.wireless.Checked
	return as
}

// edited is the asset as the form shows it.
func (a *assetsScreen) edited() assets.Asset {
	as := a.form()
	if len(as.IPs) == 0 && len(a.cur.IPs) == 0 {
		as.IPs = a.cur.IPs
	}
	if len(as.MACs) == 0 && len(a.cur.MACs) == 0 {
		as.MACs = a.cur.MACs
	}
	return as
}

func (a *assetsScreen) commit() {
	if a.ed == nil {
		return
	}
	a.ed.commit()
}

// keepEditing shows the asset whose input was not saved again.
func (a *assetsScreen) keepEditing() {
	a.selectRow(a.cur.ID)
	a.s.win.Canvas().Focus(a.tag)
}

// selectRow selects the table row of an asset (none when it is not listed).
func (a *assetsScreen) selectRow(id string) {
	for i, r := range a.rows {
		if r.ID == id {
			a.table.Select(widget.TableCellID{Row: i, Col: 0})
			a.table.ScrollTo(widget.TableCellID{Row: i, Col: 0})
			return
		}
	}
	a.table.UnselectAll()
}

// duplicate adds the next of a row of identical devices and selects it.
func (a *assetsScreen) duplicate() {
	if a.cur.ID == "" {
		return
	}
	a.ed.leave(func() {
		dup, err := a.s.ws.DuplicateAsset(a.cur.ID)
		if err != nil {
			a.s.showError(err)
			return
		}
		a.load(dup)
		a.s.changed()
	}, nil)
}

func (a *assetsScreen) deleteSelected() {
	if a.cur.ID == "" {
		return
	}
	id, title := a.cur.ID, a.cur.Title()
	if err := a.s.ws.DeleteAsset(id); err != nil {
		a.s.showError(err)
		return
	}
	ws := a.s.ws
	a.s.drafts.clear(a.ed.draftKey()) // its input went with it
	a.s.offerUndo(fmt.Sprintf("Deleted asset %q", title), func() error { return ws.Restore(app.KindAsset, id) })
	a.cur = assets.Asset{}
	a.showDetail(false)
	a.s.changed()
}

func (a *assetsScreen) reveal(ref assets.Ref) bool {
	if ref.Kind != "asset" {
		return false
	}
	as, ok := a.s.ws.Asset(ref.ID)
	if !ok {
		return false
	}
	a.ed.leave(func() {
		a.load(as)
		for i, r := range a.rows {
			if r.ID == as.ID {
				a.table.ScrollTo(widget.TableCellID{Row: i, Col: 0})
				break
			}
		}
	}, nil)
	return true
}

// captureDraft is the draft key of the quick-capture row.
const captureDraft = "capture"

// captureFields are the quick-capture entries by the asset field they fill.
func (a *assetsScreen) captureFields() map[string]*field {
	return map[string]*field{"tag": &a.capTag.field, "name": &a.capName.field, "type": &a.capType.field,
		"vendor": &a.capVendor.field, "model": &a.capModel.field, "firmware": &a.capFirmware.field,
		"ips": &a.capIP.field, "zone": &a.capZone.field}
}

// captureTyped keeps the quick-capture row as a draft (a keystroke).
func (a *assetsScreen) captureTyped() {
	if a.capLoading {
		return
	}
	if ch := draftChanges(a.captureFields()); len(ch) > 0 {
		a.s.drafts.keep(captureDraft, ch)
	} else {
		a.s.drafts.clear(captureDraft)
	}
}

// restoreDraft puts a quick-capture row or an asset's form input back.
func (a *assetsScreen) restoreDraft(key string, fields map[string]string) bool {
	if key == captureDraft {
		a.capLoading = true
		for name, f := range a.captureFields() {
			if text, ok := fields[name]; ok {
				f.SetText(text)
			}
		}
		a.capLoading = false
		a.capMsg.Importance = widget.WarningImportance
		a.capMsg.SetText("Restored a quick capture that was not added: press Enter in the row to add it.")
		return true
	}
	id, ok := strings.CutPrefix(key, "asset:")
	if !ok {
		return false
	}
	as, ok := a.s.ws.Asset(id)
	if !ok {
		return false
	}
	a.load(as)
	a.ed.restore(fields)
	a.selectRow(id)
	return true
}

// progressReader reports how much of a file was read.
type progressReader struct {
	r           io.Reader
	done, total int
	last        int
	report      progress
}

func (p *progressReader) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	p.done += n
	if p.done-p.last >= 256<<10 || errors.Is(err, io.EOF) {
		p.last = p.done
		p.report(p.done, p.total, fmt.Sprintf("Read %d of %d KB", p.done>>10, p.total>>10))
	}
	return n, err
}

func (a *assetsScreen) importDialog() {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil {
			a.s.showError(err)
			return
		}
		if r == nil {
			return
		}
		data, err := io.ReadAll(r)
		r.Close()
		if err != nil {
			a.s.showError(err)
			return
		}
		a.importCSV(r.URI().Name(), data)
	}, a.s.win)
	d.SetFilter(storage.NewExtensionFileFilter([]string{".csv", ".CSV"}))
	d.Resize(fyne.NewSize(900, 600))
	d.Show()
}

// importCSV imports an asset CSV in the background. A file with bad rows
// imports nothing and every bad row is listed with its line.
func (a *assetsScreen) importCSV(name string, data []byte) {
	var res app.ImportResult
	a.s.background("Importing "+name, func(ctx context.Context, report progress) error {
		var err error
		res, err = a.s.ws.ImportCSV(ctx, &progressReader{r: bytes.NewReader(data), total: len(data), report: report})
		return err
	}, func(err error) {
		var ce *assets.CSVError
		switch {
		case err == nil:
			a.s.changed()
			dialog.ShowInformation("Import finished", fmt.Sprintf("%s: %d assets added, %d updated.", name, res.Created, res.Updated), a.s.win)
		case errors.As(err, &ce):
			a.showCSVErrors(name, ce)
		case errors.Is(err, context.Canceled):
			dialog.ShowInformation("Import cancelled", "Nothing was imported.", a.s.win)
		default:
			a.s.showError(fmt.Errorf("import %s: %w", name, err))
		}
	})
}

// showCSVErrors lists every bad row of a refused import.
func (a *assetsScreen) showCSVErrors(name string, ce *assets.CSVError) {
	rows := ce.Rows
	list := widget.NewList(func() int { return len(rows) },
		func() fyne.CanvasObject { return widget.NewLabel("line 0, column x: message") },
		func(i widget.ListItemID, o fyne.CanvasObject) {
			l := o.(*widget.Label)
			l.Wrapping = fyne.TextWrapWord
			l.SetText(rows[i].Error())
		})
	head := widget.NewLabel(fmt.Sprintf("%s has %d bad row(s). Nothing was imported: correct them in the file and import it again.", name, len(rows)))
	head.Wrapping = fyne.TextWrapWord
	head.Importance = widget.DangerImportance
	d := dialog.NewCustom("Import refused", "Close", container.NewBorder(head, nil, nil, nil, list), a.s.win)
	d.Resize(fyne.NewSize(860, 520))
	d.Show()
}

func (a *assetsScreen) exportDialog() {
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil {
			a.s.showError(err)
			return
		}
		if w == nil {
			return
		}
		a.exportCSV(w.URI().Name(), w)
	}, a.s.win)
	d.SetFileName("assets.csv")
	d.Resize(fyne.NewSize(900, 600))
	d.Show()
}

// exportCSV writes the assets the filter shows, in the background; out is
// closed when done.
func (a *assetsScreen) exportCSV(name string, out io.WriteCloser) {
	f := a.currentFilter()
	n := 0
	a.s.background("Exporting "+name, func(ctx context.Context, report progress) error {
		defer out.Close()
		var buf bytes.Buffer
		n = len(a.s.ws.FilterAssets(f))
		report(0, 0, fmt.Sprintf("Writing %d assets…", n))
		if err := a.s.ws.ExportCSV(&buf, f); err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		_, err := out.Write(buf.Bytes())
		return err
	}, func(err error) {
		switch {
		case err == nil:
			dialog.ShowInformation("Export finished", fmt.Sprintf("%d assets written to %s.", n, name), a.s.win)
		case errors.Is(err, context.Canceled):
			dialog.ShowInformation("Export cancelled", name+" may be incomplete.", a.s.win)
		default:
			a.s.showError(fmt.Errorf("export %s: %w", name, err))
		}
	})
}
