package ui

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/zonewalk/zonewalk/app/bundle"
	"github.com/zonewalk/zonewalk/assets/english"
)

func init() {
	registerScreen(80, "Sync", theme.DefaultTheme().Icon(theme.IconNameViewRefresh), func(s *session) screen { return newSyncScreen(s) })
}

// Encryption choices of the export form.
const (
	encryptRecipients = "Team and recipients (age keys)"
	encryptPassphrase = "Passphrase"
)

// syncScreen moves the audit between laptops as signed, encrypted bundles:
// export, verify, import (asking before trusting an unknown signer) and the
// review of merge conflicts the imports left.
type syncScreen struct {
	s *session

	// Export.
	encryption *widget.RadioGroup
	recipients *widget.Entry
	teamInfo   *widget.Label
	passphrase *widget.Entry
	confirm    *widget.Entry
	sinceLast  *widget.Check
	exportPath *widget.Entry
	exportBtn  *widget.Button
	exportOut  *widget.Label

	// Import and verify.
	importPath *widget.Entry
	importPass *widget.Entry
	identity   *widget.Entry
	importBtn  *widget.Button
	verifyBtn  *widget.Button
	importOut  *widget.Label

	// Conflicts.
	conflictList *widget.List
	conflicts    []bundle.Conflict
	selected     int
	conflictHead *widget.Label
	conflictBody *widget.Label
	keepOurs     *widget.Button
	useTheirs    *widget.Button

	// ask puts the trust question for an unknown signer (askTrust; tests
	// wrap it to learn when the dialog is up).
	ask func(signer bundle.SignerInfo, answer func(bool))

	// Keys.
	deviceKey  *widget.Label
	plainKey   *widget.Label // shown when the audit is not encrypted
	trusted    *widget.Label
	untrustSel *widget.Select
	signers    []bundle.TrustedSigner
	teamEntry  *widget.Entry
}

func newSyncScreen(s *session) *syncScreen {
	y := &syncScreen{s: s, selected: -1}
	y.ask = y.askTrust
	return y
}

func (y *syncScreen) build() fyne.CanvasObject {
	tabs := container.NewAppTabs(
		container.NewTabItemWithIcon("Export", theme.UploadIcon(), y.buildExport()),
		container.NewTabItemWithIcon("Import and verify", theme.DownloadIcon(), y.buildImport()),
		container.NewTabItemWithIcon("Conflicts", theme.WarningIcon(), y.buildConflicts()),
		container.NewTabItemWithIcon("Keys", theme.AccountIcon(), y.buildKeys()),
	)
	return tabs
}

func wrapped(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	return l
}

// pathField is an entry for a file path with a button that picks it.
func (y *syncScreen) pathField(e *widget.Entry, save bool, name func() string) fyne.CanvasObject {
	pick := widget.NewButtonWithIcon("Choose…", theme.FolderOpenIcon(), func() {
		if save {
			d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
				if err != nil || w == nil {
					y.s.showError(err)
					return
				}
				// The dialog made the file; the export replaces it.
				w.Close()
				e.SetText(w.URI().Path())
			}, y.s.win)
			d.SetFileName(name())
			d.Show()
			return
		}
		dialog.ShowFileOpen(func(r fyne.URIReadCloser, err error) {
			if err != nil || r == nil {
				y.s.showError(err)
				return
			}
			r.Close()
			e.SetText(r.URI().Path())
		}, y.s.win)
	})
	return container.NewBorder(nil, nil, nil, pick, e)
}

