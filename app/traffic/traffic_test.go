package traffic

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/zonewalk/zonewalk/app/internal/synth"
)

var ctx = context.Background()

func source(sha string) string { return "src-" + sha[:8] + "-dev" }

func writeCapture(t testing.TB, o synth.Options) (string, []synth.Flow) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "span.pcap")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	truth, err := synth.WritePcap(f, o)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path, truth
}

func readInput(t testing.TB, paths ...string) *Result {
	t.Helper()
	ins, err := Inputs(paths)
	if err != nil {
		t.Fatal(err)
	}
	if len(ins) != 1 {
		t.Fatalf("inputs %+v, want one", ins)
	}
	res, err := Read(ctx, ins[0], source, nil)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// truthKey and flowKey render the ground truth and a result the same way.
func truthKey(f synth.Flow) string {
	ops := slices.Clone(f.Ops)
	slices.Sort(ops)
	return fmt.Sprintf("%s %s %s/%d %s conns=%d ops=[%s]", f.Client, f.Server, protoName(f.Transport), f.ServerPort,
		f.Protocol, f.Conns, strings.Join(ops, ","))
}

// resultKey leaves out what the ground truth does not list: the COTP
// connection under S7 and the IT protocols' operations.
func resultKey(f Flow) string {
	var ops []string
	for _, o := range f.Ops {
		if o.Name != "cotp connect" && isICS(f.Protocol) {
			ops = append(ops, o.Name)
		}
	}
	slices.Sort(ops)
	return fmt.Sprintf("%s %s %s/%d %s conns=%d ops=[%s]", f.Client, f.Server, f.Transport, f.Port, f.Protocol,
		f.Connections, strings.Join(ops, ","))
}

func TestCaptureGivesTheFlowsItWasMadeOf(t *testing.T) {
	for _, o := range []synth.Options{{Scenario: "small"}, {Seed: 7, Hosts: 60, Bytes: 2 << 20}} {
		t.Run(o.Scenario+fmt.Sprint(o.Seed), func(t *testing.T) {
			path, truth := writeCapture(t, o)
			res := readInput(t, path)
			want := map[string]synth.Flow{}
			for _, f := range truth {
				want[truthKey(f)] = f
			}
			got := map[string]Flow{}
			for _, f := range res.Flows {
				got[resultKey(f)] = f
			}
			for k, tf := range want {
				f, ok := got[k]
				if !ok {
					t.Errorf("flow missing: %s", k)
					continue
				}
				if f.Packets != tf.Packets || f.Bytes != tf.Bytes {
					t.Errorf("%s: %d packets %d bytes, want %d and %d", k, f.Packets, f.Bytes, tf.Packets, tf.Bytes)
				}
			}
			for k := range got {
				if _, ok := want[k]; !ok {
					t.Errorf("flow not in the capture: %s", k)
				}
			}
			if res.Source.Format != "pcap" || res.Source.Damage != "" || res.Source.Flows != len(res.Flows) {
				t.Errorf("source %+v", res.Source)
			}
		})
	}
}

func TestSmallScenarioHosts(t *testing.T) {
	path, _ := writeCapture(t, synth.Options{Scenario: "small"})
	res := readInput(t, path)
	byIP := map[string]Host{}
	for _, h := range res.Hosts {
		byIP[h.IP] = h
	}
	if len(byIP) != 11 {
		t.Errorf("%d hosts, want the scenario's 11: %v", len(byIP), keys(byIP))
	}
	for ip, roles := range map[string][]string{
		"10.1.1.10": {"Modbus server"},
		"10.1.1.20": {"S7 PLC"},
		"10.1.1.30": {"DNP3 outstation"},
		"10.2.1.20": {"RDP client", "S7 client", EngineeringClient}, // it stopped the PLC
		"10.3.1.8":  {"RDP server", "SSH server"},
	} {
		h := byIP[ip]
		for _, r := range roles {
			if !slices.Contains(h.Roles, r) {
				t.Errorf("%s roles %v lack %q", ip, h.Roles, r)
			}
		}
		if len(h.MACs) != 1 || h.Vendor == "" {
			t.Errorf("%s: MACs %v vendor %q, want its one MAC and a vendor", ip, h.MACs, h.Vendor)
		}
	}
	if got := GuessType(byIP["10.1.1.20"].Roles); got != "plc" {
		t.Errorf("S7 PLC guessed as %q", got)
	}
	if got := GuessType(byIP["10.2.1.20"].Roles); got != "ews" {
		t.Errorf("engineering client guessed as %q", got)
	}
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// The Zeek logs a sensor would have written for the same traffic give the
// same flows and operations as the capture.
func TestZeekLogsAgreeWithTheCapture(t *testing.T) {
	for _, o := range []synth.Options{{Scenario: "small"}, {Seed: 3, Hosts: 40, Bytes: 1 << 20}, {Seed: 4, Hosts: 40, Bytes: 1 << 20, OldConnLog: true, ZeekMACs: true}} {
		t.Run(fmt.Sprint(o.Scenario, o.Seed), func(t *testing.T) {
			path, _ := writeCapture(t, o)
			capture := readInput(t, path)
			dir := t.TempDir()
			if _, err := synth.WriteZeek(dir, o); err != nil {
				t.Fatal(err)
			}
			logs := readInput(t, dir)
			if logs.Source.Format != "zeek" || len(logs.Source.Files) < 2 {
				t.Fatalf("zeek source %+v", logs.Source)
			}
			// Only the Modbus ops are in a Zeek log the synth writes; compare
			// the others' flows without ops.
			render := func(fs []Flow) []string {
				var out []string
				for _, f := range fs {
					if f.Protocol != "modbus" {
						f.Ops = nil
					}
					out = append(out, resultKey(f)+fmt.Sprintf(" packets=%d", f.Packets))
				}
				slices.Sort(out)
				return out
			}
			a, b := render(capture.Flows), render(logs.Flows)
			if !slices.Equal(a, b) {
				t.Errorf("capture and logs differ:\ncapture: %s\nlogs:    %s", strings.Join(a, "\n         "), strings.Join(b, "\n         "))
			}
			if len(capture.Hosts) != len(logs.Hosts) {
				t.Errorf("capture %d hosts, logs %d", len(capture.Hosts), len(logs.Hosts))
			}
		})
	}
}

// The same content always gives the same records: IDs and order included.
func TestReadIsDeterministic(t *testing.T) {
	path, _ := writeCapture(t, synth.Options{Seed: 9, Hosts: 30, Bytes: 1 << 20})
	a, b := readInput(t, path), readInput(t, path)
	if a.Source.SHA256 != b.Source.SHA256 || a.Source.ID != b.Source.ID {
		t.Fatalf("sources differ: %+v %+v", a.Source, b.Source)
	}
	if fmt.Sprint(a.Hosts) != fmt.Sprint(b.Hosts) || fmt.Sprint(a.Flows) != fmt.Sprint(b.Flows) {
		t.Fatal("two reads of one file gave different records")
	}
	for _, f := range a.Flows {
		if !strings.HasPrefix(f.ID, a.Source.ID+".f") || f.Source != a.Source.ID {
			t.Fatalf("flow %s of source %s", f.ID, f.Source)
		}
	}
}

func TestDamagedCaptureKeepsWhatCameBefore(t *testing.T) {
	path, _ := writeCapture(t, synth.Options{Scenario: "small"})
	whole := readInput(t, path)
	b, _ := os.ReadFile(path)
	cut := filepath.Join(t.TempDir(), "cut.pcap")
	os.WriteFile(cut, b[:len(b)-30], 0o600)
	res := readInput(t, cut)
	if !strings.Contains(res.Source.Damage, "damaged at byte") || res.Source.Packets != whole.Source.Packets-1 {
		t.Fatalf("damage %q, %d packets; want damage named and %d packets", res.Source.Damage, res.Source.Packets, whole.Source.Packets-1)
	}
	if res.Source.SHA256 == whole.Source.SHA256 || res.Source.Size != int64(len(b)-30) {
		t.Errorf("source of the cut file: %+v", res.Source)
	}
}

func TestNotACaptureIsRefusedByName(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "notes.txt")
	os.WriteFile(p, []byte("PLC-101 firmware 3.1\n"), 0o600)
	_, err := Inputs([]string{p})
	if err == nil || !strings.Contains(err.Error(), "notes.txt") || !strings.Contains(err.Error(), "not a pcap") {
		t.Fatalf("err = %v", err)
	}
	// In a folder, such files are passed over; an empty result is an error.
	if _, err := Inputs([]string{dir}); err == nil || !strings.Contains(err.Error(), "no captures or Zeek logs") {
		t.Fatalf("folder without captures: %v", err)
	}
}
