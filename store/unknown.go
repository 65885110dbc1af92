package store

import (
	"bytes"
	"encoding"
	"encoding/json"
	"reflect"
	"strings"
	"sync"
)

// Forward compatibility: a record written by a newer Zonewalk may carry
// fields this version does not know. Decoding into our Go types drops them,
// so Put adds them back from the stored JSON. A team can then upgrade its
// laptops one at a time without the older ones erasing the newer fields
// (and spreading that loss through bundles).

// fieldSet is the JSON object keys a Go struct type reads, with the nested
// set for fields that are themselves plain structs.
type fieldSet struct {
	names map[string]*fieldSet // lower-cased: encoding/json matches keys case-insensitively
}

func (f *fieldSet) knows(key string) bool {
	_, ok := f.names[strings.ToLower(key)]
	return ok
}

func (f *fieldSet) nested(key string) *fieldSet { return f.names[strings.ToLower(key)] }

var fieldSets sync.Map // reflect.Type -> *fieldSet

var (
	jsonMarshaler = reflect.TypeFor[json.Marshaler]()
	jsonUnmarsh   = reflect.TypeFor[json.Unmarshaler]()
	textMarshaler = reflect.TypeFor[encoding.TextMarshaler]()
)

// typeOf is the struct type behind a record, or nil when the record is not
// a plain struct (custom JSON encoding: nothing is merged then).
func typeOf(v any) reflect.Type {
	t := reflect.TypeOf(v)
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil || !plainStruct(t) {
		return nil
	}
	return t
}

// plainStruct: a struct that encoding/json encodes field by field.
func plainStruct(t reflect.Type) bool {
	if t.Kind() != reflect.Struct {
		return false
	}
	for _, c := range []reflect.Type{t, reflect.PointerTo(t)} {
		if c.Implements(jsonMarshaler) || c.Implements(jsonUnmarsh) || c.Implements(textMarshaler) {
			return false
		}
	}
	return true
}

// knownFields returns the keys a struct type reads, cached per type.
func knownFields(t reflect.Type) *fieldSet {
	if f, ok := fieldSets.Load(t); ok {
		return f.(*fieldSet)
	}
	f := &fieldSet{names: map[string]*fieldSet{}}
	addFields(f, t, 0)
	fieldSets.Store(t, f)
	return f
}

func addFields(f *fieldSet, t reflect.Type, depth int) {
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		tag := sf.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		ft := sf.Type
		for ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		if sf.Anonymous && name == "" && ft.Kind() == reflect.Struct {
			addFields(f, ft, depth) // promoted fields, e.g. assets.Meta
			continue
		}
		if !sf.IsExported() {
			continue
		}
		if name == "" {
			name = sf.Name
		}
		var sub *fieldSet
		if plainStruct(ft) && depth < 8 && ft.NumField() > 0 {
			sub = &fieldSet{names: map[string]*fieldSet{}}
			addFields(sub, ft, depth+1)
		}
		f.names[strings.ToLower(name)] = sub
	}
}

// keepUnknown returns fresh, the encoding of a record, with the keys of old
// (its stored JSON) that the record's type does not know added back, also
// inside nested struct objects. Keys the type knows are never taken from
// old: a field cleared by the user (omitted) must stay cleared. Fields inside
// arrays are not merged (elements cannot be matched up reliably).
func keepUnknown(fresh, old []byte, known *fieldSet) []byte {
	if known == nil || len(old) == 0 {
		return fresh
	}
	out, changed := mergeUnknown(fresh, old, known)
	if !changed {
		return fresh
	}
	return out
}

func mergeUnknown(fresh, old []byte, known *fieldSet) ([]byte, bool) {
	old = bytes.TrimSpace(old)
	if len(old) == 0 || old[0] != '{' {
		return fresh, false
	}
	var oldFields map[string]json.RawMessage
	if json.Unmarshal(old, &oldFields) != nil {
		return fresh, false
	}
	var freshFields map[string]json.RawMessage
	changed := false
	load := func() bool {
		if freshFields == nil {
			if json.Unmarshal(fresh, &freshFields) != nil || freshFields == nil {
				return false
			}
		}
		return true
	}
	for k, v := range oldFields {
		if !known.knows(k) {
			if !load() {
				return fresh, false
			}
			if _, taken := freshFields[k]; !taken {
				freshFields[k] = v
				changed = true
			}
			continue
		}
		sub := known.nested(k)
		if sub == nil || len(v) == 0 || v[0] != '{' {
			continue
		}
		if !load() {
			return fresh, false
		}
		nv, ok := freshFields[k]
		if !ok || len(bytes.TrimSpace(nv)) == 0 || bytes.TrimSpace(nv)[0] != '{' {
			continue
		}
		if merged, ch := mergeUnknown(nv, v, sub); ch {
			freshFields[k] = merged
			changed = true
		}
	}
	if !changed {
		return fresh, false
	}
	out, err := json.Marshal(freshFields)
	if err != nil {
		return fresh, false
	}
	return out, true
}
