// Package diagram draws an audit's zones and conduits.
//
// It has three layers, each usable on its own:
//
//   - DOT: [Overview] and [ZoneDetail] turn a [Model] into Graphviz source,
//     deterministic (sorted, escaped) so it can be compared as text.
//   - Layout: a [Renderer] runs Graphviz in-process (go-graphviz, Graphviz
//     compiled to WebAssembly; no dot binary needed) and returns either the
//     SVG or DOT that Graphviz writes, or a [Drawing]: the positioned shapes,
//     paths and texts as plain data, with hit regions naming the zone,
//     asset or conduit each belongs to.
//   - Paint: [WritePNG], [WritePDF] and [DrawPDF] paint a Drawing with the
//     embedded Go fonts, so PNG and PDF look the same on every machine.
//
// The Drawing comes from Graphviz's "json" output, which carries the same
// drawing operations Graphviz's own renderers receive (xdot), grouped by
// the object they belong to and with that object's attributes — which is
// how each shape finds its zone, asset or conduit. It is as exact as the
// SVG (both are written with two decimals) and costs one call into the
// WebAssembly module instead of one per primitive, as a render plugin would.
package diagram
