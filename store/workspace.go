package store

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"
	"unicode/utf8"

	"github.com/dgraph-io/badger/v4"
	"github.com/dgraph-io/badger/v4/options"
	"golang.org/x/crypto/argon2"

	"github.com/zonewalk/zonewalk/assets"
	"github.com/zonewalk/zonewalk/assets/english"
)

// SchemaVersion is the workspace format this program writes and the newest
// it reads.
const SchemaVersion = 1

const (
	headerName   = "zonewalk-workspace.json"
	dataDir      = "data"
	headerFormat = "zonewalk-workspace"
)

// header is the plaintext description of a workspace. It is written once at
// creation and never rewritten, so opening a workspace changes nothing in it.
type header struct {
	Format     string    `json:"format"`
	Version    int       `json:"version"`
	Created    time.Time `json:"created"`
	Encryption *kdf      `json:"encryption,omitempty"`
}

// kdf records how the data key is derived from the passphrase, and a check
// value so a wrong passphrase is refused before Badger is touched.
type kdf struct {
	Algorithm string `json:"algorithm"` // "argon2id"
	Time      uint32 `json:"time"`
	MemoryKiB uint32 `json:"memory_kib"`
	Threads   uint8  `json:"threads"`
	Salt      []byte `json:"salt"`
	Check     []byte `json:"check"` // HMAC-SHA256(key, checkLabel)
}

const checkLabel = "zonewalk key check v1"

func (k *kdf) derive(passphrase []byte) (key, check []byte) {
	key = argon2.IDKey(passphrase, k.Salt, k.Time, k.MemoryKiB, k.Threads, 32)
	m := hmac.New(sha256.New, key)
	m.Write([]byte(checkLabel))
	return key, m.Sum(nil)
}

// MinPassphraseLength is the fewest characters Create accepts for an
// encrypted workspace. Opening is not affected.
const MinPassphraseLength = 10

// CreateOptions configure a new workspace.
type CreateOptions struct {
	// Passphrase encrypts the workspace. Required unless Unencrypted.
	Passphrase []byte
	// Unencrypted creates a plaintext workspace on purpose (demo, tests).
	Unencrypted bool
	// Author names who makes the changes, recorded on every record.
	Author string
}

// OpenOptions configure opening an existing workspace.
type OpenOptions struct {
	Passphrase []byte
	Author     string
	// ReadOnly opens without writing anything: Badger creates no memtable
	// or value-log file, so reading works on a full disk (and needs no free
	// space). Writes fail with ErrReadOnly. A large write a crash left
	// half-applied cannot be finished read-only: such an open is refused.
	ReadOnly bool
}

// Store is an open workspace.
type Store struct {
	db     *badger.DB
	dir    string
	lock   *os.File
	author string
	// encrypted: the header names a key derivation (else the data, and the
	// device signing key among the settings, are stored in plain form).
	encrypted bool
	readOnly  bool
	opts      badger.Options // for the free-space estimates

	mu         sync.Mutex // serializes writes and the clock
	device     string
	clock      assets.Stamp
	changeHead Head // this laptop's change log (changelog.go)
	// markHeadMoved: keyChangeHead still holds a head (or nothing); the next
	// write replaces it with headMoved.
	markHeadMoved bool
	// benchWithoutLog turns the log off for BenchmarkPutDurable's
	// comparison, and nowhere else.
	benchWithoutLog bool
	closed          bool
}

// IsWorkspace reports whether dir holds a workspace header.
func IsWorkspace(dir string) bool {
	_, err := os.Stat(filepath.Join(dir, headerName))
	return err == nil
}

// IsEncrypted reports whether the workspace in dir needs a passphrase.
func IsEncrypted(dir string) (bool, error) {
	h, err := readHeader(dir)
	if err != nil {
		return false, err
	}
	return h.Encryption != nil, nil
}

