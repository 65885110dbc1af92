package zeek

import (
	"errors"
	"net/netip"
	"time"

	"github.com/zonewalk/zonewalk/app/traffic/dissect"
)

// Conn is one line of conn.log.
type Conn struct {
	UID          string
	TS           time.Time // UTC
	Duration     time.Duration
	OrigH, RespH netip.Addr
	OrigP, RespP uint16
	Proto        string // "tcp", "udp", "icmp"
	Service      string // Zeek's service column ("modbus", "dnp3", "ssl,http"; "" when unset)

	OrigBytes, RespBytes, OrigPkts, RespPkts, OrigIPBytes, RespIPBytes int64

	OrigMAC, RespMAC [6]byte
	HasMAC           bool   // both orig_l2_addr and resp_l2_addr were logged
	VLAN, InnerVLAN  uint16 // 0 when absent

	ConnState string
	Local     *bool // local_orig, when logged
	LocalResp *bool // local_resp, when logged
}

// Op is one operation seen on connection UID, named as the packet
// dissector names it.
type Op struct {
	UID string
	Op  dissect.Op
}

// Handler receives what the logs hold. Either function may be nil. The
// *Conn is reused for the next line: copy what you keep. An error returned
// by a handler stops the read and is returned, wrapped, by ReadFile.
type Handler struct {
	Conn func(*Conn) error
	Op   func(Op) error
}

// FileResult tells what was read from one file.
type FileResult struct {
	Path    string
	LogType string // from "#path", the JSON "_path" field, or the file name ("conn")
	Format  string // "tsv" or "json"

	Lines   int64 // lines read, headers and blank lines included
	Records int64 // data lines accepted (a Conn, an Op, or a line that names no operation)

	// Skipped, when set, says why the whole file was not read (a log type
	// this package does not read: "http.log: not read"). It is not an error.
	Skipped string

	BadLines int64  // lines refused: wrong field count, unparsable value, too long
	FirstBad string // "line N: field F: ..." for the first of them

	// Damaged, when set, says the compressed stream ended early or was
	// corrupt; the lines before the damage were read.
	Damaged string

	// Err is set by ReadDir for a file it could not read (not a Zeek log,
	// an essential column missing, an I/O error); ReadDir goes on with the
	// next file. ReadFile returns such errors instead.
	Err error
}

var (
	// ErrNotZeekLog: the file is neither Zeek TSV with a #fields header
	// nor JSON lines.
	ErrNotZeekLog = errors.New("zeek: not a Zeek log")
	// ErrMissingField: a TSV header lacks a column without which the log
	// means nothing (uid, id.orig_h, id.resp_h, id.resp_p for conn.log).
	ErrMissingField = errors.New("zeek: essential column missing")
)

// MaxLine is the longest line read; a longer one is a bad line.
const MaxLine = 1 << 20
