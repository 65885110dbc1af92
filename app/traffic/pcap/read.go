package pcap

import (
	"bufio"
	"bytes"
	"compress/flate"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"time"
)

// MaxCaptureLength is the largest captured length of one frame that Read
// accepts: four times the largest snap length tcpdump and Wireshark use. A
// record claiming more is taken as damage, not as a frame to buffer.
const MaxCaptureLength = 262144 * 4

// Packet is one captured frame, decoded as far as flow accounting needs.
//
// Read reuses one Packet for every frame: the Packet and its slices are valid
// only during the callback; copy what you keep.
type Packet struct {
	Time      time.Time // in UTC; zero for a pcapng Simple Packet Block, which has none
	Interface int       // pcapng interface index within its section; 0 for pcap
	Section   int       // pcapng section number, from 0; 0 for pcap
	WireLen   int       // original length on the wire (never less than the captured length)

	SrcMAC, DstMAC [6]byte
	// HasMAC is false for raw IP. For Linux cooked captures (SLL, SLL2)
	// SrcMAC is the link-layer source when it is 6 bytes long (HasMAC then
	// true) and DstMAC is zero.
	HasMAC bool

	VLANs []uint16 // 802.1Q / QinQ VLAN IDs, outer first; nil when untagged
	// EtherType is the innermost EtherType (0x0800, 0x86DD, 0x0806 ARP,
	// 0x8892 Profinet, ...). It is 0 for an IEEE 802.3 frame whose type field
	// is a length (LLC frames such as STP) unless an LLC/SNAP header with
	// a zero OUI names an EtherType. For raw-IP link types it is 0x0800 or
	// 0x86DD, from the IP version.
	EtherType uint16

	Src, Dst  netip.Addr // zero (invalid) when the frame carries no IP header
	Transport uint8      // IP protocol number (6 TCP, 17 UDP, 1 ICMP, 58 ICMPv6, ...); 0 when not IP
	// SrcPort and DstPort are set for TCP, UDP, UDP-Lite and SCTP.
	SrcPort, DstPort uint16
	TCPFlags         uint8 // raw TCP flags byte (FIN 0x01, SYN 0x02, RST 0x04, PSH 0x08, ACK 0x10)

	// Payload is the transport payload for TCP, UDP, UDP-Lite and SCTP; the
	// bytes after the IP headers for other IP protocols and for continuation
	// fragments; the bytes after the EtherType for non-IP frames. The IP
	// length cuts off Ethernet padding and a trailing FCS; the payload of a
	// non-IP frame keeps them.
	Payload []byte

	// Continuation marks a non-first IPv4 or IPv6 fragment: count its bytes,
	// not as a new packet or connection. Its ports are those of the first
	// fragment when that was seen, else 0.
	Continuation bool
	// Truncated marks a frame the capture cut inside its IP or transport
	// headers (a small snap length): the fields past the cut are zero.
	Truncated bool
}

// Damage says where a capture stops making sense.
type Damage struct {
	// Offset is the byte offset, in the capture (after gzip decompression),
	// of the first record or block that could not be read.
	Offset int64
	// Packets is the number of packet records read before it: every frame,
	// delivered or skipped (Stats.Frames at that point).
	Packets int64
	// Err says what was wrong; it wraps ErrTruncated or ErrDamaged.
	Err error
}

func (d *Damage) String() string {
	return fmt.Sprintf("damaged at byte %d after %d packets: %v", d.Offset, d.Packets, d.Err)
}

// Interface describes one capture interface: the one of a pcap file, or one
// Interface Description Block of a pcapng file.
type Interface struct {
	Section, Index int    // as in Packet
	LinkType       int    // LINKTYPE_ value
	SnapLen        int    // 0 when unlimited or not given
	Name           string // pcapng if_name, at most 256 bytes; empty for pcap
	Description    string // pcapng if_description, at most 256 bytes
}

// maxListedInterfaces bounds Stats.Interfaces against a file that declares
// millions of interfaces; the ones past it are still decoded.
const maxListedInterfaces = 1024

