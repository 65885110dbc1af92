package risk_test

import (
	"fmt"

	"github.com/zonewalk/zonewalk/app/risk"
	"github.com/zonewalk/zonewalk/assets"
)

// A control zone with one conduit to the DMZ; two scenarios above the
// default tolerable line (4) and one within it.
func ExampleSuggestSLT() {
	conduits := []assets.Conduit{{Meta: assets.Meta{ID: "c-dmz"}, Name: "DMZ to Control", From: "dmz", To: "ctl"}}
	risks := []assets.Risk{
		{Meta: assets.Meta{ID: "r1"}, Title: "Ransomware through the historian link",
			Scope: assets.Ref{Kind: "conduit", ID: "c-dmz"}, Stage: assets.StageInitial,
			Attacker: 3, FRs: []assets.FR{assets.IAC, assets.RDF}, Likelihood: 3, Impact: 5},
		{Meta: assets.Meta{ID: "r2"}, Title: "Careless USB use",
			Scope: assets.Ref{Kind: "zone", ID: "ctl"}, Stage: assets.StageInitial,
			Attacker: 1, FRs: []assets.FR{assets.SI}, Likelihood: 4, Impact: 2},
		{Meta: assets.Meta{ID: "r3"}, Title: "Eavesdropping on the control LAN",
			Scope: assets.Ref{Kind: "zone", ID: "ctl"}, Stage: assets.StageDetailed,
			Attacker: 2, FRs: []assets.FR{assets.DC}, Likelihood: 3, Impact: 2, ResidualLikelihood: 1, ResidualImpact: 2},
	}
	slt, reasons := risk.SuggestSLT(risk.ZoneScope("ctl", conduits), risks, assets.DefaultRiskMatrix())
	fmt.Println(slt)
	for _, r := range reasons {
		fmt.Println(r)
	}
	// Output:
	// SL 3 (3,0,1,0,3,0,0)
	// FR 1 IAC: SL 3, set by "Ransomware through the historian link" (risk 15 above tolerable 4, attacker SL 3: deliberate, sophisticated means)
	// FR 2 UC: no level suggested: no scenario above the tolerable line names it
	// FR 3 SI: SL 1, set by "Careless USB use" (risk 8 above tolerable 4, attacker SL 1: chance or accidental violation)
	// FR 4 DC: no level suggested: no scenario above the tolerable line names it; also considered: "Eavesdropping on the control LAN" (residual risk 2, within tolerable, attacker SL 2: deliberate, simple means)
	// FR 5 RDF: SL 3, set by "Ransomware through the historian link" (risk 15 above tolerable 4, attacker SL 3: deliberate, sophisticated means)
	// FR 6 TRE: no level suggested: no scenario above the tolerable line names it
	// FR 7 RA: no level suggested: no scenario above the tolerable line names it
}
