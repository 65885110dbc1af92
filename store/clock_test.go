package store

import (
	"context"
	"encoding/json"
	"math"
	"testing"
	"time"

	"github.com/zonewalk/zonewalk/assets"
)

func putForeign(t *testing.T, s *Store, id string, v assets.Stamp) {
	t.Helper()
	raw, _ := json.Marshal(assets.Zone{Meta: assets.Meta{ID: id, Version: v}, Name: id})
	if err := s.Update(context.Background(), func(tx *Tx) error { return tx.PutRaw(KindZone, raw) }); err != nil {
		t.Fatal(err)
	}
}

// A stamp far ahead of the real time (a laptop whose clock says 2200) is
// never adopted: local edits keep real-time stamps.
func TestClockIgnoresFarFutureStamp(t *testing.T) {
	s, _ := newPlain(t)
	before := s.Clock()
	putForeign(t, s, "z2200", assets.Stamp{Wall: time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC).UnixNano(), Device: "skewed"})
	if got := s.Clock(); got != before {
		t.Fatalf("clock moved from %v to %v", before, got)
	}
	z := &assets.Zone{Name: "Local"}
	if err := s.Put(KindZone, z); err != nil {
		t.Fatal(err)
	}
	if d := time.Until(z.Version.Time()); d > time.Minute {
		t.Fatalf("local edit stamped %v ahead of now", d)
	}
}

// A counter at its maximum carries into the wall time; it never wraps
// below the stamp before it.
func TestClockCounterSaturates(t *testing.T) {
	s, _ := newPlain(t)
	ahead := assets.Stamp{Wall: time.Now().Add(time.Hour).UnixNano(), Logical: math.MaxUint32, Device: "fast"}
	putForeign(t, s, "zfast", ahead)
	z := &assets.Zone{Name: "Local"}
	if err := s.Put(KindZone, z); err != nil {
		t.Fatal(err)
	}
	if z.Version.Compare(ahead) <= 0 {
		t.Fatalf("local edit %v sorts before the merged %v", z.Version, ahead)
	}

	top := assets.Stamp{Wall: math.MaxInt64, Logical: math.MaxUint32, Device: s.Device()}
	s.mu.Lock()
	s.clock = top
	next := s.tick()
	s.mu.Unlock()
	if next.Compare(top) < 0 {
		t.Fatalf("tick at the largest stamp wrapped to %v", next)
	}
}
