package app_test

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/zonewalk/zonewalk/app"
	"github.com/zonewalk/zonewalk/assets"
	"github.com/zonewalk/zonewalk/store"
)

// TestDraftsSurviveReopenAndStayLocal: drafts are kept across a reopen,
// cleared one by one, encrypted on disk and never among the records a
// bundle export reads.
func TestDraftsSurviveReopenAndStayLocal(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ws")
	pass := []byte("correct horse battery staple")
	w, err := app.Create(ctx, dir, app.Options{Passphrase: pass, Author: "tester"}, assets.Audit{Title: "Drafts"})
	if err != nil {
		t.Fatal(err)
	}
	const secret = "Pumpe Süd firmware V4.4 — draft-marker-8c1f"
	if err := w.SaveDraft("asset:A1", map[string]string{"firmware": secret}); err != nil {
		t.Fatal(err)
	}
	if err := w.SaveDraft("capture", map[string]string{"tag": "PLC-9"}); err != nil {
		t.Fatal(err)
	}
	if err := w.SaveDraft("asset:A1", map[string]string{"firmware": secret, "name": "Pump"}); err != nil {
		t.Fatal(err)
	}
	err = w.Store().ScanAll(func(kind store.Kind, raw []byte, _ bool) error {
		if bytes.Contains(raw, []byte("draft-marker")) {
			t.Errorf("a %s record (which bundles carry) holds the draft", kind)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if b, _ := os.ReadFile(p); bytes.Contains(b, []byte("draft-marker")) {
				t.Errorf("%s holds the draft in plain text", p)
			}
		}
		return nil
	})

	w, err = app.Open(ctx, dir, app.Options{Passphrase: pass})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	ds, err := w.Drafts()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]app.Draft{}
	for _, d := range ds {
		got[d.Key] = d
	}
	if len(ds) != 2 || got["asset:A1"].Fields["firmware"] != secret || got["asset:A1"].Fields["name"] != "Pump" ||
		got["capture"].Fields["tag"] != "PLC-9" || got["capture"].Saved.IsZero() {
		t.Fatalf("drafts after reopen: %+v", ds)
	}
	if err := w.ClearDraft("asset:A1"); err != nil {
		t.Fatal(err)
	}
	if err := w.ClearDraft("never-saved"); err != nil {
		t.Fatal(err)
	}
	if err := w.SaveDraft("capture", nil); err != nil { // empty clears too
		t.Fatal(err)
	}
	if ds, _ := w.Drafts(); len(ds) != 0 {
		t.Errorf("cleared drafts still listed: %+v", ds)
	}
}
