package pcap

import "net/netip"

// fragSlots is the size of the fragment table. It only has to span the
// fragmented datagrams in flight at one time, which are few.
const fragSlots = 4096

// fragKey identifies the fragments of one datagram.
type fragKey struct {
	src, dst [16]byte
	id       uint32
	proto    uint8
}

func fragKeyOf(src, dst netip.Addr, proto uint8, id uint32) fragKey {
	return fragKey{src: src.As16(), dst: dst.As16(), id: id, proto: proto}
}

type fragEntry struct {
	key              fragKey
	srcPort, dstPort uint16
	used             bool
}

// fragTable remembers the ports of first fragments: a direct-mapped cache
// of fixed size, where a newer datagram evicts an older one on collision.
// Bogus or overlapping offsets cannot hurt it: it only maps keys to ports.
type fragTable struct {
	slots [fragSlots]fragEntry
}

func (k *fragKey) slot() int {
	h := k.id*0x9e3779b1 ^ uint32(k.proto)
	for i := 12; i < 16; i++ {
		h = (h ^ uint32(k.src[i])) * 0x01000193
		h = (h ^ uint32(k.dst[i])) * 0x01000193
	}
	h ^= be32(k.src[8:]) ^ be32(k.dst[8:])*31
	return int((h ^ h>>16) % fragSlots)
}

func (t *fragTable) put(k fragKey, srcPort, dstPort uint16) {
	t.slots[k.slot()] = fragEntry{key: k, srcPort: srcPort, dstPort: dstPort, used: true}
}

func (t *fragTable) get(k fragKey) (srcPort, dstPort uint16) {
	e := &t.slots[k.slot()]
	if e.used && e.key == k {
		return e.srcPort, e.dstPort
	}
	return 0, 0
}
