package zeek

// One table of every column this package reads, whatever the log type and
// whatever the format: a TSV #fields header and the keys of a JSON line
// both map names onto these slots, so the per-type code that turns a
// record into a Conn or an Op is written once for both formats.

type slot uint8

const (
	fTS slot = iota
	fUID
	fOrigH
	fOrigP
	fRespH
	fRespP
	fPath // JSON "_path"

	// conn.log (Zeek base/protocols/conn/main.zeek Conn::Info), with
	// policy/protocols/conn/mac-logging.zeek (orig_l2_addr, resp_l2_addr)
	// and vlan-logging.zeek (vlan, inner_vlan).
	fProto
	fService
	fDuration
	fOrigBytes
	fRespBytes
	fConnState
	fLocalOrig
	fLocalResp
	fOrigPkts
	fOrigIPBytes
	fRespPkts
	fRespIPBytes
	fOrigL2
	fRespL2
	fVLAN
	fInnerVLAN

	// Direction markers shared by several ICS logs.
	fIsOrig    // cip.log, bacnet.log, s7comm (some versions): T/F
	fDirection // cip.log: "request"/"response"
	fPDUType   // modbus.log "REQ"/"RESP"; bacnet.log APDU type name

	// modbus.log (base/protocols/modbus/main.zeek Modbus::Info).
	fFunc
	// dnp3.log (base/protocols/dnp3/main.zeek DNP3::Info).
	fFCRequest
	fFCReply
	// s7comm.log and s7comm_plus.log (cisagov/icsnpp-s7comm).
	fRosctrCode
	fRosctrName
	fFunctionCode
	fFunctionName
	fSubfunctionCode
	fSubfunctionName
	fOpcode
	fOpcodeName
	// cip.log and enip.log (cisagov/icsnpp-enip).
	fCIPServiceCode
	fCIPService
	fClassID
	fENIPCommandCode
	fENIPCommand
	// bacnet.log (cisagov/icsnpp-bacnet).
	fPDUService
	fBVLCFunction

	numSlots
	slotNone slot = 255
)

// slotNames are the names used in error messages ("line 3: field id.resp_p: ...").
var slotNames = [numSlots]string{
	fTS: "ts", fUID: "uid", fOrigH: "id.orig_h", fOrigP: "id.orig_p",
	fRespH: "id.resp_h", fRespP: "id.resp_p", fPath: "_path",
	fProto: "proto", fService: "service", fDuration: "duration",
	fOrigBytes: "orig_bytes", fRespBytes: "resp_bytes", fConnState: "conn_state",
	fLocalOrig: "local_orig", fLocalResp: "local_resp",
	fOrigPkts: "orig_pkts", fOrigIPBytes: "orig_ip_bytes",
	fRespPkts: "resp_pkts", fRespIPBytes: "resp_ip_bytes",
	fOrigL2: "orig_l2_addr", fRespL2: "resp_l2_addr",
	fVLAN: "vlan", fInnerVLAN: "inner_vlan",
	fIsOrig: "is_orig", fDirection: "direction", fPDUType: "pdu_type",
	fFunc: "func", fFCRequest: "fc_request", fFCReply: "fc_reply",
	fRosctrCode: "rosctr_code", fRosctrName: "rosctr_name",
	fFunctionCode: "function_code", fFunctionName: "function_name",
	fSubfunctionCode: "subfunction_code", fSubfunctionName: "subfunction_name",
	fOpcode: "opcode", fOpcodeName: "opcode_name",
	fCIPServiceCode: "cip_service_code", fCIPService: "cip_service", fClassID: "class_id",
	fENIPCommandCode: "enip_command_code", fENIPCommand: "enip_command",
	fPDUService: "pdu_service", fBVLCFunction: "bvlc_function",
}

// fieldSlot maps a column name to its slot. Aliases: Zeek 8's conn_id
// context (id.ctx.vlan), the vlan_fivetuple conn_id fields (id.vlan) and a
// community script's outer_vlan.
var fieldSlot = func() map[string]slot {
	m := make(map[string]slot, int(numSlots)+8)
	for s, n := range slotNames {
		m[n] = slot(s)
	}
	m["outer_vlan"] = fVLAN
	m["id.vlan"] = fVLAN
	m["id.ctx.vlan"] = fVLAN
	m["id.inner_vlan"] = fInnerVLAN
	m["id.ctx.inner_vlan"] = fInnerVLAN
	return m
}()

// record holds one line's values by slot: nil when the column is absent or
// unset, otherwise the value's text (a TSV field, a JSON string's decoded
// bytes, or a JSON number/true/false as written). The slices point into the
// reader's line buffer and are valid until the next line.
type record struct {
	v    [numSlots][]byte
	line int64
}

func (r *record) reset() { r.v = [numSlots][]byte{} }

// lookupField is fieldSlot for the bytes of a JSON key, about twice as
// fast as a map: an open-addressed table on a hash of the length and three
// bytes, checked by comparing the name. JSON lines look up every key.
func lookupField(b []byte) (slot, bool) {
	if len(b) == 0 {
		return slotNone, false
	}
	for i := fieldHash(b); ; i = (i + 1) & (len(fieldTable) - 1) {
		e := &fieldTable[i]
		if e.name == "" {
			return slotNone, false
		}
		if e.name == string(b) {
			return e.slot, true
		}
	}
}

type fieldEntry struct {
	name string
	slot slot
}

var fieldTable = func() (t [256]fieldEntry) {
	for name, s := range fieldSlot {
		i := fieldHash([]byte(name))
		for t[i].name != "" {
			i = (i + 1) & (len(t) - 1)
		}
		t[i] = fieldEntry{name, s}
	}
	return t
}()

func fieldHash(b []byte) int {
	n := len(b)
	return (n*131 + int(b[0])*7 + int(b[n-1])*31 + int(b[n/2])*17) & 255
}
