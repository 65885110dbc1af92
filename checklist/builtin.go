package checklist

import (
	"embed"
	"fmt"
	"sync"
)

//go:embed templates/*.yaml
var builtinFS embed.FS

// Built-in template IDs.
const (
	IEC62443_2_1_2024 = "iec62443-2-1-2024"
	IEC62443_2_1_2010 = "iec62443-2-1-2010"
	IEC62443_3_3_2013 = "iec62443-3-3-2013"
	IEC62443_2_4_2023 = "iec62443-2-4-2023"
	IEC62443_3_2_2020 = "iec62443-3-2-2020"
	IEC62443_4_2_2019 = "iec62443-4-2-2019"
)

var builtinFiles = []string{
	"templates/" + IEC62443_2_1_2024 + ".yaml",
	"templates/" + IEC62443_2_1_2010 + ".yaml",
	"templates/" + IEC62443_3_3_2013 + ".yaml",
	"templates/" + IEC62443_2_4_2023 + ".yaml",
	"templates/" + IEC62443_3_2_2020 + ".yaml",
	"templates/" + IEC62443_4_2_2019 + ".yaml",
}

var builtin = sync.OnceValues(func() ([]*Template, error) { return loadEmbedded(builtinFiles) })

func loadEmbedded(files []string) ([]*Template, error) {
	out := make([]*Template, 0, len(files))
	for _, name := range files {
		data, err := builtinFS.ReadFile(name)
		if err != nil {
			return nil, err
		}
		t, err := Load(name, data)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}

// Builtin returns the templates shipped with Zonewalk: IEC 62443-2-1:2024,
// 62443-2-1:2010, 62443-3-3:2013, 62443-2-4:2023 (service providers),
// 62443-3-2:2020 (ZCR 1–7) and 62443-4-2:2019 (component capability), in
// that order. They are parsed once; callers must not modify them.
func Builtin() []*Template {
	ts, err := builtin()
	if err != nil {
		// The embedded files are tested; failing here means a broken build.
		panic(fmt.Sprintf("checklist: built-in template: %v", err))
	}
	return ts
}

// BuiltinByID returns the built-in template with the given ID, or nil.
func BuiltinByID(id string) *Template {
	for _, t := range Builtin() {
		if t.ID == id {
			return t
		}
	}
	return nil
}
