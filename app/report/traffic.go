package report

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/zonewalk/zonewalk/app"
	"github.com/zonewalk/zonewalk/assets/english"
)

// observed is what imported captures and logs saw, for the section
// "Observed communication"; nil when nothing was imported.
type observed struct {
	o      *app.Observed
	flows  []app.CoveredFlow
	matrix *app.TrafficMatrix
}

func readObserved(ctx context.Context, w *app.Workspace) (*observed, error) {
	o, err := w.Observed()
	if err != nil || len(o.Sources) == 0 {
		return nil, err
	}
	flows, err := w.ObservedCoverage(ctx)
	if err != nil {
		return nil, err
	}
	m, err := w.ObservedMatrix(ctx)
	if err != nil {
		return nil, err
	}
	return &observed{o: o, flows: flows, matrix: m}, nil
}

// Rows listed at most, so a plant-wide capture does not become a phone
// book; the command line lists all.
const (
	maxFlowRows      = 150
	maxCandidateRows = 100
	maxMatrixZones   = 14
)

func (r *renderer) observedSection(ctx context.Context, d *doc) error {
	ob := r.obs
	if ob == nil {
		return nil
	}
	d.heading1("Observed communication")
	d.para("What the network did during the captures below, compared with the zones and conduits of the model. Hosts are "+
		"matched to assets by IP address, then MAC address. Undeclared traffic and hosts missing from the inventory are also "+
		"findings (rules ZW-TRAFFIC-001 to 006).", body)
	d.gap(4)

	d.heading2("Sources", false, 60)
	st := &table{cols: []column{{title: "Capture or logs", width: 3}, {title: "Format", width: 1}, {title: "Time range (UTC)", width: 3},
		{title: "Connections", width: 1.3, align: alignRight}, {title: "Hosts", width: 0.9, align: alignRight},
		{title: "Flows", width: 0.9, align: alignRight}, {title: "Notes", width: 2.6}}, zebra: true}
	for _, s := range ob.o.Sources {
		span := ""
		if !s.First.IsZero() {
			span = s.First.UTC().Format("2006-01-02 15:04") + " – " + s.Last.UTC().Format("2006-01-02 15:04")
		}
		notes := s.Damage
		if len(s.Skipped) > 0 {
			notes = strings.TrimPrefix(notes+"; skipped: "+strings.Join(s.Skipped, "; "), "; ")
		}
		st.rows = append(st.rows, []cell{txt(s.Name + "\nSHA-256 " + s.SHA256[:16] + "…"), txt(s.Format), txt(span),
			txt(strconv.FormatInt(s.Connections, 10)), txt(strconv.Itoa(s.Hosts)), txt(strconv.Itoa(s.Flows)), txt(notes)})
	}
	d.fail(d.table(st))

	r.matrixTable(d, ob.matrix)

	var crossing []app.CoveredFlow
	for _, f := range ob.flows {
		if f.Coverage == app.Undeclared || f.Coverage == app.OffPolicy {
			crossing = append(crossing, f)
		}
	}
	d.heading2("Traffic the model does not declare", false, 80)
	if len(crossing) == 0 {
		d.para("None: every flow between zones crossed a conduit that lists it.", body)
	} else {
		d.para(fmt.Sprintf("%s between zones that no conduit joins, or over a conduit that does not list the protocol.",
			english.Count(len(crossing), "flow", "flows")), body)
		ft := &table{cols: []column{{title: "Client", width: 2.4}, {title: "Server", width: 2.4}, {title: "Protocol", width: 1.2},
			{title: "What it did", width: 2.8}, {title: "Why listed", width: 1.8}}, zebra: true}
		for i, f := range crossing {
			if i == maxFlowRows {
				break
			}
			var ops []string
			for _, op := range f.Ops {
				ops = append(ops, op.Name)
			}
			why := "no conduit"
			if f.Coverage == app.OffPolicy {
				why = fmt.Sprintf("not listed on %q", f.ConduitName)
			}
			c := cell{text: strings.Join(ops, ", ")}
			if f.Changes() {
				c.fill, c.fills = gapFill, true
			}
			ft.rows = append(ft.rows, []cell{txt(f.Client + "\n" + f.ClientZone), txt(f.Server + "\n" + f.ServerZone),
				txt(fmt.Sprintf("%s (%s/%d)", f.Protocol, f.Transport, f.Port)), c, txt(why)})
		}
		d.fail(d.table(ft))
		if len(crossing) > maxFlowRows {
			d.para(fmt.Sprintf("… and %d more: `zonewalk traffic flows --undeclared` lists them all.", len(crossing)-maxFlowRows), small)
		}
	}

	var candidates []app.ObservedHost
	for _, h := range ob.o.Hosts {
		if h.Candidate() {
			candidates = append(candidates, h)
		}
	}
	d.heading2("Hosts seen that are not in the inventory", false, 80)
	if len(candidates) == 0 {
		d.para("None: every host seen is an asset or was marked as outside the system under consideration.", body)
		return ctx.Err()
	}
	d.para(fmt.Sprintf("%s not decided on yet.", english.Count(len(candidates), "host", "hosts")), body)
	ct := &table{cols: []column{{title: "Address", width: 1.6}, {title: "MAC vendor", width: 2.4}, {title: "Seen as", width: 3},
		{title: "First seen (UTC)", width: 1.8}}, zebra: true}
	for i, h := range candidates {
		if i == maxCandidateRows {
			break
		}
		ct.rows = append(ct.rows, []cell{txt(h.Key()), txt(h.Vendor), txt(strings.Join(h.Roles, ", ")), txt(h.First.UTC().Format("2006-01-02 15:04"))})
	}
	d.fail(d.table(ct))
	if len(candidates) > maxCandidateRows {
		d.para(fmt.Sprintf("… and %d more: `zonewalk traffic hosts --unmatched` lists them all.", len(candidates)-maxCandidateRows), small)
	}
	return ctx.Err()
}

