package bundle

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/zonewalk/zonewalk/app"
	"github.com/zonewalk/zonewalk/app/internal/synth"
)

func writeSynthCapture(t *testing.T, name string, o synth.Options) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := synth.WritePcap(f, o); err != nil {
		t.Fatal(err)
	}
	f.Close()
	return path
}

func conflicts(t *testing.T, w *app.Workspace) int {
	t.Helper()
	n := 0
	w.Store().Scan(KindConflict, func([]byte) error { n++; return nil })
	return n
}

// Two laptops import captures, one of them the same file, and exchange
// bundles: both end with the same observed hosts and flows, each capture
// counted once, and no conflicts; decisions on one host conflict as edits do.
func TestObservedTrafficMerges(t *testing.T) {
	dir, tm, a, b := pair(t)
	shared := writeSynthCapture(t, "shared.pcap", synth.Options{Scenario: "small"})
	onlyB := writeSynthCapture(t, "b.pcap", synth.Options{Seed: 2, Hosts: 40, Bytes: 1 << 20})
	if _, err := a.ImportTraffic(ctx, []string{shared}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := b.ImportTraffic(ctx, []string{shared, onlyB}, nil); err != nil {
		t.Fatal(err)
	}
	exchange(t, dir, tm, a, b)
	oa, err := a.Observed()
	if err != nil {
		t.Fatal(err)
	}
	ob, _ := b.Observed()
	if len(oa.Sources) != 2 || len(ob.Sources) != 2 {
		t.Fatalf("sources after the exchange: a %d, b %d; want the two captures", len(oa.Sources), len(ob.Sources))
	}
	if len(oa.Hosts) != len(ob.Hosts) || len(oa.Flows) != len(ob.Flows) {
		t.Fatalf("a sees %d hosts %d flows, b %d and %d", len(oa.Hosts), len(oa.Flows), len(ob.Hosts), len(ob.Flows))
	}
	for i := range oa.Flows {
		if oa.Flows[i].Key() != ob.Flows[i].Key() || oa.Flows[i].Connections != ob.Flows[i].Connections {
			t.Fatalf("flow %d: a %+v, b %+v", i, oa.Flows[i].Flow, ob.Flows[i].Flow)
		}
	}
	// The shared capture is counted once: its Modbus flow has one connection.
	for _, f := range oa.Flows {
		if f.Client == "10.2.1.10" && f.Server == "10.1.1.10" && f.Connections != 1 {
			t.Errorf("the capture both imported counted %d times", f.Connections)
		}
	}
	if n := conflicts(t, a) + conflicts(t, b); n != 0 {
		t.Errorf("%d conflicts from observed records", n)
	}
	// A re-import after the exchange changes nothing on either side.
	ims, err := a.ImportTraffic(ctx, []string{onlyB}, nil)
	if err != nil || !ims[0].Already {
		t.Errorf("a re-importing b's capture: %+v %v", ims, err)
	}

	// Decisions are edits: both ignore the same host, then one accepts it.
	if err := a.IgnoreHost(ctx, "10.4.1.51", "guest"); err != nil {
		t.Fatal(err)
	}
	if _, err := b.AcceptHost(ctx, "10.4.1.51", "", "", "GUEST-1"); err != nil {
		t.Fatal(err)
	}
	exchange(t, dir, tm, a, b)
	if conflicts(t, a) == 0 || conflicts(t, b) == 0 {
		t.Error("different decisions on one host did not conflict")
	}
}
