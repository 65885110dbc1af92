package diff

import (
	"reflect"
	"strings"
	"testing"

	"github.com/zonewalk/zonewalk/app"
	"github.com/zonewalk/zonewalk/assets"
)

// jsonFields lists the JSON names of a record type's fields, Meta left
// out and the fields of nested structs as "outer.inner": what the diff
// has to cover. A field added to the record later fails the tests below
// until the diff compares it (or the test says why not).
func jsonFields(t reflect.Type, prefix string) []string {
	var out []string
	for f := range t.Fields() {
		if f.Anonymous {
			continue // assets.Meta: bookkeeping, not content
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if f.Type.Kind() == reflect.Struct && f.Type != reflect.TypeFor[assets.SLVector]() {
			out = append(out, jsonFields(f.Type, prefix+name+".")...)
			continue
		}
		out = append(out, prefix+name)
	}
	return out
}

// TestEveryAssetField changes one field per asset and expects exactly that
// field, under its JSON name, in the asset's changes.
func TestEveryAssetField(t *testing.T) {
	edits := map[string]func(a *assets.Asset){
		"tag":               func(a *assets.Asset) { a.Tag += "X" },
		"name":              func(a *assets.Asset) { a.Name = "renamed" },
		"type":              func(a *assets.Asset) { a.Type = assets.TypeRTU },
		"vendor":            func(a *assets.Asset) { a.Vendor = "ACME" },
		"model":             func(a *assets.Asset) { a.Model = "M1" },
		"firmware":          func(a *assets.Asset) { a.Firmware = "9.9" },
		"serial":            func(a *assets.Asset) { a.Serial = "SN1" },
		"ips":               func(a *assets.Asset) { a.IPs = append(a.IPs, "10.0.1.99") },
		"macs":              func(a *assets.Asset) { a.MACs = []string{"00:1b:1b:00:00:09"} },
		"purdue":            func(a *assets.Asset) { a.Purdue = assets.Purdue2 },
		"zone":              func(a *assets.Asset) { a.Zone = "z-sup" },
		"criticality":       func(a *assets.Asset) { a.Criticality = assets.CriticalityLow },
		"location.building": func(a *assets.Asset) { a.Location.Building = "B" },
		"location.room":     func(a *assets.Asset) { a.Location.Room = "R" },
		"location.cabinet":  func(a *assets.Asset) { a.Location.Cabinet = "C" },
		"owner":             func(a *assets.Asset) { a.Owner = "Maintenance" },
		"end_of_life":       func(a *assets.Asset) { a.EndOfLife = true },
		"wireless":          func(a *assets.Asset) { a.Wireless = true },
		"sl_c":              func(a *assets.Asset) { a.SLC = 3 },
		"certificate":       func(a *assets.Asset) { a.Certificate = "IECEE 4-2 123" },
		"notes":             func(a *assets.Asset) { a.Notes = "seen" },
	}
	fields := jsonFields(reflect.TypeFor[assets.Asset](), "")
	checkCovered(t, "asset", fields, assetFieldNames, len(edits))
	r := edited(t, func(before, after *app.Workspace) {
		for _, f := range fields {
			edit, ok := edits[f]
			if !ok {
				t.Fatalf("asset field %q has no edit in this test", f)
			}
			a := assets.Asset{Meta: assets.Meta{ID: "m-" + f}, Tag: "M-" + f, Type: assets.TypePLC, Zone: "z-ctl",
				Purdue: assets.Purdue1, IPs: []string{"10.0.1.50"}, Firmware: "1.0"}
			saved(t)(before.SaveAsset(a))
			edit(&a)
			saved(t)(after.SaveAsset(a))
		}
	})
	got := map[string][]string{}
	for _, c := range r.Assets.Changed {
		for _, ch := range c.Changes {
			got[c.ID] = append(got[c.ID], ch.Field)
		}
	}
	for _, f := range fields {
		if g := got["m-"+f]; len(g) != 1 || g[0] != f {
			t.Errorf("asset with %s changed: diff says %q", f, g)
		}
	}
	if len(r.Assets.Changed) != len(fields) {
		t.Errorf("%d assets changed, want %d", len(r.Assets.Changed), len(fields))
	}
}

// TestEveryZoneField does the same for zones (SL-A is tested apart).
func TestEveryZoneField(t *testing.T) {
	edits := map[string]func(z *assets.Zone){
		"name":                     func(z *assets.Zone) { z.Name += " renamed" },
		"description":              func(z *assets.Zone) { z.Description = "d" },
		"purdue_levels":            func(z *assets.Zone) { z.PurdueLevels = append(z.PurdueLevels, assets.Purdue2) },
		"sl_t":                     func(z *assets.Zone) { z.SLT[assets.TRE] = 1 },
		"rationale.safety":         func(z *assets.Zone) { z.Rationale.Safety = 4 },
		"rationale.environment":    func(z *assets.Zone) { z.Rationale.Environment = 4 },
		"rationale.operations":     func(z *assets.Zone) { z.Rationale.Operations = 4 },
		"rationale.finance":        func(z *assets.Zone) { z.Rationale.Finance = 4 },
		"rationale.reputation":     func(z *assets.Zone) { z.Rationale.Reputation = 4 },
		"rationale.likelihood":     func(z *assets.Zone) { z.Rationale.Likelihood = 4 },
		"rationale.tolerable_risk": func(z *assets.Zone) { z.Rationale.TolerableRisk = "low" },
		"rationale.text":           func(z *assets.Zone) { z.Rationale.Text = "new reasons" },
		"rationale.approved_by":    func(z *assets.Zone) { z.Rationale.ApprovedBy = "Director" },
		"rationale.approved_at":    func(z *assets.Zone) { z.Rationale.ApprovedAt = "2026-05-01" },
		"sl_t_basis.source":        func(z *assets.Zone) { z.SLTBasis.Source = assets.BasisRisk },
		"sl_t_basis.suggested":     func(z *assets.Zone) { z.SLTBasis.Suggested[assets.SI] = 3 },
		"sl_t_basis.reason":        func(z *assets.Zone) { z.SLTBasis.Reason = "the owner accepts more risk" },
	}
	fields := jsonFields(reflect.TypeFor[assets.Zone](), "")
	checkCovered(t, "zone", append(fields, "sl_a"), zoneFieldNames, len(edits))
	r := edited(t, func(before, after *app.Workspace) {
		for _, f := range fields {
			edit, ok := edits[f]
			if !ok {
				t.Fatalf("zone field %q has no edit in this test", f)
			}
			z := assets.Zone{Meta: assets.Meta{ID: "m-" + f}, Name: "M " + f, PurdueLevels: []assets.Purdue{assets.Purdue1},
				SLT: assets.UniformSL(2), Rationale: assets.Rationale{Text: "t", ApprovedBy: "A", ApprovedAt: "2026-01-10"}}
			saved(t)(before.SaveZone(z))
			edit(&z)
			saved(t)(after.SaveZone(z))
		}
	})
	got := map[string][]string{}
	for _, c := range r.Zones.Changed {
		for _, ch := range c.Changes {
			got[c.ID] = append(got[c.ID], ch.Field)
		}
	}
	for _, f := range fields {
		if g := got["m-"+f]; len(g) != 1 || g[0] != f {
			t.Errorf("zone with %s changed: diff says %q", f, g)
		}
	}
	if len(r.Zones.Changed) != len(fields) {
		t.Errorf("%d zones changed, want %d", len(r.Zones.Changed), len(fields))
	}
}

// TestEveryConduitField does the same for conduits.
func TestEveryConduitField(t *testing.T) {
	edits := map[string]func(c *assets.Conduit){
		"name":          func(c *assets.Conduit) { c.Name += " renamed" },
		"from":          func(c *assets.Conduit) { c.From = "z-ctl" },
		"to":            func(c *assets.Conduit) { c.To = "z-ctl" },
		"flows":         func(c *assets.Conduit) { c.Flows = []assets.Flow{{Protocol: "Modbus/TCP", Ports: "503"}} }, // a new slice: the saved one is shared with the cache
		"direction":     func(c *assets.Conduit) { c.Direction = assets.ToToFrom },
		"controls":      func(c *assets.Conduit) { c.Controls = []assets.Control{assets.ControlDataDiode} },
		"remote_access": func(c *assets.Conduit) { c.RemoteAccess = true },
		"temporary":     func(c *assets.Conduit) { c.Temporary = true },
		"sl_t":          func(c *assets.Conduit) { c.SLT[assets.UC] = 3 },
		"policy":        func(c *assets.Conduit) { c.Policy = "p2" },
	}
	fields := jsonFields(reflect.TypeFor[assets.Conduit](), "")
	checkCovered(t, "conduit", fields, conduitFieldNames, len(edits))
	r := edited(t, func(before, after *app.Workspace) {
		for _, f := range fields {
			edit, ok := edits[f]
			if !ok {
				t.Fatalf("conduit field %q has no edit in this test", f)
			}
			c := assets.Conduit{Meta: assets.Meta{ID: "m-" + f}, Name: "M " + f, From: "z-sup", To: "",
				Flows: []assets.Flow{{Protocol: "Modbus/TCP", Ports: "502"}}, Direction: assets.FromToTo,
				Controls: []assets.Control{assets.ControlFirewall}, SLT: assets.UniformSL(2), Policy: "p"}
			saved(t)(before.SaveConduit(c))
			edit(&c)
			saved(t)(after.SaveConduit(c))
		}
	})
	got := map[string][]string{}
	for _, c := range r.Conduits.Changed {
		for _, ch := range c.Changes {
			got[c.ID] = append(got[c.ID], ch.Field)
		}
	}
	for _, f := range fields {
		if g := got["m-"+f]; len(g) != 1 || g[0] != f {
			t.Errorf("conduit with %s changed: diff says %q", f, g)
		}
	}
}

// checkCovered: the diff compares exactly the record's fields, and the
// test has one edit per field.
func checkCovered(t *testing.T, kind string, fields, compared []string, edits int) {
	t.Helper()
	have := map[string]bool{}
	for _, f := range compared {
		have[f] = true
	}
	for _, f := range fields {
		if !have[f] {
			t.Errorf("%s field %q is not compared by the diff", kind, f)
		}
		delete(have, f)
	}
	for f := range have {
		t.Errorf("the diff compares %s field %q, which the record does not have", kind, f)
	}
	if n := len(fields); kind == "zone" && edits != n-1 || kind != "zone" && edits != n {
		t.Errorf("%d %s edits for %d fields", edits, kind, len(fields))
	}
}
