package bundle

import (
	"archive/tar"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"filippo.io/age"
	"golang.org/x/crypto/blake2b"

	"github.com/zonewalk/zonewalk/app"
	"github.com/zonewalk/zonewalk/assets"
	"github.com/zonewalk/zonewalk/store"
)

// ExportOptions say whom a bundle is for and what goes in.
type ExportOptions struct {
	// Recipients are age X25519 public keys (age1…) to encrypt to, besides
	// the team recipient set in the workspace.
	Recipients []string
	// NoTeam leaves out the team recipient.
	NoTeam bool
	// Passphrase encrypts to a passphrase instead (age forbids mixing it
	// with recipients; the team recipient is then left out).
	Passphrase []byte
	// ScryptWorkFactor is log2 of scrypt's cost for a passphrase; 0 means
	// 18 (about a second). Lower values are for tests only.
	ScryptWorkFactor int
	// SinceLast includes only what changed since this workspace's last
	// export (everything, the first time).
	SinceLast bool
	// Progress, if set, is called now and then from the calling goroutine.
	Progress func(Progress)
	// SignWith signs with another workspace's device key: a redacted copy
	// (app/redact) is signed by the laptop that made it, whose key the
	// recipient knows.
	SignWith *app.Workspace
}

// ExportResult describes a written bundle.
type ExportResult struct {
	File       string         `json:"file"`
	Signature  string         `json:"signature"`
	Size       int64          `json:"size"`
	Records    map[string]int `json:"records"`
	Blobs      int            `json:"blobs"`
	Since      *assets.Stamp  `json:"since,omitempty"`
	Signer     KeyInfo        `json:"signer"`
	Recipients int            `json:"recipients"` // X25519 recipients; 0 with a passphrase
}

// Export writes the workspace's audit to out (and its signature to
// out.minisig): everything, or what changed since the last export. Memory
// use is bounded by the largest evidence file, not by the audit.
func Export(ctx context.Context, w *app.Workspace, out string, opts ExportOptions) (ExportResult, error) {
	return exportStore(ctx, w.Store(), out, opts)
}

func recipients(st *store.Store, opts ExportOptions) ([]age.Recipient, int, error) {
	var list []string
	for _, r := range opts.Recipients {
		if r = strings.TrimSpace(r); r != "" {
			list = append(list, r)
		}
	}
	if len(opts.Passphrase) > 0 {
		if len(list) > 0 {
			return nil, 0, ErrMixedEncryption
		}
		r, err := age.NewScryptRecipient(string(opts.Passphrase))
		if err != nil {
			return nil, 0, fmt.Errorf("%w: %v", ErrNoRecipient, err)
		}
		logN := opts.ScryptWorkFactor
		if logN == 0 {
			logN = defaultScryptLogN
		}
		if logN < 1 || logN > maxScryptLogN {
			return nil, 0, fmt.Errorf("scrypt work factor %d: want 1 to %d", logN, maxScryptLogN)
		}
		r.SetWorkFactor(logN)
		return []age.Recipient{r}, 0, nil
	}
	if !opts.NoTeam {
		v, err := st.Setting(settingTeamRecipient)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return nil, 0, err
		}
		if t := string(v); t != "" && !slices.Contains(list, t) {
			list = append(list, t)
		}
	}
	if len(list) == 0 {
		return nil, 0, ErrNoRecipient
	}
	out := make([]age.Recipient, 0, len(list))
	for _, s := range list {
		r, err := age.ParseX25519Recipient(s)
		if err != nil {
			return nil, 0, fmt.Errorf("%w: recipient %q: %v", ErrBadKey, s, err)
		}
		out = append(out, r)
	}
	return out, len(out), nil
}

func readFloor(st *store.Store) (*assets.Stamp, error) {
	b, err := st.Setting(settingFloor)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var s assets.Stamp
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, fmt.Errorf("%w: export floor setting: %v", store.ErrCorrupt, err)
	}
	return &s, nil
}

// countWriter counts bytes and reports write progress.
type countWriter struct {
	w  io.Writer
	n  int64
	pr *progressReader // only its report bookkeeping is used
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	c.pr.done = c.n
	c.pr.report(false)
	return n, err
}

// exporter writes one bundle.
type exporter struct {
	ctx     context.Context
	tw      *tar.Writer
	created time.Time
	members []Member
}

