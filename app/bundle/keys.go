package bundle

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"aead.dev/minisign"
	"filippo.io/age"
	"golang.org/x/crypto/blake2b"

	"github.com/zonewalk/zonewalk/app"
	"github.com/zonewalk/zonewalk/store"
)

// Local settings (never exported) this package keeps in a workspace.
const (
	settingDeviceKey     = "bundle/device-key"      // Ed25519 seed, 32 bytes
	settingTrusted       = "bundle/trusted-signers" // JSON []trustEntry
	settingTeamRecipient = "bundle/team-recipient"  // age1…
	settingTeamIdentity  = "bundle/team-identity"   // AGE-SECRET-KEY-1…
	settingFloor         = "bundle/export-floor"    // JSON assets.Stamp
)

// KeyInfo describes a signing public key.
type KeyInfo struct {
	// PublicKey is the key as the second line of a minisign .pub file
	// (base64), the form --trust and --signer take.
	PublicKey string `json:"public_key"`
	// KeyID is minisign's 64-bit key ID as 16 hex digits.
	KeyID string `json:"key_id"`
	// Fingerprint is for comparing keys by phone or in person: the first
	// 16 bytes of SHA-256 of the Ed25519 key in groups of 4 hex digits.
	Fingerprint string `json:"fingerprint"`
}

// PubFile is the key as a minisign public-key file (two lines), ready to
// save as KEY.pub for `minisign -Vm FILE -p KEY.pub`.
func (k KeyInfo) PubFile() string {
	pk, err := parseMinisignKey(k.PublicKey)
	if err != nil {
		return ""
	}
	b, _ := pk.MarshalText()
	return string(b) + "\n"
}

// pubKey is a parsed signing public key.
type pubKey struct {
	id  uint64
	key ed25519.PublicKey
}

func (p pubKey) info() KeyInfo {
	var raw [2 + 8 + ed25519.PublicKeySize]byte
	binary.LittleEndian.PutUint16(raw[:2], minisign.EdDSA)
	binary.LittleEndian.PutUint64(raw[2:10], p.id)
	copy(raw[10:], p.key)
	sum := sha256.Sum256(p.key)
	hexed := hex.EncodeToString(sum[:16])
	groups := make([]string, 0, 8)
	for i := 0; i < len(hexed); i += 4 {
		groups = append(groups, hexed[i:i+4])
	}
	return KeyInfo{PublicKey: base64.StdEncoding.EncodeToString(raw[:]), KeyID: fmt.Sprintf("%016X", p.id), Fingerprint: strings.Join(groups, " ")}
}

func parseMinisignKey(s string) (minisign.PublicKey, error) {
	var pk minisign.PublicKey
	if err := pk.UnmarshalText([]byte(strings.TrimSpace(s))); err != nil {
		return pk, fmt.Errorf("%w: public key: %v", ErrBadKey, err)
	}
	return pk, nil
}

// parsePubKey accepts a public key as its base64 line or as the whole
// two-line .pub file text.
func parsePubKey(s string) (pubKey, error) {
	pk, err := parseMinisignKey(s)
	if err != nil {
		return pubKey{}, err
	}
	raw, err := base64.StdEncoding.DecodeString(pk.String())
	if err != nil || len(raw) != 2+8+ed25519.PublicKeySize {
		return pubKey{}, fmt.Errorf("%w: public key does not decode", ErrBadKey)
	}
	return pubKey{id: pk.ID(), key: ed25519.PublicKey(raw[10:])}, nil
}

// ParsePublicKey reads a signer's public key given as its base64 line, as
// the text of a .pub file, or as the path of a .pub file.
func ParsePublicKey(s string) (KeyInfo, error) {
	if b, err := os.ReadFile(s); err == nil && len(b) < 4096 {
		s = string(b)
	}
	p, err := parsePubKey(s)
	if err != nil {
		return KeyInfo{}, err
	}
	return p.info(), nil
}

// signingKey is a workspace's device key.
type signingKey struct {
	priv ed25519.PrivateKey
	pub  pubKey
}

func newSigningKey(seed []byte) (signingKey, error) {
	if len(seed) != ed25519.SeedSize {
		return signingKey{}, fmt.Errorf("%w: stored device key has %d bytes", store.ErrCorrupt, len(seed))
	}
	priv := ed25519.NewKeyFromSeed(seed)
	pub := priv.Public().(ed25519.PublicKey)
	// As minisign's library does: the key ID is derived from the key.
	sum := blake2b.Sum256(pub)
	return signingKey{priv: priv, pub: pubKey{id: binary.LittleEndian.Uint64(sum[:8]), key: pub}}, nil
}

