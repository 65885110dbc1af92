package bundle

import (
	"archive/tar"
	"bytes"
	"fmt"
	"io"
	"os"
	"testing"
	"time"

	"filippo.io/age"
	"golang.org/x/crypto/blake2b"

	"github.com/zonewalk/zonewalk/store"
)

// tarMember is one member of a hand-made archive. size < 0 means the real
// body length; typ 0 means a regular file.
type tarMember struct {
	name string
	typ  byte
	body []byte
	link string
	size int64
}

// buildTar writes members as tar; a member whose header claims more than
// its body ends the archive right after its header.
func buildTar(t testing.TB, members []tarMember) []byte {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, m := range members {
		typ := m.typ
		if typ == 0 {
			typ = tar.TypeReg
		}
		size := int64(len(m.body))
		if m.size > 0 {
			size = m.size
		}
		if typ != tar.TypeReg {
			size = 0
		}
		hdr := &tar.Header{Typeflag: typ, Name: m.name, Linkname: m.link, Size: size, Mode: 0o644, ModTime: time.Unix(1700000000, 0), Format: tar.FormatPAX}
		if err := tw.WriteHeader(hdr); err != nil {
			t.Fatal(err)
		}
		if size > int64(len(m.body)) {
			return buf.Bytes() // header only: the reader must refuse before reading on
		}
		if _, err := tw.Write(m.body); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// seal encrypts plain to tm and signs it with key, as Export would: a
// bundle that passes the signature and decryption, whatever it holds.
func seal(t testing.TB, path string, plain []byte, key signingKey, tm team) string {
	t.Helper()
	r, err := age.ParseX25519Recipient(tm.recipient)
	if err != nil {
		t.Fatal(err)
	}
	var enc bytes.Buffer
	w, err := age.Encrypt(&enc, r)
	if err != nil {
		t.Fatal(err)
	}
	w.Write(plain)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	sum := blake2b.Sum512(enc.Bytes())
	if err := os.WriteFile(path, enc.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path+".minisig", key.sign(sum[:], time.Now()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// plaintext decrypts a bundle with tm's key.
func plaintext(t testing.TB, file string, tm team) []byte {
	t.Helper()
	ids, err := ReadIdentityFile(tm.keyFile)
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := age.Decrypt(f, ids...)
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// members splits an archive into its members.
func members(t testing.TB, plain []byte) []tarMember {
	t.Helper()
	tr := tar.NewReader(bytes.NewReader(plain))
	var out []tarMember
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(tr)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, tarMember{name: hdr.Name, typ: hdr.Typeflag, body: b})
	}
}

func keyOf(t testing.TB, st *store.Store) signingKey {
	t.Helper()
	k, err := deviceKey(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// rawHeader is a ustar header block, for archives Go's writer refuses to
// make (GNU sparse members).
func rawHeader(name string, typ byte, size int64) []byte {
	b := make([]byte, 512)
	copy(b[0:100], name)
	copy(b[100:108], "0000644\x00")
	copy(b[108:116], "0000000\x00")
	copy(b[116:124], "0000000\x00")
	copy(b[124:136], fmt.Sprintf("%011o\x00", size))
	copy(b[136:148], "14737140000\x00")
	b[156] = typ
	copy(b[257:265], "ustar\x0000")
	copy(b[148:156], "        ")
	sum := 0
	for _, c := range b {
		sum += int(c)
	}
	copy(b[148:156], fmt.Sprintf("%06o\x00 ", sum))
	return b
}

func pad512(b []byte) []byte {
	if r := len(b) % 512; r != 0 {
		b = append(b, make([]byte, 512-r)...)
	}
	return b
}

// paxRecord formats one PAX record, whose length counts its own digits.
func paxRecord(k, v string) string {
	body := " " + k + "=" + v + "\n"
	n := len(body) + 1
	for len(fmt.Sprint(n))+len(body) != n {
		n++
	}
	return fmt.Sprint(n) + body
}

// sparseMember is a GNU PAX sparse (format 1.0) member: one stored byte
// standing for realSize bytes, most of them holes.
func sparseMember(name string, realSize int64) []byte {
	pax := paxRecord("GNU.sparse.major", "1") + paxRecord("GNU.sparse.minor", "0") +
		paxRecord("GNU.sparse.name", name) + paxRecord("GNU.sparse.realsize", fmt.Sprint(realSize))
	out := append(rawHeader("PaxHeaders/x", 'x', int64(len(pax))), pad512([]byte(pax))...)
	data := append(pad512([]byte("1\n0\n1\n")), 'x')
	out = append(out, rawHeader("GNUSparseFile/x", '0', int64(len(data)))...)
	return append(out, pad512(data)...)
}
