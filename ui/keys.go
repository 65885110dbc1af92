package ui

import (
	"errors"
	"image/color"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/zonewalk/zonewalk/assets"
)

// Keyboard helpers: an auditor in front of a cabinet types, Tabs and
// presses Enter; these widgets keep that path short.

// capField is a quick-capture entry. Tabbing into it selects its text, so
// typing replaces what the last capture left ("plc" + "plc" is "plc", not
// "plcplc"); a click still places the cursor (Entry.MouseDown clears the
// selection after focusing).
type capField struct {
	field
}

func newCapField(placeholder string) *capField {
	c := &capField{field: field{max: assets.MaxShortText}}
	c.ExtendBaseWidget(c)
	c.SetPlaceHolder(placeholder)
	return c
}

// FocusGained selects the whole text.
func (c *capField) FocusGained() {
	c.Entry.FocusGained()
	c.TypedShortcut(&fyne.ShortcutSelectAll{})
}

// KeyDown opens the main menu on F10 (Fyne sends keys without a modifier
// to the focused widget, never to the menu).
func (f *field) KeyDown(k *fyne.KeyEvent) {
	if k.Name == fyne.KeyF10 {
		toggleMenu(f)
		return
	}
	f.Entry.KeyDown(k)
}

// toggleMenu opens (or closes) the main menu of the window holding o, as
// Alt does: its items are then walked with the arrow keys and Enter.
func toggleMenu(o fyne.CanvasObject) {
	toggleCanvasMenu(fyne.CurrentApp().Driver().CanvasForObject(o))
}

// toggleCanvasMenu opens or closes a window's main menu (a canvas without
// one, or a native menu, ignores it).
func toggleCanvasMenu(cv fyne.Canvas) {
	if m, ok := cv.(interface{ ToggleMenu() }); ok {
		m.ToggleMenu()
	}
}

// searchEntry is the asset search: Down moves into the table.
type searchEntry struct {
	widget.Entry
	onDown func()
}

func newSearchEntry() *searchEntry {
	e := &searchEntry{}
	e.ExtendBaseWidget(e)
	return e
}

func (e *searchEntry) TypedKey(k *fyne.KeyEvent) {
	if k.Name == fyne.KeyDown && e.onDown != nil {
		e.onDown()
		return
	}
	e.Entry.TypedKey(k)
}

func (e *searchEntry) KeyDown(k *fyne.KeyEvent) {
	if k.Name == fyne.KeyF10 {
		toggleMenu(e)
		return
	}
	e.Entry.KeyDown(k)
}

// keyTable is a table whose arrow keys move the selection, as in a list
// box: the selected row's record shows beside it at once. Up on the first
// row leaves for the search box.
type keyTable struct {
	widget.Table
	selected func() int // the selected row; -1 if none
	onTop    func()     // Up on the first row
}

func newKeyTable(length func() (int, int), create func() fyne.CanvasObject, update func(widget.TableCellID, fyne.CanvasObject)) *keyTable {
	t := &keyTable{}
	t.Length, t.CreateCell, t.UpdateCell = length, create, update
	t.ShowHeaderRow = true
	t.ExtendBaseWidget(t)
	return t
}

// pageRows is how far Page Up and Page Down move.
const pageRows = 10

func (t *keyTable) TypedKey(k *fyne.KeyEvent) {
	rows, _ := t.Length()
	cur := -1
	if t.selected != nil {
		cur = t.selected()
	}
	next := cur
	switch k.Name {
	case fyne.KeyDown:
		next = cur + 1
	case fyne.KeyUp:
		if cur <= 0 && t.onTop != nil {
			t.onTop()
			return
		}
		next = cur - 1
	case fyne.KeyPageDown:
		next = cur + pageRows
	case fyne.KeyPageUp:
		next = cur - pageRows
	case fyne.KeyHome:
		next = 0
	case fyne.KeyEnd:
		next = rows - 1
	default:
		t.Table.TypedKey(k)
		return
	}
	next = max(0, min(next, rows-1))
	if rows > 0 && next != cur {
		id := widget.TableCellID{Row: next, Col: 0}
		t.Select(id)
		t.ScrollTo(id)
	}
}

