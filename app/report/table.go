package report

import (
	"math"
	"strings"
)

// column of a table: a header and a width as a share of the table width.
type column struct {
	title string
	width float64 // relative; the widths of a table are scaled to fill it
	align int
}

// cell is one table cell. The zero fill leaves the row's background.
type cell struct {
	text  string
	fill  rgb
	fills bool
	bold  bool
	color rgb // zero: black
}

func txt(s string) cell { return cell{text: s} }

// table is a grid that breaks across pages, repeating its header row on
// each page. A row taller than a page is split between pages too.
type table struct {
	cols  []column
	rows  [][]cell
	zebra bool
	body  style
	head  style
	// every is called after each row with the row index, so long tables
	// can report progress and notice cancellation; a non-nil error stops
	// the table.
	every func(i int) error
}

const cellPadX, cellPadY = 3.0, 2.2

// draw sets the table at the current position.
func (d *doc) table(t *table) error {
	if t.body.size == 0 {
		t.body = cellBody
	}
	if t.head.size == 0 {
		t.head = cellHead
	}
	widths := d.columnWidths(t)
	xs := make([]float64, len(t.cols))
	x := marginL
	for i := range t.cols {
		xs[i] = x
		x += widths[i]
	}
	lh := t.body.lineHeight()
	headLines := make([][]string, len(t.cols))
	headH := 0.0
	for i, c := range t.cols {
		headLines[i] = d.m.wrap(t.head.font, t.head.size, widths[i]-2*cellPadX, d.m.oneLine(c.title))
		headH = math.Max(headH, float64(len(headLines[i]))*t.head.lineHeight()+2*cellPadY)
	}
	header := func() {
		d.fillRect(marginL, d.y, contentW, headH, headFill)
		for i, c := range t.cols {
			for k, l := range headLines[i] {
				d.textIn(xs[i]+cellPadX, d.y+cellPadY+ascent(t.head)+float64(k)*t.head.lineHeight(), widths[i]-2*cellPadX, l, t.head, c.align)
			}
		}
		d.line(marginL, d.y+headH, marginL+contentW, d.y+headH, grey, 0.6)
		d.y += headH
	}
	rowLines := func(row []cell) ([][]string, int) {
		lines := make([][]string, len(t.cols))
		n := 1
		for i := range t.cols {
			if i >= len(row) {
				continue
			}
			st := t.body
			if row[i].bold {
				st.font = bold
			}
			lines[i] = d.m.wrap(st.font, st.size, widths[i]-2*cellPadX, d.m.clean(row[i].text))
			n = max(n, len(lines[i]))
		}
		return lines, n
	}
	// Start on a new page unless the header and the first rows (up to
	// three, and not more than a third of a page) fit.
	start := headH
	for _, row := range t.rows[:min(3, len(t.rows))] {
		_, n := rowLines(row)
		start += float64(n)*lh + 2*cellPadY
	}
	d.room(math.Min(start, (bottom-marginT)/3))
	header()
	for r, row := range t.rows {
		lines, n := rowLines(row)
		// Keep short rows whole; split rows longer than a third of a page.
		rowH := float64(n)*lh + 2*cellPadY
		if rowH <= (bottom-marginT)/3 && d.y+rowH > bottom {
			d.newPage()
			header()
		}
		for from := 0; from < n; {
			fit := int((bottom - d.y - 2*cellPadY) / lh)
			if fit < 1 {
				d.newPage()
				header()
				continue
			}
			to := min(n, from+fit)
			h := float64(to-from)*lh + 2*cellPadY
			if t.zebra && r%2 == 1 {
				d.fillRect(marginL, d.y, contentW, h, zebraFill)
			}
			for i, c := range t.cols {
				if i >= len(row) {
					continue
				}
				cl := row[i]
				if cl.fills {
					d.fillRect(xs[i], d.y, widths[i], h, cl.fill)
				}
				st := t.body
				if cl.bold {
					st.font = bold
				}
				if cl.color != (rgb{}) {
					st.color = cl.color
				}
				for k := from; k < to && k < len(lines[i]); k++ {
					d.textIn(xs[i]+cellPadX, d.y+cellPadY+ascent(st)+float64(k-from)*lh, widths[i]-2*cellPadX, lines[i][k], st, c.align)
				}
			}
			d.y += h
			d.line(marginL, d.y, marginL+contentW, d.y, lightGrey, 0.4)
			from = to
			if from < n {
				d.newPage()
				header()
			}
		}
		if t.every != nil {
			if err := t.every(r); err != nil {
				return err
			}
		}
	}
	d.y += 4
	return nil
}

// columnWidths shares the content width among the columns by their
// relative widths, then widens any column too narrow for the longest word
// of its header (taking the room from the others), so headers never break
// inside a word.
func (d *doc) columnWidths(t *table) []float64 {
	total := 0.0
	for _, c := range t.cols {
		total += c.width
	}
	widths := make([]float64, len(t.cols))
	need := make([]float64, len(t.cols))
	short, spare := 0.0, 0.0
	for i, c := range t.cols {
		widths[i] = contentW * c.width / total
		for _, w := range strings.Fields(c.title) {
			need[i] = math.Max(need[i], d.m.width(t.head.font, t.head.size, w)+2*cellPadX+0.5)
		}
		if need[i] > widths[i] {
			short += need[i] - widths[i]
		} else {
			spare += widths[i] - need[i]
		}
	}
	if short == 0 || spare < short {
		return widths
	}
	for i := range widths {
		if need[i] > widths[i] {
			widths[i] = need[i]
		} else {
			widths[i] -= (widths[i] - need[i]) * short / spare
		}
	}
	return widths
}
