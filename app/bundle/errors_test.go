package bundle

import (
	"archive/tar"
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zonewalk/zonewalk/app"
	"github.com/zonewalk/zonewalk/assets"
)

// fixture: a source workspace a, a target b cloned from a's first full
// bundle and trusting a, and a's later edits, so any bundle that got
// through would change b.
type fixture struct {
	dir   string
	tm    team
	a, b  *app.Workspace
	bDir  string
	full  string // a's full bundle after the later edits
	plain []byte // its archive
	key   signingKey
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	fx := &fixture{dir: t.TempDir(), tm: newTeam(t)}
	fx.a = newAudit(t, filepath.Join(fx.dir, "a"))
	t.Cleanup(func() { fx.a.Close() })
	first := exportTo(t, fx.a, fx.dir, "first.zwb", fx.tm, false)
	fx.bDir = filepath.Join(fx.dir, "b")
	fx.b = clone(t, first, fx.bDir, fx.tm)
	t.Cleanup(func() { fx.b.Close() })
	if _, err := fx.a.SaveAsset(assets.Asset{Tag: "RTU-9", Type: assets.TypeRTU}); err != nil {
		t.Fatal(err)
	}
	if _, err := fx.a.AttachEvidence(assets.Ref{Kind: "audit", ID: fx.a.Audit().ID}, "site.png", []byte("\x89PNG site plan"), ""); err != nil {
		t.Fatal(err)
	}
	fx.full = exportTo(t, fx.a, fx.dir, "full.zwb", fx.tm, false)
	fx.plain = plaintext(t, fx.full, fx.tm)
	fx.key = keyOf(t, fx.a.Store())
	return fx
}

// refused imports file into b, wants an error matching want and naming
// text, and b unchanged: no byte of its directory written, same records.
func (fx *fixture) refused(t *testing.T, file string, opts ImportOptions, want error, text string) error {
	t.Helper()
	if opts.IdentityFiles == nil && opts.Passphrase == nil {
		opts.IdentityFiles = []string{fx.tm.keyFile}
	}
	hash, st := dirHash(t, fx.bDir), state(t, fx.b.Store())
	_, err := Import(ctx, fx.b, file, opts)
	if !errors.Is(err, want) {
		t.Fatalf("import: got error %v, want %v", err, want)
	}
	if !strings.Contains(err.Error(), text) {
		t.Errorf("error %q does not say %q", err, text)
	}
	if dirHash(t, fx.bDir) != hash {
		t.Errorf("a refused import wrote to the workspace directory")
	}
	if state(t, fx.b.Store()) != st {
		t.Errorf("a refused import changed records")
	}
	return err
}

