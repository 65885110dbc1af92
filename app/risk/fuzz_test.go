package risk

import (
	"encoding/json"
	"testing"

	"github.com/zonewalk/zonewalk/assets"
)

// FuzzSuggestSLT feeds risk records as a bundle would carry them, valid or
// not: the suggestion never panics, stays within SL 0–4 per FR, and only
// names a scenario that applies and is above the line.
func FuzzSuggestSLT(f *testing.F) {
	for _, s := range []string{
		`{"title":"a","scope":{"kind":"audit"},"attacker":3,"frs":[0,4],"likelihood":3,"impact":5}`,
		`{"title":"b","scope":{"kind":"zone","id":"z"},"stage":"detailed","attacker":2,"frs":[1],"likelihood":5,"impact":5,"residual_likelihood":1,"residual_impact":1}`,
		`{"title":"c","scope":{"kind":"conduit","id":"c"},"attacker":9,"frs":[-3,7,2,2],"likelihood":-1,"impact":99}`,
		`{"title":"d","scope":{"kind":"zone","id":"other"},"attacker":4,"frs":[6],"likelihood":5,"impact":5}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var r assets.Risk
		if json.Unmarshal(data, &r) != nil {
			return
		}
		_ = r.Validate()
		scope := Scope{Zone: "z", Conduits: []string{"c"}}
		m := assets.DefaultRiskMatrix()
		v, reasons := SuggestSLT(scope, []assets.Risk{r, r}, m)
		if len(reasons) != 7 {
			t.Fatalf("%d reasons", len(reasons))
		}
		for i, l := range v {
			if l < 0 || l > 4 {
				t.Fatalf("FR %d level %d", i+1, l)
			}
			if rs := reasons[i]; rs.SetBy != nil && (!scope.Applies(&r) || !rs.SetBy.Raises() || rs.Level != r.Attacker) {
				t.Fatalf("FR %d set by %+v", i+1, rs.SetBy)
			}
			_ = reasons[i].String()
		}
	})
}
