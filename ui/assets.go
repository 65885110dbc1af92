package ui

import (
	"fmt"
	"reflect"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
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
	capRow := container.NewBorder(nil, nil, widget.NewLabelWithStyle("Quick capture", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), addBtn,
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
	// Three rows above the table, each as high as a field: the capture
	// row; its guide (or what the last capture said) beside the count and
	// the CSV buttons; the search beside the pickers. Every row more would
	// cost the table one and a half of its own in the plant-floor theme
	// (12 rows at 1366×768 need all the height the table has). The pickers keep their
	// width and the search takes the rest, so the window stays narrow
	// enough for a small laptop in the large-text theme.
	guideRow := container.NewBorder(nil, nil, nil, container.NewHBox(a.count, imp, exp), a.capMsg)
	filterRow := container.NewBorder(nil, nil, nil, container.NewGridWithColumns(3, a.zoneSel, a.typeSel, a.levelSel), a.search)

	// Table.
	a.table = newKeyTable(
		func() (int, int) { return len(a.rows), len(assetColumns) },
		func() fyne.CanvasObject { return newCellText("PLC-000000", fyne.TextStyle{}) }, // dense rows: see cellText
		func(id widget.TableCellID, o fyne.CanvasObject) {
			if id.Row < len(a.rows) {
				o.(*cellText).SetText(assetColumns[id.Col].text(a, a.rows[id.Row]))
			}
		})
	a.table.ShowHeaderColumn = false
	// Headers sort when clicked but are no Tab stops: Tab from the
	// filters reaches the rows at once.
	a.table.CreateHeader = func() fyne.CanvasObject { return newHeaderCell() }
	a.table.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		h := o.(*headerCell)
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
	// The top first in the tree, so Tab goes capture row, CSV buttons,
	// search, pickers, rows.
	top := container.NewVBox(capRow, guideRow, filterRow)
	return container.New(layout.NewBorderLayout(top, nil, nil, nil), top, split)
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
