package report

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zonewalk/zonewalk/app/demo"
	"github.com/zonewalk/zonewalk/store"
)

// "About this report" prints the change-log heads and a signature over this
// laptop's head that verifies with its key; a tampered log is said to be so.
func TestReportPrintsChangeLog(t *testing.T) {
	ctx := context.Background()
	w, err := demo.Create(ctx, filepath.Join(t.TempDir(), "ws"), "tester")
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	head := w.Store().ChangeHead()
	if head.Seq == 0 {
		t.Fatal("making the demo logged nothing")
	}
	cl := readChangeLog(ctx, w)
	if cl.verifyErr != nil || cl.checkpoint == nil || cl.checkpoint.Head != head.Hash || cl.checkpoint.Check() != nil {
		t.Fatalf("change log for the report: %+v", cl)
	}
	path := filepath.Join(t.TempDir(), "r.pdf")
	if _, err := WriteFile(ctx, w, path, Options{Date: fixedDate, NoZoneDiagrams: true}, nil); err != nil {
		t.Fatal(err)
	}
	keep(t, path, "changelog.pdf")
	// The report brought the findings up to date first: the head it prints
	// is the one after that.
	head = w.Store().ChangeHead()
	flat := strings.Join(strings.Fields(pdfToText(t, path)), " ")
	mustContain(t, flat, "Change log", head.Device, head.Hash, cl.checkpoint.PublicKey, "zonewalk-change-log-v1 "+head.Device)
	if strings.Contains(flat, "does not verify") {
		t.Error("an untouched log said not to verify")
	}

	raw, _, _ := w.Store().GetRaw(store.KindChange, store.ChangeID(head.Device, 3))
	forged := strings.Replace(string(raw), `"put"`, `"delete"`, 1)
	w.Store().Update(ctx, func(tx *store.Tx) error { return tx.PutRaw(store.KindChange, []byte(forged)) })
	if _, err := WriteFile(ctx, w, path, Options{Date: fixedDate, NoZoneDiagrams: true}, nil); err != nil {
		t.Fatal(err)
	}
	flat = strings.Join(strings.Fields(pdfToText(t, path)), " ")
	mustContain(t, flat, "The change log does not verify", "entry 4: prev_hash does not match entry 3")
}
