package checklist

import (
	"fmt"
	"testing"

	"github.com/zonewalk/zonewalk/assets"
)

func BenchmarkLoad33(b *testing.B) {
	data, err := builtinFS.ReadFile("templates/" + IEC62443_3_3_2013 + ".yaml")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := Load("3-3.yaml", data); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkScoreZone scores one zone with every item answered, the
// largest score a screen recomputes after each answer.
func BenchmarkScoreZone(b *testing.B) {
	tpl := BuiltinByID(IEC62443_3_3_2013)
	var answers []Answer
	for i, it := range tpl.Items() {
		st := StatusMet
		if i%7 == 0 {
			st = StatusNotMet
		}
		answers = append(answers, Answer{Template: tpl.ID, Item: it.ID, Zone: "z", Status: st})
	}
	for b.Loop() {
		if _, err := ScoreZone(tpl, "z", assets.UniformSL(3), answers); err != nil {
			b.Fatal(err)
		}
	}
}

func ExampleLoad() {
	_, err := Load("site-extra.yaml", []byte(`format: 1
id: site-extra
revision: 1
title: Site additions
standard: House rules
kind: zone
sections:
  - id: FR 5
    title: Restricted data flow
    fr: 5
    items:
      - id: H-1
        title: Jump host only
        question: Is the jump host the only way in?
        levels: [2, 5]
`))
	fmt.Println(err)
	// Output: site-extra.yaml:15: levels: unknown security level 5 (want 1–4)
}