// Create makes a new workspace in dir, which must be missing or empty.
func Create(dir string, opts CreateOptions) (*Store, error) {
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		return nil, fmt.Errorf("create workspace %s: %w", dir, ErrExists)
	} else if err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("create workspace %s: %w", dir, err)
	}
	if !opts.Unencrypted && len(opts.Passphrase) == 0 {
		return nil, fmt.Errorf("create workspace %s: %w", dir, ErrPassphraseRequired)
	}
	if n := utf8.RuneCount(opts.Passphrase); !opts.Unencrypted && n < MinPassphraseLength {
		return nil, fmt.Errorf("create workspace %s: %w: %s, at least %d needed "+
			"(Argon2id slows each guess, but a short passphrase is still guessed quickly)", dir, ErrPassphraseTooShort, english.Count(n, "character", "characters"), MinPassphraseLength)
	}
	// Checked before anything is made, so a refused create leaves nothing.
	if err := checkSpace(existingParent(dir), badgerOptions(dir, nil, false), 0, "creating a workspace"); err != nil {
		return nil, fmt.Errorf("create workspace %s: %w", dir, err)
	}
	h := header{Format: headerFormat, Version: SchemaVersion, Created: time.Now().UTC()}
	var key []byte
	if !opts.Unencrypted {
		k := &kdf{Algorithm: "argon2id", Time: 2, MemoryKiB: 64 * 1024, Threads: 2, Salt: make([]byte, 16)}
		if _, err := rand.Read(k.Salt); err != nil {
			return nil, err
		}
		key, k.Check = k.derive(opts.Passphrase)
		h.Encryption = k
	}
	if err := os.MkdirAll(filepath.Join(dir, dataDir), 0o700); err != nil {
		return nil, fmt.Errorf("create workspace: %w", err)
	}
	b, _ := json.MarshalIndent(h, "", "  ")
	if err := writeFileSync(filepath.Join(dir, headerName), append(b, '\n')); err != nil {
		return nil, fmt.Errorf("create workspace: %w", err)
	}
	return open(dir, h, key, opts.Author, false)
}

// Open opens the workspace in dir. Every refusal (not a workspace, newer
// schema, locked, wrong passphrase) happens before anything is written.
func Open(dir string, opts OpenOptions) (*Store, error) {
	h, err := readHeader(dir)
	if err != nil {
		return nil, err
	}
	var key []byte
	if h.Encryption != nil {
		if len(opts.Passphrase) == 0 {
			return nil, fmt.Errorf("open %s: %w", dir, ErrPassphraseRequired)
		}
		var check []byte
		key, check = h.Encryption.derive(opts.Passphrase)
		if !hmac.Equal(check, h.Encryption.Check) {
			return nil, fmt.Errorf("open %s: %w", dir, ErrWrongPassphrase)
		}
	}
	return open(dir, h, key, opts.Author, opts.ReadOnly)
}

func readHeader(dir string) (header, error) {
	var h header
	b, err := os.ReadFile(filepath.Join(dir, headerName))
	if errors.Is(err, os.ErrNotExist) {
		return h, fmt.Errorf("%s: %w (no %s)", dir, ErrNotWorkspace, headerName)
	} else if err != nil {
		return h, fmt.Errorf("%s: %w", dir, err)
	}
	if err := json.Unmarshal(b, &h); err != nil || h.Format != headerFormat {
		return h, fmt.Errorf("%s: %w (unreadable %s)", dir, ErrNotWorkspace, headerName)
	}
	if h.Version > SchemaVersion {
		return h, fmt.Errorf("%s: %w (format %d, this program knows up to %d)", dir, ErrNewerSchema, h.Version, SchemaVersion)
	}
	if h.Encryption != nil {
		if err := h.Encryption.valid(); err != nil {
			return h, fmt.Errorf("%s: %w (damaged or foreign %s: %v)", dir, ErrNotWorkspace, headerName, err)
		}
	}
	return h, nil
}

