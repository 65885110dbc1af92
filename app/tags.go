package app

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/zonewalk/zonewalk/assets"
)

// ErrDuplicateTag: another live asset of the audit has the same tag. Tags
// are unique per audit, ignoring case and surrounding spaces, since the
// auditor finds a device by its tag on site and in the report.
var ErrDuplicateTag = errors.New("tag already used")

// dupTagError is a field error on "tag" that is also ErrDuplicateTag, so
// forms show it beside the field and callers can test for it.
type dupTagError struct{ *assets.ValidationError }

func (e dupTagError) Unwrap() []error { return []error{e.ValidationError, ErrDuplicateTag} }

// tagKey is how tags compare.
func tagKey(tag string) string { return strings.ToLower(strings.TrimSpace(tag)) }

// tagIndex lists live asset IDs by tagKey, built on first use and kept in
// step by replaceAsset and removeAsset. Callers hold w.mu.
func (w *Workspace) tagIndex() map[string][]string {
	if w.tags == nil {
		w.tags = make(map[string][]string, len(w.assets))
		for id, e := range w.assets {
			if k := tagKey(e.a.Tag); k != "" {
				w.tags[k] = append(w.tags[k], id)
			}
		}
	}
	return w.tags
}

func (w *Workspace) indexTag(a *assets.Asset) {
	if w.tags == nil {
		return
	}
	if k := tagKey(a.Tag); k != "" {
		w.tags[k] = append(w.tags[k], a.ID)
	}
}

func (w *Workspace) unindexTag(a *assets.Asset) {
	if w.tags == nil {
		return
	}
	k := tagKey(a.Tag)
	ids := w.tags[k]
	for i, id := range ids {
		if id == a.ID {
			ids = append(ids[:i:i], ids[i+1:]...)
			break
		}
	}
	if len(ids) == 0 {
		delete(w.tags, k)
	} else {
		w.tags[k] = ids
	}
}

// checkTagFree refuses a's tag when another live asset has it. Callers
// hold w.mu.
func (w *Workspace) checkTagFree(a *assets.Asset) error {
	k := tagKey(a.Tag)
	if k == "" {
		return nil
	}
	for _, id := range w.tagIndex()[k] {
		if id != a.ID {
			other := w.assets[id].a
			return dupTagError{&assets.ValidationError{Fields: []*assets.FieldError{{
				Record: fmt.Sprintf("asset %q", a.Title()), Field: "tag", Value: a.Tag,
				Reason: fmt.Sprintf("is already the tag of %s (tags are unique in an audit, ignoring case)", describeAsset(other)),
			}}}}
		}
	}
	return nil
}

func describeAsset(a *assets.Asset) string {
	if a.Name != "" && a.Name != a.Tag {
		return fmt.Sprintf("%s (%s)", a.Tag, a.Name)
	}
	return a.Tag
}

// NextFreeTag proposes the tag of the next identical device: the trailing
// number of tag counted up until no live asset has it (PLC-101 → PLC-102,
// or PLC-104 when 102 and 103 are taken). It is empty when tag does not
// end in a number.
func (w *Workspace) NextFreeTag(tag string) string {
	i := len(tag)
	for i > 0 && tag[i-1] >= '0' && tag[i-1] <= '9' {
		i--
	}
	if i == len(tag) {
		return ""
	}
	n, err := strconv.Atoi(tag[i:])
	if err != nil {
		return ""
	}
	w.mu.Lock() // the index may be built here
	defer w.mu.Unlock()
	return w.freeTag(tag[:i], len(tag)-i, n)
}

// freeTag is prefix followed by the first number after n, zero-padded to
// width, that no live asset has as its tag. Callers hold w.mu.
func (w *Workspace) freeTag(prefix string, width, n int) string {
	idx := w.tagIndex()
	for {
		n++
		cand := fmt.Sprintf("%s%0*d", prefix, width, n)
		if len(idx[tagKey(cand)]) == 0 {
			return cand
		}
	}
}

// SharedTags lists the tags that more than one live asset has, sorted: captures merged from two laptops can
// bring them; finding ZW-ASSET-005 asks the auditor to rename or merge.
func (w *Workspace) SharedTags() []string {
	w.mu.Lock() // the index may be built here
	defer w.mu.Unlock()
	var out []string
	for _, ids := range w.tagIndex() {
		if len(ids) > 1 {
			tags := make([]string, len(ids))
			for i, id := range ids {
				tags[i] = strings.TrimSpace(w.assets[id].a.Tag)
			}
			out = append(out, slices.Min(tags)) // one spelling, the same every time
		}
	}
	slices.Sort(out)
	return out
}

// AssetByTag finds the live asset with a tag (ignoring case and spaces).
func (w *Workspace) AssetByTag(tag string) (assets.Asset, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	ids := w.tagIndex()[tagKey(tag)]
	if len(ids) == 0 {
		return assets.Asset{}, false
	}
	return *w.assets[ids[0]].a, true
}
