package synth

import (
	"encoding/binary"
)

// This file builds application payloads. The industrial ones are complete,
// well-formed PDUs (a dissector must find the operation in them); the IT ones
// start as the protocol does (TLS record, SSH banner, X.224 for RDP,
// NetBIOS+SMB2 header, DNS and NTP in full) and go on with filler.

// Function codes generated: Modbus, S7comm, DNP3.
const (
	fcReadHolding     = 3
	fcReadInput       = 4
	fcWriteSingle     = 6
	fcWriteMultiple   = 16
	s7ReadVar         = 0x04
	s7WriteVar        = 0x05
	s7PLCStop         = 0x29
	s7SetupComm       = 0xf0
	dnp3Read          = 0x01
	dnp3DirectOperate = 0x05
	dnp3Response      = 0x81
)

// modbusReq appends a Modbus/TCP request (MBAP + PDU) for function fc.
// qty is the register count for reads and multiple writes.
func modbusReq(b []byte, tid uint16, unit, fc byte, addr, qty uint16, val uint16) []byte {
	b, start := mbap(b, tid, unit, fc)
	switch fc {
	case fcReadHolding, fcReadInput:
		b = binary.BigEndian.AppendUint16(b, addr)
		b = binary.BigEndian.AppendUint16(b, qty)
	case fcWriteSingle:
		b = binary.BigEndian.AppendUint16(b, addr)
		b = binary.BigEndian.AppendUint16(b, val)
	case fcWriteMultiple:
		b = binary.BigEndian.AppendUint16(b, addr)
		b = binary.BigEndian.AppendUint16(b, qty)
		b = append(b, byte(2*qty))
		for i := range qty {
			b = binary.BigEndian.AppendUint16(b, val+i)
		}
	}
	return mbapDone(b, start)
}

// modbusResp appends the normal response to the request modbusReq built.
func modbusResp(b []byte, tid uint16, unit, fc byte, addr, qty uint16, val uint16) []byte {
	b, start := mbap(b, tid, unit, fc)
	switch fc {
	case fcReadHolding, fcReadInput:
		b = append(b, byte(2*qty))
		for i := range qty {
			b = binary.BigEndian.AppendUint16(b, val^i*0x0101)
		}
	case fcWriteSingle:
		b = binary.BigEndian.AppendUint16(b, addr)
		b = binary.BigEndian.AppendUint16(b, val)
	case fcWriteMultiple:
		b = binary.BigEndian.AppendUint16(b, addr)
		b = binary.BigEndian.AppendUint16(b, qty)
	}
	return mbapDone(b, start)
}

// mbap appends the MBAP header and the function code; mbapDone fills in
// the length once the PDU is complete.
func mbap(b []byte, tid uint16, unit, fc byte) ([]byte, int) {
	start := len(b)
	b = binary.BigEndian.AppendUint16(b, tid)
	return append(b, 0, 0, 0, 0, unit, fc), start // protocol 0 (Modbus), length
}

func mbapDone(b []byte, start int) []byte {
	binary.BigEndian.PutUint16(b[start+4:], uint16(len(b)-start-6)) // unit id and PDU
	return b
}

// cotpConnect appends a TPKT + COTP connection request (cr) or confirm
// (!cr) to rack 0 slot 2, as an S7 client and a PLC exchange them.
func cotpConnect(b []byte, cr bool) []byte {
	code, dst, src := byte(0xe0), uint16(0), uint16(1)
	if !cr {
		code, dst, src = 0xd0, 1, 0x4411
	}
	b = append(b, 3, 0, 0, 22, 17, code)
	b = binary.BigEndian.AppendUint16(b, dst)
	b = binary.BigEndian.AppendUint16(b, src)
	b = append(b, 0,
		0xc0, 1, 0x0a, // TPDU size 1024
		0xc1, 2, 0x01, 0x00, // calling TSAP
		0xc2, 2, 0x01, 0x02) // called TSAP: rack 0, slot 2
	return b
}

// s7Job appends an S7comm job (ROSCTR 1) for function fn: read or write of
// n DB items, setup communication, or PLC stop.
func s7Job(b []byte, ref uint16, fn byte, n int, db uint16) []byte {
	var parBuf, dataBuf [128]byte // on the stack: n is small
	par, data := parBuf[:0], dataBuf[:0]
	switch fn {
	case s7SetupComm:
		par = append(par, s7SetupComm, 0, 0, 1, 0, 1, 0x03, 0xc0)
	case s7ReadVar, s7WriteVar:
		par = append(par, fn, byte(n))
		for i := range n {
			par = s7Item(par, db, uint16(4*i))
			if fn == s7WriteVar { // each item's data is 2 bytes: no fill byte between
				data = append(data, 0, 0x04, 0, 16, byte(i), byte(db)) // 16 bits of data
			}
		}
	case s7PLCStop:
		par = append(par, s7PLCStop, 0, 0, 0, 0, 0, 9)
		par = append(par, "P_PROGRAM"...)
	}
	return s7PDU(b, 1, ref, par, data)
}

