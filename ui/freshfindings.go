package ui

import (
	"context"
	"sync"
	"time"

	"fyne.io/fyne/v2"
)

// findingsDelay is how long the audit must rest after a change before the
// checks run again: typing a tag is many changes, one check run.
const findingsDelay = 400 * time.Millisecond

// keepFindingsCurrent reruns the model checks off the UI goroutine when the
// audit opens and shortly after every change, whenever the stored findings
// no longer match the data, so no screen shows findings of data that
// changed. Screens hear of new findings through the change listeners.
func (s *session) keepFindingsCurrent(delay time.Duration) {
	var mu sync.Mutex
	var timer *time.Timer
	running := false
	check := func() { // UI goroutine
		if running || s.ws.FindingsCurrent(time.Now()) {
			return
		}
		s.mu.Lock()
		select {
		case <-s.quit: // closing: no new work (end waits for what runs)
			s.mu.Unlock()
			return
		default:
		}
		s.tasks.Add(1) // under s.mu, so it cannot race end's Wait
		s.mu.Unlock()
		running = true
		ctx, cancel := context.WithCancel(context.Background())
		go func() {
			defer s.tasks.Done()
			defer cancel()
			go func() {
				select {
				case <-s.quit:
					cancel()
				case <-ctx.Done():
				}
			}()
			_, err := s.ws.RunChecks(ctx, time.Now())
			fyne.Do(func() {
				running = false
				if err == nil {
					// Screens reread; a change made during the run kicks
					// another check through the same listeners.
					s.changed()
				}
				// A failed run (a closing or read-only audit) waits for the
				// next change rather than retrying in a loop.
			})
		}()
	}
	kick := func() {
		mu.Lock()
		defer mu.Unlock()
		if timer != nil {
			timer.Stop()
		}
		timer = time.AfterFunc(delay, func() { fyne.Do(check) })
	}
	s.onChanged(kick)
	kick()
}
