package diagram

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/zonewalk/zonewalk/assets"
)

var tooltipRE = regexp.MustCompile(`tooltip="(?:[^"\\]|\\.)*"`)

// golden compares got with testdata/name, or rewrites it under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		gl, wl := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
		for i := range min(len(gl), len(wl)) {
			if gl[i] != wl[i] {
				t.Fatalf("%s differs at line %d:\n got: %s\nwant: %s\n(run with -update if the change is intended)", name, i+1, gl[i], wl[i])
			}
		}
		t.Fatalf("%s differs in length: got %d lines, want %d (run with -update if intended)", name, len(gl), len(wl))
	}
}

func TestGoldenDOT(t *testing.T) {
	m := plant(t)
	golden(t, "overview.golden.dot", Overview(m))
	for _, id := range []string{"z-ctl", "z-sued", "z-lab", "z-dmz"} {
		dot, err := ZoneDetail(m, id, 0)
		if err != nil {
			t.Fatal(err)
		}
		golden(t, "zone-"+strings.TrimPrefix(id, "z-")+".golden.dot", dot)
	}
}

// The order of the caller's slices must not change the output.
func TestDOTIsDeterministic(t *testing.T) {
	m := plant(t)
	want := Overview(m)
	wantZone, _ := ZoneDetail(m, "z-ctl", 0)
	rng := rand.New(rand.NewPCG(1, 2))
	for range 5 {
		rng.Shuffle(len(m.Zones), func(i, j int) { m.Zones[i], m.Zones[j] = m.Zones[j], m.Zones[i] })
		rng.Shuffle(len(m.Conduits), func(i, j int) { m.Conduits[i], m.Conduits[j] = m.Conduits[j], m.Conduits[i] })
		rng.Shuffle(len(m.Assets), func(i, j int) { m.Assets[i], m.Assets[j] = m.Assets[j], m.Assets[i] })
		if got := Overview(m); !bytes.Equal(got, want) {
			t.Fatal("overview changed with the order of the model's slices")
		}
		if got, _ := ZoneDetail(m, "z-ctl", 0); !bytes.Equal(got, wantZone) {
			t.Fatal("zone detail changed with the order of the model's slices")
		}
	}
}

func TestOverviewContent(t *testing.T) {
	m := plant(t)
	dot := string(Overview(m))
	for _, want := range []string{
		`id="zone-z-sued"`, "Zone Ü – Süd",
		`R&amp;D &lt;Lab&gt; &quot;Pilot&quot;`, // user text escaped for HTML labels
		`external -> z`,                         // the conduit without To goes to the External node
		`id="conduit-c-usb"`, `style=dashed`,    // temporary
		"REMOTE ACCESS", "FINDINGS",
		"SL-T 2 (2,2,2,1,2,2,2)", "SL-T -",
		"1 asset is not assigned to a zone.",
	} {
		if !strings.Contains(dot, want) {
			t.Errorf("overview DOT lacks %q", want)
		}
	}
	// Outside quoted tooltips (plain strings, escaped by Graphviz's SVG
	// writer) user markup must arrive as entities, and backslashes doubled.
	lab, _ := ZoneDetail(m, "z-lab", 0)
	rest := tooltipRE.ReplaceAllString(string(lab), "")
	if strings.Contains(rest, "<b>markup") || !strings.Contains(rest, "&lt;b&gt;markup") {
		t.Error("user markup reached an HTML label unescaped")
	}
	if !strings.Contains(string(lab), `tooltip="R&D <Lab> \"Pilot\": Pilot line with a back\\slash`) {
		t.Error("tooltip not quoted for DOT")
	}
	// Bands from enterprise down: L4 before L3.5 before L3 … before L0/L1.
	order := []string{"L4  BUSINESS", "L3.5  INDUSTRIAL DMZ", "L3  SITE OPERATIONS", "L2  SUPERVISORY CONTROL", "L1  BASIC CONTROL"}
	last := -1
	for _, band := range order {
		i := strings.Index(dot, band)
		if i < 0 || i < last {
			t.Fatalf("band %q missing or out of Purdue order", band)
		}
		last = i
	}
}

