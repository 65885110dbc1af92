package bundle

import (
	"errors"
	"fmt"
)

var (
	// ErrSignature: the signature is missing, malformed or does not match
	// the bundle (changed or damaged in transit).
	ErrSignature = errors.New("bundle signature check failed")
	// ErrUntrustedSigner: the bundle is correctly signed by a key this
	// workspace does not trust. The error is an *UntrustedSignerError.
	ErrUntrustedSigner = errors.New("bundle is signed by a key this workspace does not trust")
	// ErrDecrypt: no passphrase or identity given opens the bundle.
	ErrDecrypt = errors.New("cannot decrypt bundle")
	// ErrMalformed: the decrypted bundle breaks the format (a *MemberError
	// says which member and why).
	ErrMalformed = errors.New("bundle content is invalid")
	// ErrTooLarge: a member, record or the whole bundle exceeds a limit.
	ErrTooLarge = errors.New("bundle exceeds a size limit")
	// ErrForeignAudit: the bundle belongs to another audit.
	ErrForeignAudit = errors.New("bundle belongs to a different audit")
	// ErrNewerFormat: the bundle was written by a newer Zonewalk.
	ErrNewerFormat = errors.New("bundle was written by a newer version of Zonewalk")
	// ErrNoRecipient: an export needs a passphrase or at least one recipient.
	ErrNoRecipient = errors.New("no passphrase or recipient to encrypt the bundle to")
	// ErrMixedEncryption: age cannot encrypt to a passphrase and to
	// recipients at once.
	ErrMixedEncryption = errors.New("a bundle is encrypted either to a passphrase or to recipients, not both")
	// ErrBadKey: a public key, recipient or identity does not parse.
	ErrBadKey = errors.New("invalid key")
	// ErrFutureStamp: a record is stamped further ahead of this laptop's
	// clock than the import allows (a wrong clock on the laptop that made
	// it); taking it would drag every later local edit along.
	ErrFutureStamp = errors.New("bundle holds a version stamp too far in the future")
	// ErrNoConflict: no open conflict with that ID.
	ErrNoConflict = errors.New("no such open conflict")
)

// UntrustedSignerError carries what the user needs to decide whether to
// trust the signer: its key and fingerprint.
type UntrustedSignerError struct {
	Signer SignerInfo
}

func (e *UntrustedSignerError) Error() string {
	return fmt.Sprintf("%v: key %s, fingerprint %s (public key %s); if you know this is your colleague's key, import again with --trust %s",
		ErrUntrustedSigner, e.Signer.KeyID, e.Signer.Fingerprint, e.Signer.PublicKey, e.Signer.PublicKey)
}

func (e *UntrustedSignerError) Unwrap() error { return ErrUntrustedSigner }

// MemberError says which member of a bundle is wrong, and how.
type MemberError struct {
	Member string // archive member name, or "" for the archive as a whole
	Line   int    // line within a records member, 0 if not applicable
	Err    error  // ErrMalformed or ErrTooLarge, wrapped with the reason
}

func (e *MemberError) Error() string {
	switch {
	case e.Member == "":
		return e.Err.Error()
	case e.Line > 0:
		return fmt.Sprintf("member %s line %d: %v", e.Member, e.Line, e.Err)
	}
	return fmt.Sprintf("member %s: %v", e.Member, e.Err)
}

func (e *MemberError) Unwrap() error { return e.Err }

func malformed(member string, line int, format string, args ...any) error {
	return &MemberError{Member: member, Line: line, Err: fmt.Errorf("%w: %s", ErrMalformed, fmt.Sprintf(format, args...))}
}

func tooLarge(member string, format string, args ...any) error {
	return &MemberError{Member: member, Err: fmt.Errorf("%w: %s", ErrTooLarge, fmt.Sprintf(format, args...))}
}
