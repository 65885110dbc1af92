package ui

import (
	"reflect"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/zonewalk/zonewalk/app/demo"
	"github.com/zonewalk/zonewalk/assets"
)

func TestParseFlows(t *testing.T) {
	got := parseFlows("Modbus/TCP 502\n\n  IPsec VPN udp/500,4500 \nOPC UA\nHTTPS tcp/443\nProfinet RT")
	want := []assets.Flow{{Protocol: "Modbus/TCP", Ports: "502"}, {Protocol: "IPsec VPN", Ports: "udp/500,4500"},
		{Protocol: "OPC UA"}, {Protocol: "HTTPS", Ports: "tcp/443"}, {Protocol: "Profinet RT"}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v", got)
	}
	if back := parseFlows(formatFlows(want)); !reflect.DeepEqual(back, want) {
		t.Fatalf("round trip %+v", back)
	}
}

// TestConduitThroughWidgets adds a conduit, points it at a zone and at
// "External", sets flows and controls, deletes it and undoes the delete.
func TestConduitThroughWidgets(t *testing.T) {
	sh, dir := newDemoShell(t)
	c := screenOf[*conduitsScreen](t, sh, "Conduits")
	test.Tap(c.addBtn)
	id := c.cur.ID
	test.Type(c.name, "C9 Historian export")
	enter(c.name)
	c.from.SetSelected("SCADA & Operations")
	c.to.SetSelected("Industrial DMZ")
	c.direction.SetSelected("From → To only")
	typeInto(sh, c.flows, "OPC UA 4840\nHTTPS tcp/443")
	sh.win.Canvas().Unfocus()
	test.Tap(c.controls[0]) // firewall
	test.Tap(c.controls[1]) // data diode
	typeInto(sh, c.slt.all, "2")
	enter(c.slt.all)
	// From and To the same zone is refused and explained.
	c.to.SetSelected("SCADA & Operations")
	if !c.errs.box.Visible() || !strings.Contains(c.errs.label.Text, "To zone") {
		t.Errorf("same-zone conduit not explained: %q", c.errs.label.Text)
	}
	c.to.SetSelected(externalZone)
	if c.errs.box.Visible() {
		t.Errorf("error stays: %q", c.errs.label.Text)
	}
	stored, _ := c.s.ws.Conduit(id)
	if stored.To != "" || stored.From != demo.ZoneSCADA || stored.Direction != assets.FromToTo ||
		len(stored.Flows) != 2 || stored.Flows[0].Ports != "4840" || !stored.Has(assets.ControlDataDiode) ||
		stored.SLT != assets.UniformSL(2) || stored.Name != "C9 Historian export" {
		t.Fatalf("stored %+v", stored)
	}
	test.Tap(c.deleteBtn)
	if _, ok := c.s.ws.Conduit(id); ok {
		t.Fatal("not deleted")
	}
	test.Tap(sh.undoBar.Objects[2].(*widget.Button)) // the Undo button
	ws := reopen(t, sh, dir)
	if back, ok := ws.Conduit(id); !ok || !reflect.DeepEqual(back.Flows, stored.Flows) {
		t.Fatalf("not restored: %+v", back)
	}
}