func TestRefusedBundlesWriteNothing(t *testing.T) {
	fx := newFixture(t)
	// The untouched bundle does import, so refusals below are for their cause.
	defer func() {
		if t.Failed() {
			return
		}
		if _, err := Import(ctx, fx.b, fx.full, ImportOptions{IdentityFiles: []string{fx.tm.keyFile}}); err != nil {
			t.Fatalf("valid bundle: %v", err)
		}
		if fx.b.AssetCount() != 3 {
			t.Fatalf("valid bundle: %d assets", fx.b.AssetCount())
		}
	}()

	t.Run("wrong passphrase", func(t *testing.T) {
		out := filepath.Join(fx.dir, "pass.zwb")
		if _, err := Export(ctx, fx.a, out, ExportOptions{Passphrase: []byte("correct horse"), ScryptWorkFactor: 10}); err != nil {
			t.Fatal(err)
		}
		fx.refused(t, out, ImportOptions{Passphrase: []byte("battery staple")}, ErrDecrypt, "wrong passphrase")
		fx.refused(t, out, ImportOptions{IdentityFiles: []string{}}, ErrDecrypt, "encrypted with a passphrase")
	})
	t.Run("wrong identity", func(t *testing.T) {
		other := newTeam(t)
		fx.refused(t, fx.full, ImportOptions{IdentityFiles: []string{other.keyFile}}, ErrDecrypt, "none of the given identities")
		fx.refused(t, fx.full, ImportOptions{IdentityFiles: []string{}}, ErrDecrypt, "identity file")
	})
	t.Run("unknown signer", func(t *testing.T) {
		c := clone(t, fx.full, filepath.Join(fx.dir, "c"), fx.tm)
		defer c.Close()
		ck, _ := DeviceKey(ctx, c)
		out := exportTo(t, c, fx.dir, "c.zwb", fx.tm, false)
		err := fx.refused(t, out, ImportOptions{}, ErrUntrustedSigner, ck.Fingerprint)
		var ue *UntrustedSignerError
		if !errors.As(err, &ue) || ue.Signer.PublicKey != ck.PublicKey {
			t.Fatalf("untrusted signer error carries %+v, want key %s", ue, ck.PublicKey)
		}
		info, err := Inspect(ctx, out)
		if err != nil || info.PublicKey != ck.PublicKey {
			t.Fatalf("inspect: %v %+v", err, info)
		}
		if ok, _ := IsTrusted(fx.b, info.KeyInfo); ok {
			t.Fatal("c's key is trusted by b")
		}
	})
	t.Run("truncated", func(t *testing.T) {
		b, _ := os.ReadFile(fx.full)
		sig, _ := os.ReadFile(fx.full + ".minisig")
		out := filepath.Join(fx.dir, "trunc.zwb")
		os.WriteFile(out, b[:len(b)/2], 0o644)
		os.WriteFile(out+".minisig", sig, 0o644)
		fx.refused(t, out, ImportOptions{}, ErrSignature, "does not match its signature")
	})
	t.Run("no signature", func(t *testing.T) {
		b, _ := os.ReadFile(fx.full)
		out := filepath.Join(fx.dir, "nosig.zwb")
		os.WriteFile(out, b, 0o644)
		fx.refused(t, out, ImportOptions{}, ErrSignature, "no signature file")
	})
	t.Run("foreign audit", func(t *testing.T) {
		d := newAudit(t, filepath.Join(fx.dir, "d"))
		defer d.Close()
		trustEachOther(t, d, fx.b)
		out := exportTo(t, d, fx.dir, "d.zwb", fx.tm, false)
		fx.refused(t, out, ImportOptions{}, ErrForeignAudit, d.Audit().ID)
	})

	ms := members(t, fx.plain)
	find := func(prefix string) int {
		for i, m := range ms {
			if strings.HasPrefix(m.name, prefix) {
				return i
			}
		}
		t.Fatalf("no member %s", prefix)
		return -1
	}
	hdr, blob, rec, man := find(headerName), find(blobPrefix), find(recordsPrefix), find(manifestName)
	with := func(edit func(m []tarMember) []tarMember) []tarMember {
		cp := append([]tarMember(nil), ms...)
		return edit(cp)
	}
	insert := func(at int, extra ...tarMember) []tarMember {
		return with(func(m []tarMember) []tarMember {
			return append(m[:at], append(extra, m[at:]...)...)
		})
	}
	replace := func(i int, r tarMember) []tarMember {
		return with(func(m []tarMember) []tarMember { m[i] = r; return m })
	}
	del := func(i int) []tarMember {
		return with(func(m []tarMember) []tarMember { return append(m[:i], m[i+1:]...) })
	}
	move := func(from, to int) []tarMember {
		return with(func(m []tarMember) []tarMember {
			x := m[from]
			m = append(m[:from], m[from+1:]...)
			return append(m[:to], append([]tarMember{x}, m[to:]...)...)
		})
	}
	body := func(i int, f func([]byte) []byte) []tarMember {
		r := ms[i]
		r.body = f(append([]byte(nil), r.body...))
		return replace(i, r)
	}
	evil := func(name string) tarMember { return tarMember{name: name, body: []byte("owned")} }
	shaName := blobName(sha256Hex([]byte("stray")))
	cases := []struct {
		name    string
		members []tarMember
		plain   []byte
		want    error
		text    string
	}{
		{name: "path traversal", members: insert(1, evil("../../.bashrc")), want: ErrMalformed, text: "member ../../.bashrc: bundle content is invalid: path escapes"},
		{name: "traversal inside", members: insert(1, evil("blobs/../../x")), want: ErrMalformed, text: "path escapes"},
		{name: "absolute path", members: insert(1, evil("/etc/cron.d/x")), want: ErrMalformed, text: "path escapes"},
		{name: "symlink", members: insert(1, tarMember{name: ms[blob].name, typ: tar.TypeSymlink, link: "/etc/passwd"}), want: ErrMalformed, text: "symbolic link"},
		{name: "hard link", members: insert(1, tarMember{name: "records/asset/000009.jsonl", typ: tar.TypeLink, link: ms[rec].name}), want: ErrMalformed, text: "hard link"},
		{name: "directory", members: insert(1, tarMember{name: "blobs", typ: tar.TypeDir}), want: ErrMalformed, text: "directory"},
		{name: "duplicate member", members: insert(blob+1, ms[blob]), want: ErrMalformed, text: "duplicate member"},
		{name: "unknown member", members: insert(1, evil("notes.txt")), want: ErrMalformed, text: "unexpected member"},
		{name: "header not first", members: move(hdr, 1), want: ErrMalformed, text: "first member must be"},
		{name: "blob after records", members: move(blob, rec), want: ErrMalformed, text: "before records"},
		{name: "member after manifest", members: insert(man+1, tarMember{name: shaName, body: []byte("stray")}), want: ErrMalformed, text: "after manifest.json"},
		{name: "no manifest", members: del(man), want: ErrMalformed, text: "without manifest.json"},
		{name: "blob content", members: body(blob, func(b []byte) []byte { b[0] ^= 1; return b }), want: ErrMalformed, text: "does not match its SHA-256"},
		{name: "missing blob", members: del(blob), want: ErrMalformed, text: "not in the bundle"},
		{name: "stray blob", members: insert(1, tarMember{name: shaName, body: []byte("stray")}), want: ErrMalformed, text: "not referenced"},
		{name: "bad record JSON", members: body(rec, func(b []byte) []byte { return append([]byte("{bad\n"), b...) }), want: ErrMalformed, text: "line 1"},
		{name: "record not object", members: body(rec, func(b []byte) []byte { return append([]byte("[1]\n"), b...) }), want: ErrMalformed, text: "not a JSON object"},
		{name: "no final newline", members: body(rec, func(b []byte) []byte { return b[:len(b)-1] }), want: ErrMalformed, text: "newline"},
		{name: "record twice", members: body(rec, func(b []byte) []byte { l, _, _ := bytes.Cut(b, []byte("\n")); return append(append(b, l...), '\n') }), want: ErrMalformed, text: "appears twice"},
		{name: "manifest hash", members: body(man, func(b []byte) []byte {
			return bytes.Replace(b, []byte(ms[rec].name), []byte("records/asset/000007.jsonl"), 1)
		}), want: ErrMalformed, text: "manifest entry"},
		{name: "newer format", members: body(hdr, func(b []byte) []byte {
			return bytes.Replace(b, []byte(fmt.Sprintf(`"format_version": %d`, FormatVersion)), []byte(`"format_version": 99`), 1)
		}), want: ErrNewerFormat, text: "format 99"},
		{name: "foreign audit record", members: body(hdr, func(b []byte) []byte {
			return bytes.Replace(b, []byte(fx.a.Audit().ID), []byte("another-audit"), 1)
		}), want: ErrMalformed, text: "is not the bundle's audit"},
		{name: "oversize blob", members: insert(1, tarMember{name: shaName, body: []byte("x"), size: maxBlobSize + 1}), want: ErrTooLarge, text: "limit"},
		{name: "oversize records", members: insert(rec, tarMember{name: "records/aaa/000001.jsonl", body: []byte("x"), size: maxChunkSize + 1}), want: ErrTooLarge, text: "limit"},
		{name: "long record", members: insert(rec, tarMember{name: "records/aaa/000001.jsonl", body: append(bytes.Repeat([]byte("x"), maxRecordSize+10), '\n')}), want: ErrTooLarge, text: "longer than"},
		{name: "sparse member", plain: func() []byte {
			first := buildTar(t, ms[:1])
			first = first[:len(first)-1024] // drop the end marker, append a sparse blob
			return append(append(first, sparseMember(shaName, 60<<20)...), make([]byte, 1024)...)
		}(), want: ErrMalformed, text: "sparse"},
		{name: "empty archive", plain: make([]byte, 1024), want: ErrMalformed, text: "empty archive"},
		{name: "not a tar", plain: []byte("hello, this is not an archive at all, but it is long enough to be read as one block or not"), want: ErrMalformed, text: ""},
		{name: "data after end", plain: append(append([]byte(nil), fx.plain...), "junk"...), want: ErrMalformed, text: "after the end"},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			plain := c.plain
			if plain == nil {
				plain = buildTar(t, c.members)
			}
			out := seal(t, filepath.Join(fx.dir, "crafted-"+string(rune('a'+i))+".zwb"), plain, fx.key, fx.tm)
			fx.refused(t, out, ImportOptions{}, c.want, c.text)
			if _, err := Verify(ctx, out, VerifyOptions{IdentityFiles: []string{fx.tm.keyFile}}); !errors.Is(err, c.want) {
				t.Errorf("verify: %v, want %v", err, c.want)
			}
		})
	}
}

func TestCloneNeedsFullTrustedBundle(t *testing.T) {
	fx := newFixture(t)
	if _, err := fx.a.SaveAsset(assets.Asset{Tag: "FW-1", Type: assets.TypeFirewall}); err != nil {
		t.Fatal(err)
	}
	inc := exportTo(t, fx.a, fx.dir, "inc.zwb", fx.tm, true)
	info, _ := Inspect(ctx, inc)
	dir := filepath.Join(fx.dir, "new")
	_, _, err := Clone(ctx, dir, inc, app.Options{Unencrypted: true}, ImportOptions{IdentityFiles: []string{fx.tm.keyFile}, Trust: []string{info.PublicKey}})
	if !errors.Is(err, ErrMalformed) || !strings.Contains(err.Error(), "incremental") {
		t.Fatalf("clone from incremental: %v", err)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Fatalf("failed clone left %s behind: %v", dir, err)
	}
	_, _, err = Clone(ctx, dir, fx.full, app.Options{Unencrypted: true}, ImportOptions{IdentityFiles: []string{fx.tm.keyFile}})
	if !errors.Is(err, ErrUntrustedSigner) {
		t.Fatalf("clone without trust: %v", err)
	}
}
