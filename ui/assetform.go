package ui

// The asset screen's detail form: load, edit, save, duplicate, delete.

import (
	"fmt"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/zonewalk/zonewalk/app"
	"github.com/zonewalk/zonewalk/assets"
)

func (a *assetsScreen) buildDetail() fyne.CanvasObject {
	c := a.commit
	changed := func() {
		if !a.loading {
			a.commit()
		}
	}
	a.tag, a.name, a.vendor, a.model, a.firmware, a.serial = newField(c), newField(c), newField(c), newField(c), newField(c), newField(c)
	a.ips, a.macs = newField(c), newField(c)
	a.ips.SetPlaceHolder("e.g. 10.0.0.5 10.0.1.0/24")
	a.building, a.room, a.cabinet, a.owner, a.cert = newField(c), newField(c), newField(c), newField(c), newField(c)
	a.notes = newLongField(c)
	a.typ = widget.NewSelect(typeLabels(), func(string) { changed() })
	levels := []string{noneChoice}
	for _, p := range assets.PurdueLevels {
		levels = append(levels, p.Label())
	}
	a.purdue = widget.NewSelect(levels, func(string) { changed() })
	a.zone = widget.NewSelect(nil, func(string) { changed() })
	crits := []string{noneChoice}
	for _, cr := range assets.Criticalities {
		crits = append(crits, string(cr))
	}
	a.crit = widget.NewSelect(crits, func(string) { changed() })
	a.slc = widget.NewSelect(slOptions, func(string) { changed() })
	a.eol = widget.NewCheck("End of life (vendor support ended)", func(bool) { changed() })
	a.wireless = widget.NewCheck("Wireless interface", func(bool) { changed() })
	a.errs = newErrorBox()
	a.dupBtn = widget.NewButtonWithIcon("Duplicate", theme.ContentCopyIcon(), a.duplicate)
	a.delBtn = widget.NewButtonWithIcon("Delete", theme.DeleteIcon(), a.deleteSelected)
	form := container.New(layout.NewFormLayout(),
		widget.NewLabel("Tag"), a.tag,
		widget.NewLabel("Name"), a.name,
		widget.NewLabel("Type"), a.typ,
		widget.NewLabel("Vendor"), a.vendor,
		widget.NewLabel("Model"), a.model,
		widget.NewLabel("Firmware"), a.firmware,
		widget.NewLabel("Serial"), a.serial,
		widget.NewLabel("IP addresses"), a.ips,
		widget.NewLabel("MAC addresses"), a.macs,
		widget.NewLabel("Purdue level"), a.purdue,
		widget.NewLabel("Zone"), a.zone,
		widget.NewLabel("Criticality"), a.crit,
		widget.NewLabel("Location"), container.NewGridWithColumns(3, a.building, a.room, a.cabinet),
		widget.NewLabel("Owner"), a.owner,
		widget.NewLabel("SL-C"), a.slc,
		widget.NewLabel("Certificate"), a.cert,
		widget.NewLabel(""), container.NewVBox(a.eol, a.wireless),
		widget.NewLabel("Notes"), a.notes,
	)
	a.building.SetPlaceHolder("Building")
	a.room.SetPlaceHolder("Room")
	a.cabinet.SetPlaceHolder("Cabinet")
	a.ed = &editor[assets.Asset]{s: a.s, kind: "asset", labels: assetLabels, errs: a.errs, cur: &a.cur,
		edited: a.edited, save: a.s.ws.SaveAsset, load: a.load, id: func() string { return a.cur.ID },
		idFields: []string{"tag"}, title: func() string { return "Asset " + a.cur.Title() },
		focus: a.keepEditing, loading: &a.loading,
		texts: map[string]*field{"tag": a.tag, "name": a.name, "vendor": a.vendor, "model": a.model,
			"firmware": a.firmware, "serial": a.serial, "ips": a.ips, "macs": a.macs,
			"location.building": a.building, "location.room": a.room, "location.cabinet": a.cabinet,
			"owner": a.owner, "certificate": a.cert, "notes": a.notes}}
	a.ed.init()
	a.evidence = newEvidenceView(a.s, assets.Ref{})
	a.detail = container.NewStack(withEvidenceTab("Asset",
		container.NewVBox(container.NewHBox(layout.NewSpacer(), a.dupBtn, a.delBtn), a.errs.box, form), a.evidence))
	a.empty = container.NewCenter(widget.NewLabel("Select an asset to edit it."))
	a.showDetail(false)
	return container.NewStack(a.empty, a.detail)
}

func (a *assetsScreen) showDetail(on bool) {
	if on {
		a.empty.Hide()
		a.detail.Show()
	} else {
		a.detail.Hide()
		a.empty.Show()
	}
}

