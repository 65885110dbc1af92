package paths

import (
	"errors"
	"os"
	"runtime"
	"testing"
)

func TestFor(t *testing.T) {
	env := func(kv ...string) func(string) string {
		return func(k string) string {
			for i := 0; i+1 < len(kv); i += 2 {
				if kv[i] == k {
					return kv[i+1]
				}
			}
			return ""
		}
	}
	for _, tc := range []struct {
		name, goos      string
		getenv          func(string) string
		home            string
		audits, setting string
		err             error
	}{
		{"windows: LOCALAPPDATA", "windows", env("LOCALAPPDATA", `C:\Users\amir\AppData\Local`), `C:\Users\amir`,
			`C:\Users\amir\AppData\Local\Zonewalk\Audits`, `C:\Users\amir\AppData\Local\Zonewalk`, nil},
		{"windows: non-ASCII user name, trailing separator", "windows", env("LOCALAPPDATA", `C:\Users\Zoë Ångström\AppData\Local\`), "",
			`C:\Users\Zoë Ångström\AppData\Local\Zonewalk\Audits`, `C:\Users\Zoë Ångström\AppData\Local\Zonewalk`, nil},
		{"windows: redirected profile on a share", "windows", env("LOCALAPPDATA", `\\fs01\profiles\jo\Local`), "",
			`\\fs01\profiles\jo\Local\Zonewalk\Audits`, `\\fs01\profiles\jo\Local\Zonewalk`, nil},
		{"windows: no LOCALAPPDATA falls back to the profile", "windows", env(), `D:\Home\jo`,
			`D:\Home\jo\AppData\Local\Zonewalk\Audits`, `D:\Home\jo\AppData\Local\Zonewalk`, nil},
		{"windows: relative LOCALAPPDATA is ignored", "windows", env("LOCALAPPDATA", `AppData`), `C:\Users\jo`,
			`C:\Users\jo\AppData\Local\Zonewalk\Audits`, `C:\Users\jo\AppData\Local\Zonewalk`, nil},
		{"windows: nothing", "windows", env(), "", "", "", ErrNoHome},
		{"macOS", "darwin", env("XDG_DATA_HOME", "/ignored"), "/Users/jo",
			"/Users/jo/Library/Application Support/Zonewalk/Audits", "/Users/jo/Library/Application Support/Zonewalk", nil},
		{"macOS: no home", "darwin", env(), "", "", "", ErrNoHome},
		{"linux: XDG defaults", "linux", env(), "/home/jo",
			"/home/jo/.local/share/zonewalk/audits", "/home/jo/.config/zonewalk", nil},
		{"linux: XDG set", "linux", env("XDG_DATA_HOME", "/data/jo/", "XDG_CONFIG_HOME", "/cfg"), "",
			"/data/jo/zonewalk/audits", "/cfg/zonewalk", nil},
		{"linux: relative XDG is invalid and ignored", "linux", env("XDG_DATA_HOME", "data", "XDG_CONFIG_HOME", "/cfg"), "/home/jo",
			"/home/jo/.local/share/zonewalk/audits", "/cfg/zonewalk", nil},
		{"freebsd follows XDG", "freebsd", env(), "/usr/home/jo",
			"/usr/home/jo/.local/share/zonewalk/audits", "/usr/home/jo/.config/zonewalk", nil},
		{"linux: nothing", "linux", env(), "", "", "", ErrNoHome},
	} {
		d, err := For(tc.goos, tc.getenv, tc.home)
		if !errors.Is(err, tc.err) || d.Audits != tc.audits || d.Settings != tc.setting {
			t.Errorf("%s: For = %+v, %v; want {%s %s}, %v", tc.name, d, err, tc.audits, tc.setting, tc.err)
		}
	}
}

func TestRecentFile(t *testing.T) {
	for _, tc := range []struct{ settings, want string }{
		{`C:\Users\jo\AppData\Local\Zonewalk`, `C:\Users\jo\AppData\Local\Zonewalk\recent.json`},
		{"/home/jo/.config/zonewalk", "/home/jo/.config/zonewalk/recent.json"},
	} {
		if got := (Dirs{Settings: tc.settings}).Recent(); got != tc.want {
			t.Errorf("Recent() = %s, want %s", got, tc.want)
		}
	}
}

// Default must work on the OS the tests run on (CI: Linux; the test binary
// is also cross-built for Windows and macOS).
func TestDefaultHere(t *testing.T) {
	d, err := Default()
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("no home folder under CI: %v", err)
		}
		t.Skipf("no home folder here: %v", err)
	}
	if d.Audits == "" || d.Settings == "" {
		t.Fatalf("Default() = %+v on %s", d, runtime.GOOS)
	}
}
