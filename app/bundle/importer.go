package bundle

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"filippo.io/age"
	"golang.org/x/crypto/blake2b"

	"github.com/zonewalk/zonewalk/app"
	"github.com/zonewalk/zonewalk/assets/english"
	"github.com/zonewalk/zonewalk/store"
)

// ImportOptions say how to open a bundle.
type ImportOptions struct {
	// IdentityFiles are age identity files (age-keygen output) to decrypt
	// with, besides the team identity kept in the workspace, if any.
	IdentityFiles []string
	// Passphrase opens a passphrase-encrypted bundle.
	Passphrase []byte
	// Trust lists signer keys (base64, .pub text or path) to trust from
	// this import on, as the user confirmed after seeing the fingerprint.
	Trust []string
	// MaxClockOffset is how far ahead of this laptop's clock a record's
	// stamp may be; 0 means DefaultMaxClockOffset. A bundle holding a
	// stamp further ahead is refused whole (ErrFutureStamp).
	MaxClockOffset time.Duration
	// Progress, if set, is called now and then from the calling goroutine.
	Progress func(Progress)
}

// ImportResult is what an import found and did.
type ImportResult struct {
	Signer SignerInfo `json:"signer"`
	Header Header     `json:"header"`
	MergeStats
	Blobs int `json:"blobs"` // evidence files stored that were not here yet
	// SharedTags are tags more than one asset has after the merge (two
	// laptops captured the same label): both records are kept, and the
	// auditor renames or merges them (finding ZW-ASSET-005).
	SharedTags []string `json:"shared_tags,omitempty"`
}

// locks serializes exports, imports and resolutions per open store, so an
// import cannot lower the export floor while an export is deciding it.
var locks sync.Map // *store.Store → *sync.Mutex

func lockStore(st *store.Store) func() {
	v, _ := locks.LoadOrStore(st, &sync.Mutex{})
	mu := v.(*sync.Mutex)
	mu.Lock()
	return mu.Unlock
}

// signedFile is a bundle whose signature was checked; the file stays open
// so every later pass reads the very bytes that were checked.
type signedFile struct {
	f       *os.File
	size    int64
	sig     signature
	digest  []byte
	fileKey []byte
}

func openSigned(ctx context.Context, file string, want *pubKey, progress func(Progress)) (*signedFile, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, fmt.Errorf("open bundle: %w", err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("open bundle: %w", err)
	}
	if !st.Mode().IsRegular() {
		f.Close()
		return nil, fmt.Errorf("open bundle: %s is not a regular file", file)
	}
	sig, digest, err := checkSignature(ctx, f, st.Size(), file+".minisig", want, progress)
	if err != nil {
		f.Close()
		return nil, err
	}
	return &signedFile{f: f, size: st.Size(), sig: sig, digest: digest}, nil
}

func (b *signedFile) Close() error { return b.f.Close() }

// identities gathers what may decrypt a bundle.
func identities(st *store.Store, files []string, pass []byte) ([]age.Identity, error) {
	var ids []age.Identity
	for _, f := range files {
		more, err := ReadIdentityFile(f)
		if err != nil {
			return nil, err
		}
		ids = append(ids, more...)
	}
	if len(pass) > 0 {
		id, err := age.NewScryptIdentity(string(pass))
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrDecrypt, err)
		}
		id.SetMaxWorkFactor(maxScryptLogN)
		ids = append(ids, id)
	}
	if st != nil {
		v, err := st.Setting(settingTeamIdentity)
		switch {
		case err == nil:
			id, err := age.ParseX25519Identity(string(v))
			if err != nil {
				return nil, fmt.Errorf("%w: team identity setting: %v", store.ErrCorrupt, err)
			}
			ids = append(ids, id)
		case !errors.Is(err, store.ErrNotFound):
			return nil, err
		}
	}
	return ids, nil
}

