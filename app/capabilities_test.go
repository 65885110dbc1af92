package app_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/zonewalk/zonewalk/app"
	"github.com/zonewalk/zonewalk/app/capability"
	"github.com/zonewalk/zonewalk/app/demo"
	"github.com/zonewalk/zonewalk/assets"
	"github.com/zonewalk/zonewalk/checklist"
	"github.com/zonewalk/zonewalk/store"
)

// capabilitySite is a control zone with two PLCs of one model, an HMI, a
// switch and an RTU, and an empty second zone.
func capabilitySite(t *testing.T, w *app.Workspace) (zone assets.Zone, ids map[string]string) {
	t.Helper()
	zone, err := w.SaveZone(assets.Zone{Name: "Control", SLT: assets.UniformSL(2)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.SaveZone(assets.Zone{Name: "Spare", SLT: assets.UniformSL(1)}); err != nil {
		t.Fatal(err)
	}
	ids = map[string]string{}
	for _, a := range []assets.Asset{
		{Tag: "PLC-101", Type: assets.TypePLC, Vendor: "Siemens", Model: "S7-1500"},
		{Tag: "PLC-102", Type: assets.TypePLC, Vendor: "siemens", Model: "S7-1500 "},
		{Tag: "HMI-1", Type: assets.TypeHMI, Vendor: "Siemens", Model: "TP1500"},
		{Tag: "SW-1", Type: assets.TypeNetwork, Vendor: "Hirschmann", Model: "RSP35"},
		{Tag: "RTU-1", Type: assets.TypeRTU, SLC: 1},
		{Tag: "PT-1", Type: assets.TypeSensor},
	} {
		a.Zone = zone.ID
		saved, err := w.SaveAsset(a)
		if err != nil {
			t.Fatal(err)
		}
		ids[a.Tag] = saved.ID
	}
	return zone, ids
}

func TestCapabilityRecords(t *testing.T) {
	w, dir := newWorkspace(t)
	zone, ids := capabilitySite(t, w)

	plc, err := w.SaveCapability(assets.Capability{Vendor: "Siemens", Model: "S7-1500", ComponentType: "edr",
		SLC: assets.SLVector{2, 2, 1, 2, 2, 2, 2}})
	if err != nil {
		t.Fatal(err)
	}
	hmi, err := w.SaveCapability(assets.Capability{Asset: ids["HMI-1"], ComponentType: "hdr", SLC: assets.UniformSL(3)})
	if err != nil {
		t.Fatal(err)
	}
	sw, err := w.SaveCapability(assets.Capability{Asset: ids["SW-1"], ComponentType: "ndr",
		Certificate: &assets.Certificate{Scheme: "ISASecure CSA", Issuer: "exida", Number: "HIR-2", Level: 2, Date: "2024-03-01"}})
	if err != nil {
		t.Fatal(err)
	}

	// Bad input: clear errors, nothing stored.
	bad := []struct {
		name string
		cp   assets.Capability
		is   error
		says string
	}{
		{"SL-C 5", assets.Capability{Asset: ids["RTU-1"], ComponentType: "edr", SLC: assets.SLVector{2, 2, 5, 2, 2, 2, 2}},
			assets.ErrInvalid, "sl_c.SI \"5\": capability level in FR 3 must be 0–4"},
		{"unknown asset", assets.Capability{Asset: "nope", ComponentType: "edr"}, assets.ErrInvalid, `asset "nope": is not an asset of this audit`},
		{"second record for the HMI", assets.Capability{Asset: ids["HMI-1"], ComponentType: "hdr", SLC: assets.UniformSL(1)},
			app.ErrCapabilityExists, `capability for asset "HMI-1": capability already recorded as ` + hmi.ID},
		{"same model spelled differently", assets.Capability{Vendor: " SIEMENS", Model: "s7 -1500", ComponentType: "edr"},
			app.ErrCapabilityExists, `as ` + plc.ID + ` for model "Siemens S7-1500"`},
		{"no component type", assets.Capability{Asset: ids["RTU-1"]}, assets.ErrInvalid, "component_type"},
	}
	for _, b := range bad {
		_, err := w.SaveCapability(b.cp)
		if !errors.Is(err, b.is) || !strings.Contains(err.Error(), b.says) {
			t.Errorf("%s: %v, want %v saying %q", b.name, err, b.is, b.says)
		}
	}
	if all, err := w.Capabilities(); err != nil || len(all) != 3 {
		t.Fatalf("after refused saves: %d records, %v", len(all), err)
	}

	// Editing a record keeps it (no duplicate with itself).
	hmi.SLC = assets.SLVector{3, 3, 3, 3, 3, 3, 2}
	if hmi, err = w.SaveCapability(hmi); err != nil {
		t.Fatal(err)
	}

	// Asset records by tag, then model records.
	all, err := w.Capabilities()
	if err != nil {
		t.Fatal(err)
	}
	var order []string
	for i := range all {
		order = append(order, w.CapabilitySubject(&all[i]))
	}
	if got := strings.Join(order, "; "); got != `asset "HMI-1"; asset "SW-1"; model "Siemens S7-1500"` {
		t.Errorf("order: %s", got)
	}

	// Per asset, with the source.
	for _, c := range []struct {
		tag    string
		known  bool
		slc    assets.SLVector
		source assets.SLCSource
	}{
		{"PLC-102", true, assets.SLVector{2, 2, 1, 2, 2, 2, 2}, assets.SLCRecorded},
		{"HMI-1", true, assets.SLVector{3, 3, 3, 3, 3, 3, 2}, assets.SLCRecorded},
		{"SW-1", true, assets.UniformSL(2), assets.SLCCertificate},
		{"RTU-1", true, assets.UniformSL(1), assets.SLCAssetLevel},
		{"PT-1", false, assets.SLVector{}, assets.SLCNone},
	} {
		e, known, err := w.CapabilityOf(ids[c.tag])
		if err != nil || known != c.known || e.SLC != c.slc || e.Source != c.source {
			t.Errorf("%s: %+v %v %v", c.tag, e, known, err)
		}
	}
	if _, _, err := w.CapabilityOf("nope"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("unknown asset: %v", err)
	}

	// The zone by hand: the RTU's single SL-C 1 holds every FR at 1; in
	// FR 3 the PLCs (1) share the cap, in FR 7 the RTU holds it alone
	// (PLCs, HMI and switch at 2). The field device has no information.
	zc, err := w.ZoneCapabilities()
	if err != nil {
		t.Fatal(err)
	}
	if len(zc) != 2 {
		t.Fatalf("%d zones", len(zc))
	}
	z := zc[zone.ID]
	if z.SLC != assets.UniformSL(1) || z.Members != 6 || z.Known != 5 {
		t.Errorf("zone: %+v", z)
	}
	if got := tagsOf(z.FRs[2].Capping); got != "PLC-101 PLC-102 RTU-1" {
		t.Errorf("FR 3 capped by %s", got)
	}
	if got := tagsOf(z.FRs[6].Capping); got != "RTU-1" {
		t.Errorf("FR 7 capped by %s", got)
	}
	if len(z.Unknown) != 1 || z.Unknown[0].Type != assets.TypeSensor || tagsOf(z.Unknown[0].Members) != "PT-1" {
		t.Errorf("unknown: %+v", z.Unknown)
	}

	// Without the RTU's single level: FR 3 is the PLCs' 1; FR 7 is 2, held
	// by the PLCs, the HMI (edited to 2) and the switch; the rest are 2,
	// held by the PLCs and the switch.
	rtu, _ := w.Asset(ids["RTU-1"])
	rtu.SLC = 0
	if _, err := w.SaveAsset(rtu); err != nil {
		t.Fatal(err)
	}
	zc, _ = w.ZoneCapabilities()
	z = zc[zone.ID]
	if want := (assets.SLVector{2, 2, 1, 2, 2, 2, 2}); z.SLC != want || z.Known != 4 {
		t.Errorf("zone without RTU level: %v known %d", z.SLC, z.Known)
	}
	for i, want := range []string{"PLC-101 PLC-102 SW-1", "PLC-101 PLC-102 SW-1", "PLC-101 PLC-102",
		"PLC-101 PLC-102 SW-1", "PLC-101 PLC-102 SW-1", "PLC-101 PLC-102 SW-1", "HMI-1 PLC-101 PLC-102 SW-1"} {
		if got := tagsOf(z.FRs[i].Capping); got != want {
			t.Errorf("FR %d capped by %s, want %s", i+1, got, want)
		}
	}

	// Delete: the switch has no information left; the other records and
	// the edit survive a reopen.
	if err := w.DeleteCapability(sw.ID); err != nil {
		t.Fatal(err)
	}
	if err := w.DeleteCapability(sw.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("second delete: %v", err)
	}
	if _, known, _ := w.CapabilityOf(ids["SW-1"]); known {
		t.Error("switch still known after its record was deleted")
	}
	w.Close()
	w2, err := app.Open(ctx, dir, app.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer w2.Close()
	all, _ = w2.Capabilities()
	if len(all) != 2 || all[0].ID != hmi.ID || all[0].SLC != hmi.SLC || all[1].ID != plc.ID {
		t.Errorf("after reopen: %+v", all)
	}
}

func tagsOf(ms []capability.Member) string {
	var out []string
	for _, m := range ms {
		out = append(out, m.Tag)
	}
	return strings.Join(out, " ")
}

// The 4-2 checklist's verdict on a record outranks its recorded vector. By
// hand: every item that applies to an embedded device Met gives 4 in every
// FR; CR 3.5 (input validation, required from SL 1, FR 3) Not met drops
// FR 3 to 0.
func TestCapabilityAssessedByChecklist(t *testing.T) {
	w, _ := newWorkspace(t)
	zone, ids := capabilitySite(t, w)
	plc, err := w.SaveCapability(assets.Capability{Vendor: "Siemens", Model: "S7-1500", ComponentType: "edr",
		SLC: assets.SLVector{2, 2, 1, 2, 2, 2, 2}})
	if err != nil {
		t.Fatal(err)
	}
	sw, err := w.SaveCapability(assets.Capability{Asset: ids["SW-1"], ComponentType: "ndr", SLC: assets.UniformSL(3)})
	if err != nil {
		t.Fatal(err)
	}
	if got, err := w.ComponentSLC(); err != nil || len(got) != 0 {
		t.Fatalf("nothing answered: %v %v", got, err)
	}
	tpl, err := w.Template(checklist.IEC62443_4_2_2019)
	if err != nil {
		t.Fatal(err)
	}
	answer := func(tx *store.Tx, capID, item string, st checklist.Status, carried bool) error {
		a := checklist.Answer{Meta: assets.Meta{ID: checklist.AnswerID(tpl.ID, item, checklist.ComponentScope(capID))},
			Template: tpl.ID, Item: item, Component: capID, Status: st, Carried: carried}
		if err := a.Validate(tpl, nil); err != nil {
			return err
		}
		return tx.Put(app.KindAnswer, &a)
	}
	err = w.Store().Update(ctx, func(tx *store.Tx) error {
		for _, it := range tpl.ItemsFor("edr") {
			st := checklist.StatusMet
			if it.ID == "CR 3.5" {
				st = checklist.StatusNotMet
			}
			if err := answer(tx, plc.ID, it.ID, st, false); err != nil {
				return err
			}
		}
		// The switch: one item not assessed and one carried over from the
		// previous audit, neither a verdict of this audit.
		if err := answer(tx, sw.ID, "CR 1.1", checklist.StatusNotAssessed, false); err != nil {
			return err
		}
		return answer(tx, sw.ID, "CR 1.2", checklist.StatusMet, true)
	})
	if err != nil {
		t.Fatal(err)
	}
	scores, err := w.ComponentSLC()
	if err != nil {
		t.Fatal(err)
	}
	want := assets.SLVector{4, 4, 0, 4, 4, 4, 4}
	if len(scores) != 1 || scores[plc.ID] != want {
		t.Fatalf("scores %v, want only %s: %v", scores, plc.ID, want)
	}
	e, known, err := w.CapabilityOf(ids["PLC-102"])
	if err != nil || !known || e.Source != assets.SLCAssessed || e.SLC != want || !e.ByModel {
		t.Errorf("PLC-102: %+v %v %v", e, known, err)
	}
	if e, _, _ := w.CapabilityOf(ids["SW-1"]); e.Source != assets.SLCRecorded {
		t.Errorf("switch: %+v", e)
	}
	zc, err := w.ZoneCapabilities()
	if err != nil {
		t.Fatal(err)
	}
	z := zc[zone.ID]
	// FR 3: PLCs 0, switch 3, RTU 1 → 0 (PLCs); FR 1: PLCs 4, switch 3,
	// RTU 1 → 1 (RTU).
	if z.SLC != (assets.SLVector{1, 1, 0, 1, 1, 1, 1}) || tagsOf(z.FRs[2].Capping) != "PLC-101 PLC-102" ||
		z.FRs[2].Capping[0].Source != assets.SLCAssessed || tagsOf(z.FRs[0].Capping) != "RTU-1" {
		t.Errorf("zone: %v, FR 3 %+v, FR 1 %+v", z.SLC, z.FRs[2].Capping, z.FRs[0].Capping)
	}
}

// BenchmarkZoneCapabilities100k measures every zone's SL-C on a
// 100,000-asset audit in 50 zones, with a record for every other vendor
// and model of its assets (200), one asset in a thousand recorded on its
// own, and one model record assessed with the 4-2 checklist (every item
// for an embedded device answered): reading the records and answers,
// scoring the assessment, one pass over the inventory.
func BenchmarkZoneCapabilities100k(b *testing.B) {
	w, err := demo.Synthetic(ctx, b.TempDir(), 50, 100_000)
	if err != nil {
		b.Fatal(err)
	}
	defer w.Close()
	seen := map[string]bool{}
	var caps []assets.Capability
	for i, a := range w.Assets() {
		if k := assets.ModelKey(a.Vendor, a.Model); !seen[k] {
			seen[k] = true
			if len(seen)%2 == 1 {
				caps = append(caps, assets.Capability{Vendor: a.Vendor, Model: a.Model, ComponentType: "edr",
					SLC: assets.SLVector{2, 2, 1, 2, 2, 2, 2}})
			}
		}
		if i%1000 == 0 {
			caps = append(caps, assets.Capability{Asset: a.ID, ComponentType: "hdr", Certificate: &assets.Certificate{Level: 3}})
		}
	}
	var assessed string
	err = w.Store().Update(ctx, func(tx *store.Tx) error {
		for i := range caps {
			if err := tx.Put(app.KindCapability, &caps[i]); err != nil {
				return err
			}
		}
		assessed = caps[0].ID
		tpl := checklist.BuiltinByID(checklist.IEC62443_4_2_2019)
		for _, it := range tpl.ItemsFor("edr") {
			a := checklist.Answer{Meta: assets.Meta{ID: checklist.AnswerID(tpl.ID, it.ID, checklist.ComponentScope(assessed))},
				Template: tpl.ID, Item: it.ID, Component: assessed, Status: checklist.StatusMet}
			if err := tx.Put(app.KindAnswer, &a); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	known := 0
	for b.Loop() {
		zc, err := w.ZoneCapabilities()
		if err != nil || len(zc) != 50 {
			b.Fatalf("%d zones, %v", len(zc), err)
		}
		known = 0
		for _, z := range zc {
			known += z.Known
		}
	}
	if scores, _ := w.ComponentSLC(); scores[assessed] != assets.UniformSL(4) {
		b.Fatalf("assessed record scored %v", scores[assessed])
	}
	b.ReportMetric(float64(len(caps)), "records")
	b.ReportMetric(float64(known), "assets-known")
}