// s7Ack appends the Ack_Data (ROSCTR 3) answering the job s7Job built.
func s7Ack(b []byte, ref uint16, fn byte, n int) []byte {
	var parBuf, dataBuf [128]byte
	par, data := parBuf[:0], dataBuf[:0]
	switch fn {
	case s7SetupComm:
		par = append(par, s7SetupComm, 0, 0, 1, 0, 1, 0x03, 0xc0)
	case s7ReadVar:
		par = append(par, fn, byte(n))
		for i := range n { // 2 bytes of data each: no fill byte between
			data = append(data, 0xff, 0x04, 0, 16, byte(i), 0x2a) // success, 16 bits
		}
	case s7WriteVar:
		par = append(par, fn, byte(n))
		for range n {
			data = append(data, 0xff)
		}
	case s7PLCStop:
		par = append(par, s7PLCStop)
	}
	return s7PDU(b, 3, ref, par, data)
}

// s7Item is one variable specification: a word of a data block.
func s7Item(b []byte, db, byteAddr uint16) []byte {
	b = append(b, 0x12, 0x0a, 0x10, 0x02)   // any-type, 10 bytes, S7ANY, transport size BYTE
	b = binary.BigEndian.AppendUint16(b, 2) // 2 bytes
	b = binary.BigEndian.AppendUint16(b, db)
	bit := uint32(byteAddr) * 8
	return append(b, 0x84, byte(bit>>16), byte(bit>>8), byte(bit)) // area DB
}

func s7PDU(b []byte, rosctr byte, ref uint16, par, data []byte) []byte {
	hdr := 10
	if rosctr == 3 {
		hdr = 12 // error class and code
	}
	total := 4 + 3 + hdr + len(par) + len(data)
	b = append(b, 3, 0)
	b = binary.BigEndian.AppendUint16(b, uint16(total))
	b = append(b, 2, 0xf0, 0x80) // COTP DT, last data unit
	b = append(b, 0x32, rosctr, 0, 0)
	b = binary.BigEndian.AppendUint16(b, ref)
	b = binary.BigEndian.AppendUint16(b, uint16(len(par)))
	b = binary.BigEndian.AppendUint16(b, uint16(len(data)))
	if rosctr == 3 {
		b = append(b, 0, 0)
	}
	b = append(b, par...)
	return append(b, data...)
}

// DNP3 addresses: the master and every outstation use these.
const (
	dnp3Master     = 1
	dnp3Outstation = 10
)

// dnp3Req appends a DNP3 request frame: a class 0123 poll (read) or a
// direct operate of one CROB.
func dnp3Req(b []byte, seq byte, fn byte) []byte {
	var buf [64]byte
	app := append(buf[:0], 0xc0|seq&0x3f, 0xc0|seq&0x0f, fn)
	switch fn {
	case dnp3Read:
		app = append(app, 60, 2, 6, 60, 3, 6, 60, 4, 6, 60, 1, 6) // classes 1, 2, 3, 0
	case dnp3DirectOperate:
		app = append(app, crob...)
	}
	return dnp3Frame(b, true, app)
}

// crob is group 12 variation 1, one object at index 3: latch on, 1 s.
var crob = []byte{12, 1, 0x28, 1, 0, 3, 0, 0x03, 1, 0xe8, 3, 0, 0, 0, 0, 0, 0, 0}

// dnp3Resp appends the outstation's response (function 0x81) to fn: n
// analog inputs (group 30 variation 1) for a read, the CROB echoed for an
// operate.
func dnp3Resp(b []byte, seq byte, fn byte, n int) []byte {
	var buf [256]byte
	app := append(buf[:0], 0xc0|seq&0x3f, 0xc0|seq&0x0f, dnp3Response, 0, 0)
	switch fn {
	case dnp3Read:
		app = append(app, 30, 1, 0, 0, byte(n-1))
		for i := range n {
			app = append(app, 1) // flags: online
			app = binary.LittleEndian.AppendUint32(app, uint32(1000+17*i))
		}
	case dnp3DirectOperate:
		app = append(app, crob...)
	}
	return dnp3Frame(b, false, app)
}

// dnp3Frame appends the link layer: header with CRC, then the user data in
// blocks of 16 bytes, each followed by its CRC. user must be ≤ 250 bytes.
func dnp3Frame(b []byte, fromMaster bool, user []byte) []byte {
	ctrl, dst, src := byte(0x44), uint16(dnp3Master), uint16(dnp3Outstation)
	if fromMaster {
		ctrl, dst, src = 0xc4, dnp3Outstation, dnp3Master
	}
	start := len(b)
	b = append(b, 0x05, 0x64, byte(5+len(user)), ctrl)
	b = binary.LittleEndian.AppendUint16(b, dst)
	b = binary.LittleEndian.AppendUint16(b, src)
	b = binary.LittleEndian.AppendUint16(b, dnp3CRC(b[start:]))
	for len(user) > 0 {
		n := min(16, len(user))
		b = append(b, user[:n]...)
		b = binary.LittleEndian.AppendUint16(b, dnp3CRC(user[:n]))
		user = user[n:]
	}
	return b
}