// unlock finds the file key with the identities, once: a passphrase costs
// a second of scrypt, and the bundle is read twice.
func (b *signedFile) unlock(ids []age.Identity, hadPassphrase bool) error {
	hdr, err := age.ExtractHeader(io.NewSectionReader(b.f, 0, b.size))
	if err != nil {
		return fmt.Errorf("%w: not an age-encrypted file: %v", ErrDecrypt, err)
	}
	// With nothing to try, a probe still learns what the file is encrypted to.
	key, err := age.DecryptHeader(hdr, append(ids, stanzaProbe{})...)
	if err == nil {
		b.fileKey = key
		return nil
	}
	var nm *age.NoIdentityMatchError
	if !errors.As(err, &nm) {
		return fmt.Errorf("%w: %v", ErrDecrypt, err)
	}
	if slices.Contains(nm.StanzaTypes, "scrypt") {
		if hadPassphrase {
			return fmt.Errorf("%w: wrong passphrase", ErrDecrypt)
		}
		return fmt.Errorf("%w: the bundle is encrypted with a passphrase; give it (ZONEWALK_BUNDLE_PASSPHRASE or --bundle-passphrase-file)", ErrDecrypt)
	}
	if len(ids) == 0 {
		return fmt.Errorf("%w: the bundle is encrypted to %d recipient key(s); give the identity file of one of them (--identity)", ErrDecrypt, len(nm.StanzaTypes))
	}
	return fmt.Errorf("%w: none of the given identities is among the bundle's %d recipient key(s)", ErrDecrypt, len(nm.StanzaTypes))
}

// stanzaProbe opens nothing; it lets age report the stanza types.
type stanzaProbe struct{}

func (stanzaProbe) Unwrap([]*age.Stanza) ([]byte, error) { return nil, age.ErrIncorrectIdentity }

// decrypted reads the plaintext archive; tee, when set, sees the
// encrypted bytes as they are read.
func (b *signedFile) decrypted(ctx context.Context, stage Stage, progress func(Progress), tee io.Writer) (io.Reader, *progressReader, error) {
	pr := &progressReader{ctx: ctx, r: io.NewSectionReader(b.f, 0, b.size), stage: stage, total: b.size, fn: progress}
	var src io.Reader = pr
	if tee != nil {
		src = io.TeeReader(pr, tee)
	}
	r, err := age.Decrypt(src, age.NewInjectedFileKeyIdentity(b.fileKey))
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %v", ErrDecrypt, err)
	}
	return r, pr, nil
}

// check decrypts and checks the whole archive. It hashes the encrypted
// bytes again, so a file changed since its signature was checked is caught.
func (b *signedFile) check(ctx context.Context, progress func(Progress)) (*contents, error) {
	h, _ := blake2b.New512(nil)
	r, pr, err := b.decrypted(ctx, StageCheck, progress, h)
	if err != nil {
		return nil, err
	}
	c, err := checkArchive(ctx, r, &b.sig.signer)
	if err != nil {
		return nil, err
	}
	// age stops at its final chunk; hash whatever follows too.
	if _, err := io.Copy(h, pr); err != nil {
		return nil, fmt.Errorf("read bundle: %w", err)
	}
	pr.report(true)
	if !bytes.Equal(h.Sum(nil), b.digest) {
		return nil, fmt.Errorf("%w: the bundle file changed while it was being read", ErrSignature)
	}
	return c, nil
}

// blobBatch bounds the evidence bytes held for one store write.
const blobBatch = 32 << 20