func (y *syncScreen) buildExport() fyne.CanvasObject {
	y.recipients = widget.NewMultiLineEntry()
	y.recipients.SetPlaceHolder("age1… public keys of the colleagues who may open the bundle, one per line")
	y.recipients.SetMinRowsVisible(3)
	y.teamInfo = wrapped("")
	y.passphrase = widget.NewPasswordEntry()
	y.confirm = widget.NewPasswordEntry()
	y.encryption = widget.NewRadioGroup([]string{encryptRecipients, encryptPassphrase}, func(string) { y.onEncryption() })
	y.encryption.Required = true
	y.encryption.SetSelected(encryptRecipients)
	y.sinceLast = widget.NewCheck("Only what changed since this laptop's last export", nil)
	y.exportPath = widget.NewEntry()
	y.exportPath.SetPlaceHolder("/path/to/audit.zwb")
	y.exportBtn = widget.NewButtonWithIcon("Export bundle", theme.UploadIcon(), y.onExport)
	y.exportBtn.Importance = widget.HighImportance
	y.exportOut = wrapped("")
	// The fields switched off by the encryption choice sit in a stack: a
	// form greys out the label of a disabled field, and the labels then
	// read as if the whole row were out of use (the field shows it is).
	form := widget.NewForm(
		widget.NewFormItem("Encrypt to", y.encryption),
		widget.NewFormItem("Recipients", container.NewStack(y.recipients)),
		widget.NewFormItem("", y.teamInfo),
		widget.NewFormItem("Passphrase", container.NewStack(y.passphrase)),
		widget.NewFormItem("Repeat", container.NewStack(y.confirm)),
		widget.NewFormItem("", y.sinceLast),
		widget.NewFormItem("Save as", y.pathField(y.exportPath, true, y.defaultBundleName)),
	)
	help := wrapped("The bundle (.zwb) is encrypted with age and signed with this laptop's key " +
		"(a .zwb.minisig file next to it). Send both files; the receiver checks the signer's fingerprint with you.")
	help.Importance = widget.LowImportance
	return container.NewVScroll(container.NewVBox(help, form, y.exportBtn, y.exportOut))
}

func (y *syncScreen) onEncryption() {
	if y.passphrase == nil {
		return
	}
	pass := y.encryption.Selected == encryptPassphrase
	for _, e := range []*widget.Entry{y.passphrase, y.confirm} {
		if pass {
			e.Enable()
		} else {
			e.Disable()
		}
	}
	// Messages about recipients mean nothing for a passphrase bundle.
	if pass {
		y.recipients.Disable()
		y.teamInfo.Hide()
		if strings.HasPrefix(y.exportOut.Text, noRecipientMsg) {
			y.exportOut.SetText("")
		}
	} else {
		y.recipients.Enable()
		y.teamInfo.Show()
	}
}

// noRecipientMsg says why an export without recipients was refused.
const noRecipientMsg = "Nobody could open this bundle: add a recipient"

func (y *syncScreen) defaultBundleName() string {
	title := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			return r
		}
		return '-'
	}, strings.ToLower(y.s.ws.Audit().Site))
	title = strings.Trim(title, "-")
	for strings.Contains(title, "--") {
		title = strings.ReplaceAll(title, "--", "-")
	}
	if title == "" {
		title = "audit"
	}
	return title + "-" + time.Now().Format("20060102-1504") + ".zwb"
}

func (y *syncScreen) buildImport() fyne.CanvasObject {
	y.importPath = widget.NewEntry()
	y.importPath.SetPlaceHolder("/path/to/audit.zwb (its .minisig next to it)")
	y.importPass = widget.NewPasswordEntry()
	y.importPass.SetPlaceHolder("only for bundles encrypted to a passphrase")
	y.identity = widget.NewEntry()
	y.identity.SetPlaceHolder("age identity file (key.txt), unless the workspace holds the team key")
	y.importBtn = widget.NewButtonWithIcon("Import bundle", theme.DownloadIcon(), y.onImport)
	y.importBtn.Importance = widget.HighImportance
	y.verifyBtn = widget.NewButtonWithIcon("Verify only", theme.ConfirmIcon(), y.onVerify)
	y.importOut = wrapped("")
	form := widget.NewForm(
		widget.NewFormItem("Bundle", y.pathField(y.importPath, false, nil)),
		widget.NewFormItem("Passphrase", y.importPass),
		widget.NewFormItem("Identity file", y.pathField(y.identity, false, nil)),
	)
	help := wrapped("Import checks the signature first and shows who signed the bundle; for a signer this " +
		"workspace does not know yet it asks before trusting them. Changes made on both laptops to the same " +
		"record are kept as conflicts for you to review. Verify only checks the bundle without changing anything.")
	help.Importance = widget.LowImportance
	return container.NewVScroll(container.NewVBox(help, form, container.NewHBox(y.importBtn, y.verifyBtn), y.importOut))
}

