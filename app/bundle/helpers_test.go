package bundle

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"filippo.io/age"

	"github.com/zonewalk/zonewalk/app"
	"github.com/zonewalk/zonewalk/assets"
	"github.com/zonewalk/zonewalk/store"
)

var ctx = context.Background()

// team is an age key pair written to a key file, as age-keygen makes it.
type team struct {
	recipient string
	keyFile   string
}

func newTeam(t testing.TB) team {
	t.Helper()
	id, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	f := filepath.Join(t.TempDir(), "key.txt")
	if err := os.WriteFile(f, []byte("# created: test\n# public key: "+id.Recipient().String()+"\n"+id.String()+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return team{recipient: id.Recipient().String(), keyFile: f}
}

// benchAudit is the audit description of benchmark workspaces.
var benchAudit = assets.Audit{Title: "Benchmark audit"}

// newAudit creates a workspace with a zone, two assets and a photo.
func newAudit(t testing.TB, dir string) *app.Workspace {
	t.Helper()
	w, err := app.Create(ctx, dir, app.Options{Unencrypted: true, Author: "alice"}, assets.Audit{Title: "Test audit", Site: "Plant"})
	if err != nil {
		t.Fatal(err)
	}
	z, err := w.SaveZone(assets.Zone{Name: "Control", SLT: assets.UniformSL(2)})
	if err != nil {
		t.Fatal(err)
	}
	a, err := w.SaveAsset(assets.Asset{Tag: "PLC-1", Type: assets.TypePLC, Zone: z.ID})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.SaveAsset(assets.Asset{Tag: "HMI-1", Type: assets.TypeHMI, Zone: z.ID}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.AttachEvidence(assets.Ref{Kind: "asset", ID: a.ID}, "plc.jpg", []byte("\xff\xd8\xff photo of the PLC cabinet"), "cabinet"); err != nil {
		t.Fatal(err)
	}
	return w
}

// exportTo writes a bundle of w for tm into dir and returns its path.
func exportTo(t testing.TB, w *app.Workspace, dir, name string, tm team, sinceLast bool) string {
	t.Helper()
	out := filepath.Join(dir, name)
	if _, err := Export(ctx, w, out, ExportOptions{Recipients: []string{tm.recipient}, SinceLast: sinceLast}); err != nil {
		t.Fatalf("export %s: %v", name, err)
	}
	return out
}

// clone makes a new workspace from a full bundle, trusting its signer.
func clone(t testing.TB, file, dir string, tm team) *app.Workspace {
	t.Helper()
	info, err := Inspect(ctx, file)
	if err != nil {
		t.Fatal(err)
	}
	w, _, err := Clone(ctx, dir, file, app.Options{Unencrypted: true, Author: "bob"},
		ImportOptions{IdentityFiles: []string{tm.keyFile}, Trust: []string{info.PublicKey}})
	if err != nil {
		t.Fatalf("clone: %v", err)
	}
	return w
}

// trustEachOther makes each workspace trust the others' device keys.
func trustEachOther(t testing.TB, ws ...*app.Workspace) {
	t.Helper()
	for _, a := range ws {
		ka, err := DeviceKey(ctx, a)
		if err != nil {
			t.Fatal(err)
		}
		for _, b := range ws {
			if a != b {
				if _, err := Trust(ctx, b, ka.PublicKey, "test"); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
}

func importInto(t testing.TB, w *app.Workspace, file string, tm team) ImportResult {
	t.Helper()
	res, err := Import(ctx, w, file, ImportOptions{IdentityFiles: []string{tm.keyFile}})
	if err != nil {
		t.Fatalf("import %s: %v", filepath.Base(file), err)
	}
	return res
}

// state is a workspace's records as comparable text: every record of
// every kind, tombstones included, except closed conflicts (a closed
// conflict may exist in one import order and never have opened in another).
func state(t testing.TB, st *store.Store) string {
	t.Helper()
	var lines []string
	err := st.ScanAll(func(kind store.Kind, raw []byte, deleted bool) error {
		if kind == KindConflict && deleted {
			return nil
		}
		lines = append(lines, fmt.Sprintf("%s %v %s", kind, deleted, raw))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(lines)
	return strings.Join(lines, "\n")
}

// live is a workspace's live records of one kind, by ID, as decoded JSON.
func live(t testing.TB, st *store.Store, kind store.Kind) map[string]map[string]any {
	t.Helper()
	out := map[string]map[string]any{}
	err := st.Scan(kind, func(raw []byte) error {
		var m map[string]any
		if err := json.Unmarshal(raw, &m); err != nil {
			return err
		}
		out[m["id"].(string)] = m
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// dirHash hashes every file under dir: names, sizes and the data regions
// with their offsets. Badger's value log is a large sparse file, so holes
// are skipped (SEEK_DATA/SEEK_HOLE) rather than read as zeros.
func dirHash(t testing.TB, dir string) string {
	t.Helper()
	const seekData, seekHole = 3, 4
	h := sha256.New()
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		fi, err := f.Stat()
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		fmt.Fprintf(h, "%s\x00%d\x00", rel, fi.Size())
		for pos := int64(0); pos < fi.Size(); {
			start, err := f.Seek(pos, seekData)
			if err != nil {
				break // ENXIO: no data after pos
			}
			end, err := f.Seek(start, seekHole)
			if err != nil {
				return err
			}
			if _, err := f.Seek(start, io.SeekStart); err != nil {
				return err
			}
			fmt.Fprintf(h, "@%d:", start)
			if _, err := io.CopyN(h, f, end-start); err != nil {
				return err
			}
			pos = end
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(h.Sum(nil))
}

func appFilter(text string) app.AssetFilter { return app.AssetFilter{Text: text} }
