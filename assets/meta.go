package assets

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"math"
	"time"
)

// Stamp is a hybrid-logical-clock version: wall time in nanoseconds, a
// counter for events within the same nanosecond (or while the wall clock
// runs behind the last stamp), and the device that made it as tie-break.
type Stamp struct {
	Wall    int64  `json:"wall"`
	Logical uint32 `json:"logical,omitempty"`
	Device  string `json:"device"`
}

// Compare orders stamps totally: by wall time, then counter, then device.
func (s Stamp) Compare(o Stamp) int {
	switch {
	case s.Wall < o.Wall:
		return -1
	case s.Wall > o.Wall:
		return 1
	case s.Logical < o.Logical:
		return -1
	case s.Logical > o.Logical:
		return 1
	case s.Device < o.Device:
		return -1
	case s.Device > o.Device:
		return 1
	}
	return 0
}

// IsZero reports whether the stamp was never set.
func (s Stamp) IsZero() bool { return s.Wall == 0 && s.Logical == 0 && s.Device == "" }

// Time is the wall-clock part as a time.
func (s Stamp) Time() time.Time { return time.Unix(0, s.Wall).UTC() }

// Next is the smallest stamp of this device after s: the counter moves on,
// and carries into the wall time at its maximum instead of wrapping below
// s. At the largest stamp there is, s itself is returned.
func (s Stamp) Next() Stamp {
	switch {
	case s.Logical < math.MaxUint32:
		s.Logical++
	case s.Wall < math.MaxInt64:
		s.Wall, s.Logical = s.Wall+1, 0
	}
	return s
}

func (s Stamp) String() string {
	return fmt.Sprintf("%d.%d@%s", s.Wall, s.Logical, s.Device)
}

// MaxHistory bounds Meta.Prev: enough to recognise a fast-forward after a
// few edits on one laptop; beyond it a merge reports a conflict rather than
// guessing, which loses nothing.
const MaxHistory = 8

// Meta is the bookkeeping every stored record carries.
type Meta struct {
	ID        string  `json:"id"`
	Version   Stamp   `json:"version"`
	Prev      []Stamp `json:"prev,omitempty"` // earlier versions, newest first
	ChangedBy string  `json:"changed_by,omitempty"`
	Deleted   bool    `json:"deleted,omitempty"` // tombstone: kept so deletes merge
}

// RecordMeta gives storage access to the embedded Meta of any record.
func (m *Meta) RecordMeta() *Meta { return m }

// Descends reports whether this record's history contains v, i.e. this
// version was made, directly or after a few steps, from v.
func (m *Meta) Descends(v Stamp) bool {
	if m.Version == v {
		return true
	}
	for _, p := range m.Prev {
		if p == v {
			return true
		}
	}
	return false
}

// Record is any value that embeds Meta.
type Record interface {
	RecordMeta() *Meta
}

// NewID returns a random 128-bit identifier as 32 hex digits.
func NewID() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return hex.EncodeToString(b[:])
}