func (y *syncScreen) buildConflicts() fyne.CanvasObject {
	y.conflictList = widget.NewList(
		func() int { return len(y.conflicts) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("zone Filtration Control — theirs by someone")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			o.(*widget.Label).SetText(conflictLine(y.conflicts[i]))
		})
	y.conflictList.OnSelected = func(i widget.ListItemID) { y.showConflict(i) }
	y.conflictHead = wrapped("No open conflicts.")
	y.conflictBody = wrapped("")
	y.conflictBody.TextStyle = fyne.TextStyle{Monospace: true}
	y.keepOurs = widget.NewButton("Keep this laptop's version", func() { y.resolve(bundle.KeepCurrent) })
	y.useTheirs = widget.NewButton("Use the other version", func() { y.resolve(bundle.RestoreOther) })
	y.keepOurs.Disable()
	y.useTheirs.Disable()
	detail := container.NewBorder(container.NewVBox(y.conflictHead, container.NewHBox(y.keepOurs, y.useTheirs)), nil, nil, nil,
		container.NewVScroll(y.conflictBody))
	split := container.NewHSplit(y.conflictList, detail)
	split.Offset = 0.35
	return split
}

func (y *syncScreen) buildKeys() fyne.CanvasObject {
	y.deviceKey = wrapped("")
	y.deviceKey.TextStyle = fyne.TextStyle{Monospace: true}
	y.plainKey = wrapped("This audit is NOT encrypted: the secret half of this key, and a team key file stored here, " +
		"lie in plain form in the audit folder; anyone who copies the folder can read the audit and sign bundles as this laptop.")
	y.plainKey.Importance = widget.WarningImportance
	y.plainKey.Hide()
	y.trusted = wrapped("")
	y.teamEntry = widget.NewEntry()
	y.teamEntry.SetPlaceHolder("age1… (every export is also encrypted to it)")
	setTeam := widget.NewButton("Set team recipient", func() {
		if err := bundle.SetTeamRecipient(context.Background(), y.s.ws, y.teamEntry.Text); err != nil {
			y.s.showError(err)
			return
		}
		y.refreshKeys()
	})
	copyKey := widget.NewButtonWithIcon("Copy public key", theme.ContentCopyIcon(), func() {
		if k, err := bundle.DeviceKey(context.Background(), y.s.ws); err == nil {
			y.s.fyneApp.Clipboard().SetContent(k.PublicKey)
		}
	})
	teamKey := widget.NewButtonWithIcon("Use a team key file…", theme.LoginIcon(), func() {
		dialog.ShowFileOpen(func(r fyne.URIReadCloser, err error) {
			if err != nil || r == nil {
				y.s.showError(err)
				return
			}
			defer r.Close()
			data, err := io.ReadAll(r)
			if err == nil {
				_, err = bundle.SetTeamIdentity(context.Background(), y.s.ws, data)
			}
			if err != nil {
				y.s.showError(err)
				return
			}
			y.refreshKeys()
		}, y.s.win)
	})
	y.untrustSel = widget.NewSelect(nil, nil)
	y.untrustSel.PlaceHolder = "(choose a signer)"
	untrust := widget.NewButtonWithIcon("Stop trusting", theme.DeleteIcon(), y.onUntrust)
	bold := fyne.TextStyle{Bold: true}
	help := wrapped("With the team key file (age-keygen output) stored here, bundles sent to the team open " +
		"without choosing a key file; it is kept in the workspace, encrypted with it.")
	help.Importance = widget.LowImportance
	return container.NewVScroll(container.NewVBox(
		widget.NewLabelWithStyle("This laptop signs bundles with", fyne.TextAlignLeading, bold), y.deviceKey, y.plainKey, copyKey,
		widget.NewLabelWithStyle("Trusted signers", fyne.TextAlignLeading, bold), y.trusted,
		container.NewBorder(nil, nil, nil, untrust, y.untrustSel),
		widget.NewLabelWithStyle("Team recipient", fyne.TextAlignLeading, bold),
		container.NewBorder(nil, nil, nil, setTeam, y.teamEntry), teamKey, help))
}

