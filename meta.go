package main

import (
	_ "embed"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"

	"github.com/zonewalk/zonewalk/app/cli"
)

// FyneApp.toml is the one place for the app's name, ID, icon and Fyne
// migrations. Only builds that run next to it (go run, go build in the
// clone) let Fyne find it; release builds (-tags release, -trimpath,
// installed anywhere) get it from here, as `fyne package` would inject it.
var (
	//go:embed FyneApp.toml
	fyneAppTOML string
	//go:embed Icon.png
	appIcon []byte
)

// metadata is FyneApp.toml as Fyne's metadata, with the version of this
// binary (set by release builds) rather than the file's.
func metadata() fyne.AppMetadata {
	m := fyne.AppMetadata{Icon: fyne.NewStaticResource("Icon.png", appIcon),
		Custom: map[string]string{}, Migrations: map[string]bool{}}
	section := ""
	for _, line := range strings.Split(fyneAppTOML, "\n") {
		line = strings.TrimSpace(line)
		if strings.HasPrefix(line, "[") && strings.HasSuffix(line, "]") {
			section = strings.Trim(line, "[]")
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok || strings.HasPrefix(line, "#") {
			continue
		}
		k, v = strings.TrimSpace(k), strings.Trim(strings.TrimSpace(v), `"`)
		switch section + "." + k {
		case "Details.ID":
			m.ID = v
		case "Details.Name":
			m.Name = v
		case "Details.Version":
			m.Version = v
		case "Details.Build":
			m.Build, _ = strconv.Atoi(v)
		default:
			if section == "Migrations" {
				m.Migrations[k] = v == "true"
			}
		}
	}
	if v := cli.BuildVersion().Version; v != "dev" {
		m.Version, m.Release = v, true
	}
	return m
}
