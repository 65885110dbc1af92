package ui

import (
	"bytes"
	"fmt"
	"image"
	_ "image/gif" // decoders for evidence photos
	_ "image/jpeg"
	_ "image/png"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	xdraw "golang.org/x/image/draw"

	"github.com/zonewalk/zonewalk/assets"
)

// newEvidencePanel shows the photos and files attached to owner, with a
// button to attach more. The checklist screen uses it for answers.
func newEvidencePanel(s *session, owner assets.Ref) fyne.CanvasObject {
	return newEvidenceView(s, owner).content
}

// evidenceView is the panel behind newEvidencePanel; screens that show one
// record after another keep one view and change its owner.
type evidenceView struct {
	s       *session
	owner   assets.Ref
	items   []assets.Evidence
	thumbs  map[string]image.Image // by SHA-256: decoded and scaled once
	heading *widget.Label
	grid    *fyne.Container
	attach  *widget.Button
	content fyne.CanvasObject
	onCount func(n int) // told how many pieces the record has
}

// withEvidenceTab puts a record's form and its evidence on two tabs, the
// second named with the number of pieces, so photos are one tap away
// without pushing the form down.
func withEvidenceTab(formTitle string, form fyne.CanvasObject, ev *evidenceView) *container.AppTabs {
	evTab := container.NewTabItem("Evidence", container.NewVScroll(container.NewPadded(ev.content)))
	tabs := container.NewAppTabs(container.NewTabItem(formTitle, container.NewVScroll(container.NewPadded(form))), evTab)
	ev.onCount = func(n int) {
		evTab.Text = fmt.Sprintf("Evidence (%d)", n)
		tabs.Refresh()
	}
	ev.onCount(len(ev.items))
	return tabs
}

// thumbSize is the longest side of a thumbnail in pixels.
const thumbSize = 240

func newEvidenceView(s *session, owner assets.Ref) *evidenceView {
	v := &evidenceView{s: s, thumbs: map[string]image.Image{}}
	v.heading = widget.NewLabelWithStyle("Evidence", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	v.attach = widget.NewButtonWithIcon("Attach photo or file…", theme.ContentAddIcon(), v.pickFile)
	v.grid = container.NewGridWrap(fyne.NewSize(150, 150))
	v.content = container.NewVBox(container.NewHBox(v.heading, v.attach), v.grid)
	v.setOwner(owner)
	return v
}

// setOwner shows the evidence of another record.
func (v *evidenceView) setOwner(owner assets.Ref) {
	v.owner = owner
	v.reload()
}

func (v *evidenceView) reload() {
	v.items = nil
	if v.owner.ID != "" {
		list, err := v.s.ws.Evidence(v.owner)
		if err != nil {
			v.s.showError(err)
		}
		v.items = list
	}
	v.attach.Disable()
	if v.owner.ID != "" {
		v.attach.Enable()
	}
	v.heading.SetText(fmt.Sprintf("Evidence (%d)", len(v.items)))
	objs := make([]fyne.CanvasObject, len(v.items))
	for i, ev := range v.items {
		objs[i] = v.tile(ev)
	}
	v.grid.Objects = objs
	v.grid.Refresh()
	if v.onCount != nil {
		v.onCount(len(v.items))
	}
}

// tile is a thumbnail (or a file icon) with its name; tapping it opens
// the evidence full size.
func (v *evidenceView) tile(ev assets.Evidence) fyne.CanvasObject {
	var pic fyne.CanvasObject
	if img := v.thumbnail(ev); img != nil {
		ci := canvas.NewImageFromImage(img)
		ci.FillMode = canvas.ImageFillContain
		ci.ScaleMode = canvas.ImageScaleFastest
		pic = ci
	} else {
		ic := widget.NewIcon(theme.FileIcon())
		pic = ic
	}
	name := ev.Caption
	if name == "" {
		name = ev.Name
	}
	label := widget.NewLabel(name)
	label.Truncation = fyne.TextTruncateEllipsis
	label.Alignment = fyne.TextAlignCenter
	open := widget.NewButton("", func() { v.openFull(ev) })
	return container.NewStack(open, container.NewBorder(nil, label, nil, nil, container.NewPadded(pic)))
}

// thumbnail decodes a photo once and scales it down; nil for other files.
func (v *evidenceView) thumbnail(ev assets.Evidence) image.Image {
	if !strings.HasPrefix(ev.MediaType, "image/") {
		return nil
	}
	if img, ok := v.thumbs[ev.SHA256]; ok {
		return img
	}
	data, err := v.s.ws.EvidenceData(ev)
	if err != nil {
		return nil
	}
	src, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		v.thumbs[ev.SHA256] = nil
		return nil
	}
	b := src.Bounds()
	w, h := b.Dx(), b.Dy()
	if w > thumbSize || h > thumbSize {
		if w >= h {
			w, h = thumbSize, max(1, h*thumbSize/w)
		} else {
			w, h = max(1, w*thumbSize/h), thumbSize
		}
		dst := image.NewNRGBA(image.Rect(0, 0, w, h))
		xdraw.ApproxBiLinear.Scale(dst, dst.Bounds(), src, b, xdraw.Src, nil)
		src = dst
	}
	v.thumbs[ev.SHA256] = src
	return src
}

