package ui

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"filippo.io/age"
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/zonewalk/zonewalk/app"
	"github.com/zonewalk/zonewalk/app/bundle"
	"github.com/zonewalk/zonewalk/assets"
	"github.com/zonewalk/zonewalk/checklist"
)

// dialogButton finds the button labelled text on the topmost dialog.
func dialogButton(t *testing.T, w fyne.Window, text string) *widget.Button {
	t.Helper()
	if top := w.Canvas().Overlays().Top(); top != nil {
		for _, o := range test.LaidOutObjects(top) {
			if b, ok := o.(*widget.Button); ok && b.Text == text && b.Visible() {
				return b
			}
		}
	}
	t.Fatalf("no dialog with a %q button is shown", text)
	return nil
}

// trustAsked makes y signal when its trust question is on screen. The
// question is put from the goroutine that checked the signature (Fyne's
// test driver runs fyne.Do there), so the test waits for it rather than
// polling the window meanwhile.
func trustAsked(y *syncScreen) <-chan struct{} {
	ch := make(chan struct{}, 1)
	ask := y.ask
	y.ask = func(signer bundle.SignerInfo, answer func(bool)) {
		ask(signer, answer)
		ch <- struct{}{}
	}
	return ch
}

func waitFor(t *testing.T, ch <-chan struct{}) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(2 * time.Minute):
		t.Fatal("timed out")
	}
}

