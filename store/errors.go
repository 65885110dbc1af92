package store

import "errors"

var (
	// ErrNotFound: no live record (or blob, or setting) under that key.
	ErrNotFound = errors.New("not found")
	// ErrWrongPassphrase: the passphrase does not unlock this workspace.
	ErrWrongPassphrase = errors.New("wrong passphrase")
	// ErrLocked: another process has the workspace open.
	ErrLocked = errors.New("workspace is already open in another process")
	// ErrNotWorkspace: the directory holds no Zonewalk workspace.
	ErrNotWorkspace = errors.New("not a Zonewalk workspace")
	// ErrNewerSchema: the workspace was written by a newer Zonewalk.
	ErrNewerSchema = errors.New("workspace was written by a newer version of Zonewalk")
	// ErrExists: creating a workspace where one (or other files) already is.
	ErrExists = errors.New("directory is not empty")
	// ErrPassphraseRequired: an encrypted workspace needs a passphrase.
	ErrPassphraseRequired = errors.New("workspace is encrypted: a passphrase is required")
	// ErrPassphraseTooShort: a new encrypted workspace needs a passphrase of
	// at least MinPassphraseLength characters.
	ErrPassphraseTooShort = errors.New("passphrase too short")
	// ErrCorrupt: stored data failed a checksum or could not be decoded.
	ErrCorrupt = errors.New("workspace data is damaged")
	// ErrDiskFull: the disk has too little free space for the write; the
	// error says whether anything of it was written.
	ErrDiskFull = errors.New("disk full")
	// ErrReadOnly: a write to a workspace opened with OpenOptions.ReadOnly.
	ErrReadOnly = errors.New("workspace is open read-only")
	// ErrTooLarge: a blob over MaxBlobSize.
	ErrTooLarge = errors.New("too large")
)

// errHeld: lockExclusive found the lock taken (reported as ErrLocked).
var errHeld = errors.New("lock held")