// deviceKey returns the workspace's signing key, making it on first use.
func deviceKey(ctx context.Context, st *store.Store) (signingKey, error) {
	// Read first: a workspace opened read-only (a full disk) still has its key.
	if seed, err := st.Setting(settingDeviceKey); err == nil {
		return newSigningKey(seed)
	}
	var seed []byte
	err := st.Update(ctx, func(tx *store.Tx) error {
		v, err := tx.Setting(settingDeviceKey)
		if err == nil {
			seed = v
			return nil
		}
		if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		seed = make([]byte, ed25519.SeedSize)
		if _, err := rand.Read(seed); err != nil {
			return err
		}
		tx.PutSetting(settingDeviceKey, seed)
		return nil
	})
	if err != nil {
		return signingKey{}, fmt.Errorf("device signing key: %w", err)
	}
	return newSigningKey(seed)
}

// DeviceKey returns this workspace's signing public key, making the key on
// first use. Its private half never leaves the workspace.
func DeviceKey(ctx context.Context, w *app.Workspace) (KeyInfo, error) {
	k, err := deviceKey(ctx, w.Store())
	if err != nil {
		return KeyInfo{}, err
	}
	return k.pub.info(), nil
}

// TrustedSigner is a key whose bundles this workspace imports.
type TrustedSigner struct {
	KeyInfo
	Note  string    `json:"note,omitempty"`
	Added time.Time `json:"added"`
}

type trustEntry struct {
	PublicKey string    `json:"public_key"`
	Note      string    `json:"note,omitempty"`
	Added     time.Time `json:"added"`
}

func readTrust(get func(string) ([]byte, error)) ([]trustEntry, error) {
	b, err := get(settingTrusted)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var list []trustEntry
	if err := json.Unmarshal(b, &list); err != nil {
		return nil, fmt.Errorf("%w: trusted signers setting: %v", store.ErrCorrupt, err)
	}
	return list, nil
}

// addTrust stages keys into the trusted list; keys already there are kept.
func addTrust(tx *store.Tx, keys []pubKey, note string) error {
	list, err := readTrust(tx.Setting)
	if err != nil {
		return err
	}
	changed := false
	for _, k := range keys {
		pk := k.info().PublicKey
		if slices.ContainsFunc(list, func(e trustEntry) bool { return e.PublicKey == pk }) {
			continue
		}
		list = append(list, trustEntry{PublicKey: pk, Note: note, Added: time.Now().UTC().Truncate(time.Second)})
		changed = true
	}
	if changed {
		b, _ := json.Marshal(list)
		tx.PutSetting(settingTrusted, b)
	}
	return nil
}

// Trust adds a signer's public key (base64 line, .pub text or .pub path)
// to the workspace's trusted signers. The note says whose key it is.
func Trust(ctx context.Context, w *app.Workspace, publicKey, note string) (KeyInfo, error) {
	info, err := ParsePublicKey(publicKey)
	if err != nil {
		return info, err
	}
	k, _ := parsePubKey(info.PublicKey)
	err = w.Store().Update(ctx, func(tx *store.Tx) error { return addTrust(tx, []pubKey{k}, note) })
	return info, err
}

// Untrust removes a key from the trusted signers.
func Untrust(ctx context.Context, w *app.Workspace, publicKey string) error {
	info, err := ParsePublicKey(publicKey)
	if err != nil {
		return err
	}
	return w.Store().Update(ctx, func(tx *store.Tx) error {
		list, err := readTrust(tx.Setting)
		if err != nil {
			return err
		}
		n := len(list)
		list = slices.DeleteFunc(list, func(e trustEntry) bool { return e.PublicKey == info.PublicKey })
		if len(list) == n {
			return fmt.Errorf("key %s is not a trusted signer: %w", info.KeyID, store.ErrNotFound)
		}
		b, _ := json.Marshal(list)
		tx.PutSetting(settingTrusted, b)
		return nil
	})
}

