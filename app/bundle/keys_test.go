package bundle

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/zonewalk/zonewalk/app"
	"github.com/zonewalk/zonewalk/assets"
)

func TestKeysTrustAndTeam(t *testing.T) {
	dir := t.TempDir()
	wsDir := filepath.Join(dir, "a")
	w, err := app.Create(ctx, wsDir, app.Options{Passphrase: []byte("pw of 10+ chars"), Author: "alice"}, assets.Audit{Title: "Keys"})
	if err != nil {
		t.Fatal(err)
	}
	k1, err := DeviceKey(ctx, w)
	if err != nil {
		t.Fatal(err)
	}
	w.Close()
	w, err = app.Open(ctx, wsDir, app.Options{Passphrase: []byte("pw of 10+ chars")})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	k2, _ := DeviceKey(ctx, w)
	if k1 != k2 || len(k1.KeyID) != 16 || len(strings.Fields(k1.Fingerprint)) != 8 {
		t.Fatalf("device key changed on reopen or looks wrong: %+v %+v", k1, k2)
	}
	// The .pub text parses back to the same key, as text and as a file.
	pubFile := filepath.Join(dir, "a.pub")
	os.WriteFile(pubFile, []byte(k1.PubFile()), 0o644)
	for _, s := range []string{k1.PublicKey, k1.PubFile(), pubFile} {
		if got, err := ParsePublicKey(s); err != nil || got != k1 {
			t.Fatalf("ParsePublicKey(%q) = %+v, %v", s, got, err)
		}
	}
	if _, err := ParsePublicKey("RWQnotakey"); !errors.Is(err, ErrBadKey) {
		t.Fatalf("bad key: %v", err)
	}
	if ok, _ := IsTrusted(w, k1); !ok {
		t.Fatal("own key not trusted")
	}
	other, err := newSigningKey(make([]byte, 32))
	if err != nil {
		t.Fatal(err)
	}
	oi := other.pub.info()
	if ok, _ := IsTrusted(w, oi); ok {
		t.Fatal("stranger trusted")
	}
	if _, err := Trust(ctx, w, oi.PublicKey, "Kofi's laptop"); err != nil {
		t.Fatal(err)
	}
	Trust(ctx, w, oi.PublicKey, "again") // no duplicate
	list, _ := TrustedSigners(w)
	if len(list) != 1 || list[0].KeyInfo != oi || list[0].Note != "Kofi's laptop" {
		t.Fatalf("trusted signers %+v", list)
	}
	if ok, _ := IsTrusted(w, oi); !ok {
		t.Fatal("trusted key not trusted")
	}
	if err := Untrust(ctx, w, oi.PublicKey); err != nil {
		t.Fatal(err)
	}
	if ok, _ := IsTrusted(w, oi); ok {
		t.Fatal("untrusted key still trusted")
	}

	// Team recipient and encryption choices.
	out := filepath.Join(dir, "x.zwb")
	if _, err := Export(ctx, w, out, ExportOptions{}); !errors.Is(err, ErrNoRecipient) {
		t.Fatalf("export without recipient: %v", err)
	}
	if err := SetTeamRecipient(ctx, w, "age1nonsense"); !errors.Is(err, ErrBadKey) {
		t.Fatalf("bad team recipient: %v", err)
	}
	tm := newTeam(t)
	if _, err := Export(ctx, w, out, ExportOptions{Recipients: []string{tm.recipient}, Passphrase: []byte("pw")}); !errors.Is(err, ErrMixedEncryption) {
		t.Fatalf("mixed: %v", err)
	}
	key, _ := os.ReadFile(tm.keyFile)
	r, err := SetTeamIdentity(ctx, w, key)
	if err != nil || r != tm.recipient {
		t.Fatalf("team identity: %q %v", r, err)
	}
	if got, has, _ := Team(w); got != tm.recipient || !has {
		t.Fatalf("team %q %v", got, has)
	}
	res, err := Export(ctx, w, out, ExportOptions{})
	if err != nil || res.Recipients != 1 {
		t.Fatalf("export to the team: %+v %v", res, err)
	}
	// The kept team identity decrypts; nothing else is needed.
	if r, err := Import(ctx, w, out, ImportOptions{}); err != nil || r.Unchanged == 0 {
		t.Fatalf("own bundle back: %+v %v", r, err)
	}
	if _, err := os.Stat(out + ".part"); !os.IsNotExist(err) {
		t.Fatal("temporary file left behind")
	}
	if rep, err := Verify(ctx, out, VerifyOptions{Signer: oi.PublicKey}); !errors.Is(err, ErrSignature) || !strings.Contains(err.Error(), "not by the expected key") {
		t.Fatalf("verify with another signer: %+v %v", rep, err)
	}
}

