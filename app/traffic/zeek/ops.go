package zeek

import (
	"bytes"
	"errors"

	"github.com/zonewalk/zonewalk/app/traffic/dissect"
)

// The ICS logs name operations their own way; each line is brought back to
// the protocol's code and named by package dissect, so an operation gets
// the same Op from a capture and from a log. Code columns are preferred
// where a log has them; names are looked up in the tables of the scripts
// that write them. Like the dissector, requests and responses are both
// read: a response names the operation it answers (a Modbus exception the
// function, a CIP reply its service), so the set of operations is the same.
// Where the dissector's name depends on more than a code (an S7comm
// user-data group and subfunction, a PI service's name, a CIP request's
// path), the line is rebuilt into the few protocol bytes that carry those
// values and handed to dissect.Dissect, which then names it exactly as it
// names the packet (see pdu.go).

// emitOp reads one line of an ICS log; a line that names no operation (an
// S7comm ACK without a function, a BACnet segment ACK) is accepted and
// yields nothing.
func (rd *reader) emitOp() error {
	v := &rd.rec.v
	if v[fUID] == nil {
		return missing(fUID)
	}
	var ops [2]dissect.Op
	n := 0
	var err error
	switch rd.cur {
	case typeModbus:
		n, err = modbusOp(v, &ops, &rd.pdus)
	case typeDNP3:
		n, err = dnp3Ops(v, &ops, &rd.pdus)
	case typeS7comm:
		n, err = s7Op(v, &ops, &rd.pdus)
	case typeS7commPlus:
		n, err = s7PlusOp(v, &ops, &rd.pdus)
	case typeCIP:
		n, err = cipOp(v, &ops, &rd.pdus)
	case typeENIP:
		n, err = enipOp(v, &ops, &rd.pdus)
	case typeBACnet:
		n, err = bacnetOp(v, &ops, &rd.pdus)
	case typeCIPIO:
		n, err = cipIOOp(v, &ops, &rd.pdus)
	}
	if err != nil || n == 0 || rd.h.Op == nil {
		return err
	}
	uid := rd.uid(v[fUID])
	for _, op := range ops[:n] {
		if err := rd.h.Op(Op{UID: uid, Op: op}); err != nil {
			return &handlerError{err}
		}
	}
	return nil
}

// uid returns the line's UID, reusing the previous string while it repeats.
func (rd *reader) uid(b []byte) string {
	if rd.uidS == "" || !bytes.Equal(b, rd.uidB) {
		rd.uidS = string(b)
		rd.uidB = append(rd.uidB[:0], b...)
	}
	return rd.uidS
}

var errUnknownName = errors.New("unknown name")

// unknownN reads Zeek's default name for a code without one: "unknown-N"
// (base/protocols/modbus/consts.zeek, dnp3/consts.zeek: fmt("unknown-%d")).
func unknownN(b []byte) (byte, bool) {
	rest, ok := bytes.CutPrefix(b, []byte("unknown-"))
	if !ok {
		return 0, false
	}
	n, err := parseUint(rest, 255)
	return byte(n), err == nil
}