// refresh rereads keys, the team recipient and the open conflicts.
func (y *syncScreen) refresh() {
	if y.s.ws == nil {
		return
	}
	if y.exportPath.Text == "" {
		y.exportPath.SetText(filepath.Join(outputDir(y.s.ws.Dir()), y.defaultBundleName()))
	}
	y.refreshKeys()
	y.loadConflicts()
}

func (y *syncScreen) refreshKeys() {
	ctx := context.Background()
	if k, err := bundle.DeviceKey(ctx, y.s.ws); err != nil {
		y.deviceKey.SetText("Signing key: " + err.Error())
	} else {
		y.deviceKey.SetText(fmt.Sprintf("Fingerprint %s\nKey ID %s\nPublic key %s", k.Fingerprint, k.KeyID, k.PublicKey))
	}
	y.plainKey.Hidden = y.s.ws.Encrypted() // as zonewalk keys show warns
	y.plainKey.Refresh()
	list, err := bundle.TrustedSigners(y.s.ws)
	y.signers = list
	var names []string
	for _, t := range list {
		names = append(names, t.Fingerprint+"  "+t.Note)
	}
	y.untrustSel.Options = names
	y.untrustSel.ClearSelected()
	if err != nil {
		y.trusted.SetText(err.Error())
	} else if len(list) == 0 {
		y.trusted.SetText("None yet: bundles from other laptops ask before their signer is trusted.")
	} else {
		var b strings.Builder
		for _, t := range list {
			fmt.Fprintf(&b, "%s  (key ID %s) %s, since %s\n", t.Fingerprint, t.KeyID, t.Note, t.Added.Format(time.DateOnly))
		}
		y.trusted.SetText(strings.TrimSpace(b.String()))
	}
	team, hasID, err := bundle.Team(y.s.ws)
	switch {
	case err != nil:
		y.teamInfo.SetText("Team recipient: " + err.Error())
	case team == "":
		y.teamInfo.SetText("No team recipient is set (Keys tab): list at least one recipient, or use a passphrase.")
	default:
		y.teamInfo.SetText("Also encrypted to the team recipient " + team)
		if hasID {
			y.teamInfo.SetText(y.teamInfo.Text + " (this workspace holds the team key)")
		}
	}
	y.teamEntry.SetText(team)
}

// onUntrust removes the chosen signer from the trusted ones.
func (y *syncScreen) onUntrust() {
	i := y.untrustSel.SelectedIndex()
	if i < 0 || i >= len(y.signers) {
		return
	}
	if err := bundle.Untrust(context.Background(), y.s.ws, y.signers[i].PublicKey); err != nil {
		y.s.showError(err)
	}
	y.refreshKeys()
}

// exportRequest is what the export form says.
type exportRequest struct {
	path       string
	recipients []string
	passphrase []byte
	sinceLast  bool
	scryptLogN int // 0: the bundle default; tests lower it
}

// exportForm reads and checks the export form.
func (y *syncScreen) exportForm() (exportRequest, error) {
	r := exportRequest{path: strings.TrimSpace(y.exportPath.Text), sinceLast: y.sinceLast.Checked}
	if r.path == "" {
		return r, errors.New("choose where to save the bundle")
	}
	if y.encryption.Selected == encryptPassphrase {
		if y.passphrase.Text == "" {
			return r, errors.New("type a passphrase to encrypt the bundle with")
		}
		if y.passphrase.Text != y.confirm.Text {
			return r, errors.New("the two passphrases differ")
		}
		r.passphrase = []byte(y.passphrase.Text)
		return r, nil
	}
	for _, l := range strings.Split(y.recipients.Text, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			r.recipients = append(r.recipients, l)
		}
	}
	return r, nil
}

