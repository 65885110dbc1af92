package app_test

import (
	"encoding/json"
	"errors"
	"path/filepath"
	"testing"

	"github.com/zonewalk/zonewalk/app"
	"github.com/zonewalk/zonewalk/assets"
	"github.com/zonewalk/zonewalk/store"
)

// An asset written by a newer Zonewalk keeps the fields this version does
// not know through an edit in the app.
func TestSaveAssetKeepsUnknownFields(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ws")
	w, err := app.Create(ctx, dir, app.Options{Unencrypted: true, Author: "tester"}, assets.Audit{Title: "Fwd"})
	if err != nil {
		t.Fatal(err)
	}
	const id = "00112233445566778899aabbccddeeff"
	raw := `{"id":"` + id + `","version":{"wall":7,"device":"feedfacefeedface"},"tag":"RTU-9","type":"rtu",
		"future_field":{"k":"v"},"location":{"room":"R1","future_shelf":3}}`
	if err := w.Store().Update(ctx, func(tx *store.Tx) error { return tx.PutRaw(store.KindAsset, []byte(raw)) }); err != nil {
		t.Fatal(err)
	}
	w.Close()
	w, err = app.Open(ctx, dir, app.Options{Author: "tester"})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	a, ok := w.Asset(id)
	if !ok {
		t.Fatal("asset not loaded")
	}
	a.Vendor = "ABB"
	if _, err := w.SaveAsset(a); err != nil {
		t.Fatal(err)
	}
	got, _, err := w.Store().GetRaw(store.KindAsset, id)
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		Future   json.RawMessage            `json:"future_field"`
		Vendor   string                     `json:"vendor"`
		Location map[string]json.RawMessage `json:"location"`
	}
	json.Unmarshal(got, &f)
	if string(f.Future) != `{"k":"v"}` || string(f.Location["future_shelf"]) != "3" || f.Vendor != "ABB" {
		t.Errorf("after SaveAsset: %s", got)
	}
}

func TestCreateRefusesShortPassphrase(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ws")
	if _, err := app.Create(ctx, dir, app.Options{Passphrase: []byte("s3cret")}, assets.Audit{Title: "Enc"}); !errors.Is(err, store.ErrPassphraseTooShort) {
		t.Fatalf("6-character passphrase: %v", err)
	}
	w, err := app.Create(ctx, dir, app.Options{Passphrase: []byte("correct horse")}, assets.Audit{Title: "Enc"})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if !w.Encrypted() {
		t.Error("Encrypted() is false for an encrypted workspace")
	}
	p, _ := newWorkspace(t)
	if p.Encrypted() {
		t.Error("Encrypted() is true for an unencrypted workspace")
	}
}

// A read-only open (what read-only commands use, so they work on a full
// disk) reads everything and refuses changes with store.ErrReadOnly.
func TestOpenReadOnly(t *testing.T) {
	w, dir := newWorkspace(t)
	if _, err := w.SaveZone(assets.Zone{Name: "Control", SLT: assets.UniformSL(2)}); err != nil {
		t.Fatal(err)
	}
	w.Close()
	r, err := app.Open(ctx, dir, app.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if _, ok := r.ZoneByName("control"); !ok || r.Audit().Title != "Test audit" {
		t.Fatal("read-only open does not read the workspace")
	}
	if _, err := r.SaveZone(assets.Zone{Name: "DMZ"}); !errors.Is(err, store.ErrReadOnly) {
		t.Fatalf("change through a read-only open: %v", err)
	}
	if _, ok := r.ZoneByName("DMZ"); ok {
		t.Fatal("a refused change shows in the inventory")
	}
}
