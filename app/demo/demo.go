// Package demo builds the audit that Zonewalk opens on first run: a water
// treatment works with enterprise, DMZ, SCADA, control, safety and remote
// zones, about sixty assets and nine conduits; and deterministic synthetic
// audits of any size for benchmarks.
package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/zonewalk/zonewalk/app"
	"github.com/zonewalk/zonewalk/assets"
	"github.com/zonewalk/zonewalk/store"
)

// Seeders add further demo content (checklist answers, findings) after
// the inventory is written. Packages append to it in init.
var Seeders []func(ctx context.Context, w *app.Workspace) error

// Audit is the demo's audit description.
var Audit = assets.Audit{
	Meta:      assets.Meta{ID: "audit-greywater"},
	Title:     "Greywater Valley Water Treatment Works — IEC 62443 site assessment",
	Site:      "Greywater Valley WTW",
	Owner:     "Greywater Valley Water Authority",
	Location:  "Riverside Road, Greywater Valley",
	StartDate: "2026-11-16",
	EndDate:   "2026-11-20",
	Auditors:  []string{"A. Morgan (lead)", "K. Osei"},
	Scope: "Treatment process control (filtration, chemical dosing), the safety instrumented system for chlorine, " +
		"SCADA and site operations, the industrial DMZ and its connections to the corporate network, " +
		"five remote pumping stations, vendor remote access and portable media.",
	Standards:      []string{"IEC 62443-2-1:2024", "IEC 62443-3-2:2020", "IEC 62443-3-3:2013"},
	Classification: assets.DefaultClassification,
	ReviewedAt:     "2026-11-20",
}

// Create makes an unencrypted workspace in dir holding the demo audit.
func Create(ctx context.Context, dir string, author string) (*app.Workspace, error) {
	w, err := app.Create(ctx, dir, app.Options{Unencrypted: true, Author: author}, Audit)
	if err != nil {
		return nil, err
	}
	if err := Populate(ctx, w); err != nil {
		w.Close()
		return nil, err
	}
	return w, nil
}