func (y *syncScreen) onExport() {
	req, err := y.exportForm()
	if err != nil {
		y.exportOut.SetText(err.Error())
		return
	}
	y.export(req, nil)
}

// bundleProgress turns byte counts into the progress dialog's report.
func bundleProgress(report progress) func(bundle.Progress) {
	names := map[bundle.Stage]string{
		bundle.StageScan: "Reading the audit", bundle.StageWrite: "Writing the encrypted bundle",
		bundle.StageSignature: "Checking the signature", bundle.StageCheck: "Decrypting and checking every part",
		bundle.StageApply: "Merging records and storing evidence",
	}
	return func(p bundle.Progress) {
		msg := names[p.Stage]
		if msg == "" {
			msg = string(p.Stage)
		}
		report(int(p.Done>>10), int(p.Total>>10), fmt.Sprintf("%s… %s", msg, english.Size(p.Done)))
	}
}

// export writes a bundle in the background; then (if set) runs on the UI
// goroutine with the outcome.
func (y *syncScreen) export(req exportRequest, then func(error)) {
	ws := y.s.ws
	var res bundle.ExportResult
	y.s.background("Exporting bundle", func(ctx context.Context, report progress) error {
		var err error
		res, err = bundle.Export(ctx, ws, req.path, bundle.ExportOptions{
			Recipients: req.recipients, Passphrase: req.passphrase, SinceLast: req.sinceLast,
			ScryptWorkFactor: req.scryptLogN, Progress: bundleProgress(report)})
		return err
	}, func(err error) {
		switch {
		case err == nil:
			y.exportOut.SetText(exportText(res))
			y.passphrase.SetText("")
			y.confirm.SetText("")
		case errors.Is(err, context.Canceled):
			y.exportOut.SetText("Export cancelled; no bundle was written.")
		case errors.Is(err, bundle.ErrNoRecipient):
			y.exportOut.SetText(noRecipientMsg + ", set a team recipient (Keys) or use a passphrase.")
		default:
			y.exportOut.SetText("Export failed: " + err.Error())
		}
		if then != nil {
			then(err)
		}
	})
}

func exportText(r bundle.ExportResult) string {
	total := 0
	kinds := make([]string, 0, len(r.Records))
	for k, n := range r.Records {
		total += n
		kinds = append(kinds, fmt.Sprintf("%d %s", n, k))
	}
	slices.Sort(kinds)
	enc := fmt.Sprintf("encrypted to %d recipients", r.Recipients)
	if r.Recipients == 0 {
		enc = "encrypted to a passphrase"
	}
	scope := "everything"
	if r.Since != nil {
		scope = "changes since " + r.Since.Time().Local().Format("2006-01-02 15:04")
	}
	return fmt.Sprintf("Wrote %s (%s, %s): %s — %d records (%s) and %d evidence files.\nSignature: %s\nSigned by this laptop, fingerprint %s.",
		r.File, english.Size(r.Size), enc, scope, total, strings.Join(kinds, ", "), r.Blobs, r.Signature, r.Signer.Fingerprint)
}

// importRequest is what the import form says.
type importRequest struct {
	path       string
	passphrase []byte
	identities []string
}

func (y *syncScreen) importForm() (importRequest, error) {
	r := importRequest{path: strings.TrimSpace(y.importPath.Text)}
	if r.path == "" {
		return r, errors.New("choose a bundle (.zwb) to import")
	}
	if y.importPass.Text != "" {
		r.passphrase = []byte(y.importPass.Text)
	}
	if id := strings.TrimSpace(y.identity.Text); id != "" {
		r.identities = []string{id}
	}
	return r, nil
}