// matrixTable draws zones against zones: declared and seen, declared and
// not seen, seen and not declared. With many zones, only the pairs with
// something to say are listed.
func (r *renderer) matrixTable(d *doc, m *app.TrafficMatrix) {
	d.heading2("Zones against zones", false, 80)
	d.para("D+ a conduit is declared and traffic was seen; D– declared, no traffic seen during the captures; "+
		"!! traffic seen where no conduit is declared.", small)
	if len(m.Zones) <= maxMatrixZones {
		cols := []column{{title: "Zone", width: 4}}
		for i := range m.Zones {
			cols = append(cols, column{title: strconv.Itoa(i + 1), width: 0.8, align: alignCenter})
		}
		t := &table{cols: cols}
		for i, z := range m.Zones {
			row := []cell{txt(fmt.Sprintf("%d %s", i+1, z.Name))}
			for j, o := range m.Zones {
				c := m.Cell(z.ID, o.ID)
				switch {
				case i == j:
					row = append(row, cell{text: "", fill: lightGrey, fills: true})
				case c.Declared && c.Seen():
					row = append(row, cell{text: "D+", fill: metFill, fills: true})
				case c.Declared:
					row = append(row, cell{text: "D–", fill: partFill, fills: true})
				case c.Seen():
					row = append(row, cell{text: "!!", fill: gapFill, fills: true, bold: true})
				default:
					row = append(row, txt(""))
				}
			}
			t.rows = append(t.rows, row)
		}
		d.fail(d.table(t))
		return
	}
	t := &table{cols: []column{{title: "Zone", width: 3}, {title: "Zone", width: 3}, {title: "", width: 1, align: alignCenter},
		{title: "Flows seen", width: 1.2, align: alignRight}}, zebra: true}
	for i, z := range m.Zones {
		for _, o := range m.Zones[i+1:] {
			c := m.Cell(z.ID, o.ID)
			mark := ""
			switch {
			case c.Declared && c.Seen():
				mark = "D+"
			case c.Declared:
				mark = "D–"
			case c.Seen():
				mark = "!!"
			default:
				continue
			}
			t.rows = append(t.rows, []cell{txt(z.Name), txt(o.Name), txt(mark), txt(strconv.Itoa(c.Flows))})
		}
	}
	d.fail(d.table(t))
}
