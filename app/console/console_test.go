package console

import "testing"

func TestShouldAttach(t *testing.T) {
	for _, tc := range []struct {
		name       string
		args       []string
		hasConsole bool
		want       bool
	}{
		{"GUI from Explorer", nil, false, false},
		{"GUI with a workspace: attach, so a bad flag can say so", []string{"--workspace", `C:\Audits\Site A`}, false, true},
		{"command from cmd", []string{"report", "--workspace", "w", "--out", "a.pdf"}, false, true},
		{"help", []string{"help"}, false, true},
		{"-h", []string{"-h"}, false, true},
		{"mistyped command must print its error", []string{"reprot"}, false, true},
		{"console-subsystem zonewalk-cli.exe has its own", []string{"report"}, true, false},
		{"console binary, GUI", nil, true, false},
	} {
		if got := ShouldAttach(tc.args, tc.hasConsole); got != tc.want {
			t.Errorf("%s: ShouldAttach(%q, hasConsole=%v) = %v, want %v", tc.name, tc.args, tc.hasConsole, got, tc.want)
		}
	}
}

func TestToReopen(t *testing.T) {
	for _, tc := range []struct {
		name     string
		valid    Streams
		attached bool
		want     Streams
	}{
		{"typed in cmd: no handles at all", Streams{}, true, Streams{true, true, true}},
		{"stdout redirected to a file stays there", Streams{Stdout: true}, true, Streams{true, false, true}},
		{"piped in and out, stderr to the console", Streams{true, true, false}, true, Streams{false, false, true}},
		{"all redirected", Streams{true, true, true}, true, Streams{}},
		{"attach failed (no parent console): touch nothing", Streams{}, false, Streams{}},
	} {
		if got := ToReopen(tc.valid, tc.attached); got != tc.want {
			t.Errorf("%s: ToReopen(%v, %v) = %v, want %v", tc.name, tc.valid, tc.attached, got, tc.want)
		}
	}
}
