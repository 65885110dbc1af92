package ui

import (
	"context"
	"sort"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/zonewalk/zonewalk/app"
	"github.com/zonewalk/zonewalk/assets"
)

// session is what every screen shares: the window and the open audit.
type session struct {
	fyneApp fyne.App
	win     fyne.Window
	ws      *app.Workspace

	mu        sync.Mutex
	listeners []func()
	navigate  func(title string) // set by the shell
	reveal    func(ref assets.Ref)
}

// changed tells every screen that the model changed, so they refresh.
// Call it on the UI goroutine after a write.
func (s *session) changed() {
	s.mu.Lock()
	ls := append([]func(){}, s.listeners...)
	s.mu.Unlock()
	for _, f := range ls {
		f()
	}
}

// onChanged registers f to run (on the UI goroutine) after every change.
func (s *session) onChanged(f func()) {
	s.mu.Lock()
	s.listeners = append(s.listeners, f)
	s.mu.Unlock()
}

// showError shows err in a dialog over the window.
func (s *session) showError(err error) {
	if err != nil {
		dialog.ShowError(err, s.win)
	}
}

// progress reports how far long work has come; total 0 means unknown.
type progress func(done, total int, msg string)

// background runs work off the UI goroutine behind a progress dialog with
// a Cancel button. done runs on the UI goroutine with work's error
// (context.Canceled when the user cancelled).
func (s *session) background(title string, work func(ctx context.Context, report progress) error, done func(err error)) {
	ctx, cancel := context.WithCancel(context.Background())
	bar := widget.NewProgressBarInfinite()
	fixed := widget.NewProgressBar()
	msg := widget.NewLabel("")
	box := container.NewVBox(bar, fixed, msg)
	fixed.Hide()
	d := dialog.NewCustom(title, "Cancel", box, s.win)
	d.SetOnClosed(cancel)
	d.Show()
	report := func(n, total int, m string) {
		fyne.Do(func() {
			msg.SetText(m)
			if total > 0 {
				bar.Hide()
				fixed.Show()
				fixed.SetValue(float64(n) / float64(total))
			}
		})
	}
	go func() {
		err := work(ctx, report)
		fyne.Do(func() {
			d.SetOnClosed(nil)
			d.Hide()
			cancel()
			if done != nil {
				done(err)
			}
		})
	}()
}

// screen is one entry of the navigation: a small struct with its widgets,
// onX handlers and a build method.
type screen interface {
	// build makes the screen's content once.
	build() fyne.CanvasObject
	// refresh rereads what the screen shows from the workspace.
	refresh()
}

// revealer is a screen that can select a record, e.g. a zone tapped in
// the diagram opens it on the Zones screen.
type revealer interface {
	reveal(ref assets.Ref) bool
}

type screenSpec struct {
	order int
	title string
	icon  fyne.Resource
	make  func(s *session) screen
}

var (
	screensMu sync.Mutex
	screens   []screenSpec
)

// registerScreen adds a screen to the navigation, in order (called from
// init in the screen's file): Overview 10, Zones 20, Conduits 30, Assets
// 40, Checklists 50, Findings 60, Diagram 70, Sync 80, Report 90.
func registerScreen(order int, title string, icon fyne.Resource, make func(s *session) screen) {
	screensMu.Lock()
	defer screensMu.Unlock()
	screens = append(screens, screenSpec{order: order, title: title, icon: icon, make: make})
	sort.Slice(screens, func(i, j int) bool { return screens[i].order < screens[j].order })
}
