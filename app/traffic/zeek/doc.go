// Package zeek reads Zeek logs as a stream: conn.log into connections, and
// the ICS logs of Zeek and of CISA's ICSNPP packages (modbus, dnp3, s7comm,
// s7comm_plus, cip, cip_io, enip, bacnet) into operations named by package
// dissect, the same names a packet capture gives. It knows nothing of the
// audit model; a Handler receives what it reads.
//
// Both of Zeek's formats are read: tab-separated logs with their #fields
// header (columns found by name, so reordered or extra columns are fine)
// and JSON lines (epoch or ISO 8601 timestamps). Files may be gzip
// compressed and may hold several logs one after the other, as rotation and
// cat leave them. Bad lines are counted and the first described, never
// fatal; a truncated gzip stream yields the lines before the damage.
//
// Operations follow the dissector's rules, so that the set of operations
// seen on a connection is the same from a log as from the capture: a
// request and its response both count (a response names what it answers);
// EtherNet/IP SendRRData and SendUnitData are named by the CIP they carry
// (cip.log), not by their envelope; S7comm user-data, PI services, CIP
// request paths and BACnet/IP BVLC messages are rebuilt into the few
// protocol bytes that decide their name and named by dissect.Dissect.
// Operations are repeated as often as the log repeats them.
//
// The reader is built for millions of lines: it splits lines in place in a
// reused buffer, parses numbers, addresses and times from bytes, and
// allocates little more than each connection's UID.
package zeek
