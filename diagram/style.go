package diagram

import "github.com/zonewalk/zonewalk/assets"

// The palette: calm slate greys for structure, one accent per meaning, so a
// red line on a printout can only mean a finding.
const (
	fontName = "Helvetica" // Graphviz's width estimate for it matches Go Regular within a few percent

	colInk      = "#0f172a" // titles
	colText     = "#334155" // body text
	colMuted    = "#64748b" // secondary text
	colLine     = "#475569" // ordinary conduit
	colBorder   = "#94a3b8"
	colZoneLine = "#334155"
	colRemote   = "#7c3aed" // remote-access conduit
	colFinding  = "#dc2626" // conduit with findings
	colBadge    = "#1e293b" // SL-T badge
	colWhite    = "#ffffff"
	colWarn     = "#b45309" // end of life

	// Zones of the overview by their worst SL gap (SL-T − SL-A).
	colGapNone = "#dcfce7" // every FR meets its target
	colGapOne  = "#fef3c7" // one level short somewhere
	colGapMore = "#fee2e2" // two or more levels short

	colNoteBg    = "#fef9c3" // the auditor's note on a zone or conduit
	colFindingBg = "#fee2e2" // a "finding here" marker
)

// gapFill is the fill of a zone with the given worst gap.
func gapFill(gap int) string {
	switch {
	case gap <= 0:
		return colGapNone
	case gap == 1:
		return colGapOne
	}
	return colGapMore
}

// levelInfo names a Purdue row and gives it a band colour.
type levelInfo struct {
	label, name  string
	fill, border string
}

var levelStyle = map[assets.Purdue]levelInfo{
	assets.Purdue5:  {"L5", "Enterprise", "#f8fafc", "#e2e8f0"},
	assets.Purdue4:  {"L4", "Business", "#f1f5f9", "#e2e8f0"},
	assets.Purdue35: {"L3.5", "Industrial DMZ", "#fffbeb", "#fcd34d"},
	assets.Purdue3:  {"L3", "Site operations", "#eff6ff", "#dbeafe"},
	assets.Purdue2:  {"L2", "Supervisory control", "#eef4ff", "#d6e4ff"},
	assets.Purdue1:  {"L1", "Basic control", "#ecf3fe", "#d3e2fc"},
	assets.Purdue0:  {"L0", "Process", "#e8f0fd", "#cfdffb"},
	"":              {"", "No Purdue level", "#f8fafc", "#e2e8f0"},
}

const (
	famControl  = "Control"
	famOperator = "Operator and engineering"
	famServer   = "Servers"
	famNetwork  = "Network"
	famField    = "Field devices"
	famOther    = "Transient and other"
)

var families = []struct{ name, fill, pen string }{
	{famControl, "#fef3c7", "#b45309"},
	{famOperator, "#dbeafe", "#1d4ed8"},
	{famServer, "#ede9fe", "#6d28d9"},
	{famNetwork, "#dcfce7", "#15803d"},
	{famField, "#cffafe", "#0e7490"},
	{famOther, "#f1f5f9", "#475569"},
}

func family(name string) (fill, pen string) {
	for _, f := range families {
		if f.name == name {
			return f.fill, f.pen
		}
	}
	return "#f1f5f9", "#475569"
}

var typeShape = map[assets.AssetType]struct{ shape, family string }{
	assets.TypePLC:         {"box3d", famControl},
	assets.TypeRTU:         {"box3d", famControl},
	assets.TypeSIS:         {"component", famControl},
	assets.TypeIED:         {"box3d", famControl},
	assets.TypeDrive:       {"box3d", famControl},
	assets.TypeHMI:         {"rounded", famOperator},
	assets.TypeEWS:         {"rounded", famOperator},
	assets.TypeWorkstation: {"rounded", famOperator},
	assets.TypeHistorian:   {"cylinder", famServer},
	assets.TypeServer:      {"box", famServer},
	assets.TypeNetwork:     {"chamfered", famNetwork},
	assets.TypeFirewall:    {"double", famNetwork},
	assets.TypeWireless:    {"dashed", famNetwork},
	assets.TypeSensor:      {"ellipse", famField},
	assets.TypeTransient:   {"note", famOther},
	assets.TypeSoftware:    {"tab", famOther},
	assets.TypeOther:       {"box", famOther},
}

// assetLook is how an asset type is drawn: DOT shape, style, margin,
// peripheries and family colours. Only box-like shapes and the ellipse are
// used: Graphviz grows hexagons and octagons around a multi-line label
// until they dwarf their neighbours.
type assetLook struct {
	shape, style, margin, peripheries string
	fill, pen, family                 string
}

func lookOf(t assets.AssetType) assetLook {
	s, ok := typeShape[t]
	if !ok {
		s = typeShape[assets.TypeOther]
	}
	fill, pen := family(s.family)
	l := assetLook{shape: s.shape, style: "filled", margin: "0.1,0.05", fill: fill, pen: pen, family: s.family}
	switch s.shape {
	case "rounded":
		l.shape, l.style = "box", "rounded,filled"
	case "chamfered":
		l.shape, l.style = "box", "filled,diagonals"
	case "double":
		l.shape, l.peripheries = "box", "2"
	case "dashed":
		l.shape, l.style = "box", "rounded,filled,dashed"
	case "ellipse":
		l.margin = "0,0"
	}
	return l
}