// TrustedSigners lists the keys this workspace accepts bundles from,
// besides its own.
func TrustedSigners(w *app.Workspace) ([]TrustedSigner, error) {
	list, err := readTrust(w.Store().Setting)
	if err != nil {
		return nil, err
	}
	out := make([]TrustedSigner, 0, len(list))
	for _, e := range list {
		k, err := parsePubKey(e.PublicKey)
		if err != nil {
			return nil, fmt.Errorf("%w: trusted signers setting: %v", store.ErrCorrupt, err)
		}
		out = append(out, TrustedSigner{KeyInfo: k.info(), Note: e.Note, Added: e.Added})
	}
	return out, nil
}

// isTrusted reports whether the store accepts bundles signed by k: its own
// device key or a trusted signer.
func isTrusted(st *store.Store, k pubKey) (bool, error) {
	seed, err := st.Setting(settingDeviceKey)
	if err == nil {
		own, err := newSigningKey(seed)
		if err != nil {
			return false, err
		}
		if own.pub.key.Equal(k.key) {
			return true, nil
		}
	} else if !errors.Is(err, store.ErrNotFound) {
		return false, err
	}
	list, err := readTrust(st.Setting)
	if err != nil {
		return false, err
	}
	pk := k.info().PublicKey
	return slices.ContainsFunc(list, func(e trustEntry) bool { return e.PublicKey == pk }), nil
}

// IsTrusted reports whether the workspace imports bundles from this signer
// without asking: its own key or a trusted signer.
func IsTrusted(w *app.Workspace, signer KeyInfo) (bool, error) {
	k, err := parsePubKey(signer.PublicKey)
	if err != nil {
		return false, err
	}
	return isTrusted(w.Store(), k)
}

// Team returns the team's age recipient ("" if none is set) and whether the
// workspace also holds the team's identity (so imports need no key file).
func Team(w *app.Workspace) (recipient string, hasIdentity bool, err error) {
	st := w.Store()
	r, err := st.Setting(settingTeamRecipient)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return "", false, err
	}
	_, ierr := st.Setting(settingTeamIdentity)
	if ierr != nil && !errors.Is(ierr, store.ErrNotFound) {
		return "", false, ierr
	}
	return string(r), ierr == nil, nil
}

// SetTeamRecipient sets the age recipient (age1…) every export is
// encrypted to unless told otherwise; "" removes it.
func SetTeamRecipient(ctx context.Context, w *app.Workspace, recipient string) error {
	recipient = strings.TrimSpace(recipient)
	if recipient != "" {
		if _, err := age.ParseX25519Recipient(recipient); err != nil {
			return fmt.Errorf("%w: team recipient: %v", ErrBadKey, err)
		}
	}
	return w.Store().Update(ctx, func(tx *store.Tx) error {
		tx.PutSetting(settingTeamRecipient, []byte(recipient))
		return nil
	})
}

// SetTeamIdentity stores the team's age identity (AGE-SECRET-KEY-1…, from
// an age-keygen file) in the workspace, encrypted with it, so imports of
// bundles sent to the team need no key file; it also sets the team
// recipient to the identity's public key, which it returns.
func SetTeamIdentity(ctx context.Context, w *app.Workspace, identityFile []byte) (string, error) {
	ids, err := age.ParseIdentities(strings.NewReader(string(identityFile)))
	if err != nil {
		return "", fmt.Errorf("%w: team identity: %v", ErrBadKey, err)
	}
	if len(ids) != 1 {
		return "", fmt.Errorf("%w: team identity file holds %d keys, want 1", ErrBadKey, len(ids))
	}
	x, ok := ids[0].(*age.X25519Identity)
	if !ok {
		return "", fmt.Errorf("%w: team identity must be an X25519 key (age-keygen without -pq)", ErrBadKey)
	}
	r := x.Recipient().String()
	err = w.Store().Update(ctx, func(tx *store.Tx) error {
		tx.PutSetting(settingTeamIdentity, []byte(x.String()))
		tx.PutSetting(settingTeamRecipient, []byte(r))
		return nil
	})
	return r, err
}

// ReadIdentityFile parses an age identity file (age-keygen output).
func ReadIdentityFile(path string) ([]age.Identity, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("identity file: %w", err)
	}
	defer f.Close()
	ids, err := age.ParseIdentities(f)
	if err != nil {
		return nil, fmt.Errorf("%w: identity file %s: %v", ErrBadKey, path, err)
	}
	return ids, nil
}