func (e *exporter) member(name string, data []byte, sum string) error {
	if err := e.ctx.Err(); err != nil {
		return err
	}
	hdr := &tar.Header{Typeflag: tar.TypeReg, Name: name, Size: int64(len(data)), Mode: 0o644, ModTime: e.created, Format: tar.FormatUSTAR}
	if err := e.tw.WriteHeader(hdr); err != nil {
		return err
	}
	if _, err := e.tw.Write(data); err != nil {
		return err
	}
	if sum == "" {
		sum = sha256Hex(data)
	}
	e.members = append(e.members, Member{Name: name, Size: int64(len(data)), SHA256: sum})
	return nil
}

// included reports whether a record goes into the bundle: everything
// stamped after the floor.
func included(meta *assets.Meta, since *assets.Stamp) bool {
	return since == nil || meta.Version.Compare(*since) > 0
}

// blobOf returns the evidence blob a record needs, if any.
func blobOf(kind store.Kind, raw []byte) (string, error) {
	switch kind {
	case store.KindEvidence:
		return evidenceSHA(raw)
	case KindConflict:
		var c conflictRecord
		if err := json.Unmarshal(raw, &c); err != nil {
			return "", err
		}
		if c.RecordKind == string(store.KindEvidence) {
			return evidenceSHA(c.Record)
		}
	}
	return "", nil
}

func exportStore(ctx context.Context, st *store.Store, out string, opts ExportOptions) (res ExportResult, err error) {
	unlock := lockStore(st)
	defer unlock()
	recips, nrecips, err := recipients(st, opts)
	if err != nil {
		return res, err
	}
	keyStore := st
	if opts.SignWith != nil {
		keyStore = opts.SignWith.Store()
	}
	if err := storeCheckpoint(ctx, st, keyStore); err != nil {
		return res, fmt.Errorf("export: change-log checkpoint: %w", err)
	}
	key, err := deviceKey(ctx, keyStore)
	if err != nil {
		return res, err
	}
	auditID, title, err := localAudit(st)
	if err != nil {
		return res, err
	}
	if auditID == "" {
		return res, errors.New("export: the workspace holds no audit record")
	}
	// Everything stamped from here on goes into the next incremental
	// export. The clock may carry a stamp seen from another device with our
	// device ID, so the floor is the next counter value, with no device:
	// after every stamp held now, before every stamp issued later.
	nextFloor := st.Clock().Next() // saturates, never wraps below the clock
	nextFloor.Device = ""
	var since *assets.Stamp
	if opts.SinceLast {
		if since, err = readFloor(st); err != nil {
			return res, err
		}
	}
	progress := &progressReader{ctx: ctx, stage: StageScan, fn: opts.Progress}

	// First pass: which evidence blobs the bundle needs.
	need := map[string]bool{}
	var estimate int64
	err = st.ScanAll(func(kind store.Kind, raw []byte, _ bool) error {
		estimate += int64(len(raw))
		progress.done = estimate
		progress.report(false)
		if kind != store.KindEvidence && kind != KindConflict {
			return nil
		}
		meta, err := decodeMeta(raw)
		if err != nil {
			return err
		}
		if !included(&meta, since) {
			return nil
		}
		sha, err := blobOf(kind, raw)
		if err != nil {
			return fmt.Errorf("%w: %s %s: %v", store.ErrCorrupt, kind, meta.ID, err)
		}
		if sha != "" && !need[sha] {
			need[sha] = true
			var ev struct {
				Size int64 `json:"size"`
			}
			json.Unmarshal(raw, &ev)
			estimate += ev.Size
		}
		return nil
	})
	if err != nil {
		return res, fmt.Errorf("export: %w", err)
	}

	tmp := out + ".part"
	f, err := createPart(tmp, out+".minisig.part")
	if err != nil {
		return res, fmt.Errorf("export: %w", err)
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
			os.Remove(out + ".minisig.part")
		}
	}()
	digest, _ := blake2b.New512(nil)
	progress = &progressReader{ctx: ctx, stage: StageWrite, total: estimate, fn: opts.Progress}
	sink := newSink(f, digest)
	defer sink.Close()
	cw := &countWriter{w: sink, pr: progress}
	aw, err := age.Encrypt(cw, recips...)
	if err != nil {
		return res, fmt.Errorf("export: encrypt: %w", err)
	}
	created := time.Now().UTC().Truncate(time.Second)
	e := &exporter{ctx: ctx, tw: tar.NewWriter(aw), created: created}
	signer := key.pub.info()
	hdr := Header{Format: headerFormat, FormatVersion: FormatVersion, SchemaVersion: store.SchemaVersion,
		AuditID: auditID, AuditTitle: title, Device: st.Device(), Author: st.Author(),
		Signer: signer.PublicKey, SignerKeyID: signer.KeyID, Created: created, Since: since}
	hb, _ := json.MarshalIndent(hdr, "", "  ")
	if err = e.member(headerName, append(hb, '\n'), ""); err != nil {
		return res, fmt.Errorf("export: %w", err)
	}
	records := readRecordChunks(st, since, need)
	defer records.close()
	if err = writeBlobs(st, e, need); err != nil {
		return res, fmt.Errorf("export: %w", err)
	}
	counts, versions, err := writeRecords(e, records)
	if err != nil {
		return res, fmt.Errorf("export: %w", err)
	}
	man := Manifest{Format: manifestFormat, FormatVersion: FormatVersion, SchemaVersion: store.SchemaVersion,
		AuditID: auditID, Device: st.Device(), SignerKeyID: signer.KeyID, Since: since, Versions: versions,
		Records: counts, Blobs: len(need), Members: e.members}
	mb, _ := json.MarshalIndent(man, "", "  ")
	if err = e.member(manifestName, append(mb, '\n'), ""); err != nil {
		return res, fmt.Errorf("export: %w", err)
	}
	if err = e.tw.Close(); err != nil {
		return res, fmt.Errorf("export: %w", err)
	}
	if err = aw.Close(); err != nil {
		return res, fmt.Errorf("export: %w", err)
	}
	if err = sink.Close(); err != nil {
		return res, fmt.Errorf("export: %w", err)
	}
	// The file reaches the disk while the hash catches up and the signature
	// is written.
	synced := make(chan error, 1)
	go func() { synced <- f.Sync() }()
	sink.waitHash()
	sig := key.sign(digest.Sum(nil), created)
	sigErr := writeSync(out+".minisig.part", sig)
	if err = <-synced; err != nil {
		return res, fmt.Errorf("export: %w", err)
	}
	if sigErr != nil {
		return res, fmt.Errorf("export: signature: %w", sigErr)
	}
	if err = f.Close(); err != nil {
		return res, fmt.Errorf("export: %w", err)
	}
	if err = os.Rename(tmp, out); err != nil {
		return res, fmt.Errorf("export: %w", err)
	}
	if err = os.Rename(out+".minisig.part", out+".minisig"); err != nil {
		return res, fmt.Errorf("export: signature: %w", err)
	}
	syncDir(filepath.Dir(out))
	progress.report(true)
	fb, _ := json.Marshal(nextFloor)
	if err = st.PutSetting(settingFloor, fb); err != nil {
		return res, fmt.Errorf("export: bundle written, but the export mark was not saved (the next --since-last export repeats more): %w", err)
	}
	return ExportResult{File: out, Signature: out + ".minisig", Size: cw.n, Records: counts, Blobs: len(need),
		Since: since, Signer: signer, Recipients: nrecips}, nil
}