// modbus.log: func is the function name from Zeek's Modbus::function_codes
// (base/protocols/modbus/consts.zeek); main.zeek's build_func appends
// "_EXCEPTION" for an exception response to a known function. Columns:
// ts uid id tid unit func pdu_type exception (tid, unit, pdu_type since
// Zeek 6; older logs have ts uid id func exception).
var modbusCodes = map[string]byte{
	"READ_COILS": 0x01, "READ_DISCRETE_INPUTS": 0x02, "READ_HOLDING_REGISTERS": 0x03,
	"READ_INPUT_REGISTERS": 0x04, "WRITE_SINGLE_COIL": 0x05, "WRITE_SINGLE_REGISTER": 0x06,
	"READ_EXCEPTION_STATUS": 0x07, "DIAGNOSTICS": 0x08, "GET_COMM_EVENT_COUNTER": 0x0B,
	"GET_COMM_EVENT_LOG": 0x0C, "WRITE_MULTIPLE_COILS": 0x0F, "WRITE_MULTIPLE_REGISTERS": 0x10,
	"REPORT_SLAVE_ID": 0x11, "READ_FILE_RECORD": 0x14, "WRITE_FILE_RECORD": 0x15,
	"MASK_WRITE_REGISTER": 0x16, "READ_WRITE_MULTIPLE_REGISTERS": 0x17, "READ_FIFO_QUEUE": 0x18,
	"ENCAP_INTERFACE_TRANSPORT": 0x2B, "OBJECT_MESSAGING": 0x5B,
	"PROGRAM_484": 0x09, "POLL_484": 0x0A, "PROGRAM_584_984": 0x0D, "POLL_584_984": 0x0E,
	"PROGRAM_884_U84": 0x12, "RESET_COMM_LINK_884_U84": 0x13, "PROGRAM_CONCEPT": 0x28,
	"MULTIPLE_FUNCTION_CODES": 0x29, "PROGRAM_UNITY": 0x5A, "FIRMWARE_REPLACEMENT": 0x7D,
	"PROGRAM_584_984_2": 0x7E, "REPORT_LOCAL_ADDRESS": 0x7F,
}

func modbusOp(v *[numSlots][]byte, ops *[2]dissect.Op, pc *pduCache) (int, error) {
	b := v[fFunc]
	if b == nil {
		return 0, nil
	}
	if c, ok := unknownN(b); ok {
		ops[0] = dissect.ModbusFunction(c)
		return 1, nil
	}
	exc := 0
	if name, ok := bytes.CutSuffix(b, []byte("_EXCEPTION")); ok {
		b, exc = name, 0x80
	}
	c, ok := modbusCodes[string(b)]
	if !ok {
		return 0, badField(fFunc, errUnknownName)
	}
	ops[0] = dissect.ModbusFunction(c | byte(exc))
	return 1, nil
}

// dnp3.log: ts uid id fc_request fc_reply iin (base/protocols/dnp3/main.zeek),
// names from DNP3::function_codes (dnp3/consts.zeek). A line holds a
// request, its reply, or both; each header is an operation, as the
// dissector counts every application header.
var dnp3Codes = map[string]byte{
	"CONFIRM": 0x00, "READ": 0x01, "WRITE": 0x02, "SELECT": 0x03, "OPERATE": 0x04,
	"DIRECT_OPERATE": 0x05, "DIRECT_OPERATE_NR": 0x06, "IMMED_FREEZE": 0x07,
	"IMMED_FREEZE_NR": 0x08, "FREEZE_CLEAR": 0x09, "FREEZE_CLEAR_NR": 0x0a,
	"FREEZE_AT_TIME": 0x0b, "FREEZE_AT_TIME_NR": 0x0c, "COLD_RESTART": 0x0d,
	"WARM_RESTART": 0x0e, "INITIALIZE_DATA": 0x0f, "INITIALIZE_APPL": 0x10,
	"START_APPL": 0x11, "STOP_APPL": 0x12, "SAVE_CONFIG": 0x13,
	"ENABLE_UNSOLICITED": 0x14, "DISABLE_UNSOLICITED": 0x15, "ASSIGN_CLASS": 0x16,
	"DELAY_MEASURE": 0x17, "RECORD_CURRENT_TIME": 0x18, "OPEN_FILE": 0x19,
	"CLOSE_FILE": 0x1a, "DELETE_FILE": 0x1b, "GET_FILE_INFO": 0x1c,
	"AUTHENTICATE_FILE": 0x1d, "ABORT_FILE": 0x1e, "ACTIVATE_CONFIG": 0x1f,
	"AUTHENTICATE_REQ": 0x20, "AUTHENTICATE_REQ_NR": 0x21,
	"RESPONSE": 0x81, "UNSOLICITED_RESPONSE": 0x82, "AUTHENTICATE_RESP": 0x83,
}

