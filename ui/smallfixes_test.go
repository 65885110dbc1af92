package ui

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/zonewalk/zonewalk/assets"
)

// TestRequiredTagMessageNamesTheFieldOnce: the validation reason already
// names the field ("tag or name is required"); the form said "Tag tag or
// name is required".
func TestRequiredTagMessageNamesTheFieldOnce(t *testing.T) {
	err := (&assets.Asset{Type: assets.TypePLC}).Validate(nil)
	if err == nil {
		t.Fatal("an asset without tag or name is valid")
	}
	msg := describeError(err, assetLabels)
	if strings.Contains(strings.ToLower(msg), "tag tag") || !strings.Contains(msg, "• Tag or name is required") {
		t.Errorf("message %q", msg)
	}
	// A reason that does not name the field keeps the label.
	err = (&assets.Asset{Tag: "T", Type: assets.TypePLC, IPs: []string{"300.1.1.1"}}).Validate(nil)
	if msg := describeError(err, assetLabels); !strings.Contains(msg, "IP addresses") {
		t.Errorf("message %q", msg)
	}
}

// TestSyncPassphraseModeHidesRecipientMessages: the team-recipient note
// and a "nobody could open it" result stayed on screen after switching to
// a passphrase.
func TestSyncPassphraseModeHidesRecipientMessages(t *testing.T) {
	a := demoSession(t)
	y := newSyncScreen(a)
	a.win.SetContent(y.build())
	y.refresh()
	y.exportPath.SetText(filepath.Join(t.TempDir(), "x.zwb"))
	req, err := y.exportForm()
	if err != nil {
		t.Fatal(err)
	}
	_ = await(t, func(then func(error)) { y.export(req, then) })
	if !y.teamInfo.Visible() || !strings.Contains(y.exportOut.Text, "Nobody could open") {
		t.Fatalf("recipient mode: team note shown %v, result %q", y.teamInfo.Visible(), y.exportOut.Text)
	}
	y.encryption.SetSelected(encryptPassphrase)
	if y.teamInfo.Visible() || strings.Contains(y.exportOut.Text, "recipient") {
		t.Errorf("passphrase mode still shows recipient messages: team note %v %q, result %q",
			y.teamInfo.Visible(), y.teamInfo.Text, y.exportOut.Text)
	}
	y.encryption.SetSelected(encryptRecipients)
	if !y.teamInfo.Visible() {
		t.Error("team note not back in recipient mode")
	}
}
