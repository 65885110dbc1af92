package bundle_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"filippo.io/age"

	"github.com/zonewalk/zonewalk/app"
	"github.com/zonewalk/zonewalk/app/bundle"
	"github.com/zonewalk/zonewalk/app/demo"
)

// A colleague joins an audit: the lead exports it for the team key, the
// colleague checks who signed it, trusts that key and clones the audit.
func Example() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "zonewalk-example-")
	defer os.RemoveAll(dir)
	team, _ := age.GenerateX25519Identity()
	keyFile := filepath.Join(dir, "team-key.txt")
	os.WriteFile(keyFile, []byte(team.String()+"\n"), 0o600)

	lead, err := demo.Create(ctx, filepath.Join(dir, "lead"), "lead")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer lead.Close()
	out, err := bundle.Export(ctx, lead, filepath.Join(dir, "audit.zwb"), bundle.ExportOptions{Recipients: []string{team.Recipient().String()}})
	if err != nil {
		fmt.Println(err)
		return
	}
	signer, err := bundle.Inspect(ctx, out.File) // shown to the user with signer.Fingerprint
	if err != nil {
		fmt.Println(err)
		return
	}
	colleague, res, err := bundle.Clone(ctx, filepath.Join(dir, "colleague"), out.File,
		app.Options{Unencrypted: true, Author: "colleague"},
		bundle.ImportOptions{IdentityFiles: []string{keyFile}, Trust: []string{signer.PublicKey}})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer colleague.Close()
	fmt.Println("same audit:", colleague.Audit().ID == lead.Audit().ID)
	fmt.Println("all assets:", colleague.AssetCount() == lead.AssetCount() && colleague.AssetCount() == out.Records["asset"])
	fmt.Println("conflicts:", res.Conflicts)
	// Output:
	// same audit: true
	// all assets: true
	// conflicts: 0
}