// Stats summarises one Read.
type Stats struct {
	Format string // "pcap" or "pcapng"
	Gzip   bool
	// Packets counts the packets delivered, continuation fragments not
	// included; Bytes sums the wire length of everything delivered,
	// continuation fragments included.
	Packets, Bytes int64
	Fragments      int64 // continuation fragments delivered (in Bytes, not in Packets)
	Truncated      int64 // packets delivered with Packet.Truncated set (in Packets)
	Frames         int64 // packet records read, delivered or skipped
	// First and Last are the earliest and latest timestamps of the delivered
	// frames (captures need not be in time order); zero if none had one.
	First, Last time.Time
	// Skipped counts the frames read but not delivered, by reason (see the
	// package documentation). It is nil when none were skipped.
	Skipped    map[string]int64
	Interfaces []Interface // at most 1024, in file order
	Damaged    *Damage     // nil when the file ended cleanly
}

var (
	// ErrNotCapture is returned, wrapped with what the first bytes were, for
	// input that is neither pcap nor pcapng (nor either of them gzipped).
	ErrNotCapture = errors.New("pcap: not a pcap or pcapng capture")
	// ErrTruncated is wrapped in Damage.Err when the capture ends inside a record.
	ErrTruncated = errors.New("pcap: capture ends inside a record")
	// ErrDamaged is wrapped in Damage.Err when a record makes no sense.
	ErrDamaged = errors.New("pcap: damaged record")
)

// progressEvery is how many frames Read handles between two looks at the
// context and two calls of the progress hook.
const progressEvery = 4096

// Read streams every packet of a pcap or pcapng capture (optionally
// gzip-compressed: detected by magic bytes, not name) to fn. It returns when
// the file ends, ctx is cancelled (ctx.Err()), or fn returns an error
// (returned as is). A truncated or damaged capture: every complete packet
// before the damage is delivered, Stats.Damaged says where, and the error is
// nil. A file that is not a capture: ErrNotCapture, and fn is never called.
// Any other error is one of r itself.
//
// Read looks at ctx every 4096 frames.
func Read(ctx context.Context, r io.Reader, fn func(*Packet) error) (Stats, error) {
	return ReadWithProgress(ctx, r, fn, nil)
}

// ReadWithProgress is Read that also calls progress, when it is not nil,
// every 4096 frames and once at the end, with the number of bytes consumed
// from r so far. For a gzip-compressed file these are compressed bytes, so
// compare them with the file size for a progress bar; decompression reads
// ahead, so the figure runs up to 256 KiB early.
func ReadWithProgress(ctx context.Context, r io.Reader, fn func(*Packet) error, progress func(bytesRead int64)) (Stats, error) {
	cr := &countingReader{r: r}
	rd := &reader{ctx: ctx, fn: fn, progress: progress, counter: cr}
	rd.s.r = cr
	// A bytes.Reader or the like says how long it is: a small input then
	// gets a small buffer.
	if l, ok := r.(interface{ Len() int }); ok {
		rd.s.hint = max(l.Len(), 16)
	}
	err := rd.run()
	if progress != nil && !errors.Is(err, ErrNotCapture) {
		progress(cr.n)
	}
	return rd.st, err
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// reader is the state of one Read.
type reader struct {
	ctx      context.Context
	fn       func(*Packet) error
	progress func(int64)
	counter  *countingReader
	s        stream
	st       Stats
	dec      decoder
}

var (
	magicGzip   = []byte{0x1f, 0x8b}
	magicPcapng = []byte{0x0a, 0x0d, 0x0d, 0x0a}
)

func (rd *reader) run() error {
	if err := rd.ctx.Err(); err != nil {
		return err
	}
	head, err := rd.sniff(4)
	if err != nil {
		return err
	}
	if len(head) >= 2 && head[0] == magicGzip[0] && head[1] == magicGzip[1] {
		// Hand gzip what is buffered so far followed by the rest of r, through
		// a large buffer: gzip would otherwise read r 4 KiB at a time.
		buffered := bytes.NewReader(bytes.Clone(rd.s.bytes()))
		zr, err := gzip.NewReader(bufio.NewReaderSize(io.MultiReader(buffered, rd.counter), 256<<10))
		if err != nil {
			if isDamage(err) {
				return fmt.Errorf("%w: gzip-compressed, but %v", ErrNotCapture, err)
			}
			return err
		}
		rd.st.Gzip = true
		rd.s = stream{r: zr}
		if head, err = rd.sniff(4); err != nil {
			return err
		}
	}
	switch {
	case len(head) < 4:
	case [4]byte(head) == [4]byte(magicPcapng):
		b, err := rd.sniff(12)
		if err != nil {
			return err
		}
		if len(b) >= 12 {
			if _, ok := byteOrderMagic(b[8:12]); ok {
				rd.st.Format = "pcapng"
				return rd.pcapng()
			}
		}
	default:
		if _, _, _, ok := pcapMagic(head); ok {
			rd.st.Format = "pcap"
			return rd.pcap()
		}
	}
	b, err := rd.sniff(16)
	if err != nil {
		return err
	}
	what := "the input"
	if rd.st.Gzip {
		what = "the decompressed input"
	}
	return fmt.Errorf("%w: %s is %s", ErrNotCapture, what, describe(b))
}

// sniff returns the first n bytes of the input, or fewer if it is shorter;
// the error is one of the underlying reader.
func (rd *reader) sniff(n int) ([]byte, error) {
	if err := rd.s.fill(n); err != nil && !isDamage(err) {
		return nil, err
	}
	return rd.s.bytes(), nil
}

// describe shows the first bytes of a file that is not a capture: as text
// when they are printable ASCII, else in hex.
func describe(b []byte) string {
	if len(b) == 0 {
		return "empty"
	}
	more := ""
	if len(b) > 16 {
		b, more = b[:16], "..."
	}
	for _, c := range b {
		if (c < 0x20 || c > 0x7e) && c != '\t' && c != '\n' && c != '\r' {
			return fmt.Sprintf("bytes % x%s", b, more)
		}
	}
	return fmt.Sprintf("text %q%s", b, more)
}

// isDamage tells a damaged or truncated stream, which Read reports in
// Stats.Damaged, from a failure of the underlying reader, which it returns.
func isDamage(err error) bool {
	var corrupt flate.CorruptInputError
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, gzip.ErrChecksum) || errors.Is(err, gzip.ErrHeader) ||
		errors.As(err, &corrupt)
}

