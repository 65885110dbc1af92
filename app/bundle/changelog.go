package bundle

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"crypto/ed25519"

	"github.com/zonewalk/zonewalk/app"
	"github.com/zonewalk/zonewalk/assets"
	"github.com/zonewalk/zonewalk/store"
)

// changeLine is a change-log entry of a bundle, as the chain check needs it.
type changeLine struct {
	member     string
	line       int
	id         string
	seq        uint64
	prev, hash string
}

var hexHash = regexp.MustCompile(`^[0-9a-f]{64}$`)

// checkChange checks one entry on its own: what `verify` can without a
// workspace.
func checkChange(raw []byte, deleted bool) (store.Change, error) {
	var c store.Change
	if err := json.Unmarshal(raw, &c); err != nil {
		return c, err
	}
	switch {
	case c.Device == "" || strings.ContainsAny(c.Device, "./"):
		return c, fmt.Errorf("device %q", c.Device)
	case c.Seq == 0 || c.ID != store.ChangeID(c.Device, c.Seq):
		return c, fmt.Errorf("ID %s is not entry %d of device %s", c.ID, c.Seq, c.Device)
	case c.Seq == 1 && c.PrevHash != "", c.Seq > 1 && !hexHash.MatchString(c.PrevHash):
		return c, fmt.Errorf("prev_hash %q", c.PrevHash)
	case c.Op != "put" && c.Op != "delete":
		return c, fmt.Errorf("op %q", c.Op)
	case c.Kind == "" || c.Record == "":
		return c, fmt.Errorf("names no record")
	case c.Created != "" && (!hexHash.MatchString(c.Created) || c.Op != "put" || c.Fields != nil):
		return c, fmt.Errorf("created %q: a creation names its content hash only, on a put", c.Created)
	case deleted:
		return c, fmt.Errorf("a change-log entry cannot be deleted")
	}
	return c, nil
}

// checkChains checks that each device's entries in the bundle continue
// that device's chain as the workspace holds it: linked by hash to the
// entry before (in the bundle or here), and identical to any entry the
// workspace already has. A broken chain refuses the whole bundle.
func (c *contents) checkChains(st *store.Store) error {
	devices := make([]string, 0, len(c.changes))
	for d := range c.changes {
		devices = append(devices, d)
	}
	slices.Sort(devices)
	for _, device := range devices {
		lines := c.changes[device]
		slices.SortFunc(lines, func(a, b changeLine) int { return int(a.seq - b.seq) })
		inBundle := map[uint64]string{}
		for _, l := range lines {
			inBundle[l.seq] = l.hash
		}
		fail := func(l changeLine, format string, args ...any) error {
			return &MemberError{Member: l.member, Line: l.line, Err: fmt.Errorf("%w: device %s: entry %d: %s",
				store.ErrChain, device, l.seq, fmt.Sprintf(format, args...))}
		}
		for _, l := range lines {
			if raw, _, err := st.GetRaw(store.KindChange, l.id); err == nil && store.HashEntry(raw) != l.hash {
				return fail(l, "differs from the entry this workspace holds")
			}
			// Incremental bundles may arrive in any order (merging does not
			// depend on it): a link is checked wherever both ends are known.
			if l.seq == 1 && l.prev != "" {
				return fail(l, "the first entry names a predecessor")
			}
			if l.seq > 1 {
				h, ok := inBundle[l.seq-1]
				if !ok {
					if raw, _, err := st.GetRaw(store.KindChange, store.ChangeID(device, l.seq-1)); err == nil {
						h, ok = store.HashEntry(raw), true
					}
				}
				if ok && l.prev != h {
					return fail(l, "prev_hash does not match entry %d", l.seq-1)
				}
			}
			if _, ok := inBundle[l.seq+1]; !ok {
				if raw, _, err := st.GetRaw(store.KindChange, store.ChangeID(device, l.seq+1)); err == nil {
					var next store.Change
					if json.Unmarshal(raw, &next) == nil && next.PrevHash != l.hash {
						return fail(l, "entry %d, which this workspace holds, names another predecessor", l.seq+1)
					}
				}
			}
		}
	}
	return nil
}

