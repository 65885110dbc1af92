package report

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/zonewalk/zonewalk/app"
	"github.com/zonewalk/zonewalk/app/demo"
	"github.com/zonewalk/zonewalk/assets"
	"github.com/zonewalk/zonewalk/store"
)

// TestDigestDefinition recomputes the digest of a one-record audit by the
// definition in the package documentation.
func TestDigestDefinition(t *testing.T) {
	ctx := context.Background()
	audit := assets.Audit{Meta: assets.Meta{ID: "a1"}, Title: "Digest test", Site: "Süd"}
	w, err := app.Create(ctx, filepath.Join(t.TempDir(), "ws"), app.Options{Unencrypted: true, Author: "t"}, audit)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	got, err := Digest(ctx, w)
	if err != nil {
		t.Fatal(err)
	}
	js, err := json.Marshal(audit)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte(fmt.Sprintf("zonewalk-data-digest-v1\naudit\ta1\t%d\n%s\n", len(js), js)))
	if want := hex.EncodeToString(sum[:]); got != want {
		t.Fatalf("digest %s, want %s by the documented definition", got, want)
	}
	// The same, written out: a change to how records encode (a renamed or
	// new non-empty field) changes every printed digest and must be seen.
	const literal = "0a189e5dd893e8965cbc098383712abbb1b0ae126ac2a3747d17d95a72774894"
	if got != literal {
		t.Fatalf("digest %s, want %s (from format version 1)", got, literal)
	}
}

// TestDigestFollowsContentNotVersions: rewriting records unchanged (new
// version stamps) keeps the digest; any change of content changes it, and
// going back restores it.
func TestDigestFollowsContentNotVersions(t *testing.T) {
	ctx := context.Background()
	w, err := demo.Create(ctx, filepath.Join(t.TempDir(), "ws"), "tester")
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	d0 := mustDigest(t, w)

	// The same content written again by someone else: same digest.
	w.Store().SetAuthor("someone else")
	for _, z := range w.Zones() {
		if _, err := w.SaveZone(z); err != nil {
			t.Fatal(err)
		}
	}
	if d := mustDigest(t, w); d != d0 {
		t.Fatalf("rewriting zones unchanged changed the digest: %s → %s", d0, d)
	}

	z, _ := w.Zone(demo.ZoneSIS)
	orig := z.Name
	z.Name = "Safety Instrumented System (SIL 2)"
	if _, err := w.SaveZone(z); err != nil {
		t.Fatal(err)
	}
	d1 := mustDigest(t, w)
	if d1 == d0 {
		t.Fatal("renaming a zone did not change the digest")
	}
	z.Name = orig
	if _, err := w.SaveZone(z); err != nil {
		t.Fatal(err)
	}
	if d := mustDigest(t, w); d != d0 {
		t.Fatal("restoring the zone name did not restore the digest")
	}

	// Evidence counts through its content hash; deleting a record counts.
	ev, err := w.AttachEvidence(assets.Ref{Kind: "zone", ID: demo.ZoneSIS}, "a.txt", []byte("one"), "")
	if err != nil {
		t.Fatal(err)
	}
	d2 := mustDigest(t, w)
	if d2 == d0 {
		t.Fatal("attaching evidence did not change the digest")
	}
	if err := w.DeleteEvidence(ev.ID); err != nil {
		t.Fatal(err)
	}
	if d := mustDigest(t, w); d != d0 {
		t.Fatal("detaching the evidence did not restore the digest")
	}
	if err := w.Store().Delete(store.KindAsset, "asset-plc104"); err != nil {
		t.Fatal(err)
	}
	if err := w.ReloadInventory(ctx); err != nil {
		t.Fatal(err)
	}
	if d := mustDigest(t, w); d == d0 {
		t.Fatal("deleting an asset did not change the digest")
	}
}

func mustDigest(t *testing.T, w *app.Workspace) string {
	t.Helper()
	d, err := Digest(context.Background(), w)
	if err != nil {
		t.Fatal(err)
	}
	return d
}
