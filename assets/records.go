package assets

// Audit describes the assessment itself; a workspace holds exactly one.
type Audit struct {
	Meta
	Title          string   `json:"title"`
	Site           string   `json:"site"`
	Owner          string   `json:"owner"` // the asset owner's organisation
	Location       string   `json:"location,omitempty"`
	StartDate      string   `json:"start_date,omitempty"` // YYYY-MM-DD
	EndDate        string   `json:"end_date,omitempty"`
	Auditors       []string `json:"auditors,omitempty"`
	Scope          string   `json:"scope,omitempty"`
	Standards      []string `json:"standards,omitempty"` // editions assessed against, e.g. "IEC 62443-2-1:2024"
	Classification string   `json:"classification,omitempty"`
	ReviewedAt     string   `json:"reviewed_at,omitempty"` // last review of the audit data (ORG 2.4)
	// RiskMatrix is the likelihood × impact matrix of the risk register;
	// nil means the default (DefaultRiskMatrix).
	RiskMatrix *RiskMatrix `json:"risk_matrix,omitempty"`
	// MetNeedsEvidence makes a Met answer without evidence count as not
	// assessed (off by default).
	MetNeedsEvidence bool `json:"met_needs_evidence,omitempty"`
	// ConduitSRs are the 3-3 items answered per conduit; nil means the
	// default set (checklist.DefaultConduitItems).
	ConduitSRs []string `json:"conduit_srs,omitempty"`
}

// DefaultClassification is the marking printed on every report page unless
// the audit sets its own.
const DefaultClassification = "Confidential — contains security-sensitive information"

// Rationale is the 62443-3-2 risk reasoning behind a zone's SL-T (ZCR 5.6)
// and its approval by the asset owner (ZCR 7). Ratings are 1 (lowest) to
// 5 (highest); 0 means not rated.
type Rationale struct {
	Safety        int    `json:"safety,omitempty"`
	Environment   int    `json:"environment,omitempty"`
	Operations    int    `json:"operations,omitempty"`
	Finance       int    `json:"finance,omitempty"`
	Reputation    int    `json:"reputation,omitempty"`
	Likelihood    int    `json:"likelihood,omitempty"`
	TolerableRisk string `json:"tolerable_risk,omitempty"`
	Text          string `json:"text,omitempty"`
	ApprovedBy    string `json:"approved_by,omitempty"`
	ApprovedAt    string `json:"approved_at,omitempty"` // YYYY-MM-DD
}

// IsEmpty reports whether no part of the rationale was written.
func (r Rationale) IsEmpty() bool {
	return r.Safety == 0 && r.Environment == 0 && r.Operations == 0 && r.Finance == 0 &&
		r.Reputation == 0 && r.Likelihood == 0 && r.TolerableRisk == "" && r.Text == ""
}

// Zone is a group of assets under one security policy and one SL-T.
type Zone struct {
	Meta
	Name         string    `json:"name"`
	Description  string    `json:"description,omitempty"`
	PurdueLevels []Purdue  `json:"purdue_levels,omitempty"`
	SLT          SLVector  `json:"sl_t"`
	SLTBasis     SLTBasis  `json:"sl_t_basis,omitzero"`
	Rationale    Rationale `json:"rationale"`
}

// TopLevel is the highest Purdue level the zone spans (unset if none).
func (z *Zone) TopLevel() Purdue {
	best := PurdueUnset
	for _, p := range z.PurdueLevels {
		if p.Rank() > best.Rank() {
			best = p
		}
	}
	return best
}

// BottomLevel is the lowest Purdue level the zone spans (unset if none).
func (z *Zone) BottomLevel() Purdue {
	best := PurdueUnset
	for _, p := range z.PurdueLevels {
		if best == PurdueUnset || p.Rank() < best.Rank() {
			best = p
		}
	}
	return best
}

// Direction tells which way data may flow through a conduit.
type Direction string

const (
	Bidirectional Direction = "both"
	FromToTo      Direction = "a-to-b" // only from Conduit.From to Conduit.To
	ToToFrom      Direction = "b-to-a"
)

// Control is a security measure on a conduit.
type Control string