func (a *assetsScreen) load(as assets.Asset) {
	a.loading = true
	defer func() { a.loading = false }()
	a.cur = as
	a.tag.set(as.Tag)
	a.name.set(as.Name)
	a.typ.SetSelected(as.Type.Label())
	a.vendor.set(as.Vendor)
	a.model.set(as.Model)
	a.firmware.set(as.Firmware)
	a.serial.set(as.Serial)
	a.ips.set(strings.Join(as.IPs, " "))
	a.macs.set(strings.Join(as.MACs, " "))
	if as.Purdue == "" {
		a.purdue.SetSelected(noneChoice)
	} else {
		a.purdue.SetSelected(as.Purdue.Label())
	}
	a.zone.SetSelected(a.zoneLabel(as.Zone))
	if as.Criticality == "" {
		a.crit.SetSelected(noneChoice)
	} else {
		a.crit.SetSelected(string(as.Criticality))
	}
	if as.SLC >= 1 && as.SLC <= 4 {
		a.slc.SetSelected(strconv.Itoa(as.SLC))
	} else {
		a.slc.SetSelected(noneChoice)
	}
	a.building.set(as.Location.Building)
	a.room.set(as.Location.Room)
	a.cabinet.set(as.Location.Cabinet)
	a.owner.set(as.Owner)
	a.cert.set(as.Certificate)
	a.notes.set(as.Notes)
	a.eol.SetChecked(as.EndOfLife)
	a.wireless.SetChecked(as.Wireless)
	if a.evidence.owner.ID != as.ID {
		a.evidence.setOwner(assets.Ref{Kind: "asset", ID: as.ID})
		a.errs.show(nil, nil)
	}
	a.showDetail(true)
}

func splitAddrs(s string) []string {
	f := strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == ',' || r == ';' || r == '\n' })
	if len(f) == 0 {
		return nil
	}
	return f
}

func (a *assetsScreen) form() assets.Asset {
	as := a.cur
	as.Tag = strings.TrimSpace(a.tag.Text)
	as.Name = strings.TrimSpace(a.name.Text)
	if t, ok := assets.ParseAssetType(a.typ.Selected); ok {
		as.Type = t
	}
	as.Vendor, as.Model = strings.TrimSpace(a.vendor.Text), strings.TrimSpace(a.model.Text)
	as.Firmware, as.Serial = strings.TrimSpace(a.firmware.Text), strings.TrimSpace(a.serial.Text)
	as.IPs, as.MACs = splitAddrs(a.ips.Text), splitAddrs(a.macs.Text)
	as.Purdue = ""
	if p, err := assets.ParsePurdue(a.purdue.Selected); err == nil && a.purdue.Selected != noneChoice {
		as.Purdue = p
	}
	as.Zone = a.zoneByName(a.zone.Selected)
	as.Criticality = ""
	if a.crit.Selected != noneChoice {
		as.Criticality = assets.Criticality(a.crit.Selected)
	}
	as.SLC, _ = strconv.Atoi(a.slc.Selected)
	as.Location = assets.Location{Building: strings.TrimSpace(a.building.Text), Room: strings.TrimSpace(a.room.Text),
		Cabinet: strings.TrimSpace(a.cabinet.Text)}
	as.Owner, as.Certificate = strings.TrimSpace(a.owner.Text), strings.TrimSpace(a.cert.Text)
	as.Notes = a.notes.Text
	as.EndOfLife, as.Wireless = a.eol.Checked, a.wireless.Checked
	return as
}

// edited is the asset as the form shows it.
func (a *assetsScreen) edited() assets.Asset {
	as := a.form()
	if len(as.IPs) == 0 && len(a.cur.IPs) == 0 {
		as.IPs = a.cur.IPs
	}
	if len(as.MACs) == 0 && len(a.cur.MACs) == 0 {
		as.MACs = a.cur.MACs
	}
	return as
}

func (a *assetsScreen) commit() {
	if a.ed == nil {
		return
	}
	a.ed.commit()
}

// keepEditing shows the asset whose input was not saved again.
func (a *assetsScreen) keepEditing() {
	a.selectRow(a.cur.ID)
	a.s.win.Canvas().Focus(a.tag)
}

// duplicate adds the next of a row of identical devices and selects it.
func (a *assetsScreen) duplicate() {
	if a.cur.ID == "" {
		return
	}
	a.ed.leave(func() {
		dup, err := a.s.ws.DuplicateAsset(a.cur.ID)
		if err != nil {
			a.s.showError(err)
			return
		}
		a.load(dup)
		a.s.changed()
	}, nil)
}

func (a *assetsScreen) deleteSelected() {
	if a.cur.ID == "" {
		return
	}
	id, title := a.cur.ID, a.cur.Title()
	if err := a.s.ws.DeleteAsset(id); err != nil {
		a.s.showError(err)
		return
	}
	ws := a.s.ws
	a.s.drafts.clear(a.ed.draftKey()) // its input went with it
	a.s.offerUndo(fmt.Sprintf("Deleted asset %q", title), func() error { return ws.Restore(app.KindAsset, id) })
	a.cur = assets.Asset{}
	a.showDetail(false)
	a.s.changed()
}

// restoreDraft puts a quick-capture row or an asset's form input back.
func (a *assetsScreen) restoreDraft(key string, fields map[string]string) bool {
	if key == captureDraft {
		a.capLoading = true
		for name, f := range a.captureFields() {
			if text, ok := fields[name]; ok {
				f.SetText(text)
			}
		}
		a.capLoading = false
		a.capMsg.Importance = widget.WarningImportance
		a.capMsg.SetText("Restored a quick capture that was not added: press Enter in the row to add it.")
		return true
	}
	id, ok := strings.CutPrefix(key, "asset:")
	if !ok {
		return false
	}
	as, ok := a.s.ws.Asset(id)
	if !ok {
		return false
	}
	a.load(as)
	a.ed.restore(fields)
	a.selectRow(id)
	return true
}
