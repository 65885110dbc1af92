package ui

import (
	"fmt"
	"image"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
)

// Options say what the window opens on.
type Options struct {
	Workspace string // directory of the audit to open; empty opens the last audit, or the demo
	// DemoDir is where the demo audit is created on first run; empty means
	// "demo" under the app's storage root (or the user config directory).
	DemoDir string
	// RecentFile lists the audits opened lately (paths.Dirs.Recent); empty
	// keeps the list in memory only.
	RecentFile string
}

// processStart is when the process started: from /proc on Linux (10 ms
// resolution, and it counts loading and package initialisation), else
// when this package was initialised.
var processStart = procStart(time.Now())

func procStart(fallback time.Time) time.Time {
	stat, err1 := os.ReadFile("/proc/self/stat")
	up, err2 := os.ReadFile("/proc/uptime")
	if err1 != nil || err2 != nil {
		return fallback
	}
	// Field 22 of stat is the start time in clock ticks after boot; the
	// command name (field 2) may hold spaces, so count from its ")".
	rest := string(stat[strings.LastIndexByte(string(stat), ')')+1:])
	f := strings.Fields(rest)
	upf := strings.Fields(string(up))
	if len(f) < 20 || len(upf) < 1 {
		return fallback
	}
	ticks, err1 := strconv.ParseFloat(f[19], 64)
	uptime, err2 := strconv.ParseFloat(upf[0], 64)
	if err1 != nil || err2 != nil {
		return fallback
	}
	const clockTicks = 100 // USER_HZ on every Linux Go supports
	age := time.Duration((uptime - ticks/clockTicks) * float64(time.Second))
	if age < 0 || age > time.Minute {
		return fallback
	}
	return time.Now().Add(-age)
}

// Run builds the main window on a and shows it until the user quits. With
// ZONEWALK_TRACE_START=1 it prints the time from start to the first frame
// and to the first frame that shows the audit, for .ci/bench-start.sh.
func Run(a fyne.App, opts Options) {
	trace := os.Getenv("ZONEWALK_TRACE_START") != ""
	if trace {
		traceLine("ui.Run")
	}
	applyTheme(a, highContrast(a)) // either theme carries the fallback font for CJK
	migrateRecent(a, opts.RecentFile)
	sh := newShell(a, opts)
	sh.trace = trace
	sh.findingsDelay = findingsDelay
	sh.start()
	sh.win.ShowAndRun()
	sh.shutdown()
}

// frameProbe is a 1×1 raster whose pixels the GL painter asks for when it
// paints the frame that contains it, right before the buffers are swapped:
// the closest hook Fyne offers to "this frame is on screen".
func frameProbe(onFirstPaint func()) fyne.CanvasObject {
	var once sync.Once
	img := image.NewNRGBA(image.Rect(0, 0, 1, 1))
	r := canvas.NewRaster(func(w, h int) image.Image {
		once.Do(func() { go onFirstPaint() })
		return img
	})
	r.SetMinSize(fyne.NewSize(1, 1))
	return r
}

// traceLine prints one start-up timing line on stderr.
func traceLine(what string) {
	now := time.Now()
	fmt.Fprintf(os.Stderr, "zonewalk: %s after %d ms (unix_ms %d)\n", what, now.Sub(processStart).Milliseconds(), now.UnixMilli())
}
