package bundle

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/zonewalk/zonewalk/assets"
)

// replica is one laptop's view of a single record in the pure model.
type replica struct {
	name  string
	clock int64
	heads []version
}

func (r *replica) see(v version) {
	r.clock = max(r.clock, v.meta.Version.Wall)
	r.heads, _ = mergeHeads(r.heads, v)
}

func (r *replica) stamp(rng *rand.Rand) assets.Stamp {
	r.clock += int64(1 + rng.IntN(3))
	return assets.Stamp{Wall: r.clock, Device: r.name}
}

// edit makes a new version from the winner, as Tx.Put and Tx.Delete do.
func (r *replica) edit(rng *rand.Rand) {
	m := assets.Meta{ID: "rec", Version: r.stamp(rng), Deleted: rng.IntN(4) == 0}
	if len(r.heads) > 0 {
		w := r.heads[winner(r.heads)].meta
		m.Prev = append([]assets.Stamp{w.Version}, w.Prev...)
		if len(m.Prev) > assets.MaxHistory {
			m.Prev = m.Prev[:assets.MaxHistory]
		}
	}
	r.heads, _ = mergeHeads(r.heads, version{meta: m})
}

// resolve settles one conflict as Resolve does: a version after both.
func (r *replica) resolve(rng *rand.Rand) bool {
	if len(r.heads) < 2 {
		return false
	}
	wi := winner(r.heads)
	w := r.heads[wi].meta
	ci := rng.IntN(len(r.heads) - 1)
	if ci >= wi {
		ci++
	}
	prev := append([]assets.Stamp{w.Version}, w.Prev...)
	m := assets.Meta{ID: "rec", Version: r.stamp(rng), Prev: joinHistory(prev, r.heads[ci].meta)}
	r.heads, _ = mergeHeads(r.heads, version{meta: m})
	return true
}

func headSet(heads []version) string {
	var s []string
	for _, h := range heads {
		s = append(s, h.meta.Version.String())
	}
	slices.Sort(s)
	return fmt.Sprintf("winner %s heads %s", heads[winner(heads)].meta.Version, strings.Join(s, " "))
}

// TestMergeHeadsOrderFree runs random edit histories of one record on
// three laptops, with exchanges, deletes and resolutions (at most
// MaxHistory versions, so histories are whole), and checks that a fourth
// laptop ends with the same record and conflicts whatever order the
// bundles arrive in, and that repeating a bundle changes nothing.
func TestMergeHeadsOrderFree(t *testing.T) {
	iterations := 5000
	if testing.Short() {
		iterations = 500
	}
	for seed := range uint64(iterations) {
		rng := rand.New(rand.NewPCG(seed, 62443))
		laptops := []*replica{{name: "a"}, {name: "b"}, {name: "c"}}
		laptops[0].edit(rng)
		base := slices.Clone(laptops[0].heads)
		for _, l := range laptops[1:] {
			for _, v := range base {
				l.see(v)
			}
		}
		var bundles [][]version
		for versions := 1; versions < assets.MaxHistory; {
			l := laptops[rng.IntN(len(laptops))]
			switch rng.IntN(5) {
			case 0, 1:
				l.edit(rng)
				versions++
			case 2:
				if l.resolve(rng) {
					versions++
				}
			case 3: // an exchange between two laptops
				to := laptops[rng.IntN(len(laptops))]
				for _, v := range l.heads {
					to.see(v)
				}
			case 4:
				bundles = append(bundles, slices.Clone(l.heads))
			}
		}
		for _, l := range laptops {
			bundles = append(bundles, slices.Clone(l.heads))
		}
		want := ""
		for perm := 0; perm < 6; perm++ {
			order := rng.Perm(len(bundles))
			r := &replica{name: "d"}
			for _, v := range base {
				r.see(v)
			}
			for _, i := range order {
				for _, j := range rng.Perm(len(bundles[i])) {
					r.see(bundles[i][j])
				}
			}
			got := headSet(r.heads)
			for _, i := range order { // every bundle again: nothing changes
				for _, v := range bundles[i] {
					if _, changed := mergeHeads(r.heads, v); changed {
						t.Fatalf("seed %d: repeating %s changed the heads %s", seed, v.meta.Version, got)
					}
				}
			}
			if perm == 0 {
				want = got
			} else if got != want {
				t.Fatalf("seed %d: order %v gives %s, first order gives %s", seed, order, got, want)
			}
		}
	}
}

func TestMergeHeadsCases(t *testing.T) {
	st := func(w int64, d string) assets.Stamp { return assets.Stamp{Wall: w, Device: d} }
	v := func(s assets.Stamp, prev ...assets.Stamp) version {
		return version{meta: assets.Meta{ID: "r", Version: s, Prev: prev}}
	}
	base := v(st(1, "a"))
	a2 := v(st(2, "a"), st(1, "a"))
	b2 := v(st(3, "b"), st(1, "a"))
	a3 := v(st(4, "a"), st(2, "a"), st(1, "a"))
	cases := []struct {
		name   string
		heads  []version
		in     version
		want   []assets.Stamp
		change bool
	}{
		{"same version", []version{a2}, a2, []assets.Stamp{a2.meta.Version}, false},
		{"fast-forward", []version{base}, a2, []assets.Stamp{a2.meta.Version}, true},
		{"older arrives", []version{a2}, base, []assets.Stamp{a2.meta.Version}, false},
		{"concurrent", []version{a2}, b2, []assets.Stamp{a2.meta.Version, b2.meta.Version}, true},
		{"supersedes a conflict", []version{b2, a2}, a3, []assets.Stamp{b2.meta.Version, a3.meta.Version}, true},
		{"looping history", []version{v(st(5, "x"), st(6, "y"))}, v(st(6, "y"), st(5, "x")), []assets.Stamp{st(6, "y")}, true},
	}
	for _, c := range cases {
		got, changed := mergeHeads(c.heads, c.in)
		var stamps []assets.Stamp
		for _, h := range got {
			stamps = append(stamps, h.meta.Version)
		}
		if changed != c.change || !slices.Equal(stamps, c.want) {
			t.Errorf("%s: got %v changed %v, want %v changed %v", c.name, stamps, changed, c.want, c.change)
		}
	}
}