// Edges run from the higher Purdue level down; the arrow follows the
// conduit's permitted direction whichever way the edge runs.
func TestConduitDirection(t *testing.T) {
	m := plant(t)
	dot := string(Overview(m))
	edge := func(id string) string {
		for _, l := range strings.Split(dot, "\n") {
			if strings.Contains(l, `id="conduit-`+id+`"`) {
				return l
			}
		}
		t.Fatalf("no edge for conduit %s", id)
		return ""
	}
	// c-dmz-ops: From Site operations (L3) To DMZ (L3.5), a-to-b: drawn DMZ -> ops, arrow back to the DMZ.
	if l := edge("c-dmz-ops"); !strings.Contains(l, "dir=back") {
		t.Errorf("c-dmz-ops: want dir=back, got %s", l)
	}
	// c-ctl-sis: From control (L2) To SIS (L1), b-to-a: drawn ctl -> sis, arrow back to control.
	if l := edge("c-ctl-sis"); !strings.Contains(l, "dir=back") {
		t.Errorf("c-ctl-sis: want dir=back, got %s", l)
	}
	// c-it-lab: From lab (L2) To IT (L4), a-to-b: drawn IT -> lab, arrow back to IT.
	if l := edge("c-it-lab"); !strings.Contains(l, "dir=back") {
		t.Errorf("c-it-lab: want dir=back, got %s", l)
	}
	if l := edge("c-it-dmz"); !strings.Contains(l, "dir=both") {
		t.Errorf("c-it-dmz: want dir=both, got %s", l)
	}
	if l := edge("c-vendor"); !strings.Contains(l, "dir=none") {
		t.Errorf("c-vendor without direction: want dir=none, got %s", l)
	}
	for _, c := range []struct {
		d          assets.Direction
		fromIsTail bool
		want       string
	}{
		{assets.FromToTo, true, "forward"}, {assets.FromToTo, false, "back"},
		{assets.ToToFrom, true, "back"}, {assets.ToToFrom, false, "forward"},
		{assets.Bidirectional, true, "both"}, {"", true, "none"},
	} {
		if got := arrowDir(c.d, c.fromIsTail); got != c.want {
			t.Errorf("arrowDir(%q, %v) = %s, want %s", c.d, c.fromIsTail, got, c.want)
		}
	}
}

func TestZoneDetailErrorsAndLookup(t *testing.T) {
	m := plant(t)
	if _, err := ZoneDetail(m, "nope", 0); !errors.Is(err, ErrUnknownZone) {
		t.Fatalf("unknown zone: got %v, want ErrUnknownZone", err)
	}
	z, err := m.FindZone("zone ü – süd")
	if err != nil || z.ID != "z-sued" {
		t.Fatalf("FindZone by name: %v %v", z, err)
	}
	if z, err := m.FindZone("z-ctl"); err != nil || z.Name != "Filling line control" {
		t.Fatalf("FindZone by ID: %v %v", z, err)
	}
	m.Zones = append(m.Zones, assets.Zone{Meta: assets.Meta{ID: "z-dup"}, Name: "Safety System"})
	if _, err := m.FindZone("safety system"); !errors.Is(err, ErrAmbiguousZone) || !strings.Contains(err.Error(), "z-dup") {
		t.Fatalf("ambiguous name: got %v", err)
	}
	m.Zones[len(m.Zones)-1].Deleted = true
	if _, err := m.FindZone("safety system"); err != nil {
		t.Fatalf("a deleted zone must not make a name ambiguous: %v", err)
	}
}

func TestZoneDetailContent(t *testing.T) {
	m := plant(t)
	dot, err := ZoneDetail(m, "z-ctl", 0)
	if err != nil {
		t.Fatal(err)
	}
	s := string(dot)
	for _, want := range []string{
		`id="asset-a-plc1"`, "shape=box3d", "S7-1516", "FW 2.9.4", "END OF LIFE",
		`lhead=cluster_zone`, `ltail=cluster_zone`, // conduits end at the zone's border
		`id="zone-z-ops"`, `id="zone-z-sis"`, // neighbours
		"L2  SUPERVISORY CONTROL", "L1  BASIC CONTROL",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("zone detail lacks %q", want)
		}
	}
	if strings.Contains(s, `id="asset-a-erp"`) {
		t.Error("zone detail shows an asset of another zone")
	}
	// The DMZ's detail has the External neighbour (vendor remote access).
	dmz, _ := ZoneDetail(m, "z-dmz", 0)
	if !strings.Contains(string(dmz), `id="external"`) {
		t.Error("DMZ detail lacks the External node")
	}
}

