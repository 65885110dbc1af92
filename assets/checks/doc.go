// Package checks finds weaknesses in an audit's zone and conduit model and
// keeps them as findings.
//
// Run applies a fixed catalogue of rules (see Rules) to a Model: the audit,
// its zones, conduits and assets, the achieved security levels the caller
// scored from checklists, and the date to judge reviews against. Each rule
// rests on IEC 62443 requirement IDs and explains, in our own words, what is
// wrong and how to fix it. Findings raised by rules and by checklist answers
// get an ID derived from what they are about, so Reconcile can rerun the
// checks after every change to the model and keep the auditor's status,
// owner and notes on findings that are still true, add new ones, and close
// (never delete) those the model no longer raises.
//
// The package is pure: no storage, no clock, no I/O.
package checks
