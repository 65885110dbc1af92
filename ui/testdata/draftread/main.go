// Command draftread prints the drafts of a workspace, one "key field=text"
// line per field: kill9-draft.sh reads with it what the killed app kept.
// It opens for writing: Badger replays its log after a kill.
// (Under testdata, so go build ./... and go test ./... skip it.)
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/zonewalk/zonewalk/app"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: draftread WORKSPACE")
		os.Exit(2)
	}
	ws, err := app.Open(context.Background(), os.Args[1], app.Options{Passphrase: []byte(os.Getenv("ZONEWALK_PASSPHRASE"))})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer ws.Close()
	ds, err := ws.Drafts()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	for _, d := range ds {
		for k, v := range d.Fields {
			fmt.Printf("%s %s=%s\n", d.Key, k, v)
		}
	}
}
