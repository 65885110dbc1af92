package bundle

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/zonewalk/zonewalk/store"
)

// Two laptops edit and exchange bundles: each then holds both chains,
// whole and verified, with the other's signed checkpoint.
func TestChangeLogsMerge(t *testing.T) {
	dir, tm, a, b := pair(t)
	x := mustAsset(t, a, "PLC-1")
	x.Firmware = "V2"
	a.SaveAsset(x)
	y := mustAsset(t, b, "HMI-1")
	y.Notes = "checked"
	b.SaveAsset(y)
	exchange(t, dir, tm, a, b)
	ha, na, err := VerifyLog(a)
	if err != nil {
		t.Fatal(err)
	}
	hb, nb, err := VerifyLog(b)
	if err != nil {
		t.Fatal(err)
	}
	if len(ha) != 2 || len(hb) != 2 || ha[0] != hb[0] || ha[1] != hb[1] {
		t.Errorf("heads differ after the exchange:\na %+v\nb %+v", ha, hb)
	}
	if na < 2 || nb < 2 {
		t.Errorf("checkpoints: a %d, b %d; want both laptops' in each", na, nb)
	}
	// Another exchange with nothing new changes nothing.
	before := a.Store().ChangeHead()
	exchange(t, dir, tm, a, b)
	if a.Store().ChangeHead() != before {
		t.Error("an exchange without edits moved the chain")
	}
}

// An entry changed after it was synced refuses the bundle that carries
// the changed version, naming the device and entry.
func TestImportRefusesAChangedEntry(t *testing.T) {
	dir, tm, a, b := pair(t)
	x := mustAsset(t, a, "PLC-1")
	x.Firmware = "V2"
	a.SaveAsset(x)
	exchange(t, dir, tm, a, b)
	// Rewrite history on a: the firmware was "V9" all along.
	head := a.Store().ChangeHead()
	raw, _, err := a.Store().GetRaw(store.KindChange, store.ChangeID(head.Device, head.Seq))
	if err != nil {
		t.Fatal(err)
	}
	forged := strings.Replace(string(raw), `"V2"`, `"V9"`, 1)
	if forged == string(raw) {
		t.Fatalf("entry %s does not hold the edit", raw)
	}
	if err := a.Store().Update(ctx, func(tx *store.Tx) error { return tx.PutRaw(store.KindChange, []byte(forged)) }); err != nil {
		t.Fatal(err)
	}
	if _, _, err := VerifyLog(a); !errors.Is(err, store.ErrChain) {
		t.Errorf("log verify on the forging laptop: %v", err)
	}
	full := exportTo(t, a, dir, "forged.zwb", tm, false)
	clock := b.Store().Clock()
	_, err = Import(ctx, b, full, ImportOptions{IdentityFiles: []string{tm.keyFile}})
	var me *MemberError
	if !errors.Is(err, store.ErrChain) || !errors.As(err, &me) || !strings.Contains(err.Error(), "differs from the entry this workspace holds") ||
		!strings.Contains(err.Error(), head.Device) {
		t.Fatalf("import of a bundle with a changed entry: %v", err)
	}
	if b.Store().Clock() != clock {
		t.Error("a refused bundle wrote to the workspace")
	}
	var c store.Change
	json.Unmarshal([]byte(forged), &c)
	if c.Seq != head.Seq {
		t.Fatalf("forged entry %d", c.Seq)
	}
}

// An entry is checked on its own before any chain: a creation's content
// hash is 64 hex digits, on a put, with no fields beside it.
func TestCheckChangeCreated(t *testing.T) {
	hash := store.HashEntry([]byte("content"))
	entry := func(extra string) []byte {
		return []byte(`{"id":"dev1.000000000001","version":{"wall":5,"device":"dev1"},"device":"dev1","seq":1,"prev_hash":"","kind":"asset","record":"a1"` + extra + `}`)
	}
	for _, tc := range []struct {
		extra string
		ok    bool
	}{
		{`,"op":"put","created":"` + hash + `"`, true},
		{`,"op":"put","fields":{"tag":[null,"x"]}`, true}, // as entries were written before the hash
		{`,"op":"put","created":"` + hash[:63] + `"`, false},
		{`,"op":"put","created":"` + strings.ToUpper(hash) + `"`, false},
		{`,"op":"delete","created":"` + hash + `"`, false},
		{`,"op":"put","created":"` + hash + `","fields":{"tag":[null,"x"]}`, false},
	} {
		_, err := checkChange(entry(tc.extra), false)
		if (err == nil) != tc.ok {
			t.Errorf("%s: %v, want ok %v", tc.extra, err, tc.ok)
		}
	}
}