func (t *keyTable) KeyDown(k *fyne.KeyEvent) {
	if k.Name == fyne.KeyF10 {
		toggleMenu(t)
	}
}

func (t *keyTable) KeyUp(*fyne.KeyEvent) {}

// headerCell is a sortable column header: clicked, never a Tab stop (ten
// buttons between the filters and the rows made the table a long way off).
// Its title is a cellText: the table makes every row as high as its
// header, so a padded label would make every row padded too. With no
// space between the header and the first row, the header is set apart by
// a band in the button colour: it is clicked like one.
type headerCell struct {
	widget.BaseWidget
	label    *cellText
	icon     *widget.Icon
	bg       *canvas.Rectangle // the band
	hover    *canvas.Rectangle // over the band while the pointer is on it
	OnTapped func()
}

func newHeaderCell() *headerCell {
	h := &headerCell{label: newCellText("Column", fyne.TextStyle{Bold: true}),
		icon: widget.NewIcon(nil), bg: canvas.NewRectangle(color.Transparent), hover: canvas.NewRectangle(color.Transparent)}
	h.hover.Hide()
	h.ExtendBaseWidget(h)
	return h
}

func (h *headerCell) CreateRenderer() fyne.WidgetRenderer {
	r := &headerCellRenderer{h: h, WidgetRenderer: widget.NewSimpleRenderer(
		container.NewStack(h.bg, h.hover, container.NewBorder(nil, nil, nil, h.icon, h.label)))}
	r.Refresh()
	return r
}

// headerCellRenderer takes the band's colours from the theme, also after
// a theme switch.
type headerCellRenderer struct {
	fyne.WidgetRenderer
	h *headerCell
}

func (r *headerCellRenderer) Refresh() {
	r.h.bg.FillColor = theme.ColorForWidget(theme.ColorNameButton, r.h)
	r.h.hover.FillColor = theme.ColorForWidget(theme.ColorNameHover, r.h)
	r.WidgetRenderer.Refresh()
}

// set shows the title and the sort arrow (nil: not sorted by it).
func (h *headerCell) set(title string, icon fyne.Resource) {
	h.label.SetText(title)
	h.icon.SetResource(icon)
	if icon == nil {
		h.icon.Hide()
	} else {
		h.icon.Show()
	}
}

func (h *headerCell) Tapped(*fyne.PointEvent) {
	if h.OnTapped != nil {
		h.OnTapped()
	}
}

func (h *headerCell) Cursor() desktop.Cursor { return desktop.PointerCursor }

func (h *headerCell) MouseIn(*desktop.MouseEvent) {
	h.hover.Show()
	h.hover.Refresh()
}

func (h *headerCell) MouseMoved(*desktop.MouseEvent) {}

func (h *headerCell) MouseOut() {
	h.hover.Hide()
	h.hover.Refresh()
}

// typeSelect is a picker that takes type-ahead: letters typed while it has
// the focus pick the first option that starts with them, or else contains
// them ("3-3" picks IEC 62443-3-3); Enter confirms and moves on.
type typeSelect struct {
	widget.Select
	typed   string
	last    time.Time
	onEnter func()
}

// typeAheadPause is how long after the last letter a new one starts a new
// search rather than extending it.
const typeAheadPause = 1500 * time.Millisecond

func newTypeSelect(changed func(string)) *typeSelect {
	s := &typeSelect{}
	s.OnChanged = changed
	s.ExtendBaseWidget(s)
	return s
}

func (s *typeSelect) TypedRune(r rune) {
	if r == ' ' && s.typed == "" {
		return // the Space that opened the list
	}
	now := time.Now()
	if now.Sub(s.last) > typeAheadPause {
		s.typed = ""
	}
	s.last = now
	s.typed += string(r)
	s.pick()
}

// pick selects the best match for what was typed; none keeps the choice.
func (s *typeSelect) pick() {
	if i := matchOption(s.Options, s.typed); i >= 0 && i != s.SelectedIndex() {
		s.SetSelectedIndex(i)
	}
}