// Populate writes the demo zones, conduits and assets, then runs Seeders.
func Populate(ctx context.Context, w *app.Workspace) error {
	err := w.Store().Update(ctx, func(tx *store.Tx) error {
		for i := range zones {
			if err := tx.Put(store.KindZone, &zones[i]); err != nil {
				return err
			}
		}
		for i := range conduits {
			if err := tx.Put(store.KindConduit, &conduits[i]); err != nil {
				return err
			}
		}
		for _, a := range demoAssets() {
			if err := tx.Put(store.KindAsset, &a); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	if err := w.ReloadInventory(ctx); err != nil {
		return err
	}
	for _, seed := range Seeders {
		if err := seed(ctx, w); err != nil {
			return fmt.Errorf("demo: %w", err)
		}
	}
	return nil
}

// Synthetic makes a deterministic audit of nAssets assets spread over
// nZones zones with a conduit chain between neighbouring levels, for
// benchmarks. The same arguments give the same records (IDs included).
func Synthetic(ctx context.Context, dir string, nZones, nAssets int) (*app.Workspace, error) {
	audit := assets.Audit{Meta: assets.Meta{ID: "audit-synthetic"}, Title: fmt.Sprintf("Synthetic plant: %d zones, %d assets", nZones, nAssets), Site: "Synthetic"}
	w, err := app.Create(ctx, dir, app.Options{Unencrypted: true, Author: "generator"}, audit)
	if err != nil {
		return nil, err
	}
	zs, cs, as := SyntheticModel(nZones, nAssets)
	err = w.Store().Update(ctx, func(tx *store.Tx) error {
		for i := range zs {
			if err := tx.Put(store.KindZone, &zs[i]); err != nil {
				return err
			}
		}
		for i := range cs {
			if err := tx.Put(store.KindConduit, &cs[i]); err != nil {
				return err
			}
		}
		for i := range as {
			if err := tx.Put(store.KindAsset, &as[i]); err != nil {
				return err
			}
		}
		return nil
	})
	if err == nil {
		err = w.ReloadInventory(ctx)
	}
	if err != nil {
		w.Close()
		return nil, err
	}
	return w, nil
}

// SyntheticModel returns the records Synthetic writes, without a store.
func SyntheticModel(nZones, nAssets int) ([]assets.Zone, []assets.Conduit, []assets.Asset) {
	rng := rand.New(rand.NewPCG(62443, uint64(nAssets)))
	levels := []assets.Purdue{assets.Purdue5, assets.Purdue4, assets.Purdue35, assets.Purdue3, assets.Purdue2, assets.Purdue1, assets.Purdue0}
	types := []assets.AssetType{assets.TypePLC, assets.TypePLC, assets.TypeHMI, assets.TypeRTU, assets.TypeIED, assets.TypeNetwork, assets.TypeDrive, assets.TypeSensor, assets.TypeServer, assets.TypeEWS}
	vendors := []string{"Siemens", "Rockwell Automation", "Schneider Electric", "ABB", "Emerson", "Honeywell", "Yokogawa", "Moxa", "Hirschmann", "Phoenix Contact"}
	zs := make([]assets.Zone, nZones)
	for i := range zs {
		lvl := levels[min(i*len(levels)/max(nZones, 1), len(levels)-1)]
		zs[i] = assets.Zone{Meta: assets.Meta{ID: fmt.Sprintf("zone-%03d", i)}, Name: fmt.Sprintf("Zone %03d (%s)", i, lvl.Label()),
			PurdueLevels: []assets.Purdue{lvl}, SLT: assets.UniformSL(1 + rng.IntN(3)),
			Rationale: assets.Rationale{Safety: 1 + rng.IntN(5), Likelihood: 1 + rng.IntN(5), Text: "Generated", ApprovedBy: "Generator", ApprovedAt: "2026-01-15"}}
	}
	var cs []assets.Conduit
	for i := 1; i < nZones; i++ {
		cs = append(cs, assets.Conduit{Meta: assets.Meta{ID: fmt.Sprintf("conduit-%03d", i)}, Name: fmt.Sprintf("C%03d", i),
			From: zs[i-1].ID, To: zs[i].ID, Flows: []assets.Flow{{Protocol: "Modbus/TCP", Ports: "502"}},
			Controls: []assets.Control{assets.ControlFirewall}, SLT: assets.UniformSL(2), Policy: "Generated"})
	}
	as := make([]assets.Asset, nAssets)
	for i := range as {
		t := types[rng.IntN(len(types))]
		z := i % max(nZones, 1)
		as[i] = assets.Asset{Meta: assets.Meta{ID: fmt.Sprintf("asset-%07d", i)},
			Tag: fmt.Sprintf("%s-%06d", strings.ToUpper(string(t)), i), Type: t,
			Vendor: vendors[rng.IntN(len(vendors))], Model: fmt.Sprintf("Model %d", rng.IntN(40)),
			Firmware:    fmt.Sprintf("V%d.%d.%d", 1+rng.IntN(4), rng.IntN(10), rng.IntN(20)),
			Serial:      fmt.Sprintf("SN%09d", rng.IntN(1_000_000_000)),
			IPs:         []string{fmt.Sprintf("10.%d.%d.%d", z%250, (i/250)%250, 1+i%250)},
			Criticality: assets.Criticalities[rng.IntN(len(assets.Criticalities))],
			Location:    assets.Location{Building: fmt.Sprintf("B%d", 1+z%5), Cabinet: fmt.Sprintf("CP-%02d", rng.IntN(60))}}
		if nZones > 0 {
			as[i].Zone = zs[z].ID
			as[i].Purdue = zs[z].PurdueLevels[0]
		}
	}
	return zs, cs, as
}
