package store

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/zonewalk/zonewalk/assets"
)

// The stored head is what catches a cut tail: this laptop's last entries
// removed outright (not tombstoned) leave a chain that holds together up
// to where it was cut, and only the head, read back at the next open,
// says that it went further.
func TestVerifyCatchesCutTailAfterReopen(t *testing.T) {
	for _, cut := range []int{1, 2, 4} {
		s, dir := newPlain(t)
		a := &assets.Asset{Tag: "PLC-1", Type: assets.TypePLC}
		for _, fw := range []string{"V1", "V2", "V3", "V4"} {
			a.Firmware = fw
			if err := s.Put(KindAsset, a); err != nil {
				t.Fatal(err)
			}
		}
		device := s.Device()
		if err := s.Update(context.Background(), func(tx *Tx) error {
			for seq := 4; seq > 4-cut; seq-- {
				tx.del(recordKey(KindChange, ChangeID(device, uint64(seq))))
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		s.Close()
		s, err := Open(dir, OpenOptions{Author: "tester"})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		if h := s.ChangeHead(); h.Seq != 4 {
			t.Errorf("cut %d: head read back at entry %d, want 4", cut, h.Seq)
		}
		_, err = s.VerifyChanges()
		var ce *ChainError
		if !errors.As(err, &ce) || ce.Device != device || !strings.Contains(ce.Reason, "head says entry 4") && !strings.Contains(ce.Reason, "no entries") {
			t.Errorf("cut %d: verify: %v", cut, err)
		}
	}
}
