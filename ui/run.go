package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// Options say what the window opens on.
type Options struct {
	Workspace string // directory of the audit to open; empty opens the demo
}

// Run builds the main window on a and shows it until the user quits.
func Run(a fyne.App, opts Options) {
	w := a.NewWindow("Zonewalk")
	w.SetContent(widget.NewLabel("Zonewalk"))
	w.Resize(fyne.NewSize(1200, 800))
	w.ShowAndRun()
}
