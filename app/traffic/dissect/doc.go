// Package dissect tells what an industrial or IT flow does, one operation at a
// time, reading only the bytes that classification needs.
//
// It keeps no state between payloads and buffers nothing: a PDU split across
// segments is classified from whatever part is present, and a payload it cannot
// read yields no operations rather than a guess. The code-table functions
// (ModbusFunction, DNP3Function, ...) are shared with readers of other tools'
// logs, so the same operation gets the same Op whether it came from a capture or
// from a log.
package dissect