// Bounds of the key-derivation settings. The header is plaintext that anyone
// can edit, so values beyond these (which Create never writes) would let a
// damaged or planted header exhaust memory or run Argon2id for days before
// the passphrase check, ignoring SIGTERM.
const (
	kdfMaxTime      = 16
	kdfMinMemoryKiB = 8 << 10 // 8 MiB
	kdfMaxMemoryKiB = 1 << 20 // 1 GiB
	kdfMaxThreads   = 16
	kdfMinSalt      = 16
	kdfMaxSalt      = 64
)

func (k *kdf) valid() error {
	switch {
	case k.Algorithm != "argon2id":
		return fmt.Errorf("key derivation %q, want argon2id", k.Algorithm)
	case k.Time < 1 || k.Time > kdfMaxTime:
		return fmt.Errorf("argon2id time %d outside 1..%d", k.Time, kdfMaxTime)
	case k.MemoryKiB < kdfMinMemoryKiB || k.MemoryKiB > kdfMaxMemoryKiB:
		return fmt.Errorf("argon2id memory %d KiB outside %d..%d", k.MemoryKiB, kdfMinMemoryKiB, kdfMaxMemoryKiB)
	case k.Threads < 1 || k.Threads > kdfMaxThreads:
		return fmt.Errorf("argon2id threads %d outside 1..%d", k.Threads, kdfMaxThreads)
	case len(k.Salt) < kdfMinSalt || len(k.Salt) > kdfMaxSalt:
		return fmt.Errorf("salt of %d bytes outside %d..%d", len(k.Salt), kdfMinSalt, kdfMaxSalt)
	case len(k.Check) != sha256.Size:
		return fmt.Errorf("check value of %d bytes, want %d", len(k.Check), sha256.Size)
	}
	return nil
}

func open(dir string, h header, key []byte, author string, readOnly bool) (*Store, error) {
	// Our own lock on the (never rewritten) header, taken before Badger is
	// opened, so a second process is refused without touching data/.
	lock, err := os.Open(filepath.Join(dir, headerName))
	if err != nil {
		return nil, err
	}
	if err := lockExclusive(lock); err != nil {
		lock.Close()
		if errors.Is(err, errHeld) {
			return nil, fmt.Errorf("open %s: %w", dir, ErrLocked)
		}
		return nil, fmt.Errorf("open %s: lock: %w", dir, err)
	}
	opts := badgerOptions(filepath.Join(dir, dataDir), key, readOnly)
	if !readOnly {
		// A writable open already writes: a new memtable log, a value-log
		// header, the replay of logs left over.
		if err := checkSpace(opts.Dir, opts, 0, "opening the workspace for writing"); err != nil {
			lock.Close()
			return nil, fmt.Errorf("open %s: %w", dir, err)
		}
	}
	if !readOnly {
		if err := dropEmptyMemtables(opts.Dir); err != nil {
			lock.Close()
			return nil, fmt.Errorf("open %s: %w", dir, err)
		}
	}
	db, err := badger.Open(opts)
	if err != nil {
		lock.Close()
		return nil, fmt.Errorf("open %s: %w", dir, translate(err))
	}
	s := &Store{db: db, dir: dir, lock: lock, author: author, encrypted: h.Encryption != nil, readOnly: readOnly, opts: opts}
	if err := s.init(); err != nil {
		db.Close()
		lock.Close()
		return nil, fmt.Errorf("open %s: %w", dir, err)
	}
	return s, nil
}