func (y *syncScreen) onImport() {
	req, err := y.importForm()
	if err != nil {
		y.importOut.SetText(err.Error())
		return
	}
	y.importBundle(req, nil)
}

// importBundle checks who signed the bundle, asks before trusting an
// unknown signer, then merges it, all in the background; then (if set)
// runs on the UI goroutine with the outcome (context.Canceled when the
// user declined to trust the signer).
func (y *syncScreen) importBundle(req importRequest, then func(error)) {
	ws := y.s.ws
	var signer bundle.SignerInfo
	var trusted bool
	finish := func(err error) {
		if then != nil {
			then(err)
		}
	}
	y.s.background("Checking the bundle's signature", func(ctx context.Context, report progress) error {
		report(0, 0, "Checking who signed the bundle…")
		var err error
		if signer, err = bundle.Inspect(ctx, req.path); err != nil {
			return err
		}
		trusted, err = bundle.IsTrusted(ws, signer.KeyInfo)
		return err
	}, func(err error) {
		if err != nil {
			y.importOut.SetText(importErrorText(err))
			finish(err)
			return
		}
		if trusted {
			y.merge(req, signer, nil, finish)
			return
		}
		y.ask(signer, func(ok bool) {
			if !ok {
				y.importOut.SetText(fmt.Sprintf("Not imported: you did not trust the signer (fingerprint %s).", signer.Fingerprint))
				finish(context.Canceled)
				return
			}
			y.merge(req, signer, []string{signer.PublicKey}, finish)
		})
	})
}

// trustButton is the confirm button of the trust question.
const trustButton = "Trust and import"

// askTrust shows an unknown signer's fingerprint and asks whether to trust it.
func (y *syncScreen) askTrust(signer bundle.SignerInfo, answer func(bool)) {
	msg := wrapped(fmt.Sprintf("This bundle was signed on %s by a key this workspace does not trust yet:\n\n"+
		"Fingerprint  %s\nKey ID  %s\n\nCompare the fingerprint with the sender by phone or in person "+
		"(they find it under Sync → Keys). Trust only if it matches: every later bundle from this key "+
		"will be imported without asking.", signer.Signed.Local().Format("2006-01-02 15:04"), signer.Fingerprint, signer.KeyID))
	d := dialog.NewCustomConfirm("Unknown signer", trustButton, "Do not import", msg, answer, y.s.win)
	d.Resize(fyne.NewSize(560, 320))
	d.Show()
}

// merge imports the bundle, trusting the listed signer keys.
func (y *syncScreen) merge(req importRequest, signer bundle.SignerInfo, trust []string, then func(error)) {
	ws := y.s.ws
	var res bundle.ImportResult
	y.s.background("Importing bundle", func(ctx context.Context, report progress) error {
		var err error
		res, err = bundle.Import(ctx, ws, req.path, bundle.ImportOptions{IdentityFiles: req.identities,
			Passphrase: req.passphrase, Trust: trust, Progress: bundleProgress(report)})
		return err
	}, func(err error) {
		switch {
		case err == nil:
			y.importOut.SetText(importText(res))
			y.importPass.SetText("")
			y.refreshKeys()
			y.loadConflicts()
			y.s.changed()
		case errors.Is(err, context.Canceled):
			y.importOut.SetText("Import cancelled; nothing was changed.")
		default:
			y.importOut.SetText(importErrorText(err))
		}
		if then != nil {
			then(err)
		}
	})
}