// The controls the model checks know about. Users may record others.
const (
	ControlFirewall           Control = "firewall"
	ControlDataDiode          Control = "data-diode"
	ControlVPN                Control = "vpn"
	ControlJumpHost           Control = "jump-host"
	ControlMFA                Control = "mfa"
	ControlApproval           Control = "approval"            // access granted per session by the asset owner
	ControlSessionTermination Control = "session-termination" // sessions end on timeout or on demand
	ControlSessionRecording   Control = "session-recording"
	ControlIDS                Control = "ids"
	ControlMediaScanning      Control = "media-scanning" // kiosk scan of removable media
	ControlAppProxy           Control = "application-proxy"
)

// KnownControls lists the controls in the order pickers show them.
var KnownControls = []Control{
	ControlFirewall, ControlDataDiode, ControlVPN, ControlJumpHost, ControlMFA,
	ControlApproval, ControlSessionTermination, ControlSessionRecording,
	ControlIDS, ControlMediaScanning, ControlAppProxy,
}

// Flow is one protocol a conduit carries.
type Flow struct {
	Protocol string `json:"protocol"`        // e.g. "Modbus/TCP", "OPC UA", "HTTPS", "USB"
	Ports    string `json:"ports,omitempty"` // e.g. "502", "4840", "tcp/443"
}

func (f Flow) String() string {
	if f.Ports == "" {
		return f.Protocol
	}
	return f.Protocol + " " + f.Ports
}

// Conduit is a communication path between two zones, or from a zone to
// outside the system under consideration when To is empty.
type Conduit struct {
	Meta
	Name         string    `json:"name"`
	From         string    `json:"from"` // zone ID
	To           string    `json:"to"`   // zone ID
	Flows        []Flow    `json:"flows,omitempty"`
	Direction    Direction `json:"direction,omitempty"`
	Controls     []Control `json:"controls,omitempty"`
	RemoteAccess bool      `json:"remote_access,omitempty"`
	Temporary    bool      `json:"temporary,omitempty"` // vendor laptop, USB transfer, …
	SLT          SLVector  `json:"sl_t"`
	Policy       string    `json:"policy,omitempty"`
}

// Has reports whether the conduit lists control c.
func (c *Conduit) Has(ctl Control) bool {
	for _, x := range c.Controls {
		if x == ctl {
			return true
		}
	}
	return false
}

// Joins reports whether the conduit connects zones a and b, either way.
func (c *Conduit) Joins(a, b string) bool {
	return (c.From == a && c.To == b) || (c.From == b && c.To == a)
}

// AssetType is the kind of device or software an asset is.
type AssetType string

const (
	TypePLC         AssetType = "plc"
	TypeRTU         AssetType = "rtu"
	TypeSIS         AssetType = "sis"
	TypeHMI         AssetType = "hmi"
	TypeEWS         AssetType = "ews"
	TypeHistorian   AssetType = "historian"
	TypeServer      AssetType = "server"
	TypeWorkstation AssetType = "workstation"
	TypeNetwork     AssetType = "network" // switch, router
	TypeFirewall    AssetType = "firewall"
	TypeWireless    AssetType = "wireless" // access point, radio link
	TypeIED         AssetType = "ied"
	TypeDrive       AssetType = "drive"
	TypeSensor      AssetType = "sensor" // field instruments and actuators
	TypeTransient   AssetType = "transient"
	TypeSoftware    AssetType = "software"
	TypeOther       AssetType = "other"
)

// AssetTypes lists every type with its display name, in picker order.
var AssetTypes = []struct {
	Type  AssetType
	Label string
}{
	{TypePLC, "PLC"}, {TypeRTU, "RTU"}, {TypeSIS, "SIS controller"}, {TypeHMI, "HMI"},
	{TypeEWS, "Engineering workstation"}, {TypeHistorian, "Historian"}, {TypeServer, "Server"},
	{TypeWorkstation, "Workstation"}, {TypeNetwork, "Network device"}, {TypeFirewall, "Firewall"},
	{TypeWireless, "Wireless device"}, {TypeIED, "IED"}, {TypeDrive, "Drive"},
	{TypeSensor, "Field device"}, {TypeTransient, "Transient device"}, {TypeSoftware, "Software"},
	{TypeOther, "Other"},
}

// Label is the display name of the type.
func (t AssetType) Label() string {
	for _, e := range AssetTypes {
		if e.Type == t {
			return e.Label
		}
	}
	return string(t)
}

// Valid reports whether t is a known type.
func (t AssetType) Valid() bool {
	for _, e := range AssetTypes {
		if e.Type == t {
			return true
		}
	}
	return false
}