func dnp3Ops(v *[numSlots][]byte, ops *[2]dissect.Op, pc *pduCache) (int, error) {
	n := 0
	for _, s := range [...]slot{fFCRequest, fFCReply} {
		b := v[s]
		if b == nil {
			continue
		}
		c, ok := dnp3Codes[string(b)]
		if !ok {
			if c, ok = unknownN(b); !ok {
				return 0, badField(s, errUnknownName)
			}
		}
		ops[n] = dissect.DNP3Function(c)
		n++
	}
	return n, nil
}

// s7comm.log (cisagov/icsnpp-s7comm scripts/icsnpp/s7comm/main.zeek):
// ts uid id rosctr_code rosctr_name pdu_reference function_code
// function_name subfunction_code subfunction_name error_class error_code.
// function_code is fmt("0x%02x"); for Job-Request (1), ACK (2) and ACK-Data
// (3) it is the parameter function (S7COMM::s7comm_functions); for
// User-Data (7) it is the method and function group ("0x44", "Request:
// CPU Functions"), which dissect names with S7UserData when it has it.
var s7FunctionCodes = map[string]byte{
	"CPU Services": 0x00, "Read Variable": 0x04, "Write Variable": 0x05,
	"Request Download": 0x1a, "Download Block": 0x1b, "Download Ended": 0x1c,
	"Start Upload": 0x1d, "Upload": 0x1e, "End Upload": 0x1f,
	"PLC Control": 0x28, "PLC Stop": 0x29, "Setup Communication": 0xf0,
}

var s7RosctrCodes = map[string]byte{"Job-Request": 1, "ACK": 2, "ACK-Data": 3, "User-Data": 7}

func s7Op(v *[numSlots][]byte, ops *[2]dissect.Op, pc *pduCache) (int, error) {
	var rosctr byte
	switch {
	case v[fRosctrCode] != nil:
		n, err := parseHex(v[fRosctrCode], 255)
		if err != nil {
			return 0, badField(fRosctrCode, err)
		}
		rosctr = byte(n)
	case v[fRosctrName] != nil:
		c, ok := s7RosctrCodes[string(v[fRosctrName])]
		if !ok {
			return 0, badField(fRosctrName, errUnknownName)
		}
		rosctr = c
	default:
		return 0, nil
	}
	switch rosctr {
	case 1, 3: // the dissector names no ACK (2): it has no parameters
		var code byte
		switch {
		case v[fFunctionCode] != nil:
			n, err := parseHex(v[fFunctionCode], 255)
			if err != nil {
				return 0, badField(fFunctionCode, err)
			}
			code = byte(n)
		case v[fFunctionName] != nil:
			c, ok := s7FunctionCodes[string(v[fFunctionName])]
			if !ok {
				return 0, badField(fFunctionName, errUnknownName)
			}
			code = c
		default:
			return 0, nil
		}
		// A PLC Control job names its PI service in subfunction_code
		// ("_MODU", "P_PROGRAM"), as the job carries it.
		if code == 0x28 && rosctr == 1 && v[fSubfunctionCode] != nil {
			if op, ok := pc.s7PIServiceOp(v[fSubfunctionCode]); ok {
				ops[0] = op
				return 1, nil
			}
		}
		ops[0] = dissect.S7Function(code)
		return 1, nil
	case 7:
		return s7UserData(v, ops, pc)
	}
	return 0, nil
}

// s7comm_plus.log (cisagov/icsnpp-s7comm): ts uid id version opcode
// opcode_name function_code function_name; function_code is fmt("0x%04x")
// for requests and responses, unset for notifications.
func s7PlusOp(v *[numSlots][]byte, ops *[2]dissect.Op, pc *pduCache) (int, error) {
	b := v[fFunctionCode]
	if b == nil {
		// A notification, or a request the script could not read
		// further: named by the opcode alone.
		if v[fOpcode] == nil {
			return 0, nil
		}
		opc, err := parseHex(v[fOpcode], 255)
		if err != nil {
			return 0, badField(fOpcode, err)
		}
		op, ok := pc.s7PlusOpcodeOp(byte(opc))
		if !ok {
			return 0, nil
		}
		ops[0] = op
		return 1, nil
	}
	n, err := parseHex(b, 0xffff)
	if err != nil {
		return 0, badField(fFunctionCode, err)
	}
	ops[0] = dissect.S7CommPlusFunction(uint16(n))
	return 1, nil
}