// badgerOptions sizes Badger for a laptop: its defaults reserve hundreds of
// megabytes of caches and tables that an audit of 100,000 assets never needs.
// The memtable is small because its log file is what a nearly full disk
// must still have room for (see checkSpace); 4 MiB still takes txnBudget.
func badgerOptions(path string, key []byte, readOnly bool) badger.Options {
	o := badger.DefaultOptions(path).
		WithReadOnly(readOnly).
		WithSyncWrites(true).
		WithLogger(nil).
		WithMetricsEnabled(false).
		WithMemTableSize(4 << 20).
		WithNumMemtables(2).
		WithNumLevelZeroTables(4).
		WithNumLevelZeroTablesStall(8).
		WithBaseTableSize(4 << 20).
		WithValueThreshold(64 << 10).
		WithValueLogFileSize(128 << 20).
		WithBlockCacheSize(8 << 20).
		WithIndexCacheSize(4 << 20).
		WithNumCompactors(2).
		WithNumVersionsToKeep(1).
		WithDetectConflicts(false). // we serialize writers ourselves
		WithChecksumVerificationMode(options.OnTableAndBlockRead).
		WithVerifyValueChecksum(true)
	if key != nil {
		o = o.WithEncryptionKey(key).WithEncryptionKeyRotationDuration(30 * 24 * time.Hour)
	}
	return o
}

// translate maps Badger's errors to ours so no caller needs Badger.
func translate(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, badger.ErrKeyNotFound):
		return ErrNotFound
	case errors.Is(err, badger.ErrReadOnlyTxn):
		return fmt.Errorf("%w: %v", ErrReadOnly, err)
	case errors.Is(err, syscall.ENOSPC),
		strings.Contains(err.Error(), "no space left on device"),
		strings.Contains(err.Error(), "not enough space on the disk"): // Windows' ERROR_DISK_FULL
		// Badger wraps many errors as text, so the errno may be lost.
		return fmt.Errorf("%w: %v", ErrDiskFull, err)
	case strings.Contains(err.Error(), "Encryption key mismatch"):
		return fmt.Errorf("%w: %v", ErrWrongPassphrase, err)
	case strings.Contains(err.Error(), "Cannot acquire directory lock"):
		return fmt.Errorf("%w: %v", ErrLocked, err)
	case strings.Contains(strings.ToLower(err.Error()), "checksum"),
		strings.Contains(err.Error(), "corrupt"):
		return fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	return err
}

// Dir is the workspace directory.
func (s *Store) Dir() string { return s.dir }

// Device is this workspace's device ID, the tie-break in version stamps.
func (s *Store) Device() string { return s.device }

// Encrypted reports whether the workspace is encrypted at rest. When it is
// not, everything in it, the device signing key included, is readable by
// anyone with the disk.
func (s *Store) Encrypted() bool { return s.encrypted }

// Author is who changes are recorded as made by.
func (s *Store) Author() string { return s.author }

// SetAuthor changes who later changes are recorded as made by.
func (s *Store) SetAuthor(name string) {
	s.mu.Lock()
	s.author = name
	s.mu.Unlock()
}

// Close flushes and releases the workspace. It is safe to call twice.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	if !s.readOnly {
		// Close flushes the memtable into a table through an mmapped file:
		// on a full disk that would crash. The memtable is safe in its log,
		// so rather keep the workspace open and say so; closing again after
		// space was freed (or the process ending) loses nothing.
		if free, err := freeBytes(s.opts.Dir); err == nil && free < s.opts.MemTableSize+spaceSlack {
			return fmt.Errorf("close %s: %w: %s free; the last changes are safe in the log and are written out at the next open",
				s.dir, ErrDiskFull, mib(free))
		}
	}
	s.closed = true
	err := s.db.Close()
	s.lock.Close()
	return translate(err)
}

// Size reports the bytes Badger holds on disk (LSM tree and value log).
func (s *Store) Size() (lsm, vlog int64) { return s.db.Size() }

func writeFileSync(path string, b []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
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

// dropEmptyMemtables removes memtable logs of 0 bytes. Badger creates one,
// then sizes and maps it; a crash between the two leaves it empty, and
// Badger then refuses to open the database at all ("while opening fid: N
// err: Create a new file"). An empty log never held a record, so removing
// it loses nothing acknowledged.
func dropEmptyMemtables(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		return err
	}
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".mem") {
			continue
		}
		if fi, err := e.Info(); err == nil && fi.Mode().IsRegular() && fi.Size() == 0 {
			if err := os.Remove(filepath.Join(dir, e.Name())); err != nil {
				return err
			}
		}
	}
	return nil
}
