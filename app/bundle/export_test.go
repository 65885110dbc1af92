package bundle

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zonewalk/zonewalk/assets"
	"github.com/zonewalk/zonewalk/store"
)

// TestExportStreamsManyMembers exports more photos than there are blob
// readers and more record chunks than wait in memory, and checks that the
// other side gets every one.
func TestExportStreamsManyMembers(t *testing.T) {
	defer func(old int) { chunkTarget = old }(chunkTarget)
	chunkTarget = 16 << 10 // 600 assets make about 20 chunks
	tm := newTeam(t)
	w := newAudit(t, filepath.Join(t.TempDir(), "src"))
	bigAudit(t, w, 600, 9, 300<<10, 7) // 300 kB photos live in Badger's value log
	res, err := Export(ctx, w, filepath.Join(t.TempDir(), "many.zwb"), ExportOptions{Recipients: []string{tm.recipient}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Blobs != 10 || res.Records["asset"] != 602 {
		t.Fatalf("exported %d blobs, %d assets; want 10, 602", res.Blobs, res.Records["asset"])
	}
	var chunks int
	for _, m := range members(t, plaintext(t, res.File, tm)) {
		if chunkRe.MatchString(m.name) {
			chunks++
		}
	}
	if chunks < 2*chunksAhead {
		t.Fatalf("%d record chunks; the test wants more than %d to fill the queue", chunks, 2*chunksAhead)
	}
	other := clone(t, res.File, filepath.Join(t.TempDir(), "dst"), tm)
	if got, want := state(t, other.Store()), state(t, w.Store()); got != want {
		t.Fatal("the clone's records differ from the source's")
	}
	evs, err := store.All[assets.Evidence](w.Store(), store.KindEvidence)
	if err != nil || len(evs) != 10 {
		t.Fatalf("%d evidence records, %v", len(evs), err)
	}
	for _, ev := range evs {
		a, errA := w.Store().Blob(ev.SHA256)
		b, errB := other.Store().Blob(ev.SHA256)
		if errA != nil || errB != nil || string(a) != string(b) {
			t.Fatalf("photo %s: source %v, clone %v, equal %v", ev.Name, errA, errB, string(a) == string(b))
		}
	}
}

// TestCancelledExportLeavesNothing cancels while the bundle is written: no
// bundle, signature or partial file stays, and the next --since-last
// export still includes everything.
func TestCancelledExportLeavesNothing(t *testing.T) {
	tm := newTeam(t)
	w := newAudit(t, filepath.Join(t.TempDir(), "src"))
	bigAudit(t, w, 200, 6, 1<<20, 3)
	dir := t.TempDir()
	out := filepath.Join(dir, "cancelled.zwb")
	c, cancel := context.WithCancel(ctx)
	defer cancel()
	_, err := Export(c, w, out, ExportOptions{Recipients: []string{tm.recipient}, SinceLast: true,
		Progress: func(p Progress) {
			if p.Stage == StageWrite { // the first report comes with the first bytes
				cancel()
			}
		}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("export after cancel: %v", err)
	}
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Fatalf("cancelled export left %v", left)
	}
	res, err := Export(ctx, w, out, ExportOptions{Recipients: []string{tm.recipient}, SinceLast: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.Since != nil || res.Blobs != 7 {
		t.Fatalf("export after a cancelled one: since %v, %d blobs; want everything", res.Since, res.Blobs)
	}
}

// TestExportOfMissingPhotoNamesIt stores an evidence record whose photo
// bytes are not in the workspace: the export fails naming the file, and
// writes nothing.
func TestExportOfMissingPhotoNamesIt(t *testing.T) {
	tm := newTeam(t)
	w := newAudit(t, filepath.Join(t.TempDir(), "src"))
	evs, err := store.All[assets.Evidence](w.Store(), store.KindEvidence)
	if err != nil {
		t.Fatal(err)
	}
	ev := evs[0]
	ev.ID, ev.SHA256, ev.Name = "ev-missing", strings.Repeat("ab", 32), "lost.jpg"
	if err := w.Store().Update(ctx, func(tx *store.Tx) error { return tx.Put(store.KindEvidence, &ev) }); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	_, err = Export(ctx, w, filepath.Join(dir, "b.zwb"), ExportOptions{Recipients: []string{tm.recipient}})
	if !errors.Is(err, store.ErrNotFound) || !strings.Contains(err.Error(), ev.SHA256) {
		t.Fatalf("export with a missing photo: %v", err)
	}
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Fatalf("failed export left %v", left)
	}
}

// TestSinkReportsWriteError: a failed file write is the export's error,
// not lost on the writer goroutine.
func TestSinkReportsWriteError(t *testing.T) {
	f, err := os.Open(os.DevNull) // read-only: every write fails
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	h := sha256.New()
	s := newSink(f, h)
	data := make([]byte, 3*sinkBlockSize+5)
	if _, err := s.Write(data); err != nil {
		t.Fatal(err) // writes are queued; the error comes at Close
	}
	if err := s.Close(); err == nil {
		t.Fatal("Close after failed writes returned nil")
	}
	if err := s.Close(); err == nil {
		t.Fatal("second Close forgot the error")
	}
	s.waitHash()
	if want := sha256.Sum256(data); !bytes.Equal(h.Sum(nil), want[:]) {
		t.Fatal("the hash did not see every byte")
	}
}