// cip.log (cisagov/icsnpp-enip scripts/icsnpp/enip/main.zeek): ts uid id
// [is_orig] cip_sequence_count direction cip_service_code cip_service
// cip_status ... class_id class_name instance_id attribute_id;
// cip_service_code is fmt("0x%02x") of the service without the reply bit,
// class_id fmt("0x%02x") of the request path's class, unset when the path
// names a tag (a symbolic segment) instead.
func cipOp(v *[numSlots][]byte, ops *[2]dissect.Op, pc *pduCache) (int, error) {
	b := v[fCIPServiceCode]
	if b == nil {
		return 0, nil
	}
	n, err := parseHex(b, 255)
	if err != nil {
		return 0, badField(fCIPServiceCode, err)
	}
	svc := byte(n)
	request := svc&0x80 == 0
	switch {
	case v[fDirection] != nil:
		request = request && string(v[fDirection]) == "request"
	case v[fIsOrig] != nil:
		request = request && string(v[fIsOrig]) != "F" && string(v[fIsOrig]) != "false"
	}
	if !request {
		ops[0] = dissect.CIPService(svc | 0x80)
		return 1, nil
	}
	class, symbolic := -1, true
	if c := v[fClassID]; c != nil {
		k, err := parseHex(c, 0xffff)
		if err != nil {
			return 0, badField(fClassID, err)
		}
		class, symbolic = int(k), false
	}
	op, ok := pc.cipRequestOp(svc, class, symbolic)
	if !ok {
		op = dissect.CIPService(svc)
	}
	ops[0] = op
	return 1, nil
}

// cip_io.log (cisagov/icsnpp-enip): ts uid id connection_id
// sequence_number data_length io_data, one line per class 0/1 I/O packet.
func cipIOOp(v *[numSlots][]byte, ops *[2]dissect.Op, pc *pduCache) (int, error) {
	op, ok := pc.cipCyclicIOOp()
	if !ok {
		return 0, nil
	}
	ops[0] = op
	return 1, nil
}

// enip.log (cisagov/icsnpp-enip): ts uid id enip_command_code enip_command
// length session_handle enip_status sender_context options;
// enip_command_code is fmt("0x%02x") of the 16-bit command.
func enipOp(v *[numSlots][]byte, ops *[2]dissect.Op, pc *pduCache) (int, error) {
	b := v[fENIPCommandCode]
	if b == nil {
		return 0, nil
	}
	n, err := parseHex(b, 0xffff)
	if err != nil {
		return 0, badField(fENIPCommandCode, err)
	}
	if n == 0x6f || n == 0x70 {
		// SendRRData and SendUnitData carry CIP, which cip.log names;
		// the dissector too names the CIP message, not its envelope.
		return 0, nil
	}
	ops[0] = dissect.ENIPCommand(uint16(n))
	return 1, nil
}

// bacnet.log (cisagov/icsnpp-bacnet scripts/icsnpp/bacnet/main.zeek): ts
// uid id is_orig source_h source_p destination_h destination_p
// bvlc_function pdu_type pdu_service invoke_id result_code. pdu_type is
// the APDU type name (Bacnet::apdu_types); pdu_service names the service
// from Bacnet::confirmed_service_choice or unconfirmed_service_choice
// (scripts/consts.zeek), or "Unknown Service Choice-0x%02x". Acks carry
// the confirmed service they answer. A BVLC message without an NPDU has
// only bvlc_function set.
var bacnetConfirmed = map[string]byte{
	"acknowledge_alarm": 0, "confirmed_cov_notification": 1,
	"confirmed_event_notification": 2, "get_alarm_summary": 3,
	"get_enrollment_summary": 4, "subscribe_cov": 5, "atomic_read_file": 6,
	"atomic_write_file": 7, "add_list_element": 8, "remove_list_element": 9,
	"create_object": 10, "delete_object": 11, "read_property": 12,
	"read_property_conditional": 13, "read_property_multiple": 14,
	"write_property": 15, "write_property_multiple": 16,
	"device_communication_control": 17, "confirmed_private_transfer": 18,
	"confirmed_text_message": 19, "reinitialized_device": 20, "vt_open": 21,
	"vt_close": 22, "vt_data": 23, "authenticate": 24, "request_key": 25,
	"read_range": 26, "life_safety_operation": 27, "subscribe_cov_property": 28,
	"get_event_information": 29,
}

