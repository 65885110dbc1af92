package cli

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/zonewalk/zonewalk/app"
	"github.com/zonewalk/zonewalk/assets"
	"github.com/zonewalk/zonewalk/store"
)

// The clock offset bound of an import is the user's to set (issue 15 item
// 2): a bundle from a laptop whose clock runs two hours fast is refused
// under --max-clock-ahead 1h, naming the record and its stamp, and taken
// under the default 24 h.
func TestMaxClockAheadFlag(t *testing.T) {
	tmp := t.TempDir()
	src, dst := filepath.Join(tmp, "a"), filepath.Join(tmp, "b")
	if code, _, errs := run(t, nil, "demo", "--workspace", src); code != 0 {
		t.Fatal(errs)
	}
	keys := newTeamKeys(t, tmp, src)
	full := filepath.Join(tmp, "full.zwb")
	keys.export(t, src, full)
	if code, _, errs := run(t, nil, "import", full, "--workspace", dst, "--create", "--unencrypted", "--identity", keys.idFile, "--trust", keys.pubFile); code != 0 {
		t.Fatalf("import --create: %s", errs)
	}

	// A zone as a laptop two hours fast wrote it.
	w, err := app.Open(context.Background(), src, app.Options{Author: "fast"})
	if err != nil {
		t.Fatal(err)
	}
	ahead := assets.Stamp{Wall: time.Now().Add(2 * time.Hour).UnixNano(), Device: "fastclock"}
	raw, _ := json.Marshal(assets.Zone{Meta: assets.Meta{ID: "zone-fast", Version: ahead}, Name: "Fast", SLT: assets.UniformSL(1)})
	if err := w.Store().Update(context.Background(), func(tx *store.Tx) error { return tx.PutRaw(store.KindZone, raw) }); err != nil {
		t.Fatal(err)
	}
	w.Close()
	inc := filepath.Join(tmp, "inc.zwb")
	keys.export(t, src, inc, "--since-last")

	for _, args := range [][]string{
		{"verify", inc, "--identity", keys.idFile, "--max-clock-ahead", "1h"},
		{"import", inc, "--workspace", dst, "--identity", keys.idFile, "--max-clock-ahead", "1h"},
	} {
		code, _, errs := run(t, nil, args...)
		if code != 1 {
			t.Fatalf("%s --max-clock-ahead 1h: exit %d, %s", args[0], code, errs)
		}
		for _, want := range []string{"zone zone-fast", ahead.String(), "fastclock", "--max-clock-ahead"} {
			if !strings.Contains(errs, want) {
				t.Errorf("%s: error does not say %q: %s", args[0], want, errs)
			}
		}
	}
	if code, out, errs := run(t, nil, "zones", "list", "--workspace", dst); code != 0 || strings.Contains(out, "Fast") {
		t.Fatalf("the refused bundle's zone is there: %d %s %s", code, out, errs)
	}
	if code, _, errs := run(t, nil, "import", inc, "--workspace", dst, "--identity", keys.idFile, "--max-clock-ahead", "0s"); code != 2 {
		t.Fatalf("--max-clock-ahead 0s: exit %d, %s", code, errs)
	}
	if code, out, errs := run(t, nil, "import", inc, "--workspace", dst, "--identity", keys.idFile); code != 0 || !strings.Contains(out, "1 added") {
		t.Fatalf("import under the default bound: exit %d, %s %s", code, out, errs)
	}
}
