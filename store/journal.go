package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/dgraph-io/badger/v4"
)

// Badger refuses transactions larger than a share of its memtable. Changes
// beyond this budget go through the redo journal instead of one transaction.
const txnBudget = 512 << 10

const prefixJournal = "j/"

// commitOps applies ops atomically and durably: in one Badger transaction
// when they fit, else through the journal.
func (s *Store) commitOps(ctx context.Context, ops []op) error {
	n := opsBytes(ops)
	if opsSize(ops) <= txnBudget {
		if err := checkSpace(s.opts.Dir, s.opts, n, "this change"); err != nil {
			return err
		}
		err := s.db.Update(func(txn *badger.Txn) error { return applyOps(txn, ops) })
		if !errors.Is(err, badger.ErrTxnTooBig) {
			if err != nil {
				return fmt.Errorf("%w; nothing was written", translate(err))
			}
			return nil
		}
	}
	// Through the journal everything is written twice: chunks, then applied.
	if err := checkSpace(s.opts.Dir, s.opts, 2*n, "this change"); err != nil {
		return err
	}
	return s.commitJournal(ctx, ops)
}

// opsBytes is what ops add on disk, values in full (opsSize counts only
// what weighs on a Badger transaction).
func opsBytes(ops []op) int64 {
	var n int64
	for _, o := range ops {
		n += int64(opSize(o))
	}
	return n
}

func opsSize(ops []op) int {
	n := 0
	for _, o := range ops {
		n += len(o.key) + 16
		if len(o.value) < 64<<10 {
			n += len(o.value)
		}
	}
	return n
}

func applyOps(txn *badger.Txn, ops []op) error {
	for _, o := range ops {
		var err error
		if o.discard {
			err = txn.Delete(o.key)
		} else {
			err = txn.SetEntry(badger.NewEntry(o.key, o.value).WithMeta(o.meta))
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// commitJournal writes the ops as journal chunks, then the commit marker
// (the one atomic step), then applies and removes the journal. A crash
// before the marker leaves chunks that the next open drops; after it, the
// next open replays them. Replay is idempotent: ops are plain sets/deletes.
func (s *Store) commitJournal(ctx context.Context, ops []op) error {
	id := fmt.Sprintf("%020d", time.Now().UnixNano())
	var chunks [][]op
	for start := 0; start < len(ops); {
		end, size := start, 0
		for end < len(ops) && (end == start || size+opSize(ops[end]) <= txnBudget/4) {
			size += opSize(ops[end])
			end++
		}
		chunks = append(chunks, ops[start:end])
		start = end
	}
	for i, c := range chunks {
		if ctx.Err() != nil {
			_ = s.dropJournal(id)
			return ctx.Err()
		}
		key := []byte(fmt.Sprintf("%s%s/c%08d", prefixJournal, id, i))
		if err := s.db.Update(func(txn *badger.Txn) error { return txn.Set(key, encodeOps(c)) }); err != nil {
			_ = s.dropJournal(id)
			return fmt.Errorf("%w; nothing was written", translate(err))
		}
	}
	if ctx.Err() != nil {
		_ = s.dropJournal(id)
		return ctx.Err()
	}
	commit := []byte(prefixJournal + id + "/commit")
	if err := s.db.Update(func(txn *badger.Txn) error { return txn.Set(commit, nil) }); err != nil {
		_ = s.dropJournal(id)
		return fmt.Errorf("%w; nothing was written", translate(err))
	}
	if err := s.replayJournal(id); err != nil {
		// Past the commit marker the change counts as made: the next open
		// replays it. A retry would apply it twice, so say so.
		return fmt.Errorf("%w; the change is committed and is completed at the next open (do not repeat it)", err)
	}
	return nil
}

func opSize(o op) int { return len(o.key) + len(o.value) + 16 }

// recoverJournal finishes committed journals and drops uncommitted ones.
func (s *Store) recoverJournal() error {
	committed := map[string]bool{}
	seen := map[string]bool{}
	err := s.db.View(func(txn *badger.Txn) error {
		opts := badger.DefaultIteratorOptions
		opts.Prefix = []byte(prefixJournal)
		opts.PrefetchValues = false
		it := txn.NewIterator(opts)
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			rest := strings.TrimPrefix(string(it.Item().Key()), prefixJournal)
			id, part, _ := strings.Cut(rest, "/")
			seen[id] = true
			if part == "commit" {
				committed[id] = true
			}
		}
		return nil
	})
	if err != nil {
		return translate(err)
	}
	if s.readOnly {
		// Uncommitted chunks are invisible to readers and can wait; a
		// committed journal means records are half-applied.
		if len(committed) > 0 {
			return fmt.Errorf("%w: a large write interrupted by a crash must be completed first: open the workspace for writing once", ErrReadOnly)
		}
		return nil
	}
	for id := range seen {
		if committed[id] {
			err = s.replayJournal(id)
		} else {
			err = s.dropJournal(id)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// replayJournal applies each chunk of a committed journal, then deletes
// the journal, marker last.
func (s *Store) replayJournal(id string) error {
	keys, err := s.keysWithPrefix([]byte(prefixJournal + id + "/c"))
	if err != nil {
		return err
	}
	for _, k := range keys {
		err := s.db.Update(func(txn *badger.Txn) error {
			item, err := txn.Get(k)
			if err != nil {
				return err
			}
			b, err := item.ValueCopy(nil)
			if err != nil {
				return err
			}
			ops, err := decodeOps(b)
			if err != nil {
				return err
			}
			return applyOps(txn, ops)
		})
		if err != nil {
			return fmt.Errorf("replay journal %s: %w", id, translate(err))
		}
	}
	return s.dropJournal(id)
}

// dropJournal deletes a journal's chunks and then its commit marker.
func (s *Store) dropJournal(id string) error {
	keys, err := s.keysWithPrefix([]byte(prefixJournal + id + "/"))
	if err != nil {
		return err
	}
	commit := prefixJournal + id + "/commit"
	for i := 0; i < len(keys); i += 1000 {
		batch := keys[i:min(i+1000, len(keys))]
		err := s.db.Update(func(txn *badger.Txn) error {
			for _, k := range batch {
				if string(k) == commit {
					continue
				}
				if err := txn.Delete(k); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return translate(err)
		}
	}
	return translate(s.db.Update(func(txn *badger.Txn) error { return txn.Delete([]byte(commit)) }))
}

// keysWithPrefix lists the keys under a prefix, in order.
func (s *Store) keysWithPrefix(prefix []byte) ([][]byte, error) {
	var keys [][]byte
	err := s.db.View(func(txn *badger.Txn) error {
		opts := badger.DefaultIteratorOptions
		opts.Prefix = prefix
		opts.PrefetchValues = false
		it := txn.NewIterator(opts)
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			keys = append(keys, it.Item().KeyCopy(nil))
		}
		return nil
	})
	return keys, translate(err)
}
