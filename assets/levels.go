package assets

import (
	"fmt"
	"strconv"
	"strings"
)

// FR is one of the seven foundational requirements of IEC 62443-3-3.
type FR int

const (
	IAC FR = iota // identification and authentication control
	UC            // use control
	SI            // system integrity
	DC            // data confidentiality
	RDF           // restricted data flow
	TRE           // timely response to events
	RA            // resource availability
)

// FRs lists the foundational requirements in the standard's order.
var FRs = [7]FR{IAC, UC, SI, DC, RDF, TRE, RA}

var frNames = [7]string{"IAC", "UC", "SI", "DC", "RDF", "TRE", "RA"}

func (f FR) String() string {
	if f < 0 || int(f) >= len(frNames) {
		return fmt.Sprintf("FR(%d)", int(f))
	}
	return frNames[f]
}

// Number is the FR's number in 62443-3-3 (FR 1 … FR 7).
func (f FR) Number() int { return int(f) + 1 }

// SLVector is a security level per FR; 0 means not set, 1–4 are SL1–SL4.
type SLVector [7]int

// UniformSL returns a vector with the same level for every FR.
func UniformSL(level int) SLVector {
	var v SLVector
	for i := range v {
		v[i] = level
	}
	return v
}

// IsZero reports whether no FR has a level.
func (v SLVector) IsZero() bool { return v == SLVector{} }

// Summary is the one-number form used on drawings: the highest level of any FR.
func (v SLVector) Summary() int {
	m := 0
	for _, l := range v {
		m = max(m, l)
	}
	return m
}

// Min is the lowest level set across FRs (0 when any FR is unset).
func (v SLVector) Min() int {
	m := 4
	for _, l := range v {
		m = min(m, l)
	}
	return m
}

// String writes the vector in the usual compact form, e.g. "SL 2 (2,2,2,1,3,1,2)".
func (v SLVector) String() string {
	if v.IsZero() {
		return "SL -"
	}
	parts := make([]string, len(v))
	same := true
	for i, l := range v {
		parts[i] = strconv.Itoa(l)
		same = same && l == v[0]
	}
	if same {
		return "SL " + parts[0]
	}
	return fmt.Sprintf("SL %d (%s)", v.Summary(), strings.Join(parts, ","))
}

// ParseSLVector reads "2", "SL2" (all FRs) or seven comma-separated levels.
func ParseSLVector(s string) (SLVector, error) {
	t := strings.TrimSpace(strings.TrimPrefix(strings.ToUpper(strings.TrimSpace(s)), "SL"))
	if t == "" || t == "-" {
		return SLVector{}, nil
	}
	fields := strings.Split(t, ",")
	if len(fields) != 1 && len(fields) != 7 {
		return SLVector{}, fmt.Errorf("security level %q: want one level or seven comma-separated levels", s)
	}
	var v SLVector
	for i, f := range fields {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 0 || n > 4 {
			return SLVector{}, fmt.Errorf("security level %q: %q is not a level 1–4", s, strings.TrimSpace(f))
		}
		v[i] = n
	}
	if len(fields) == 1 {
		return UniformSL(v[0]), nil
	}
	return v, nil
}

// Purdue is a level of the Purdue reference model as auditors use it.
type Purdue string

const (
	PurdueUnset Purdue = ""
	Purdue0     Purdue = "0"   // process: sensors, actuators
	Purdue1     Purdue = "1"   // basic control: PLC, RTU, SIS
	Purdue2     Purdue = "2"   // supervisory: HMI, SCADA, EWS
	Purdue3     Purdue = "3"   // site operations: historian, MES
	Purdue35    Purdue = "3.5" // industrial DMZ
	Purdue4     Purdue = "4"   // business
	Purdue5     Purdue = "5"   // enterprise and external
)

// PurdueLevels lists the levels from the process upwards.
var PurdueLevels = []Purdue{Purdue0, Purdue1, Purdue2, Purdue3, Purdue35, Purdue4, Purdue5}

// Rank orders levels numerically (L3.5 between 3 and 4); -1 when unset or unknown.
func (p Purdue) Rank() int {
	for i, l := range PurdueLevels {
		if l == p {
			return i
		}
	}
	return -1
}

// Valid reports whether p is a known level (or unset).
func (p Purdue) Valid() bool { return p == PurdueUnset || p.Rank() >= 0 }

// Label is "L2", "L3.5", or "" when unset.
func (p Purdue) Label() string {
	if p == PurdueUnset {
		return ""
	}
	return "L" + string(p)
}

// ParsePurdue accepts "2", "L2", "l3.5", "DMZ".
func ParsePurdue(s string) (Purdue, error) {
	t := strings.TrimPrefix(strings.ToUpper(strings.TrimSpace(s)), "L")
	if t == "DMZ" {
		return Purdue35, nil
	}
	p := Purdue(t)
	if !p.Valid() {
		return "", fmt.Errorf("Purdue level %q: want one of 0, 1, 2, 3, 3.5, 4, 5", s)
	}
	return p, nil
}
