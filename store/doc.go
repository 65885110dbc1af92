// Package store keeps one audit workspace on disk in Badger. It is the only
// package that imports Badger; everything above it sees records, blobs and
// this package's own errors.
//
// A workspace is a directory holding a small plaintext header
// (zonewalk-workspace.json: format version and key-derivation parameters)
// and the Badger database in data/. Data is encrypted at rest with a key
// derived from the passphrase by Argon2id unless the workspace was created
// unencrypted on purpose (demo and test audits).
//
// Every write is synced before the call returns. Records are never removed:
// a delete writes a tombstone, so that deletes travel in bundles and merge.
// Writes too large for one Badger transaction go through a redo journal
// whose commit marker is the single atomic step: after a crash the journal
// is either replayed whole or dropped whole at the next open.
package store