func TestZoneDetailGroupsLargeZones(t *testing.T) {
	m := &Model{Title: "Big zone", Zones: []assets.Zone{{Meta: assets.Meta{ID: "z"}, Name: "Big", PurdueLevels: []assets.Purdue{assets.Purdue1, assets.Purdue2}}}}
	add := func(n int, typ assets.AssetType, level assets.Purdue, vendor, model string, eol bool) {
		for range n {
			id := fmt.Sprintf("a%03d", len(m.Assets))
			m.Assets = append(m.Assets, assets.Asset{Meta: assets.Meta{ID: id}, Tag: id, Type: typ, Purdue: level, Zone: "z",
				Vendor: vendor, Model: model, EndOfLife: eol})
		}
	}
	add(120, assets.TypePLC, assets.Purdue1, "Acme", "P-1", false)
	add(50, assets.TypePLC, assets.Purdue1, "Bolt", "B-7", true)
	add(20, assets.TypePLC, assets.Purdue1, "Cord", "C-2", false)
	add(3, assets.TypePLC, assets.Purdue1, "", "", false)
	add(7, assets.TypeHMI, assets.Purdue2, "Acme", "H-9", false)

	dot, err := ZoneDetail(m, "z", 0) // 200 assets: more than MaxDetailAssets
	if err != nil {
		t.Fatal(err)
	}
	s := string(dot)
	if n := strings.Count(s, `id="asset-`); n != 0 {
		t.Fatalf("drew %d single assets in a zone of 200", n)
	}
	if n := strings.Count(s, `id="group-`); n != 2 {
		t.Fatalf("drew %d groups, want 2 (PLCs at level 1, HMIs at level 2)", n)
	}
	for _, want := range []string{"193 × PLC", "Acme P-1 (120)", "Bolt B-7 (50)", "+ 2 other models", "50 END OF LIFE",
		"7 × HMI", "Acme H-9 (7)", "vendor and model not recorded: 3"} {
		if !strings.Contains(s, want) {
			t.Errorf("grouped zone detail lacks %q", want)
		}
	}
	// The same zone with a higher limit draws every asset.
	all, _ := ZoneDetail(m, "z", 500)
	if n := strings.Count(string(all), `id="asset-`); n != 200 {
		t.Fatalf("with room for 500, drew %d of 200 assets", n)
	}
}

func TestMissingZoneReference(t *testing.T) {
	m := plant(t)
	m.Conduits = append(m.Conduits, assets.Conduit{Meta: assets.Meta{ID: "c-ghost"}, Name: "Ghost", From: "z-ctl", To: "z-gone"})
	dot := string(Overview(m))
	if !strings.Contains(dot, "Missing zone") || !strings.Contains(dot, "z-gone") || !strings.Contains(dot, `id="conduit-c-ghost"`) {
		t.Fatal("a conduit to a zone not in the model must still be drawn, to a placeholder")
	}
}

func TestTextHelpers(t *testing.T) {
	if got := clean("  a\tb\n\x00c  ", 0); got != "a b c" {
		t.Errorf("clean collapses space and drops controls: %q", got)
	}
	if got := clean("abcdefghij", 5); got != "abcd…" {
		t.Errorf("clean truncates: %q", got)
	}
	if got := clean("ok\xffbad", 0); got != "ok\uFFFDbad" {
		t.Errorf("clean repairs UTF-8: %q", got)
	}
	if got := html(`<a href="x">&'`); got != "&lt;a href=&quot;x&quot;&gt;&amp;&#39;" {
		t.Errorf("html: %q", got)
	}
	if got := quote("a\"b\\c\nd"); got != `"a\"b\\c\nd"` {
		t.Errorf("quote: %s", got)
	}
	if got := pack([]string{"OPC UA 4840", "Modbus/TCP 502", "SMB 445"}, 32, 3); len(got) != 2 || got[1] != "SMB 445" {
		t.Errorf("pack keeps flows whole: %q", got)
	}
	if got := wrap("one two three four", 9, 2); len(got) != 2 || !strings.HasSuffix(got[1], "…") {
		t.Errorf("wrap limits lines: %q", got)
	}
}
