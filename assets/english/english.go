// Package english words counts and sizes the same way in everything
// Zonewalk writes for people: screens, reports, diagrams and findings.
package english

import (
	"fmt"
	"strconv"
)

// Count is n with the noun in the singular or the plural: "1 zone",
// "3 zones", "0 assets".
func Count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// Size is a byte count as people read it: "512 bytes", "14 kB", "3.2 MB".
func Size(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.0f kB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}
