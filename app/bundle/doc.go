// Package bundle moves an audit between laptops: it exports a workspace's
// records and evidence as an encrypted, signed bundle (docs/bundle-format.md),
// verifies bundles without a workspace, and imports them by merging record
// by record on version stamps, keeping concurrent edits as conflicts the
// auditor resolves. It also keeps the device signing key, the team's age
// recipient and the list of trusted signers in the workspace's local
// settings. The GUI's Sync screen and the CLI both call the use cases here.
package bundle
