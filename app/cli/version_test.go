package cli

import (
	"encoding/json"
	"runtime/debug"
	"strings"
	"testing"
)

func TestBuildVersionFallbacks(t *testing.T) {
	stamped := &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: []debug.BuildSetting{
		{Key: "vcs.revision", Value: "0123abcd"}, {Key: "vcs.time", Value: "2025-11-20T10:00:00Z"}, {Key: "vcs.modified", Value: "true"}}}
	installed := &debug.BuildInfo{Main: debug.Module{Version: "v0.3.1"}}
	for _, tc := range []struct {
		name              string
		ver, commit, date string
		bi                *debug.BuildInfo
		want              BuildInfo
	}{
		{"release build: -X wins over the stamp", "0.2.0", "feedbeef", "2025-12-01T08:00:00Z", stamped,
			BuildInfo{Version: "0.2.0", Commit: "feedbeef", Date: "2025-12-01T08:00:00Z"}},
		{"go build in a clone with changes", "", "", "", stamped,
			BuildInfo{Version: "dev", Commit: "0123abcd", Modified: true, Date: "2025-11-20T10:00:00Z"}},
		{"go install @version", "", "", "", installed,
			BuildInfo{Version: "v0.3.1", Commit: "unknown", Date: "unknown"}},
		{"no build info", "", "", "", nil,
			BuildInfo{Version: "dev", Commit: "unknown", Date: "unknown"}},
	} {
		got := buildVersion(tc.ver, tc.commit, tc.date, tc.bi)
		got.Go, got.Platform = "", ""
		if got != tc.want {
			t.Errorf("%s: got %+v, want %+v", tc.name, got, tc.want)
		}
	}
}

func TestVersionCommand(t *testing.T) {
	code, out, errs := run(t, nil, "version")
	if code != 0 || !strings.HasPrefix(out, "zonewalk ") || !strings.Contains(out, "\ncommit ") || !strings.Contains(out, "\nbuilt ") {
		t.Fatalf("version: exit %d, stdout %q, stderr %q", code, out, errs)
	}
	code, out, _ = run(t, nil, "version", "--format", "json")
	var info BuildInfo
	if code != 0 || json.Unmarshal([]byte(out), &info) != nil || info.Version == "" || info.Commit == "" || !strings.Contains(info.Platform, "/") {
		t.Fatalf("version --format json: exit %d, %q", code, out)
	}
	if code, _, _ := run(t, nil, "version", "extra"); code != 2 {
		t.Errorf("version extra: exit %d, want 2", code)
	}
}