// matchOption is the first option starting with text (case-insensitive),
// else the first containing it; -1 if none or text is empty.
func matchOption(options []string, text string) int {
	low := strings.ToLower(strings.TrimSpace(text))
	if low == "" {
		return -1
	}
	for i, o := range options {
		if strings.HasPrefix(strings.ToLower(o), low) {
			return i
		}
	}
	for i, o := range options {
		if strings.Contains(strings.ToLower(o), low) {
			return i
		}
	}
	return -1
}

func (s *typeSelect) TypedKey(k *fyne.KeyEvent) {
	switch k.Name {
	case fyne.KeyReturn, fyne.KeyEnter:
		s.typed = ""
		if s.onEnter != nil {
			s.onEnter()
		}
	case fyne.KeyBackspace:
		if s.typed != "" {
			s.typed = s.typed[:len(s.typed)-1]
			s.last = time.Now()
			s.pick()
		}
	case fyne.KeyEscape:
		s.typed = ""
	case fyne.KeySpace:
		// Inside a name being typed ("iec 6") the space arrives as a
		// rune too; otherwise it opens the list.
		if s.typed != "" && time.Since(s.last) <= typeAheadPause {
			return
		}
		s.typed = ""
		s.Select.TypedKey(k)
	default:
		s.Select.TypedKey(k)
	}
}

func (s *typeSelect) KeyDown(k *fyne.KeyEvent) {
	if k.Name == fyne.KeyF10 {
		toggleMenu(s)
	}
}

func (s *typeSelect) KeyUp(*fyne.KeyEvent) {}

func (s *typeSelect) FocusLost() {
	s.typed = ""
	s.Select.FocusLost()
}

// enterTable is Down in the asset search: the cursor goes to the rows,
// the first one selected unless one already is.
func (a *assetsScreen) enterTable() {
	a.s.win.Canvas().Focus(a.table)
	if a.selectedRow() < 0 && len(a.rows) > 0 {
		a.table.Select(widget.TableCellID{Row: 0, Col: 0})
	}
}

// selectedRow is the row of the asset shown in the form; -1 if none is
// listed.
func (a *assetsScreen) selectedRow() int {
	if a.cur.ID == "" {
		return -1
	}
	for i, r := range a.rows {
		if r.ID == a.cur.ID {
			return i
		}
	}
	return -1
}

// captureFieldOf names the first field a validation error is about ("ips"
// for "ips[0]"); "" for other errors.
func captureFieldOf(err error) string {
	var ve *assets.ValidationError
	if !errors.As(err, &ve) || len(ve.Fields) == 0 {
		return ""
	}
	name := ve.Fields[0].Field
	if i := strings.IndexAny(name, "[."); i > 0 {
		name = name[:i]
	}
	return name
}

// bindWindowInput takes dropped files, and makes F10 open the main menu
// while no widget has the focus (focused text fields, the table and the
// pickers take F10 themselves; Alt works everywhere, in Fyne's menu bar).
func (sh *shell) bindWindowInput() {
	sh.win.SetOnDropped(sh.dropped) // photos dropped go to the record shown
	if dc, ok := sh.win.Canvas().(desktop.Canvas); ok {
		dc.SetOnKeyDown(func(k *fyne.KeyEvent) {
			if k.Name == fyne.KeyF10 {
				toggleCanvasMenu(sh.win.Canvas())
			}
		})
	}
}

// chooseChecklist is Ctrl+L: the Checklists screen with the cursor in its
// template picker, which takes type-ahead ("3-3" Enter, "filt" Enter).
func (sh *shell) chooseChecklist() {
	i := sh.screenIndex("Checklists")
	if sh.s == nil || i < 0 {
		return
	}
	sh.show(i)
	if sh.current != i {
		return // still asking about unsaved input
	}
	if c, ok := sh.screens[i].(*checklistScreen); ok {
		sh.win.Canvas().Focus(c.tmplSel)
	}
}
