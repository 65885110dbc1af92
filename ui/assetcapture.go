package ui

// The asset screen's quick-capture row: type presets, type and zone
// resolution by what the auditor typed, capture and its draft.

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"github.com/zonewalk/zonewalk/assets"
)

// presetHint says what a type's preset fills in.
func presetHint(t assets.AssetType) string {
	p, ok := assets.Presets[t]
	if !ok {
		return ""
	}
	var parts []string
	if p.Purdue != "" {
		parts = append(parts, "Purdue "+p.Purdue.Label())
	}
	if p.Criticality != "" {
		parts = append(parts, "criticality "+string(p.Criticality))
	}
	return t.Label() + ": " + strings.Join(parts, ", ")
}

func typeLabels() []string {
	out := make([]string, len(assets.AssetTypes))
	for i, t := range assets.AssetTypes {
		out[i] = t.Label
	}
	return out
}

// newRecord puts the cursor in the quick-capture row (Ctrl+N).
func (a *assetsScreen) newRecord() {
	a.s.win.Canvas().Focus(a.capTag)
	a.capTag.TypedShortcut(&fyne.ShortcutSelectAll{})
}

// resolveType reads a type code or label, or an unambiguous start of one
// ("eng" is an engineering workstation).
func resolveType(text string) (assets.AssetType, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return "", fmt.Errorf("type the asset type: plc, rtu, sis, hmi, ews, historian, server, network, firewall, …")
	}
	if t, ok := assets.ParseAssetType(text); ok {
		return t, nil
	}
	var hits []assets.AssetType
	low := strings.ToLower(text)
	for _, e := range assets.AssetTypes {
		if strings.HasPrefix(string(e.Type), low) || strings.HasPrefix(strings.ToLower(e.Label), low) {
			hits = append(hits, e.Type)
		}
	}
	switch len(hits) {
	case 1:
		return hits[0], nil
	case 0:
		return "", fmt.Errorf("%q is not an asset type: plc, rtu, sis, hmi, ews, historian, server, network, firewall, …", text)
	}
	names := make([]string, len(hits))
	for i, h := range hits {
		names[i] = h.Label()
	}
	return "", fmt.Errorf("%q could be %s: type more", text, strings.Join(names, ", "))
}

// resolveZone finds a zone by name, or by an unambiguous start of its name.
func (a *assetsScreen) resolveZone(text string) (string, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return "", nil
	}
	if z, ok := a.s.ws.ZoneByName(text); ok {
		return z.ID, nil
	}
	var hits []assets.Zone
	for _, z := range a.zones {
		if strings.HasPrefix(strings.ToLower(z.Name), strings.ToLower(text)) {
			hits = append(hits, z)
		}
	}
	switch len(hits) {
	case 1:
		return hits[0].ID, nil
	case 0:
		return "", fmt.Errorf("no zone called %q", text)
	}
	return "", fmt.Errorf("%q could be %q or %q: type more of the zone name", text, hits[0].Name, hits[1].Name)
}

// capture saves the quick-capture row as a new asset and readies the next.
func (a *assetsScreen) capture() {
	fail := func(msg string) {
		a.capMsg.Importance = widget.DangerImportance
		a.capMsg.SetText(msg)
	}
	tag := strings.TrimSpace(a.capTag.Text)
	if tag == "" {
		fail("Type a tag first.")
		a.s.win.Canvas().Focus(a.capTag)
		return
	}
	t, err := resolveType(a.capType.Text)
	if err != nil {
		fail(err.Error())
		a.s.win.Canvas().Focus(a.capType)
		return
	}
	zone, err := a.resolveZone(a.capZone.Text)
	if err != nil {
		fail(err.Error())
		a.s.win.Canvas().Focus(a.capZone)
		return
	}
	as := assets.Asset{Tag: tag, Name: strings.TrimSpace(a.capName.Text), Type: t, Vendor: strings.TrimSpace(a.capVendor.Text),
		Model: strings.TrimSpace(a.capModel.Text), Firmware: strings.TrimSpace(a.capFirmware.Text),
		IPs: splitAddrs(a.capIP.Text), Zone: zone}
	if p, ok := assets.Presets[t]; ok {
		as.Purdue, as.Criticality = p.Purdue, p.Criticality
	}
	saved, err := a.s.ws.SaveAsset(as)
	if err != nil {
		fail(strings.ReplaceAll(describeError(err, assetLabels), "\n", " "))
		if captureFieldOf(err) == "ips" {
			a.s.win.Canvas().Focus(a.capIP)
		}
		return
	}
	a.s.drafts.clear(captureDraft)
	where := "no zone yet"
	if zone != "" {
		where = a.zoneNames[zone]
	}
	next := a.s.ws.NextFreeTag(tag) // skips tags already taken
	msg := fmt.Sprintf("Added %s (%s, %s).", saved.Tag, t.Label(), where)
	if next != "" {
		msg += " Enter adds " + next + " alike."
	}
	a.capMsg.Importance = widget.SuccessImportance
	a.capMsg.SetText(msg)
	a.capLoading = true
	a.capTag.set(next)
	// Name and address belong to one device; the rest is kept for the next alike.
	a.capName.set("")
	a.capIP.set("")
	a.capLoading = false
	a.s.changed()
	a.selectRow(saved.ID) // shown, and scrolled to, in the table
	a.s.win.Canvas().Focus(a.capTag)
	a.capTag.TypedShortcut(&fyne.ShortcutSelectAll{})
}

// captureDraft is the draft key of the quick-capture row.
const captureDraft = "capture"

// captureFields are the quick-capture entries by the asset field they fill.
func (a *assetsScreen) captureFields() map[string]*field {
	return map[string]*field{"tag": &a.capTag.field, "name": &a.capName.field, "type": &a.capType.field,
		"vendor": &a.capVendor.field, "model": &a.capModel.field, "firmware": &a.capFirmware.field,
		"ips": &a.capIP.field, "zone": &a.capZone.field}
}

// captureTyped keeps the quick-capture row as a draft (a keystroke).
func (a *assetsScreen) captureTyped() {
	if a.capLoading {
		return
	}
	if ch := draftChanges(a.captureFields()); len(ch) > 0 {
		a.s.drafts.keep(captureDraft, ch)
	} else {
		a.s.drafts.clear(captureDraft)
	}
}