// ParseAssetType accepts a type code ("plc") or its label ("SIS controller").
func ParseAssetType(s string) (AssetType, bool) {
	for _, e := range AssetTypes {
		if equalFold(s, string(e.Type)) || equalFold(s, e.Label) {
			return e.Type, true
		}
	}
	return "", false
}

// Criticality is how much the process depends on an asset.
type Criticality string

const (
	CriticalityUnset Criticality = ""
	CriticalityLow   Criticality = "low"
	CriticalityMed   Criticality = "medium"
	CriticalityHigh  Criticality = "high"
	CriticalityCrit  Criticality = "critical"
)

// Criticalities lists the values from lowest to highest.
var Criticalities = []Criticality{CriticalityLow, CriticalityMed, CriticalityHigh, CriticalityCrit}

// Location is where an auditor finds the asset on site.
type Location struct {
	Building string `json:"building,omitempty"`
	Room     string `json:"room,omitempty"`
	Cabinet  string `json:"cabinet,omitempty"`
}

// Asset is a device or piece of software in the system under consideration.
type Asset struct {
	Meta
	Tag         string      `json:"tag"`
	Name        string      `json:"name,omitempty"`
	Type        AssetType   `json:"type"`
	Vendor      string      `json:"vendor,omitempty"`
	Model       string      `json:"model,omitempty"`
	Firmware    string      `json:"firmware,omitempty"` // firmware or software version
	Serial      string      `json:"serial,omitempty"`
	IPs         []string    `json:"ips,omitempty"`
	MACs        []string    `json:"macs,omitempty"`
	Purdue      Purdue      `json:"purdue,omitempty"`
	Zone        string      `json:"zone,omitempty"` // zone ID; empty when not yet assigned
	Criticality Criticality `json:"criticality,omitempty"`
	Location    Location    `json:"location"`
	Owner       string      `json:"owner,omitempty"`
	EndOfLife   bool        `json:"end_of_life,omitempty"` // no longer supported by its vendor
	Wireless    bool        `json:"wireless,omitempty"`    // has an active radio interface
	SLC         int         `json:"sl_c,omitempty"`        // component capability level, 0 if unknown
	Certificate string      `json:"certificate,omitempty"` // e.g. a 62443-4-2 certificate reference
	Notes       string      `json:"notes,omitempty"`
}

// Title is the tag, or the name when there is no tag.
func (a *Asset) Title() string {
	if a.Tag != "" {
		return a.Tag
	}
	return a.Name
}

// Ref points at any record, e.g. the one a piece of evidence belongs to.
type Ref struct {
	Kind string `json:"kind"` // "asset", "zone", "conduit", "answer", "finding", "audit"
	ID   string `json:"id"`
}

// Evidence is a photo or file attached to a record. The bytes are stored
// once per content (by SHA-256); this record carries what describes them.
type Evidence struct {
	Meta
	SHA256    string `json:"sha256"`
	Name      string `json:"name"`
	MediaType string `json:"media_type"`
	Size      int64  `json:"size"`
	Owner     Ref    `json:"owner"`
	Caption   string `json:"caption,omitempty"`
	TakenAt   string `json:"taken_at,omitempty"`
}

// Preset is what an asset type usually implies: where it sits in the
// Purdue model and how much the process depends on it. Quick capture and
// hosts accepted from traffic start from it.
type Preset struct {
	Purdue      Purdue
	Criticality Criticality
}

// Presets by type; a type without one implies nothing.
var Presets = map[AssetType]Preset{
	TypePLC:         {Purdue1, CriticalityHigh},
	TypeRTU:         {Purdue1, CriticalityHigh},
	TypeSIS:         {Purdue1, CriticalityCrit},
	TypeIED:         {Purdue1, CriticalityHigh},
	TypeDrive:       {Purdue1, CriticalityMed},
	TypeSensor:      {Purdue0, CriticalityMed},
	TypeHMI:         {Purdue2, CriticalityHigh},
	TypeEWS:         {Purdue2, CriticalityHigh},
	TypeHistorian:   {Purdue3, CriticalityMed},
	TypeServer:      {Purdue3, CriticalityMed},
	TypeWorkstation: {Purdue3, CriticalityLow},
	TypeFirewall:    {"", CriticalityHigh},
	TypeNetwork:     {"", CriticalityMed},
	TypeWireless:    {"", CriticalityMed},
	TypeTransient:   {"", CriticalityMed},
}
