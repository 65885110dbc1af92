package bundle

import (
	"testing"

	"github.com/zonewalk/zonewalk/app"
	"github.com/zonewalk/zonewalk/assets"
	"github.com/zonewalk/zonewalk/checklist"
	"github.com/zonewalk/zonewalk/store"
)

// creation is the creation entry of record id written by device, with
// the values History recovered (nil Fields when it could not).
func creation(t *testing.T, w *app.Workspace, id, device string) store.Change {
	t.Helper()
	h, err := w.Store().History(id)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range h {
		if c.Device == device && c.Created != "" {
			return c
		}
	}
	t.Fatalf("no creation of %s by %s in %+v", id, device, h)
	return store.Change{}
}

// A creation entry names its content by hash only; the laptop that
// receives it by bundle verifies the chain and recovers the values from
// the record and the later entries, as the laptop that wrote it does. An
// answer given on both laptops before they exchange (its ID is derived
// from template, item and zone) has two creations: the one whose version
// both keep is recovered on both.
func TestCreationsRecoveredOnTheOtherLaptop(t *testing.T) {
	dir, tm, a, b := pair(t)
	zone := a.Zones()[0]
	x, err := a.SaveAsset(assets.Asset{Tag: "NEW-1", Type: assets.TypeRTU, Zone: zone.ID, Firmware: "V1"})
	if err != nil {
		t.Fatal(err)
	}
	x.Firmware = "V2"
	if _, err := a.SaveAsset(x); err != nil {
		t.Fatal(err)
	}
	in := app.AnswerInput{Template: "iec62443-3-3-2013", Item: "SR 5.2", Zone: zone.ID, Status: checklist.StatusMet}
	if _, err := a.AnswerItem(in); err != nil {
		t.Fatal(err)
	}
	in.Status = checklist.StatusPartial
	ans, err := b.AnswerItem(in)
	if err != nil {
		t.Fatal(err)
	}
	exchange(t, dir, tm, a, b)
	devA, devB := a.Store().Device(), b.Store().Device()
	for name, w := range map[string]*app.Workspace{"a": a, "b": b} {
		if _, _, err := VerifyLog(w); err != nil {
			t.Fatalf("log verify on %s: %v", name, err)
		}
		if c := creation(t, w, x.ID, devA); string(c.Fields["firmware"][1]) != `"V1"` || string(c.Fields["tag"][1]) != `"NEW-1"` {
			t.Errorf("on %s, the asset's creation: %v", name, c.Fields)
		}
		kept, err := w.Answers(in.Template)
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range kept {
			if k.ID == ans.ID && k.Status != checklist.StatusPartial {
				t.Fatalf("on %s the answer kept is %q; the test expects b's, the newer", name, k.Status)
			}
		}
		if c := creation(t, w, ans.ID, devB); string(c.Fields["status"][1]) != `"partial"` {
			t.Errorf("on %s, b's creation of the answer (the version kept): %v", name, c.Fields)
		}
		if c := creation(t, w, ans.ID, devA); c.Fields != nil {
			t.Errorf("on %s, a's creation of the answer shows %v: its version was not kept", name, c.Fields)
		}
	}
}
