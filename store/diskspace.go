package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/dgraph-io/badger/v4"
)

// Full disks. Badger writes its memtable log (.mem) and value log through
// mmapped files that it preallocates sparse; on a full filesystem such a
// write is not ENOSPC but SIGBUS, which kills the process, possibly after
// the data landed. So free space is checked before opening writable and
// before every commit, against an estimate of what Badger may write on its
// own afterwards, and a write that might not fit is refused before any of
// it is written.

// compactionHeadroom caps what a compaction may write before it deletes
// the tables it replaces (bounded too by the data there is).
const compactionHeadroom = 64 << 20

// spaceSlack covers the small files Badger rewrites (manifest, discard
// statistics of 1 MiB, value-log header, key registry) and the file system.
const spaceSlack = 3 << 20

// baseReserve is what Badger may write without being asked: fill one
// memtable log (its whole arena), flush it into a table, and compact.
func baseReserve(o badger.Options, lsm int64) int64 {
	arena := o.MemTableSize + 2*(15*o.MemTableSize/100) // memtable + batch overhead (Badger's arenaSize)
	return arena + o.MemTableSize + min(lsm+o.MemTableSize, compactionHeadroom) + spaceSlack
}

// tableBytes sums the LSM tables in a Badger directory (cheaper and more
// current than DB.Size, which is refreshed once a minute).
func tableBytes(dir string) int64 {
	entries, _ := os.ReadDir(dir)
	var n int64
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".sst") {
			if fi, err := e.Info(); err == nil {
				n += fi.Size()
			}
		}
	}
	return n
}

// checkSpace refuses with ErrDiskFull when the filesystem of dir has less
// free space than a write of n bytes may need. When the free space cannot
// be read, it lets the write go (the check is a guard, not a gate).
func checkSpace(dir string, o badger.Options, n int64, what string) error {
	free, err := freeBytes(dir)
	if err != nil {
		return nil
	}
	need := n + baseReserve(o, tableBytes(dir))
	if free >= need {
		return nil
	}
	return fmt.Errorf("%w: %s needs about %s free on the disk of %s, %s is left; nothing was written",
		ErrDiskFull, what, mib(need), dir, mib(free))
}

func mib(n int64) string { return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20)) }

// existingParent is dir or its nearest existing ancestor, whose filesystem
// a new workspace in dir would be on.
func existingParent(dir string) string {
	for d := filepath.Clean(dir); ; d = filepath.Dir(d) {
		if _, err := os.Stat(d); err == nil || filepath.Dir(d) == d {
			return d
		} else if !errors.Is(err, os.ErrNotExist) {
			return d
		}
	}
}