// TestPassphraseEncryptedRoundTrip: encrypted workspaces, a passphrase
// bundle, progress reports in stage order.
func TestPassphraseEncryptedRoundTrip(t *testing.T) {
	dir := t.TempDir()
	wpass := app.Options{Passphrase: []byte("workspace pw"), Author: "alice"}
	a, err := app.Create(ctx, filepath.Join(dir, "a"), wpass, assets.Audit{Title: "Encrypted"})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	bigAudit(t, a, 200, 3, 100<<10, 3)
	var stages []Stage
	note := func(p Progress) {
		if len(stages) == 0 || stages[len(stages)-1] != p.Stage {
			stages = append(stages, p.Stage)
		}
		if p.Done < 0 || (p.Total > 0 && p.Stage != StageWrite && p.Done > p.Total) {
			t.Errorf("progress %+v", p)
		}
	}
	out := filepath.Join(dir, "p.zwb")
	pass := []byte("bundle pass")
	if _, err := Export(ctx, a, out, ExportOptions{Passphrase: pass, ScryptWorkFactor: 12, Progress: note}); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(stages, []Stage{StageScan, StageWrite}) {
		t.Errorf("export stages %v", stages)
	}
	info, _ := Inspect(ctx, out)
	stages = nil
	b, res, err := Clone(ctx, filepath.Join(dir, "b"), out, wpass, ImportOptions{Passphrase: pass, Trust: []string{info.PublicKey}, Progress: note})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if !slices.Equal(stages, []Stage{StageSignature, StageCheck, StageApply}) {
		t.Errorf("import stages %v", stages)
	}
	if res.Blobs != 3 || res.Added != 200+3+1 || state(t, a.Store()) != state(t, b.Store()) {
		t.Fatalf("clone: %+v", res)
	}
	rep, err := Verify(ctx, out, VerifyOptions{Signer: info.PublicKey, Passphrase: pass})
	if err != nil || !rep.Decrypted || !rep.SignerChecked || rep.Records["asset"] != 200 || rep.Blobs != 3 {
		t.Fatalf("verify: %+v %v", rep, err)
	}
}

// TestSinceLast: an incremental export holds what changed since the last
// export, including what an import brought in with older stamps.
func TestSinceLast(t *testing.T) {
	dir, tm, a, b := pair(t)
	count := func(file string) map[string]int {
		rep, err := Verify(ctx, file, VerifyOptions{IdentityFiles: []string{tm.keyFile}})
		if err != nil {
			t.Fatal(err)
		}
		return rep.Records
	}
	exportTo(t, a, dir, "a0.zwb", tm, false)
	if got := count(exportTo(t, a, dir, "a1.zwb", tm, true)); len(got) != 0 {
		t.Fatalf("nothing changed, yet %v", got)
	}
	// b edits, a imports; a's next incremental carries b's edit onward,
	// although its stamp may be older than a's last export.
	x := mustAsset(t, b, "PLC-1")
	x.Serial = "SN-1"
	b.SaveAsset(x)
	importInto(t, a, exportTo(t, b, dir, "b1.zwb", tm, true), tm)
	// b's change-log entry and checkpoint travel with the edit.
	got := count(exportTo(t, a, dir, "a2.zwb", tm, true))
	if got["asset"] != 1 || got["change"] != 1 || got["change-checkpoint"] != 1 || len(got) != 3 {
		t.Fatalf("incremental after import: %v", got)
	}
	e := mustAsset(t, a, "HMI-1")
	e.Notes = "n"
	a.SaveAsset(e)
	if got := count(exportTo(t, a, dir, "a3.zwb", tm, true)); got["asset"] != 1 || got["change"] != 1 || got["change-checkpoint"] != 1 || len(got) != 3 {
		t.Fatalf("incremental after an edit: %v", got)
	}
}