func importText(r bundle.ImportResult) string {
	s := fmt.Sprintf("Imported the bundle signed by %s (key ID %s) on %s.\n%d records added, %d updated, %d already known, %d evidence files stored.",
		r.Signer.Fingerprint, r.Signer.KeyID, r.Signer.Signed.Local().Format("2006-01-02 15:04"),
		r.Added, r.Updated, r.Unchanged, r.Blobs)
	if r.Conflicts > 0 {
		s += fmt.Sprintf("\n%d records were changed on both laptops: review them under Conflicts.", r.Conflicts)
	}
	if r.Resolved > 0 {
		s += fmt.Sprintf("\n%d earlier conflicts were settled by this bundle.", r.Resolved)
	}
	if n := len(r.SharedTags); n > 0 {
		s += fmt.Sprintf("\n%s now used by two assets or more (both kept): %s. Rename or merge them; Findings lists them.",
			english.Count(n, "tag is", "tags are"), strings.Join(r.SharedTags, ", "))
	}
	return s
}

// importErrorText says what went wrong in words that suggest what to do.
func importErrorText(err error) string {
	var ue *bundle.UntrustedSignerError
	switch {
	case errors.As(err, &ue):
		return "The signer is not trusted (fingerprint " + ue.Signer.Fingerprint + ")."
	case errors.Is(err, os.ErrNotExist):
		return "Not found: " + err.Error() + ". The bundle and its .minisig file must be side by side."
	case errors.Is(err, bundle.ErrSignature):
		return "The signature does not match the bundle: it was changed or damaged on the way. Do not import it. (" + err.Error() + ")"
	case errors.Is(err, bundle.ErrDecrypt):
		return "Cannot decrypt: give the passphrase or the identity file the bundle was encrypted to. (" + err.Error() + ")"
	case errors.Is(err, bundle.ErrForeignAudit):
		return "This bundle belongs to another audit. (" + err.Error() + ")"
	case errors.Is(err, bundle.ErrNewerFormat):
		return "The bundle was written by a newer Zonewalk; update this laptop first. (" + err.Error() + ")"
	}
	return "Failed: " + err.Error()
}

func (y *syncScreen) onVerify() {
	req, err := y.importForm()
	if err != nil {
		y.importOut.SetText(err.Error())
		return
	}
	y.verify(req, nil)
}

// verify checks a bundle without changing the workspace.
func (y *syncScreen) verify(req importRequest, then func(error)) {
	var rep bundle.Report
	var trusted bool
	ws := y.s.ws
	y.s.background("Verifying bundle", func(ctx context.Context, report progress) error {
		var err error
		rep, err = bundle.Verify(ctx, req.path, bundle.VerifyOptions{IdentityFiles: req.identities,
			Passphrase: req.passphrase, Progress: bundleProgress(report)})
		if err == nil {
			trusted, err = bundle.IsTrusted(ws, rep.Signer.KeyInfo)
		}
		return err
	}, func(err error) {
		if err != nil {
			y.importOut.SetText(importErrorText(err))
		} else {
			y.importOut.SetText(verifyText(rep, trusted))
		}
		if then != nil {
			then(err)
		}
	})
}

func verifyText(r bundle.Report, trusted bool) string {
	who := "a signer this workspace does not trust yet"
	if trusted {
		who = "a trusted signer"
	}
	s := fmt.Sprintf("Signature valid: signed by %s on %s, fingerprint %s (key ID %s). %s.",
		who, r.Signer.Signed.Local().Format("2006-01-02 15:04"), r.Signer.Fingerprint, r.Signer.KeyID, english.Size(r.Size))
	if !r.Decrypted {
		return s + "\nThe content was not checked: give the passphrase or identity file to check every part."
	}
	total := 0
	for _, n := range r.Records {
		total += n
	}
	s += fmt.Sprintf("\nDecrypted and checked %d parts: %d records and %d evidence files", r.Members, total, r.Blobs)
	if r.Header != nil {
		s += fmt.Sprintf(" of audit %q", r.Header.AuditTitle)
	}
	return s + "."
}

