package pcap

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"io"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// opaque hides the Len method of a bytes.Reader, as an os.File has none.
type opaque struct{ r io.Reader }

func (o opaque) Read(p []byte) (int, error) { return o.r.Read(p) }

// manyRecords is a pcap of n small frames.
func manyRecords(t testing.TB, n int) []byte {
	f := tcp4Frame(t, "10.0.0.1", "10.0.0.2", 1, 2, nil)
	recs := make([]rec, n)
	for i := range recs {
		recs[i] = rec{ts: t0, data: f}
	}
	return pcapFile(binary.LittleEndian, 0xa1b2c3d4, 1, recs...)
}

func TestCallbackError(t *testing.T) {
	errStop := errors.New("stop")
	calls := 0
	st, err := Read(context.Background(), bytes.NewReader(manyRecords(t, 10)), func(*Packet) error {
		if calls++; calls == 3 {
			return errStop
		}
		return nil
	})
	if err != errStop || calls != 3 || st.Packets != 3 {
		t.Errorf("error %v after %d calls, Stats %+v", err, calls, st)
	}
}

func TestCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	calls := 0
	_, err := Read(ctx, bytes.NewReader(manyRecords(t, 10000)), func(*Packet) error {
		if calls++; calls == 100 {
			cancel()
		}
		return nil
	})
	// The context is looked at every 4096 frames.
	if !errors.Is(err, context.Canceled) || calls != progressEvery-1 {
		t.Errorf("error %v after %d calls", err, calls)
	}
	calls = 0
	_, err = Read(ctx, bytes.NewReader(manyRecords(t, 10)), func(*Packet) error { calls++; return nil })
	if !errors.Is(err, context.Canceled) || calls != 0 {
		t.Errorf("cancelled before: error %v after %d calls", err, calls)
	}
}

func TestProgress(t *testing.T) {
	plain := manyRecords(t, 10000)
	for name, file := range map[string][]byte{"pcap": plain, "gzip": gz(t, plain)} {
		var seen []int64
		st, err := ReadWithProgress(context.Background(), opaque{bytes.NewReader(file)}, func(*Packet) error { return nil },
			func(n int64) { seen = append(seen, n) })
		if err != nil || st.Packets != 10000 {
			t.Fatalf("%s: %v, Stats %+v", name, err, st)
		}
		// at frames 4096 and 8192, and at the end
		if len(seen) != 3 || seen[0] > seen[1] || seen[1] > seen[2] || seen[2] != int64(len(file)) || seen[0] == 0 {
			t.Errorf("%s: progress %v, file of %d bytes", name, seen, len(file))
		}
	}
}

// failing returns its data, then err.
type failing struct {
	data []byte
	err  error
}

func (f *failing) Read(p []byte) (int, error) {
	if len(f.data) == 0 {
		return 0, f.err
	}
	n := copy(p, f.data)
	f.data = f.data[n:]
	return n, nil
}

func TestReaderError(t *testing.T) {
	errDisk := errors.New("input/output error")
	file := manyRecords(t, 100)
	for _, cut := range []int{0, 2, 10, 24, 24 + 16 + 60 + 5, len(file)} {
		for _, gzipped := range []bool{false, true} {
			data := file[:cut]
			if gzipped {
				data = gz(t, file)[:min(cut, len(gz(t, file)))]
			}
			n := 0
			st, err := Read(context.Background(), &failing{data, errDisk}, func(*Packet) error { n++; return nil })
			if !errors.Is(err, errDisk) || st.Damaged != nil {
				t.Errorf("cut %d gzip %v: error %v, Damaged %v", cut, gzipped, err, st.Damaged)
			}
		}
	}
}

// mixedFrames are frames of every kind the decoder follows.
func mixedFrames(t testing.TB) [][]byte {
	var frames [][]byte
	for _, r := range testRecords(t, 10) {
		frames = append(frames, r.data)
	}
	dgram := build(t, ip4("10.0.0.1", "10.0.0.2", layers.IPProtocolUDP), udp(5000, 6000), gopacket.Payload(make([]byte, 2000)))[20:]
	first := ip4("10.0.0.1", "10.0.0.2", layers.IPProtocolUDP)
	first.Flags = layers.IPv4MoreFragments
	next := ip4("10.0.0.1", "10.0.0.2", layers.IPProtocolUDP)
	next.FragOffset = 1480 / 8
	return append(frames,
		build(t, eth(layers.EthernetTypeDot1Q), &layers.Dot1Q{VLANIdentifier: 7, Type: layers.EthernetTypeIPv4}, ip4("10.0.0.1", "10.0.0.2", layers.IPProtocolUDP), udp(1, 2), gopacket.Payload("v")),
		build(t, eth(layers.EthernetTypeIPv6), ip6("fd00::1", "fd00::2", layers.IPProtocolTCP), tcp(1, 2, true, false)),
		build(t, eth(layers.EthernetTypeIPv4), first, gopacket.Payload(dgram[:1480])),
		build(t, eth(layers.EthernetTypeIPv4), next, gopacket.Payload(dgram[1480:])),
		build(t, eth(layers.EthernetTypeARP), gopacket.Payload(make([]byte, 28))),
		build(t, eth(0x8892), gopacket.Payload(make([]byte, 40))),
	)
}

// TestAllocs checks that Read allocates per file, not per packet.
func TestAllocs(t *testing.T) {
	frames := mixedFrames(t)
	capture := func(n int) []byte {
		recs := make([]rec, n)
		for i := range recs {
			recs[i] = rec{ts: t0, data: frames[i%len(frames)]}
		}
		return pcapFile(binary.LittleEndian, 0xa1b2c3d4, 1, recs...)
	}
	allocs := func(file []byte) float64 {
		return testing.AllocsPerRun(3, func() {
			if _, err := Read(context.Background(), opaque{bytes.NewReader(file)}, func(*Packet) error { return nil }); err != nil {
				t.Fatal(err)
			}
		})
	}
	small, large := allocs(capture(2000)), allocs(capture(40000))
	t.Logf("allocations: %v for 2000 packets, %v for 40000", small, large)
	if large > small+2 || small > 40 {
		t.Errorf("allocations: %v for 2000 packets, %v for 40000", small, large)
	}
}