// apply decrypts the archive again and writes it: evidence bytes first,
// in bounded batches (content-addressed, unreferenced until the records
// commit), then every record in one atomic store update. Each member must
// hash as it did when checked.
func (b *signedFile) apply(ctx context.Context, st *store.Store, want *contents, trust []pubKey, progress func(Progress)) (MergeStats, int, error) {
	var stats MergeStats
	r, pr, err := b.decrypted(ctx, StageApply, progress, nil)
	if err != nil {
		return stats, 0, err
	}
	a := newArchive(r)
	members := want.manifest.Members
	i := 0
	expect := func(name string, size int64, sum string) error {
		if i >= len(members) {
			return malformed(name, 0, "not in the manifest (bundle changed since it was checked)")
		}
		if m := members[i]; m.Name != name || m.Size != size || m.SHA256 != sum {
			return malformed(name, 0, "differs from when it was checked")
		}
		i++
		return nil
	}
	var batch [][]byte
	var batchBytes, stored int
	pending := map[string]bool{}
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		err := st.Update(ctx, func(tx *store.Tx) error {
			for _, data := range batch {
				if _, err := tx.PutBlob(data); err != nil {
					return err
				}
			}
			return nil
		})
		if err == nil {
			stored += len(batch)
		}
		batch, batchBytes = nil, 0
		clear(pending)
		return err
	}
	var e *entry
	for {
		if e, err = a.next(); err != nil {
			return stats, stored, err
		}
		if e == nil || e.class == classRecords || e.class == classManifest {
			break
		}
		data := make([]byte, e.size) // at most maxBlobSize, checked by next
		if _, err := io.ReadFull(e.r, data); err != nil {
			return stats, stored, wrapRead(e.name, err)
		}
		sum := sha256Hex(data)
		if err := expect(e.name, e.size, sum); err != nil {
			return stats, stored, err
		}
		if e.class != classBlob || sum != e.sha || st.HasBlob(sum) || pending[sum] {
			continue
		}
		pending[sum] = true
		batch = append(batch, data)
		if batchBytes += len(data); batchBytes >= blobBatch {
			if err := flush(); err != nil {
				return stats, stored, err
			}
		}
	}
	if err := flush(); err != nil {
		return stats, stored, err
	}
	err = st.Update(ctx, func(tx *store.Tx) error {
		conflicts, err := loadConflicts(st)
		if err != nil {
			return err
		}
		m := &merger{tx: tx, conflicts: conflicts}
		for e != nil {
			if err := ctx.Err(); err != nil {
				return err
			}
			switch e.class {
			case classRecords:
				hr := newHashing(e.r)
				lr := newLineReader(&entry{name: e.name, r: hr})
				for {
					line, err := lr.next()
					if err != nil {
						return err
					}
					if line == nil {
						break
					}
					// The content rules passed in check; the member's hash,
					// checked at its end, proves these are the same lines.
					rec, err := parseLine(e.kind, line, false)
					if err != nil {
						return &MemberError{Member: e.name, Line: lr.line, Err: fmt.Errorf("%w: %w", ErrMalformed, err)}
					}
					if err := m.addRecord(rec); err != nil {
						return fmt.Errorf("merge %s line %d: %w", e.name, lr.line, err)
					}
				}
				if err := expect(e.name, hr.n, hr.sum()); err != nil {
					return err
				}
			case classManifest:
				b, err := readAll(e)
				if err != nil {
					return err
				}
				if sha256Hex(b) != want.manifestSHA {
					return malformed(e.name, 0, "differs from when it was checked")
				}
			default:
				return malformed(e.name, 0, "out of order")
			}
			if e, err = a.next(); err != nil {
				return err
			}
		}
		if i != len(members) {
			return malformed("", 0, "archive has fewer members than when it was checked")
		}
		if err := lowerFloor(tx, m.low); err != nil {
			return err
		}
		if len(trust) > 0 {
			if err := addTrust(tx, trust, "trusted at import"); err != nil {
				return err
			}
		}
		stats = m.stats
		return nil
	})
	pr.report(true)
	return stats, stored, err
}

// localAudit returns the ID and title of the store's audit ("" if none).
func localAudit(st *store.Store) (id, title string, err error) {
	err = st.Scan(store.KindAudit, func(raw []byte) error {
		if id != "" {
			return nil
		}
		var a struct {
			ID    string `json:"id"`
			Title string `json:"title"`
		}
		if err := json.Unmarshal(raw, &a); err != nil {
			return fmt.Errorf("%w: audit record: %v", store.ErrCorrupt, err)
		}
		id, title = a.ID, a.Title
		return nil
	})
	return id, title, err
}