// Checkpoint is a device's change-log head signed with its device key, at
// an export (docs/change-log.md).
type Checkpoint struct {
	assets.Meta
	Device    string    `json:"device"`
	Seq       uint64    `json:"seq"`
	Head      string    `json:"head"`
	PublicKey string    `json:"public_key"` // minisign base64 form, as `keys show` prints it
	Signature string    `json:"signature"`  // base64 Ed25519 over CheckpointText
	At        time.Time `json:"at"`
}

// CheckpointText is what a checkpoint's signature covers.
func CheckpointText(device string, seq uint64, head string) string {
	return fmt.Sprintf("zonewalk-change-log-v1 %s %d %s", device, seq, head)
}

// Check verifies the checkpoint's signature with the key it names.
func (cp *Checkpoint) Check() error {
	k, err := parsePubKey(cp.PublicKey)
	if err != nil {
		return fmt.Errorf("checkpoint %s: %w", cp.ID, err)
	}
	sig, err := base64.StdEncoding.DecodeString(cp.Signature)
	if err != nil || !ed25519.Verify(k.key, []byte(CheckpointText(cp.Device, cp.Seq, cp.Head)), sig) {
		return fmt.Errorf("%w: checkpoint %s: the signature does not match", store.ErrChain, cp.ID)
	}
	return nil
}

// SignCheckpoint signs the change-log head of st with the device key of
// keys (the same store, or for a redacted copy the laptop that made it).
func SignCheckpoint(ctx context.Context, st, keys *store.Store) (Checkpoint, error) {
	key, err := deviceKey(ctx, keys)
	if err != nil {
		return Checkpoint{}, err
	}
	h := st.ChangeHead()
	cp := Checkpoint{Meta: assets.Meta{ID: fmt.Sprintf("%s.%012d", h.Device, h.Seq)}, Device: h.Device, Seq: h.Seq, Head: h.Hash,
		PublicKey: key.pub.info().PublicKey, At: time.Now().UTC().Truncate(time.Second)}
	cp.Signature = base64.StdEncoding.EncodeToString(ed25519.Sign(key.priv, []byte(CheckpointText(cp.Device, cp.Seq, cp.Head))))
	return cp, nil
}

// storeCheckpoint records a signed checkpoint of this laptop's head before
// an export, unless one for that head exists.
func storeCheckpoint(ctx context.Context, st, keys *store.Store) error {
	h := st.ChangeHead()
	if h.Seq == 0 {
		return nil
	}
	cp, err := SignCheckpoint(ctx, st, keys)
	if err != nil {
		return err
	}
	return st.Update(ctx, func(tx *store.Tx) error {
		if _, _, err := tx.GetRaw(store.KindChangeCheckpoint, cp.ID); err == nil {
			return nil
		}
		return tx.Put(store.KindChangeCheckpoint, &cp)
	})
}

// VerifyLog checks every change-log chain of a workspace and every
// checkpoint against them: the signature, and the head it names.
func VerifyLog(w *app.Workspace) ([]store.Head, int, error) {
	st := w.Store()
	heads, err := st.VerifyChanges()
	if err != nil {
		return heads, 0, err
	}
	n := 0
	err = st.Scan(store.KindChangeCheckpoint, func(raw []byte) error {
		var cp Checkpoint
		if err := json.Unmarshal(raw, &cp); err != nil {
			return fmt.Errorf("%w: checkpoint: %v", store.ErrChain, err)
		}
		if err := cp.Check(); err != nil {
			return err
		}
		entry, _, err := st.GetRaw(store.KindChange, store.ChangeID(cp.Device, cp.Seq))
		if err != nil || store.HashEntry(entry) != cp.Head {
			return &store.ChainError{Device: cp.Device, Seq: cp.Seq, Reason: "differs from the head its signed checkpoint names"}
		}
		n++
		return nil
	})
	return heads, n, err
}
