// Package checklist holds Zonewalk's audit checklists: versioned YAML
// templates (one per standard edition, shipped embedded and also loadable
// from users' files), the answers auditors give to their items, and pure
// scoring over both — maturity profiles for the IEC 62443-2-1 programme
// checklists and achieved security levels (SL-A) per zone for 62443-3-3.
//
// Item IDs are the standards' own so findings can cite them; every
// question and piece of guidance is Zonewalk's wording, not the standards'.
package checklist
