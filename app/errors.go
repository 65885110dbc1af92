package app

import "github.com/zonewalk/zonewalk/store"

// The store's errors and kinds that callers of app need, so that they
// (the GUI above all) never import the store: it is app's to use.
var (
	ErrWrongPassphrase    = store.ErrWrongPassphrase
	ErrPassphraseRequired = store.ErrPassphraseRequired
	ErrLocked             = store.ErrLocked
	ErrNotWorkspace       = store.ErrNotWorkspace
	ErrNewerSchema        = store.ErrNewerSchema
	ErrExists             = store.ErrExists
	ErrCorrupt            = store.ErrCorrupt
	ErrNotFound           = store.ErrNotFound
	ErrDiskFull           = store.ErrDiskFull
	ErrReadOnly           = store.ErrReadOnly
)

// MinPassphraseLength is the fewest characters a new audit's passphrase
// may have.
const MinPassphraseLength = store.MinPassphraseLength

// Kinds of records that Restore brings back.
const (
	KindZone    = store.KindZone
	KindConduit = store.KindConduit
	KindAsset   = store.KindAsset
)

// IsWorkspace reports whether dir holds a Zonewalk workspace.
func IsWorkspace(dir string) bool { return store.IsWorkspace(dir) }

// IsEncrypted reports whether the workspace in dir is encrypted at rest.
func IsEncrypted(dir string) (bool, error) { return store.IsEncrypted(dir) }
