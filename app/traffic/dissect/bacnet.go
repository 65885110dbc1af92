package dissect

// BACnet/IP: BVLC (0x81, function, 16-bit length), NPDU (version 1, control,
// optional destination and source network addresses, hop count), then either
// a network-layer message or an APDU whose type is the high nibble of its
// first byte.

var (
	bacnetRegisterFD = Op{protoBACnet, "register foreign device", Session}
	bacnetReadTable  = Op{protoBACnet, "read broadcast table", Read}
	bacnetWriteTable = Op{protoBACnet, "write broadcast table", Write}
	bacnetWhoRouter  = Op{protoBACnet, "who-is-router-to-network", Identify}
	bacnetIAmRouter  = Op{protoBACnet, "i-am-router-to-network", Identify}
	bacnetNetworkMsg = Op{protoBACnet, "network message", Other}
)

func dissectBACnet(p []byte, emit func(Op)) {
	if len(p) < 4 || p[0] != 0x81 {
		return
	}
	n := be16(p[2:])
	if n < 4 {
		return
	}
	p = upto(p, n)
	off := 4
	switch p[1] {
	case 0x09, 0x0a, 0x0b: // distribute broadcast, original unicast/broadcast
	case 0x04: // forwarded NPDU: the originator's address (6) first
		off = 10
	case 0x05:
		emit(bacnetRegisterFD)
		return
	case 0x02, 0x06: // read broadcast distribution / foreign device table
		emit(bacnetReadTable)
		return
	case 0x01, 0x08: // write BDT, delete FDT entry
		emit(bacnetWriteTable)
		return
	default:
		return
	}
	if off+2 > len(p) || p[off] != 0x01 {
		return
	}
	ctrl := p[off+1]
	off += 2
	if ctrl&0x20 != 0 { // DNET, DLEN, DADR
		if off+3 > len(p) {
			return
		}
		off += 3 + int(p[off+2])
	}
	if ctrl&0x08 != 0 { // SNET, SLEN, SADR
		if off+3 > len(p) {
			return
		}
		off += 3 + int(p[off+2])
	}
	if ctrl&0x20 != 0 { // hop count
		off++
	}
	if off >= len(p) {
		return
	}
	if ctrl&0x80 != 0 {
		switch p[off] {
		case 0x00:
			emit(bacnetWhoRouter)
		case 0x01:
			emit(bacnetIAmRouter)
		default:
			emit(bacnetNetworkMsg)
		}
		return
	}
	a := p[off:]
	svc := -1
	switch a[0] >> 4 {
	case 0: // confirmed request: flags, max segs/APDU, invoke id, [seq, window], service
		i := 3
		if a[0]&0x08 != 0 {
			i = 5
		}
		if i < len(a) {
			emit(BACnetConfirmed(a[i]))
		}
		return
	case 1: // unconfirmed request: service
		if len(a) > 1 {
			emit(BACnetUnconfirmed(a[1]))
		}
		return
	case 2: // simple ack: invoke id, service
		svc = 2
	case 3: // complex ack: invoke id, [seq, window], service
		svc = 2
		if a[0]&0x08 != 0 {
			svc = 4
		}
	}
	if svc > 0 && svc < len(a) {
		emit(BACnetConfirmed(a[svc]))
	}
}
