package traffic

import (
	"fmt"
	"net"
	"net/netip"
	"regexp"
	"slices"
	"unicode/utf8"

	"github.com/zonewalk/zonewalk/assets"
)

// Bounds on records from a bundle: what an import of ours never exceeds.
const (
	maxName  = 1024
	maxShort = 128
	maxList  = 256
)

type checker struct {
	kind string
	errs []string
}

func (c *checker) bad(field, format string, args ...any) {
	c.errs = append(c.errs, field+": "+fmt.Sprintf(format, args...))
}

func (c *checker) text(field, v string, max int) {
	switch {
	case len(v) > max:
		c.bad(field, "longer than %d bytes", max)
	case !utf8.ValidString(v):
		c.bad(field, "not UTF-8")
	default:
		for _, r := range v {
			if r < 0x20 || r == 0x7f {
				c.bad(field, "control character %U", r)
				return
			}
		}
	}
}

func (c *checker) count(field string, v int64) {
	if v < 0 {
		c.bad(field, "negative")
	}
}

func (c *checker) addr(field, v string, ipOnly bool) {
	if _, err := netip.ParseAddr(v); err == nil {
		return
	}
	if _, err := net.ParseMAC(v); err == nil && !ipOnly && len(v) == 17 {
		return
	}
	c.bad(field, "%q is not an address", clip(v))
}

func (c *checker) list(field string, n int) {
	if n > maxList {
		c.bad(field, "%d entries, at most %d", n, maxList)
	}
}

func (c *checker) err() error {
	if len(c.errs) == 0 {
		return nil
	}
	return fmt.Errorf("%w: %s: %s", assets.ErrInvalid, c.kind, c.errs[0])
}

func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

var hexSHA = regexp.MustCompile(`^[0-9a-f]{64}$`)

// Validate checks a source record from a bundle.
func (s *Source) Validate() error {
	c := &checker{kind: "traffic source " + s.ID}
	c.text("name", s.Name, maxName)
	if !hexSHA.MatchString(s.SHA256) {
		c.bad("sha256", "not a SHA-256")
	}
	c.text("format", s.Format, maxShort)
	c.text("damage", s.Damage, maxName)
	c.list("files", len(s.Files))
	c.list("skipped", len(s.Skipped))
	for _, f := range s.Files {
		c.text("files.name", f.Name, maxName)
		c.text("files.type", f.Type, maxShort)
		c.text("files.skipped", f.Skipped, maxName)
	}
	for _, v := range s.Skipped {
		c.text("skipped", v, maxName)
	}
	for _, n := range []int64{s.Size, s.Packets, s.Connections, s.Bytes, int64(s.Hosts), int64(s.Flows)} {
		c.count("counts", n)
	}
	return c.err()
}

// Validate checks a host record from a bundle.
func (h *Host) Validate() error {
	c := &checker{kind: "observed host " + h.ID}
	c.text("source", h.Source, 200)
	if h.IP != "" {
		c.addr("ip", h.IP, true)
	} else if len(h.MACs) == 0 {
		c.bad("ip", "neither IP nor MAC")
	}
	c.list("macs", len(h.MACs))
	for _, m := range h.MACs {
		c.addr("macs", m, false)
	}
	c.list("vlans", len(h.VLANs))
	for _, v := range h.VLANs {
		if v < 0 || v > 4095 {
			c.bad("vlans", "%d is not a VLAN ID", v)
		}
	}
	c.text("vendor", h.Vendor, maxName)
	c.list("roles", len(h.Roles))
	for _, r := range h.Roles {
		c.text("roles", r, maxShort)
	}
	c.count("packets", h.Packets)
	c.count("bytes", h.Bytes)
	return c.err()
}

// Validate checks a flow record from a bundle.
func (f *Flow) Validate() error {
	c := &checker{kind: "observed flow " + f.ID}
	c.text("source", f.Source, 200)
	c.addr("client", f.Client, false)
	c.addr("server", f.Server, false)
	c.text("transport", f.Transport, maxShort)
	c.text("protocol", f.Protocol, maxShort)
	if f.Port < 0 || f.Port > 65535 {
		c.bad("port", "%d out of range", f.Port)
	}
	c.list("ops", len(f.Ops))
	for _, o := range f.Ops {
		c.text("ops.protocol", o.Protocol, maxShort)
		c.text("ops.name", o.Name, maxShort)
		c.text("ops.kind", o.Kind, maxShort)
	}
	for _, n := range []int64{f.Connections, f.Packets, f.Bytes} {
		c.count("counts", n)
	}
	return c.err()
}

// Validate checks a decision, from the GUI, the command line or a bundle.
func (d *Decision) Validate() error {
	c := &checker{kind: "decision on " + clip(d.Host)}
	c.addr("host", d.Host, false)
	if !slices.Contains([]string{DecisionAccept, DecisionMerge, DecisionIgnore}, d.Action) {
		c.bad("action", "%q: want accept, merge or ignore", clip(d.Action))
	}
	if d.Action != DecisionIgnore && d.Asset == "" {
		c.bad("asset", "required to %s", d.Action)
	}
	c.text("asset", d.Asset, 200)
	c.text("note", d.Note, assets.MaxLongText)
	return c.err()
}
