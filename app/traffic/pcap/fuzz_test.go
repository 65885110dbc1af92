package pcap

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"os"
	"testing"

	"github.com/gopacket/gopacket/layers"
)

func FuzzRead(f *testing.F) {
	golden, err := os.ReadFile("testdata/golden.pcap")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(golden)
	f.Add(gz(f, golden))
	for _, l := range testLayouts(f) {
		f.Add(l.file)
	}
	var w ng
	w.section(binary.BigEndian)
	w.iface(276, 0, 0x94, 10, "any")
	w.iface(0, 0, 3, 0, "lo0")
	w.iface(113, 64, 0, 0, "")
	for i, fr := range mixedFrames(f) {
		w.epb(i%3, 10, rec{ts: t0, data: fr})
	}
	w.spb(rec{data: mixedFrames(f)[0]})
	f.Add(w.b)
	var recs []rec
	for _, fr := range mixedFrames(f) {
		recs = append(recs, rec{ts: t0, data: fr})
	}
	f.Add(pcapgoFile(f, true, layers.LinkTypeEthernet, recs...))
	f.Add(pcapFile(binary.BigEndian, 0xa1b2c3d4, 101, rec{ts: t0, data: mixedFrames(f)[11][14:]}))

	f.Fuzz(func(t *testing.T, b []byte) {
		called := false
		st, err := Read(context.Background(), bytes.NewReader(b), func(p *Packet) error {
			called = true
			if p.WireLen <= 0 || len(p.Payload) > p.WireLen || len(p.VLANs) > maxVLANs {
				t.Fatalf("packet of %d bytes with %d of payload, %d VLANs", p.WireLen, len(p.Payload), len(p.VLANs))
			}
			if p.Src.IsValid() != p.Dst.IsValid() || !p.Src.IsValid() && (p.SrcPort != 0 || p.DstPort != 0 || p.Continuation) {
				t.Fatalf("addresses %v %v ports %d %d continuation %v", p.Src, p.Dst, p.SrcPort, p.DstPort, p.Continuation)
			}
			return nil
		})
		if errors.Is(err, ErrNotCapture) {
			if called || st.Frames != 0 {
				t.Fatalf("not a capture, yet %d frames read", st.Frames)
			}
			return
		}
		if err != nil {
			t.Fatalf("error %v from a bytes.Reader", err)
		}
		if st.Format != "pcap" && st.Format != "pcapng" {
			t.Fatalf("format %q", st.Format)
		}
		skipped := int64(0)
		for _, n := range st.Skipped {
			skipped += n
		}
		if st.Packets < 0 || st.Fragments < 0 || st.Bytes < 0 || st.Truncated > st.Packets || st.Packets+st.Fragments+skipped != st.Frames {
			t.Fatalf("Stats %+v", st)
		}
		if st.Packets+st.Fragments > 0 && !st.First.IsZero() && st.Last.Before(st.First) {
			t.Fatalf("First %v after Last %v", st.First, st.Last)
		}
		if d := st.Damaged; d != nil {
			if d.Offset < 0 || !st.Gzip && d.Offset > int64(len(b)) || d.Packets != st.Frames ||
				!errors.Is(d.Err, ErrTruncated) && !errors.Is(d.Err, ErrDamaged) {
				t.Fatalf("Damaged %v of a %d-byte input, %d frames", d, len(b), st.Frames)
			}
		}
		if len(st.Interfaces) > maxListedInterfaces {
			t.Fatalf("%d interfaces listed", len(st.Interfaces))
		}
	})
}
