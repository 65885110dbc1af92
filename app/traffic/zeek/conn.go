package zeek

import "errors"

var errPort = errors.New("not a port")

// emitConn turns a conn.log record into rd.conn and hands it on.
func (rd *reader) emitConn() error {
	v := &rd.rec.v
	c := &rd.conn
	*c = Conn{}
	for _, s := range essential[typeConn] {
		if v[s] == nil {
			return missing(s)
		}
	}
	c.UID = string(v[fUID])
	var err error
	if b := v[fTS]; b != nil {
		if c.TS, err = parseTime(b); err != nil {
			return badField(fTS, err)
		}
	}
	if c.OrigH, err = parseAddr(v[fOrigH]); err != nil {
		return badField(fOrigH, err)
	}
	if c.RespH, err = parseAddr(v[fRespH]); err != nil {
		return badField(fRespH, err)
	}
	if c.RespP, err = port(v[fRespP]); err != nil {
		return badField(fRespP, err)
	}
	if b := v[fOrigP]; b != nil {
		if c.OrigP, err = port(b); err != nil {
			return badField(fOrigP, err)
		}
	}
	if b := v[fProto]; b != nil {
		c.Proto = rd.strs.get(b)
	}
	if b := v[fService]; b != nil {
		c.Service = rd.strs.get(b)
	}
	if b := v[fConnState]; b != nil {
		c.ConnState = rd.strs.get(b)
	}
	if b := v[fDuration]; b != nil {
		if c.Duration, err = parseDuration(b); err != nil {
			return badField(fDuration, err)
		}
	}
	counts := [...]struct {
		s slot
		p *int64
	}{
		{fOrigBytes, &c.OrigBytes}, {fRespBytes, &c.RespBytes},
		{fOrigPkts, &c.OrigPkts}, {fRespPkts, &c.RespPkts},
		{fOrigIPBytes, &c.OrigIPBytes}, {fRespIPBytes, &c.RespIPBytes},
	}
	for _, f := range counts {
		if b := v[f.s]; b != nil {
			if *f.p, err = parseCount(b); err != nil {
				return badField(f.s, err)
			}
		}
	}
	if v[fOrigL2] != nil && v[fRespL2] != nil {
		if c.OrigMAC, err = parseMAC(v[fOrigL2]); err != nil {
			return badField(fOrigL2, err)
		}
		if c.RespMAC, err = parseMAC(v[fRespL2]); err != nil {
			return badField(fRespL2, err)
		}
		c.HasMAC = true
	}
	if b := v[fVLAN]; b != nil {
		n, err := parseUint(b, 0xffff)
		if err != nil {
			return badField(fVLAN, err)
		}
		c.VLAN = uint16(n)
	}
	if b := v[fInnerVLAN]; b != nil {
		n, err := parseUint(b, 0xffff)
		if err != nil {
			return badField(fInnerVLAN, err)
		}
		c.InnerVLAN = uint16(n)
	}
	if b := v[fLocalOrig]; b != nil {
		t, err := parseBool(b)
		if err != nil {
			return badField(fLocalOrig, err)
		}
		c.Local = rd.newBool(t)
	}
	if b := v[fLocalResp]; b != nil {
		t, err := parseBool(b)
		if err != nil {
			return badField(fLocalResp, err)
		}
		c.LocalResp = rd.newBool(t)
	}
	if rd.h.Conn == nil {
		return nil
	}
	if err := rd.h.Conn(c); err != nil {
		return &handlerError{err}
	}
	return nil
}

// port reads a port number; Zeek logs ICMP type and code in the port
// columns, which fit as well.
func port(b []byte) (uint16, error) {
	n, err := parseUint(b, 0xffff)
	if err != nil {
		return 0, errPort
	}
	return uint16(n), nil
}

// newBool returns a pointer to a fresh bool holding t. The bools are cut
// from slabs: each pointer is still its own (a handler may keep it), but
// a million lines do not cost two million allocations.
func (rd *reader) newBool(t bool) *bool {
	if len(rd.bools) == 0 {
		rd.bools = make([]bool, 1024)
	}
	p := &rd.bools[0]
	rd.bools = rd.bools[1:]
	*p = t
	return p
}
