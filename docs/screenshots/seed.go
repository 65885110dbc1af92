//go:build ignore

// Seed attaches two evidence photos to a demo workspace, so that the
// screenshots show the evidence panel: go run docs/screenshots/seed.go DIR PHOTO...
package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/zonewalk/zonewalk/app"
	"github.com/zonewalk/zonewalk/app/demo"
	"github.com/zonewalk/zonewalk/assets"
)

func main() {
	if len(os.Args) < 3 {
		fmt.Fprintln(os.Stderr, "usage: seed.go WORKSPACE PHOTO...")
		os.Exit(2)
	}
	ws, err := app.Open(context.Background(), os.Args[1], app.Options{Author: "A. Morgan"})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer ws.Close()
	for _, p := range os.Args[2:] {
		data, err := os.ReadFile(p)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		owner := assets.Ref{Kind: "zone", ID: demo.ZoneDosing}
		if _, err := ws.AttachEvidence(owner, filepath.Base(p), data, ""); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
}
