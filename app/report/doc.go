// Package report writes an audit's report as PDF: cover, contents,
// executive summary, scope and method, the zone and conduit model with
// diagrams, one part per zone (rationale, assets, conduits, 62443-3-3
// results and gaps), the 62443-2-1 checklist by security program element,
// findings with recommendations and evidence photos, and appendices with
// the full asset inventory and the evidence index.
//
// Generate is the use case the GUI and the command line share; WriteFile
// wraps it so that only a complete PDF ever appears under the target name.
//
// # Layout
//
// Pages are laid out twice by the same code. The first pass only measures
// (text is measured with the embedded Go fonts exactly as gopdf sets it)
// and records the page of every heading and the page count; the second
// writes, so the table of contents and the "page n of m" footers carry real
// numbers. Text wraps at spaces and, inside words longer than a line, at
// any character; nothing is set wider than its box. Tables break across
// pages and repeat their header row.
//
// # Data digest
//
// Every page carries the start of a SHA-256 digest of the records the
// report was made from, and the cover and the last appendix carry all of
// it. Version 1 of the digest (DigestVersion, "zonewalk-data-digest-v1") is
// the SHA-256 of:
//
//	"zonewalk-data-digest-v1\n"
//	then, for every live record of the kinds audit, zone, conduit, asset,
//	answer, finding and evidence, sorted by kind and then ID (byte order):
//	    KIND "\t" ID "\t" LEN "\n" JSON "\n"
//
// where JSON is the record encoded by encoding/json with its Meta reduced
// to the ID (version stamps, history, author and tombstone flag left out,
// so the same content gives the same digest on every laptop whatever the
// order of edits and merges), and LEN is the byte length of JSON in
// decimal. Evidence files are covered through the SHA-256 of their content
// held in each evidence record. Tombstones, settings and other kinds of
// record are not covered. Digest computes the same value without writing a
// report.
package report
