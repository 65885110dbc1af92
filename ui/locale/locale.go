// Package locale gives Fyne a locale it can parse. Fyne reads the locale
// while its packages initialise and logs an error for the POSIX "C" locale
// (the default in containers, CI and many minimal installs). Importing this
// package first, for its side effect, maps such values to en_US.UTF-8
// before Fyne looks; it imports nothing of Fyne, so Go initialises it earlier.
package locale

import (
	"os"
	"strings"
)

func init() {
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		val := os.Getenv(v)
		base, _, _ := strings.Cut(val, ".")
		if base == "C" || base == "POSIX" {
			os.Setenv(v, "en_US.UTF-8")
		}
	}
}
