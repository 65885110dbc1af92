package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/zonewalk/zonewalk/app/demo"
)

// Import a capture on the Traffic screen, then decide on candidates the way
// an auditor would: each decision moves the selection to the next one.
func TestTrafficScreenImportAndDecide(t *testing.T) {
	s := demoSession(t)
	ts := newTrafficScreen(s)
	s.win.SetContent(ts.build())
	ts.refresh()
	if !strings.Contains(ts.summary.Text, "No traffic imported yet") || len(ts.hosts) != 0 {
		t.Fatalf("before import: %q, %d candidates", ts.summary.Text, len(ts.hosts))
	}
	capture := filepath.Join(t.TempDir(), "span.pcap")
	f, _ := os.Create(capture)
	if err := demo.WriteSampleCapture(f); err != nil {
		t.Fatal(err)
	}
	f.Close()
	ts.path.SetText(capture)
	if err := await(t, ts.onImport); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(ts.summary.Text, "span.pcap (pcap): 10 connections, 11 hosts, 10 flows") {
		t.Errorf("summary after import: %q", ts.summary.Text)
	}
	n := len(ts.hosts)
	if n < 4 || n >= 11 {
		t.Fatalf("%d candidates; the demo knows some of the 11 hosts, not all", n)
	}
	if !strings.Contains(ts.matrix.Text, "!!") || !strings.Contains(ts.undeclared.Text, "write multiple registers") {
		t.Errorf("matrix %q / undeclared %q", ts.matrix.Text, ts.undeclared.Text)
	}
	if !ts.accept.Disabled() {
		t.Error("Accept enabled with no candidate selected")
	}

	ts.candidates.Select(0)
	first := ts.hosts[0].Key()
	if ts.accept.Disabled() || !strings.Contains(ts.picked.Text, first) || ts.kind.Selected == "" {
		t.Fatalf("after selecting %s: accept disabled %v, %q, type %q", first, ts.accept.Disabled(), ts.picked.Text, ts.kind.Selected)
	}
	ts.zone.SetSelected("Safety Instrumented System")
	test.Tap(ts.accept)
	if len(ts.hosts) != n-1 || ts.selected != 0 || ts.hosts[0].Key() == first {
		t.Fatalf("after accepting %s: %d candidates, selected %d", first, len(ts.hosts), ts.selected)
	}
	h, err := s.ws.ObservedHost(first)
	if err != nil || h.Asset == "" {
		t.Fatalf("accepted host %s matches no asset: %+v %v", first, h, err)
	}
	if a, _ := s.ws.Asset(h.Asset); a.Zone == "" || ts.zone.Selected != "Safety Instrumented System" {
		t.Errorf("asset %+v, zone kept for the next: %q", a, ts.zone.Selected)
	}
	second := ts.hosts[0].Key()
	test.Tap(ts.ignore)
	if len(ts.hosts) != n-2 {
		t.Fatalf("after ignoring %s: %d candidates", second, len(ts.hosts))
	}
	if h, _ := s.ws.ObservedHost(second); h.Decision != "ignore" {
		t.Errorf("ignored host: %+v", h)
	}
	// The same file again changes nothing and says so.
	if err := await(t, ts.onImport); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(ts.summary.Text, "was imported before; nothing changed") || len(ts.hosts) != n-2 {
		t.Errorf("second import: %q, %d candidates", ts.summary.Text, len(ts.hosts))
	}
}