// writeBlobs writes the needed evidence files in name order. Two readers
// take turns: while one file is written, the other is read, decrypted and
// checked inside the store, and neither is copied out of it, so at most
// two files are in memory at once.
func writeBlobs(st *store.Store, e *exporter, need map[string]bool) error {
	shas := make([]string, 0, len(need))
	for s := range need {
		shas = append(shas, s)
	}
	slices.Sort(shas)
	type loaded struct {
		data []byte
		err  error
	}
	const readers = 2
	slots := make([]chan loaded, len(shas))  // reader → writer: file i
	written := make([]chan error, len(shas)) // writer → reader: done with file i
	for i := range shas {
		slots[i] = make(chan loaded, 1)
		written[i] = make(chan error, 1)
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	defer wg.Wait() // no reader may be inside the store after Export returns
	defer close(done)
	for r := range min(readers, len(shas)) {
		wg.Go(func() {
			for i := r; i < len(shas); i += readers {
				handed := false
				err := st.ReadBlob(shas[i], func(data []byte) error {
					handed = true
					slots[i] <- loaded{data: data}
					select {
					case err := <-written[i]:
						return err
					case <-done:
						return context.Canceled
					}
				})
				if !handed {
					slots[i] <- loaded{err: err} // names the blob
				}
				if err != nil {
					return
				}
			}
		})
	}
	for i, s := range shas {
		l := <-slots[i]
		if l.err != nil {
			return l.err
		}
		err := e.member(blobName(s), l.data, s)
		written[i] <- err
		if err != nil {
			return err
		}
	}
	return nil
}

// recordChunks reads the included records, kind by kind, into chunk
// members on its own goroutine while the evidence files are written; at
// most chunksAhead chunks wait in memory. Evidence whose blob was not
// gathered (attached during the export) is left for the next export: its
// stamp is after the new floor.
type recordChunks struct {
	chunks   chan recordChunk
	stop     chan struct{}
	stopOnce sync.Once
	wg       sync.WaitGroup
	// Set when chunks is closed:
	counts   map[string]int
	versions *StampRange
	err      error
}

type recordChunk struct {
	name string
	data []byte
	sum  string
}

const chunksAhead = 4

func readRecordChunks(st *store.Store, since *assets.Stamp, blobs map[string]bool) *recordChunks {
	r := &recordChunks{chunks: make(chan recordChunk, chunksAhead), stop: make(chan struct{}), counts: map[string]int{}}
	r.wg.Go(func() {
		defer close(r.chunks)
		r.err = r.read(st, since, blobs)
	})
	return r
}

// close stops reading and waits for the reader to leave the store.
func (r *recordChunks) close() {
	r.stopOnce.Do(func() { close(r.stop) })
	r.wg.Wait()
}

func (r *recordChunks) read(st *store.Store, since *assets.Stamp, blobs map[string]bool) error {
	var buf []byte
	cur, n := "", 0
	flush := func() error {
		if len(buf) == 0 {
			return nil
		}
		n++
		c := recordChunk{name: chunkName(cur, n), data: buf, sum: sha256Hex(buf)}
		buf = nil
		select {
		case r.chunks <- c:
			return nil
		case <-r.stop:
			return context.Canceled
		}
	}
	err := st.ScanAll(func(kind store.Kind, raw []byte, deleted bool) error {
		k := string(kind)
		if !validKindName(k) {
			return fmt.Errorf("record kind %q cannot travel in a bundle", k)
		}
		meta, err := decodeMeta(raw)
		if err != nil {
			return fmt.Errorf("%s: %w", k, err)
		}
		if meta.Deleted != deleted {
			return fmt.Errorf("%w: %s %s: deleted mark and record disagree", store.ErrCorrupt, k, meta.ID)
		}
		if !included(&meta, since) {
			return nil
		}
		if sha, _ := blobOf(kind, raw); sha != "" && !blobs[sha] {
			return nil
		}
		if k != cur {
			if err := flush(); err != nil {
				return err
			}
			cur, n = k, 0
		}
		line := compact(raw)
		if len(line) > maxRecordSize {
			return fmt.Errorf("%s %s is larger than %d bytes", k, meta.ID, maxRecordSize)
		}
		if len(buf) > 0 && len(buf)+len(line)+1 > chunkTarget {
			if err := flush(); err != nil {
				return err
			}
		}
		if buf == nil {
			buf = make([]byte, 0, chunkTarget)
		}
		buf = append(append(buf, line...), '\n')
		r.counts[k]++
		r.versions = r.versions.add(meta.Version)
		return nil
	})
	if err == nil {
		err = flush()
	}
	return err
}

// writeRecords writes the chunks read so far and the rest as they come.
func writeRecords(e *exporter, r *recordChunks) (map[string]int, *StampRange, error) {
	for c := range r.chunks {
		if err := e.member(c.name, c.data, c.sum); err != nil {
			return nil, nil, err
		}
	}
	r.close()
	return r.counts, r.versions, r.err
}

// processStart dates this process: a part file last written before it was
// left by an export that was killed (no export of this process wrote it).
var processStart = time.Now()

// createPart creates an export's part file, exclusively. Part files an
// export killed mid-write left behind (last written before this process
// started) are removed first, the signature's too; a part file written
// since belongs to an export still running, which is not clobbered.
func createPart(tmp, sigTmp string) (*os.File, error) {
	for _, p := range []string{tmp, sigTmp} {
		if fi, err := os.Lstat(p); err == nil && fi.Mode().IsRegular() && fi.ModTime().Before(processStart) {
			os.Remove(p)
		}
	}
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return nil, fmt.Errorf("another export to %s is in progress (%s is being written); if none is, delete %s", strings.TrimSuffix(tmp, ".part"), tmp, tmp)
	}
	return f, err
}

func writeSync(path string, b []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}
