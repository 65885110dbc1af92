package bundle

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/zonewalk/zonewalk/app"
	"github.com/zonewalk/zonewalk/assets"
	"github.com/zonewalk/zonewalk/store"
)

// benchDir holds the benchmark fixture (bench_test.go); TestMain removes it.
var benchDir string

// TestMain lets the test binary act as the crash test's importing process.
func TestMain(m *testing.M) {
	if job := os.Getenv("ZONEWALK_CRASH_IMPORT"); job != "" {
		crashImporter(job)
		return
	}
	code := m.Run()
	if benchDir != "" {
		os.RemoveAll(benchDir)
	}
	os.Exit(code)
}

// crashImporter imports a bundle into a workspace: WORKSPACE|BUNDLE|KEYFILE.
func crashImporter(job string) {
	parts := strings.Split(job, "|")
	w, err := app.Open(ctx, parts[0], app.Options{})
	if err != nil {
		fmt.Println("open:", err)
		os.Exit(2)
	}
	if _, err := Import(ctx, w, parts[1], ImportOptions{IdentityFiles: []string{parts[2]}}); err != nil {
		fmt.Println("import:", err)
		os.Exit(2)
	}
	fmt.Println("imported")
	w.Close()
	os.Exit(0)
}

// bigAudit adds n assets and photos of photoSize random bytes to w.
func bigAudit(t testing.TB, w *app.Workspace, n, photos, photoSize int, seed uint64) {
	t.Helper()
	err := w.Store().Update(ctx, func(tx *store.Tx) error {
		for i := 0; i < n; i++ {
			a := &assets.Asset{Tag: fmt.Sprintf("AS-%05d", i), Type: assets.TypeSensor, Vendor: "Acme", Model: "T-100",
				Notes: strings.Repeat("field device in the filter gallery ", 8)}
			if err := tx.Put(store.KindAsset, a); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.ReloadInventory(ctx); err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(seed, 1))
	list := w.Assets()
	for i := 0; i < photos; i++ {
		data := make([]byte, photoSize)
		for j := range data {
			data[j] = byte(rng.Uint32())
		}
		owner := assets.Ref{Kind: "asset", ID: list[i%len(list)].ID}
		if _, err := w.AttachEvidence(owner, fmt.Sprintf("photo-%03d.jpg", i), data, ""); err != nil {
			t.Fatal(err)
		}
	}
}

// TestKilledImportIsAllOrNothing kills an importing process at random
// moments: afterwards the workspace holds either none of the bundle's
// records or all of them, every evidence record it holds has its bytes,
// and the import can simply be run again.
func TestKilledImportIsAllOrNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test runs child processes")
	}
	dir, tm := t.TempDir(), newTeam(t)
	a := newAudit(t, filepath.Join(dir, "a"))
	defer a.Close()
	base := exportTo(t, a, dir, "base.zwb", tm, false)
	bigAudit(t, a, 3000, 24, 256<<10, 1)
	want := live(t, a.Store(), store.KindAsset)
	full := exportTo(t, a, dir, "full.zwb", tm, false)

	run := func(target string, kill time.Duration) (finished bool) {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), "ZONEWALK_CRASH_IMPORT="+target+"|"+full+"|"+tm.keyFile)
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("importer failed: %v\n%s", err, out.String())
			}
		case <-time.After(kill):
			cmd.Process.Signal(syscall.SIGKILL)
			<-done
		}
		return strings.Contains(out.String(), "imported")
	}
	fresh := func(name string) string {
		d := filepath.Join(dir, name)
		w := clone(t, base, d, tm)
		w.Close()
		return d
	}
	// How long an import takes here, to kill within it.
	t0 := time.Now()
	if !run(fresh("timing"), time.Minute) {
		t.Fatal("import did not finish")
	}
	span := time.Since(t0)
	seed := uint64(time.Now().UnixNano())
	if v, err := strconv.ParseUint(os.Getenv("ZONEWALK_CRASH_SEED"), 10, 64); err == nil {
		seed = v
	}
	t.Logf("kill times drawn from seed %d (replay with ZONEWALK_CRASH_SEED=%d)", seed, seed)
	rng := rand.New(rand.NewPCG(2, seed))
	var none, all int
	for i := 0; i < 12; i++ {
		target := fresh(fmt.Sprint("t", i))
		// Most of an import is checking; the writes come last, so kill late.
		kill := span/3 + time.Duration(rng.Int64N(int64(span*3/4)))
		finished := run(target, kill)
		w, err := app.Open(ctx, target, app.Options{})
		if err != nil {
			t.Fatalf("open after kill at %v: %v", kill, err)
		}
		got := live(t, w.Store(), store.KindAsset)
		present := 0
		for id, rec := range want {
			if g, ok := got[id]; ok && fmt.Sprint(g) == fmt.Sprint(rec) {
				present++
			}
		}
		switch {
		case present == len(want):
			all++
		case present <= 2 && !finished: // the two assets of the base
			none++
		default:
			w.Close()
			t.Fatalf("killed at %v (finished %v): %d of %d assets present", kill, finished, present, len(want))
		}
		err = w.Store().Scan(store.KindEvidence, func(raw []byte) error {
			sha, _ := evidenceSHA(raw)
			if !w.Store().HasBlob(sha) {
				return fmt.Errorf("evidence without its bytes: %s", sha)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if present != len(want) {
			if _, err := Import(ctx, w, full, ImportOptions{IdentityFiles: []string{tm.keyFile}}); err != nil {
				t.Fatalf("import after a killed one: %v", err)
			}
			if n := len(live(t, w.Store(), store.KindAsset)); n != len(want) {
				t.Fatalf("import after a killed one: %d assets", n)
			}
		}
		w.Close()
	}
	t.Logf("import takes %v; 12 kills: %d left nothing, %d left everything", span.Round(time.Millisecond), none, all)
}