var bacnetUnconfirmed = map[string]byte{
	"i_am": 0, "i_have": 1, "unconfirmed_cov_notification": 2,
	"unconfirmed_event_notification": 3, "unconfirmed_private_transfer": 4,
	"unconfirmed_text_message": 5, "time_synchronization": 6, "who_has": 7,
	"who_is": 8, "utc_time_synchronization": 9,
}

// bvlcFunctions: the BVLC functions (Bacnet::bvlc_functions) the
// dissector names on their own, without an NPDU.
var bvlcFunctions = map[string]byte{
	"Write_Broadcast_Table": 1, "Read_Broadcast_Table": 2, "Register_Foreign_Device": 5,
	"Read_Foreign_Device_Table": 6, "Delete_Foreign_Device_Table_Entry": 8,
}

func bacnetOp(v *[numSlots][]byte, ops *[2]dissect.Op, pc *pduCache) (int, error) {
	typ := string(v[fPDUType])
	svc := v[fPDUService]
	if svc == nil || v[fPDUType] == nil && v[fBVLCFunction] != nil {
		if fn, ok := bvlcFunctions[string(v[fBVLCFunction])]; ok {
			if op, ok := pc.bvlcOp(fn); ok {
				ops[0] = op
				return 1, nil
			}
		}
		if svc == nil {
			return 0, nil
		}
	}
	switch typ {
	case "CONFIRMED_REQUEST", "UNCONFIRMED_REQUEST", "SIMPLE_ACK", "COMPLEX_ACK", "":
	default:
		// Segment ACKs, errors, rejects and aborts: the dissector
		// names none of them.
		return 0, nil
	}
	unconfirmed := typ == "UNCONFIRMED_REQUEST"
	if rest, ok := bytes.CutPrefix(svc, []byte("Unknown Service Choice-")); ok {
		n, err := parseHex(rest, 255)
		if err != nil || typ == "" {
			return 0, badField(fPDUService, errUnknownName)
		}
		if unconfirmed {
			ops[0] = dissect.BACnetUnconfirmed(byte(n))
		} else {
			ops[0] = dissect.BACnetConfirmed(byte(n))
		}
		return 1, nil
	}
	if c, ok := bacnetUnconfirmed[string(svc)]; ok && (unconfirmed || typ == "") {
		ops[0] = dissect.BACnetUnconfirmed(c)
		return 1, nil
	}
	if c, ok := bacnetConfirmed[string(svc)]; ok && !unconfirmed {
		ops[0] = dissect.BACnetConfirmed(c)
		return 1, nil
	}
	return 0, badField(fPDUService, errUnknownName)
}

// s7UserData names an S7comm User-Data line. function_code is the
// parameter's type/group byte (high nibble 0x0 push, 0x4 request, 0x8
// response; low nibble the group, S7COMM::s7comm_userdata_functions) and
// subfunction_code the subfunction within the group.
func s7UserData(v *[numSlots][]byte, ops *[2]dissect.Op, pc *pduCache) (int, error) {
	if v[fFunctionCode] == nil {
		return 0, nil
	}
	tg, err := parseHex(v[fFunctionCode], 255)
	if err != nil {
		return 0, badField(fFunctionCode, err)
	}
	var sub uint64
	if b := v[fSubfunctionCode]; b != nil {
		if sub, err = parseHex(b, 255); err != nil {
			return 0, badField(fSubfunctionCode, err)
		}
	}
	op, ok := pc.s7UserDataOp(byte(tg), byte(sub))
	if !ok {
		return 0, nil
	}
	ops[0] = op
	return 1, nil
}
