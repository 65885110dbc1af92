package ui

// The asset screen's CSV import and export.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"

	"github.com/zonewalk/zonewalk/app"
	"github.com/zonewalk/zonewalk/assets"
)

// progressReader reports how much of a file was read.
type progressReader struct {
	r           io.Reader
	done, total int
	last        int
	report      progress
}

func (p *progressReader) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	p.done += n
	if p.done-p.last >= 256<<10 || errors.Is(err, io.EOF) {
		p.last = p.done
		p.report(p.done, p.total, fmt.Sprintf("Read %d of %d KB", p.done>>10, p.total>>10))
	}
	return n, err
}

func (a *assetsScreen) importDialog() {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil {
			a.s.showError(err)
			return
		}
		if r == nil {
			return
		}
		data, err := io.ReadAll(r)
		r.Close()
		if err != nil {
			a.s.showError(err)
			return
		}
		a.importCSV(r.URI().Name(), data)
	}, a.s.win)
	d.SetFilter(storage.NewExtensionFileFilter([]string{".csv", ".CSV"}))
	d.Resize(fyne.NewSize(900, 600))
	d.Show()
}

// importCSV imports an asset CSV in the background. A file with bad rows
// imports nothing and every bad row is listed with its line.
func (a *assetsScreen) importCSV(name string, data []byte) {
	var res app.ImportResult
	a.s.background("Importing "+name, func(ctx context.Context, report progress) error {
		var err error
		res, err = a.s.ws.ImportCSV(ctx, &progressReader{r: bytes.NewReader(data), total: len(data), report: report})
		return err
	}, func(err error) {
		var ce *assets.CSVError
		switch {
		case err == nil:
			a.s.changed()
			dialog.ShowInformation("Import finished", fmt.Sprintf("%s: %d assets added, %d updated.", name, res.Created, res.Updated), a.s.win)
		case errors.As(err, &ce):
			a.showCSVErrors(name, ce)
		case errors.Is(err, context.Canceled):
			dialog.ShowInformation("Import cancelled", "Nothing was imported.", a.s.win)
		default:
			a.s.showError(fmt.Errorf("import %s: %w", name, err))
		}
	})
}

// showCSVErrors lists every bad row of a refused import.
func (a *assetsScreen) showCSVErrors(name string, ce *assets.CSVError) {
	rows := ce.Rows
	list := widget.NewList(func() int { return len(rows) },
		func() fyne.CanvasObject { return widget.NewLabel("line 0, column x: message") },
		func(i widget.ListItemID, o fyne.CanvasObject) {
			l := o.(*widget.Label)
			l.Wrapping = fyne.TextWrapWord
			l.SetText(rows[i].Error())
		})
	head := widget.NewLabel(fmt.Sprintf("%s has %d bad row(s). Nothing was imported: correct them in the file and import it again.", name, len(rows)))
	head.Wrapping = fyne.TextWrapWord
	head.Importance = widget.DangerImportance
	d := dialog.NewCustom("Import refused", "Close", container.NewBorder(head, nil, nil, nil, list), a.s.win)
	d.Resize(fyne.NewSize(860, 520))
	d.Show()
}

func (a *assetsScreen) exportDialog() {
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil {
			a.s.showError(err)
			return
		}
		if w == nil {
			return
		}
		a.exportCSV(w.URI().Name(), w)
	}, a.s.win)
	d.SetFileName("assets.csv")
	d.Resize(fyne.NewSize(900, 600))
	d.Show()
}

// exportCSV writes the assets the filter shows, in the background; out is
// closed when done.
func (a *assetsScreen) exportCSV(name string, out io.WriteCloser) {
	f := a.currentFilter()
	n := 0
	a.s.background("Exporting "+name, func(ctx context.Context, report progress) error {
		defer out.Close()
		var buf bytes.Buffer
		n = len(a.s.ws.FilterAssets(f))
		report(0, 0, fmt.Sprintf("Writing %d assets…", n))
		if err := a.s.ws.ExportCSV(&buf, f); err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		_, err := out.Write(buf.Bytes())
		return err
	}, func(err error) {
		switch {
		case err == nil:
			dialog.ShowInformation("Export finished", fmt.Sprintf("%d assets written to %s.", n, name), a.s.win)
		case errors.Is(err, context.Canceled):
			dialog.ShowInformation("Export cancelled", name+" may be incomplete.", a.s.win)
		default:
			a.s.showError(fmt.Errorf("export %s: %w", name, err))
		}
	})
}