// damage records where the capture stops making sense. A read error that is
// not damage is returned instead.
func (rd *reader) damage(off int64, err error) error {
	switch {
	case errors.Is(err, ErrTruncated) || errors.Is(err, ErrDamaged):
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		err = ErrTruncated
	case isDamage(err): // a corrupt gzip stream
		err = fmt.Errorf("%w: %v", ErrDamaged, err)
	default:
		return err
	}
	rd.st.Damaged = &Damage{Offset: off, Packets: rd.st.Frames, Err: err}
	return nil
}

// skip counts a frame that is not delivered.
func (rd *reader) skip(reason string) {
	if rd.st.Skipped == nil {
		rd.st.Skipped = make(map[string]int64)
	}
	rd.st.Skipped[reason]++
}

func (rd *reader) addInterface(i Interface) {
	if len(rd.st.Interfaces) < maxListedInterfaces {
		rd.st.Interfaces = append(rd.st.Interfaces, i)
	}
}

// frame decodes and delivers one packet record; li is nil for a pcapng
// packet on an undeclared interface.
func (rd *reader) frame(li *iface, ts time.Time, section, index, wire int, data []byte) error {
	rd.st.Frames++
	if rd.st.Frames%progressEvery == 0 {
		if err := rd.ctx.Err(); err != nil {
			return err
		}
		if rd.progress != nil {
			rd.progress(rd.counter.n)
		}
	}
	if len(data) == 0 {
		rd.skip(reasonZero)
		return nil
	}
	if li == nil {
		rd.skip(reasonUndeclared)
		return nil
	}
	if li.skip != "" {
		rd.skip(li.skip)
		return nil
	}
	p := &rd.dec.p
	if reason := rd.dec.decode(li.kind, data); reason != "" {
		rd.skip(reason)
		return nil
	}
	if wire < len(data) {
		wire = len(data)
	}
	p.Time, p.Section, p.Interface, p.WireLen = ts, section, index, wire
	rd.st.Bytes += int64(wire)
	if p.Continuation {
		rd.st.Fragments++
	} else {
		rd.st.Packets++
		if p.Truncated {
			rd.st.Truncated++
		}
	}
	if !ts.IsZero() {
		if rd.st.First.IsZero() || ts.Before(rd.st.First) {
			rd.st.First = ts
		}
		if ts.After(rd.st.Last) {
			rd.st.Last = ts
		}
	}
	return rd.fn(p)
}