// attachData stores a file as evidence of owner and shows it.
func (v *evidenceView) attachData(owner assets.Ref, name string, data []byte) {
	if _, err := v.s.ws.AttachEvidence(owner, name, data, ""); err != nil {
		v.s.showError(fmt.Errorf("attach %s: %w", name, err))
		return
	}
	if owner == v.owner {
		v.reload()
	}
	v.s.changed()
}

// openFull shows one piece of evidence in its own window.
func (v *evidenceView) openFull(ev assets.Evidence) {
	data, err := v.s.ws.EvidenceData(ev)
	if err != nil {
		v.s.showError(err)
		return
	}
	w := v.s.fyneApp.NewWindow(ev.Name + " — Zonewalk evidence")
	var body fyne.CanvasObject
	if strings.HasPrefix(ev.MediaType, "image/") {
		img := canvas.NewImageFromReader(bytes.NewReader(data), ev.Name)
		img.FillMode = canvas.ImageFillContain
		body = img
	} else {
		info := fmt.Sprintf("%s\n%s, %d bytes\nSHA-256 %s", ev.Name, ev.MediaType, ev.Size, ev.SHA256)
		body = container.NewCenter(widget.NewLabel(info))
	}
	caption := widget.NewLabel(fmt.Sprintf("%s · %s · %d KB", ev.Name, ev.MediaType, (ev.Size+1023)/1024))
	detach := widget.NewButtonWithIcon("Detach from this record", theme.DeleteIcon(), func() {
		dialog.ShowConfirm("Detach evidence?", fmt.Sprintf("Detach %q from this record? The file stays in the audit's store.", ev.Name), func(yes bool) {
			if !yes {
				return
			}
			if err := v.s.ws.DeleteEvidence(ev.ID); err != nil {
				dialog.ShowError(err, w)
				return
			}
			w.Close()
			v.reload()
			v.s.changed()
		}, w)
	})
	w.SetContent(container.NewBorder(nil, container.NewBorder(nil, nil, nil, detach, caption), nil, nil, body))
	// Escape (or Ctrl+W) closes it, back to the record.
	w.Canvas().SetOnTypedKey(func(k *fyne.KeyEvent) {
		if k.Name == fyne.KeyEscape {
			w.Close()
		}
	})
	w.Canvas().AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyW, Modifier: fyne.KeyModifierShortcutDefault},
		func(fyne.Shortcut) { w.Close() })
	w.Resize(fyne.NewSize(1000, 750))
	w.Show()
}