var dnp3Table = func() (t [256]uint16) {
	for i := range t {
		c := uint16(i)
		for range 8 {
			if c&1 != 0 {
				c = c>>1 ^ 0xa6bc // 0x3d65 reflected
			} else {
				c >>= 1
			}
		}
		t[i] = c
	}
	return t
}()

// dnp3CRC is the CRC-16/DNP of p (IEEE 1815 link layer).
func dnp3CRC(p []byte) uint16 {
	var c uint16
	for _, x := range p {
		c = c>>8 ^ dnp3Table[byte(c)^x]
	}
	return ^c
}

// dnsNames are what the plant's hosts resolve.
var dnsNames = []string{
	"dc01.plant.local", "historian.plant.local", "fs01.plant.local",
	"wsus.corp.example", "intranet.corp.example", "mail.corp.example",
	"scada01.plant.local", "time.plant.local",
}

// dnsQuery appends an A query for name, and dnsAnswer the reply with one
// address.
func dnsQuery(b []byte, id uint16, name string) []byte {
	b = binary.BigEndian.AppendUint16(b, id)
	b = append(b, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0) // RD; one question
	return dnsQuestion(b, name)
}

func dnsAnswer(b []byte, id uint16, name string, addr [4]byte) []byte {
	b = binary.BigEndian.AppendUint16(b, id)
	b = append(b, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0) // response, RD, RA; one answer
	b = dnsQuestion(b, name)
	b = append(b, 0xc0, 12, 0, 1, 0, 1, 0, 0, 0x0e, 0x10, 0, 4) // name at 12, A, IN, 3600 s
	return append(b, addr[:]...)
}

func dnsQuestion(b []byte, name string) []byte {
	for len(name) > 0 {
		i := 0
		for i < len(name) && name[i] != '.' {
			i++
		}
		b = append(b, byte(i))
		b = append(b, name[:i]...)
		if i < len(name) {
			i++
		}
		name = name[i:]
	}
	return append(b, 0, 0, 1, 0, 1) // root, A, IN
}

// ntpPacket appends an NTPv4 client (mode 3) or server (mode 4) packet.
func ntpPacket(b []byte, server bool, usec int64) []byte {
	const ntpEpoch = 2208988800 // 1900 to 1970
	sec := uint32(usec/1e6 + ntpEpoch)
	frac := uint32(uint64(usec%1e6) << 32 / 1e6)
	var p [48]byte
	p[0] = 0x23 // LI 0, version 4, mode 3
	if server {
		p[0], p[1], p[2], p[3] = 0x24, 2, 6, 0xe9 // mode 4, stratum 2, poll 6, precision
		copy(p[12:16], "GPS\x00")
		for _, o := range []int{16, 32, 40} { // reference, receive, transmit
			binary.BigEndian.PutUint32(p[o:], sec)
			binary.BigEndian.PutUint32(p[o+4:], frac)
		}
	} else {
		binary.BigEndian.PutUint32(p[40:], sec)
		binary.BigEndian.PutUint32(p[44:], frac)
	}
	return append(b, p[:]...)
}

// IT message heads: what the first bytes of a message of that protocol
// look like; filler follows up to the message length.

func tlsHead(b []byte, first, client bool, length int) []byte {
	if first {
		hs := byte(2) // ServerHello
		if client {
			hs = 1 // ClientHello
		}
		return append(b, 0x16, 3, 1, byte((length-5)>>8), byte(length-5), hs)
	}
	n := min(length-5, 16384)
	return append(b, 0x17, 3, 3, byte(n>>8), byte(n))
}

func sshHead(b []byte, first, client bool, length int) []byte {
	if first {
		if client {
			return append(b, "SSH-2.0-OpenSSH_9.6\r\n"...)
		}
		return append(b, "SSH-2.0-OpenSSH_8.9p1 Ubuntu-3ubuntu0.6\r\n"...)
	}
	return binary.BigEndian.AppendUint32(b, uint32(length-4))
}

func rdpHead(b []byte, first, client bool, length int) []byte {
	if first {
		if client { // X.224 connection request with an RDP negotiation request
			return append(b, 3, 0, 0, 19, 14, 0xe0, 0, 0, 0, 0, 0, 1, 0, 8, 0, 3, 0, 0, 0)
		}
		return append(b, 3, 0, 0, 19, 14, 0xd0, 0, 0, 0x12, 0x34, 0, 2, 0, 8, 0, 1, 0, 0, 0)
	}
	return append(b, 0x17, 3, 3, byte((length-5)>>8), byte(length-5)) // TLS after negotiation
}

func smbHead(b []byte, first, client bool, length int) []byte {
	n := length - 4
	b = append(b, 0, byte(n>>16), byte(n>>8), byte(n)) // NetBIOS session message
	b = append(b, 0xfe, 'S', 'M', 'B', 64, 0)
	cmd := byte(8) // READ
	if first {
		cmd = 0 // NEGOTIATE
	}
	flags := byte(0)
	if !client {
		flags = 1 // SERVER_TO_REDIR
	}
	return append(b, 1, 0, 0, 0, 0, 0, cmd, 0, 1, 0, flags, 0, 0, 0)
}