// Import verifies a bundle and merges it into the workspace: the signature
// first (refusing signers the workspace does not trust), then every member
// and record, and only then writes, in one atomic step for the records.
// The workspace's inventory is reloaded afterwards.
func Import(ctx context.Context, w *app.Workspace, file string, opts ImportOptions) (ImportResult, error) {
	res, err := importStore(ctx, w.Store(), file, opts, false)
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		kept := ""
		if res.Blobs > 0 {
			kept = fmt.Sprintf(" (%s already stored, kept for the next try)", english.Count(res.Blobs, "evidence file", "evidence files"))
		}
		return res, fmt.Errorf("import stopped before its records were written, so no record changed%s: %w", kept, err)
	}
	if err != nil {
		return res, err
	}
	// The records are committed: a cancel from here on must not turn the
	// import into a failure (it was not undone).
	if err := w.ReloadInventory(context.WithoutCancel(ctx)); err != nil {
		return res, err
	}
	res.SharedTags = w.SharedTags()
	return res, nil
}

func importStore(ctx context.Context, st *store.Store, file string, opts ImportOptions, clone bool) (ImportResult, error) {
	unlock := lockStore(st)
	defer unlock()
	var res ImportResult
	var trust []pubKey
	for _, t := range opts.Trust {
		info, err := ParsePublicKey(t)
		if err != nil {
			return res, fmt.Errorf("--trust: %w", err)
		}
		k, _ := parsePubKey(info.PublicKey)
		trust = append(trust, k)
	}
	b, err := openSigned(ctx, file, nil, opts.Progress)
	if err != nil {
		return res, err
	}
	defer b.Close()
	res.Signer = b.sig.info()
	ok, err := isTrusted(st, b.sig.signer)
	if err != nil {
		return res, err
	}
	if !ok && !slices.ContainsFunc(trust, func(k pubKey) bool { return k.key.Equal(b.sig.signer.key) }) {
		return res, &UntrustedSignerError{Signer: res.Signer}
	}
	ids, err := identities(st, opts.IdentityFiles, opts.Passphrase)
	if err != nil {
		return res, err
	}
	if err := b.unlock(ids, len(opts.Passphrase) > 0); err != nil {
		return res, err
	}
	c, err := b.check(ctx, opts.Progress)
	if err != nil {
		return res, err
	}
	res.Header = c.header
	localID, localTitle, err := localAudit(st)
	if err != nil {
		return res, err
	}
	switch {
	case clone && (c.header.Since != nil || c.records[string(store.KindAudit)] == 0):
		return res, fmt.Errorf("%w: a new workspace needs a full bundle with the audit record; this one is incremental", ErrMalformed)
	case localID != "" && localID != c.header.AuditID:
		return res, fmt.Errorf("%w: the bundle is for audit %s (%q), this workspace holds audit %s (%q)",
			ErrForeignAudit, c.header.AuditID, c.header.AuditTitle, localID, localTitle)
	case localID == "" && !clone:
		return res, fmt.Errorf("%w: this workspace holds no audit record", ErrForeignAudit)
	}
	// The record rules that need this laptop: its clock, and the zones and
	// templates the workspace already holds. Nothing is written before.
	if err := c.checkClock(time.Now(), opts.MaxClockOffset); err != nil {
		return res, err
	}
	if err := c.resolve(st); err != nil {
		return res, err
	}
	if err := c.checkChains(st); err != nil {
		return res, err
	}
	stats, blobs, err := b.apply(ctx, st, c, trust, opts.Progress)
	res.MergeStats, res.Blobs = stats, blobs
	return res, err
}