// teamKey makes an age identity file for the test team.
func teamKey(t *testing.T, dir string) (recipient, file string) {
	t.Helper()
	id, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	file = filepath.Join(dir, "key.txt")
	if err := os.WriteFile(file, []byte(id.String()+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return id.Recipient().String(), file
}

func TestSyncExportImportRoundTrip(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	recipient, idFile := teamKey(t, dir)

	// Laptop A exports everything through its Sync screen.
	a := demoSession(t)
	ya := newSyncScreen(a)
	a.win.SetContent(ya.build())
	ya.refresh()
	full := filepath.Join(dir, "full.zwb")
	ya.exportPath.SetText(full)
	test.Type(ya.recipients, recipient)
	req, err := ya.exportForm()
	if err != nil {
		t.Fatal(err)
	}
	if err := await(t, func(then func(error)) { ya.export(req, then) }); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(ya.exportOut.Text, "Wrote "+full) {
		t.Fatalf("export says %q", ya.exportOut.Text)
	}
	aKey, err := bundle.DeviceKey(ctx, a.ws)
	if err != nil {
		t.Fatal(err)
	}

	// Laptop B joins from that bundle, then forgets A's key so that the
	// next import must ask.
	wsB, _, err := bundle.Clone(ctx, filepath.Join(dir, "b"), full, app.Options{Unencrypted: true, Author: "colleague"},
		bundle.ImportOptions{IdentityFiles: []string{idFile}, Trust: []string{aKey.PublicKey}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { wsB.Close() })
	if err := bundle.Untrust(ctx, wsB, aKey.PublicKey); err != nil {
		t.Fatal(err)
	}
	b := &session{fyneApp: a.fyneApp, win: a.fyneApp.NewWindow("b"), ws: wsB}
	b.win.Resize(fyne.NewSize(1200, 800))
	yb := newSyncScreen(b)
	b.win.SetContent(yb.build())
	yb.refresh()

	// Both laptops edit; the same zone on both.
	zA, _ := a.ws.ZoneByName("Filtration Control")
	zA.Description = "Edited on laptop A"
	if _, err := a.ws.SaveZone(zA); err != nil {
		t.Fatal(err)
	}
	zB, _ := wsB.Zone(zA.ID)
	zB.Description = "Edited on laptop B"
	if _, err := wsB.SaveZone(zB); err != nil {
		t.Fatal(err)
	}
	ans, err := a.ws.AnswerItem(app.AnswerInput{Template: checklist.IEC62443_2_1_2024, Item: "ORG 2.2",
		Status: checklist.StatusMet, Maturity: 2, Note: "Test report of March seen."})
	if err != nil {
		t.Fatal(err)
	}

	// A exports what changed since its last export.
	delta := filepath.Join(dir, "delta.zwb")
	ya.exportPath.SetText(delta)
	ya.sinceLast.SetChecked(true)
	req, _ = ya.exportForm()
	if err := await(t, func(then func(error)) { ya.export(req, then) }); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(ya.exportOut.Text, "changes since") {
		t.Errorf("incremental export says %q", ya.exportOut.Text)
	}

	// B verifies it first: valid signature, not yet trusted, content checked.
	yb.importPath.SetText(delta)
	yb.identity.SetText(idFile)
	ireq, err := yb.importForm()
	if err != nil {
		t.Fatal(err)
	}
	if err := await(t, func(then func(error)) { yb.verify(ireq, then) }); err != nil {
		t.Fatal(err)
	}
	if out := yb.importOut.Text; !strings.Contains(out, aKey.Fingerprint) || !strings.Contains(out, "does not trust") ||
		!strings.Contains(out, "Decrypted and checked") {
		t.Errorf("verify says %q", out)
	}

	// B imports: the screen shows A's fingerprint and asks; B trusts.
	done := make(chan error, 1)
	asked := trustAsked(yb)
	yb.importBundle(ireq, func(err error) { done <- err })
	waitFor(t, asked)
	trust := dialogButton(t, b.win, trustButton)
	var shown bool
	for _, o := range test.LaidOutObjects(b.win.Canvas().Overlays().Top()) {
		if l, ok := o.(*widget.Label); ok && strings.Contains(l.Text, aKey.Fingerprint) {
			shown = true
		}
	}
	if !shown {
		t.Error("the trust question does not show the signer's fingerprint")
	}
	test.Tap(trust)
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(2 * time.Minute):
		t.Fatal("import did not finish")
	}
	if out := yb.importOut.Text; !strings.Contains(out, aKey.Fingerprint) || !strings.Contains(out, "review them under Conflicts") {
		t.Errorf("import says %q", out)
	}
	if ok, _ := bundle.IsTrusted(wsB, aKey); !ok {
		t.Error("A's key is not trusted after the user said so")
	}
	if len(yb.signers) != 1 || !strings.Contains(yb.trusted.Text, aKey.Fingerprint) {
		t.Errorf("Keys tab lists %d trusted signers: %q", len(yb.signers), yb.trusted.Text)
	}
	got, err := wsB.Answers(checklist.IEC62443_2_1_2024)
	if err != nil {
		t.Fatal(err)
	}
	var arrived bool
	for _, x := range got {
		if x.ID == ans.ID && x.Status == checklist.StatusMet && x.Note == ans.Note {
			arrived = true
		}
	}
	if !arrived {
		t.Error("A's answer to ORG 2.2 did not arrive in B")
	}

	// The zone edited on both laptops is a conflict; take the other version.
	if len(yb.conflicts) != 1 || yb.conflicts[0].RecordID != zA.ID {
		t.Fatalf("conflicts listed: %d %+v", len(yb.conflicts), yb.conflicts)
	}
	yb.conflictList.Select(0)
	if !strings.Contains(yb.conflictBody.Text, "Edited on laptop A") || !strings.Contains(yb.conflictBody.Text, "Edited on laptop B") {
		t.Errorf("conflict detail does not show both descriptions:\n%s", yb.conflictBody.Text)
	}
	other := recordField(t, yb.conflicts[0].Other, "description")
	test.Tap(yb.useTheirs)
	if z, _ := wsB.Zone(zA.ID); z.Description != other {
		t.Errorf("after using the other version the zone says %q, want %q", z.Description, other)
	}
	if len(yb.conflicts) != 0 || yb.conflictHead.Text != "No open conflicts." {
		t.Errorf("%d conflicts still listed: %q", len(yb.conflicts), yb.conflictHead.Text)
	}
}

func TestSyncUntrust(t *testing.T) {
	ctx := context.Background()
	a, b := demoSession(t), demoSession(t)
	bKey, err := bundle.DeviceKey(ctx, b.ws)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := bundle.Trust(ctx, a.ws, bKey.PublicKey, "K. Osei's laptop"); err != nil {
		t.Fatal(err)
	}
	y := newSyncScreen(a)
	a.win.SetContent(y.build())
	y.refresh()
	if !strings.Contains(y.trusted.Text, "K. Osei's laptop") {
		t.Fatalf("trusted signers: %q", y.trusted.Text)
	}
	y.untrustSel.SetSelectedIndex(0)
	y.onUntrust()
	if ok, _ := bundle.IsTrusted(a.ws, bKey); ok || len(y.signers) != 0 {
		t.Errorf("still trusted after Stop trusting (%d listed)", len(y.signers))
	}
}

func recordField(t *testing.T, raw []byte, field string) string {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	s, _ := m[field].(string)
	return s
}

func TestSyncExportFormChecks(t *testing.T) {
	a := demoSession(t)
	y := newSyncScreen(a)
	a.win.SetContent(y.build())
	y.refresh()
	if !strings.HasSuffix(y.exportPath.Text, ".zwb") {
		t.Errorf("default bundle path %q", y.exportPath.Text)
	}
	y.encryption.SetSelected(encryptPassphrase)
	if !y.recipients.Disabled() || y.passphrase.Disabled() {
		t.Error("choosing a passphrase does not switch the fields")
	}
	test.Type(y.passphrase, "correct horse")
	test.Type(y.confirm, "correct hose")
	if _, err := y.exportForm(); err == nil || !strings.Contains(err.Error(), "differ") {
		t.Errorf("mismatched passphrases: %v", err)
	}
	// Without recipient or team key the export says nobody could open it.
	y.encryption.SetSelected(encryptRecipients)
	y.exportPath.SetText(filepath.Join(t.TempDir(), "x.zwb"))
	req, err := y.exportForm()
	if err != nil {
		t.Fatal(err)
	}
	if err := await(t, func(then func(error)) { y.export(req, then) }); err == nil {
		t.Fatal("export without any recipient succeeded")
	}
	if !strings.Contains(y.exportOut.Text, "Nobody could open") {
		t.Errorf("export without recipient says %q", y.exportOut.Text)
	}
	if _, err := os.Stat(req.path); err == nil {
		t.Error("a failed export left a bundle behind")
	}
}

func TestSyncPassphraseBundleAndDeclinedTrust(t *testing.T) {
	dir := t.TempDir()
	a := demoSession(t)
	ya := newSyncScreen(a)
	a.win.SetContent(ya.build())
	ya.refresh()
	path := filepath.Join(dir, "p.zwb")
	req := exportRequest{path: path, passphrase: []byte("site week"), scryptLogN: 10}
	if err := await(t, func(then func(error)) { ya.export(req, then) }); err != nil {
		t.Fatal(err)
	}
	// Another audit's laptop (a second demo, its own key) is asked about
	// the signer and declines: nothing is imported.
	b := demoSession(t)
	yb := newSyncScreen(b)
	b.win.SetContent(yb.build())
	yb.refresh()
	before, _ := b.ws.Answers("")
	done := make(chan error, 1)
	asked := trustAsked(yb)
	yb.importBundle(importRequest{path: path, passphrase: []byte("site week")}, func(err error) { done <- err })
	waitFor(t, asked)
	test.Tap(dialogButton(t, b.win, "Do not import"))
	if err := <-done; err != context.Canceled {
		t.Fatalf("declined import returned %v", err)
	}
	after, _ := b.ws.Answers("")
	if len(after) != len(before) || !strings.Contains(yb.importOut.Text, "did not trust") {
		t.Errorf("declined import: %d → %d answers, says %q", len(before), len(after), yb.importOut.Text)
	}
	// A wrong passphrase is reported as such when verifying.
	if err := await(t, func(then func(error)) {
		yb.verify(importRequest{path: path, passphrase: []byte("wrong")}, then)
	}); err == nil || !strings.Contains(yb.importOut.Text, "Cannot decrypt") {
		t.Errorf("verify with a wrong passphrase: %v, says %q", err, yb.importOut.Text)
	}
}

// TestSyncSaysWhenTheKeyIsPlain: an unencrypted audit keeps this laptop's
// signing key in plain form; the Sync screen, which shows the key, says so
// (as zonewalk keys show does), and says nothing of it for an encrypted one.
func TestSyncSaysWhenTheKeyIsPlain(t *testing.T) {
	plain := demoSession(t)
	y := newSyncScreen(plain)
	plain.win.SetContent(y.build())
	y.refresh()
	if !y.plainKey.Visible() || !strings.Contains(y.plainKey.Text, "NOT encrypted") || !strings.Contains(y.plainKey.Text, "sign bundles") {
		t.Errorf("unencrypted audit: warning shown %v, %q", y.plainKey.Visible(), y.plainKey.Text)
	}

	ws, err := app.Create(context.Background(), filepath.Join(t.TempDir(), "enc"), app.Options{Passphrase: []byte("correct horse battery")}, assets.Audit{Title: "Enc"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ws.Close() })
	enc := &session{fyneApp: plain.fyneApp, win: plain.win, ws: ws}
	y = newSyncScreen(enc)
	enc.win.SetContent(y.build())
	y.refresh()
	if y.plainKey.Visible() {
		t.Errorf("encrypted audit: %q shown", y.plainKey.Text)
	}
}
