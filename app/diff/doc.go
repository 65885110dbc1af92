// Package diff compares two audits of one site: a baseline (the previous
// audit, opened read-only) and the current one. It answers the question a
// re-audit is for: what changed, and did the gaps close?
//
// Records are matched by their record ID, never by name or tag: a revisit
// copies the baseline's records with their IDs, so an edit shows as a
// change and a delete as a removal. An asset deleted and captured again
// under the same tag is therefore removed and added, each flagged as
// re-created so nobody mistakes it for a new device.
//
// Findings are those of [app.Workspace.CurrentFindings] on both audits,
// judged on the same day, so a change of date (review-age rules) does not
// read as a change of the plant. SL-A per zone is the one the model checks
// use: [app.Workspace.AchievedLevels] of the 62443-3-3 checklist.
//
// The JSON form of [Report] is documented in docs/diff.md; its field names
// are stable and every list is sorted.
package diff