// Clone creates a new workspace in dir (missing or empty) from a full
// bundle: how a colleague joins an audit. The workspace is encrypted with
// create.Passphrase unless create.Unencrypted. On failure dir is left as
// it was found.
func Clone(ctx context.Context, dir, file string, create app.Options, opts ImportOptions) (*app.Workspace, ImportResult, error) {
	_, statErr := os.Stat(dir)
	existed := statErr == nil
	st, err := store.Create(dir, store.CreateOptions{Passphrase: create.Passphrase, Unencrypted: create.Unencrypted, Author: create.Author})
	if err != nil {
		return nil, ImportResult{}, err
	}
	res, err := importStore(ctx, st, file, opts, true)
	st.Close()
	if err != nil {
		if existed {
			entries, _ := os.ReadDir(dir)
			for _, e := range entries {
				os.RemoveAll(filepath.Join(dir, e.Name()))
			}
		} else {
			os.RemoveAll(dir)
		}
		return nil, res, err
	}
	// The records are committed: a cancel from here on must not report
	// the new workspace as not made (it is there, whole).
	w, err := app.Open(context.WithoutCancel(ctx), dir, app.Options{Passphrase: create.Passphrase, Author: create.Author})
	return w, res, err
}

// Inspect checks a bundle's signature against the key it names, without
// decrypting, and says who signed it: what the GUI shows before asking
// whether to trust an unknown signer (IsTrusted, Trust).
func Inspect(ctx context.Context, file string) (SignerInfo, error) {
	b, err := openSigned(ctx, file, nil, nil)
	if err != nil {
		return SignerInfo{}, err
	}
	defer b.Close()
	return b.sig.info(), nil
}

// VerifyOptions say what to check a bundle against.
type VerifyOptions struct {
	// Signer, if set, is the only signer key accepted (base64, .pub text
	// or path). Unset, the key named in the signature is checked and shown.
	Signer string
	// IdentityFiles and Passphrase decrypt the bundle to check every
	// member; without them only the signature is checked.
	IdentityFiles []string
	Passphrase    []byte
	// MaxClockOffset: as for an import (0 means DefaultMaxClockOffset).
	MaxClockOffset time.Duration
	Progress       func(Progress)
}

// Report is what Verify found.
type Report struct {
	File          string         `json:"file"`
	Size          int64          `json:"size"`
	Signer        SignerInfo     `json:"signer"`
	SignerChecked bool           `json:"signer_checked"` // the signer is the key asked for
	Decrypted     bool           `json:"decrypted"`      // members and records were checked too
	Header        *Header        `json:"header,omitempty"`
	Records       map[string]int `json:"records,omitempty"`
	Blobs         int            `json:"blobs"`
	Members       int            `json:"members"`
	Versions      *StampRange    `json:"versions,omitempty"`
}

// Verify checks a bundle without any workspace: its signature, and, given
// a key to decrypt it, every member's hash and size and every record.
func Verify(ctx context.Context, file string, opts VerifyOptions) (Report, error) {
	rep := Report{File: file}
	var want *pubKey
	if opts.Signer != "" {
		info, err := ParsePublicKey(opts.Signer)
		if err != nil {
			return rep, fmt.Errorf("--signer: %w", err)
		}
		k, _ := parsePubKey(info.PublicKey)
		want = &k
	}
	b, err := openSigned(ctx, file, want, opts.Progress)
	if err != nil {
		return rep, err
	}
	defer b.Close()
	rep.Size, rep.Signer, rep.SignerChecked = b.size, b.sig.info(), want != nil
	ids, err := identities(nil, opts.IdentityFiles, opts.Passphrase)
	if err != nil || len(ids) == 0 {
		return rep, err
	}
	if err := b.unlock(ids, len(opts.Passphrase) > 0); err != nil {
		return rep, err
	}
	c, err := b.check(ctx, opts.Progress)
	if err != nil {
		return rep, err
	}
	if err := c.checkClock(time.Now(), opts.MaxClockOffset); err != nil {
		return rep, err
	}
	rep.Decrypted, rep.Header, rep.Records, rep.Blobs = true, &c.header, c.records, c.blobs
	rep.Members, rep.Versions = len(c.manifest.Members)+1, c.versions
	return rep, nil
}
