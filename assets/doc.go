// Package assets is Zonewalk's inventory domain: the audit, its zones and
// conduits, the assets in them and the evidence attached to any of these.
//
// It knows nothing of storage or screens. Every record embeds Meta, which
// carries what merging captures from several laptops needs: a stable ID, a
// version stamp from a hybrid logical clock, who changed it, and a tombstone.
package assets