// loadConflicts rereads the open conflicts.
func (y *syncScreen) loadConflicts() {
	list, err := bundle.Conflicts(context.Background(), y.s.ws)
	if err != nil {
		y.conflictHead.SetText("Conflicts could not be read: " + err.Error())
		return
	}
	y.conflicts = list
	y.selected = -1
	y.conflictList.UnselectAll()
	y.conflictList.Refresh()
	y.keepOurs.Disable()
	y.useTheirs.Disable()
	y.conflictBody.SetText("")
	if len(list) == 0 {
		y.conflictHead.SetText("No open conflicts.")
	} else {
		y.conflictHead.SetText(fmt.Sprintf("%d open conflicts: pick one to compare the versions.", len(list)))
	}
}

// recordName finds a readable name in a record's JSON.
func recordName(raw json.RawMessage) string {
	var m map[string]any
	if json.Unmarshal(raw, &m) != nil {
		return ""
	}
	for _, k := range []string{"name", "tag", "title", "item"} {
		if v, ok := m[k].(string); ok && v != "" {
			return v
		}
	}
	return ""
}

func conflictLine(c bundle.Conflict) string {
	name := recordName(c.Current)
	if name == "" {
		name = recordName(c.Other)
	}
	if name == "" {
		name = c.RecordID
	}
	return fmt.Sprintf("%s %s — other version by %s", c.Kind, name, orUnknown(c.OtherMeta.ChangedBy))
}

func orUnknown(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}

func (y *syncScreen) showConflict(i int) {
	if i < 0 || i >= len(y.conflicts) {
		return
	}
	y.selected = i
	c := y.conflicts[i]
	y.conflictHead.SetText(fmt.Sprintf("%s\nThis laptop: %s at %s%s\nOther: %s at %s%s",
		conflictLine(c),
		orUnknown(c.CurrentMeta.ChangedBy), c.CurrentMeta.Version.Time().Local().Format("2006-01-02 15:04:05"), deletedMark(c.CurrentMeta.Deleted || c.Current == nil),
		orUnknown(c.OtherMeta.ChangedBy), c.OtherMeta.Version.Time().Local().Format("2006-01-02 15:04:05"), deletedMark(c.OtherMeta.Deleted)))
	y.conflictBody.SetText(conflictDiff(c.Current, c.Other))
	y.keepOurs.Enable()
	y.useTheirs.Enable()
}

func deletedMark(d bool) string {
	if d {
		return " (deleted)"
	}
	return ""
}

// conflictDiff lists the fields whose values differ between the versions.
func conflictDiff(ours, theirs json.RawMessage) string {
	var a, b map[string]json.RawMessage
	json.Unmarshal(ours, &a)
	json.Unmarshal(theirs, &b)
	skip := map[string]bool{"version": true, "prev": true, "changed_by": true, "id": true}
	keys := map[string]bool{}
	for k := range a {
		keys[k] = true
	}
	for k := range b {
		keys[k] = true
	}
	var names []string
	for k := range keys {
		if !skip[k] && !bytes.Equal(compactJSON(a[k]), compactJSON(b[k])) {
			names = append(names, k)
		}
	}
	slices.Sort(names)
	if len(names) == 0 {
		return "The versions differ only in their bookkeeping."
	}
	var s strings.Builder
	for _, k := range names {
		fmt.Fprintf(&s, "%s\n  this laptop: %s\n  other:       %s\n\n", k, shownValue(a[k]), shownValue(b[k]))
	}
	return strings.TrimSpace(s.String())
}

func compactJSON(raw json.RawMessage) []byte {
	var b bytes.Buffer
	if len(raw) == 0 || json.Compact(&b, raw) != nil {
		return raw
	}
	return b.Bytes()
}

func shownValue(raw json.RawMessage) string {
	if len(raw) == 0 {
		return "(not set)"
	}
	return string(compactJSON(raw))
}

// resolve settles the selected conflict.
func (y *syncScreen) resolve(how bundle.Resolution) {
	if y.selected < 0 || y.selected >= len(y.conflicts) {
		return
	}
	c := y.conflicts[y.selected]
	if err := bundle.Resolve(context.Background(), y.s.ws, c.ID, how); err != nil {
		y.s.showError(err)
		return
	}
	y.loadConflicts()
	y.s.changed()
}
