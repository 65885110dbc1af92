package bundle

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"aead.dev/minisign"
	"golang.org/x/crypto/blake2b"
)

// SignerInfo is who signed a bundle, read from its signature after the
// signature was checked against the key it names.
type SignerInfo struct {
	KeyInfo
	Signed time.Time `json:"signed"` // from the signed (trusted) comment
}

const commentPrefix = "zonewalk-bundle/"

// sign makes the minisign signature of a bundle whose encrypted bytes
// hash (BLAKE2b-512) to digest: prehashed Ed25519, as `minisign -S` does.
func (k signingKey) sign(digest []byte, when time.Time) []byte {
	info := k.pub.info()
	tc := fmt.Sprintf("%s%d signer:%s time:%d", commentPrefix, FormatVersion, info.PublicKey, when.Unix())
	sig := ed25519.Sign(k.priv, digest)
	cs := ed25519.Sign(k.priv, append(append([]byte(nil), sig...), tc...))
	s := minisign.Signature{
		Algorithm:        minisign.HashEdDSA,
		KeyID:            k.pub.id,
		TrustedComment:   tc,
		UntrustedComment: "zonewalk bundle, key " + info.KeyID,
	}
	copy(s.Signature[:], sig)
	copy(s.CommentSignature[:], cs)
	text, err := s.MarshalText()
	if err != nil {
		panic(err) // the algorithm is set above
	}
	return text
}

// signature is a parsed bundle signature and the key it names.
type signature struct {
	sig    minisign.Signature
	signer pubKey
	signed time.Time
}

func (s signature) info() SignerInfo { return SignerInfo{KeyInfo: s.signer.info(), Signed: s.signed} }

// readSignature reads FILE.minisig and the signer key from its signed
// comment; it does not check the bundle yet.
func readSignature(path string) (signature, error) {
	var s signature
	f, err := os.Open(path)
	if err != nil {
		return s, fmt.Errorf("%w: no signature file %s beside the bundle: %v", ErrSignature, path, err)
	}
	defer f.Close()
	text, err := io.ReadAll(io.LimitReader(f, maxSignatureSize+1))
	if err != nil {
		return s, fmt.Errorf("%w: %s: %v", ErrSignature, path, err)
	}
	return parseSignature(text, path)
}

// parseSignature parses a bundle signature file's text; path is for messages.
func parseSignature(text []byte, path string) (signature, error) {
	var s signature
	if len(text) > maxSignatureSize {
		return s, fmt.Errorf("%w: %s is larger than %d bytes", ErrSignature, path, maxSignatureSize)
	}
	if err := s.sig.UnmarshalText(text); err != nil {
		return s, fmt.Errorf("%w: %s: %v", ErrSignature, path, err)
	}
	// Lines after the untrusted comment must be exactly as minisign writes
	// them, so no change to them (even in base64 padding bits) goes unseen.
	canon, err := s.sig.MarshalText()
	if err != nil || !bytes.Equal(afterFirstLine(canon), afterFirstLine(bytes.ReplaceAll(text, []byte("\r"), nil))) {
		return s, fmt.Errorf("%w: %s is not in canonical minisign form", ErrSignature, path)
	}
	if s.sig.Algorithm != minisign.HashEdDSA {
		return s, fmt.Errorf("%w: %s is a legacy (non-prehashed) signature; Zonewalk bundles are signed prehashed", ErrSignature, path)
	}
	tc := s.sig.TrustedComment
	rest, ok := strings.CutPrefix(tc, commentPrefix)
	if !ok {
		return s, fmt.Errorf("%w: %s is not a Zonewalk bundle signature (trusted comment %q)", ErrSignature, path, tc)
	}
	fields := strings.Fields(rest)
	if len(fields) == 0 {
		return s, fmt.Errorf("%w: %s: trusted comment %q", ErrSignature, path, tc)
	}
	if v, err := strconv.Atoi(fields[0]); err != nil || v < 1 {
		return s, fmt.Errorf("%w: %s: trusted comment %q", ErrSignature, path, tc)
	} else if v > FormatVersion {
		return s, fmt.Errorf("%w (signature format %d, this program reads up to %d)", ErrNewerFormat, v, FormatVersion)
	}
	var haveKey bool
	for _, f := range fields[1:] {
		name, val, _ := strings.Cut(f, ":")
		switch name {
		case "signer":
			k, err := parsePubKey(val)
			if err != nil {
				return s, fmt.Errorf("%w: %s: signer key in trusted comment: %v", ErrSignature, path, err)
			}
			s.signer, haveKey = k, true
		case "time":
			n, err := strconv.ParseInt(val, 10, 64)
			if err != nil {
				return s, fmt.Errorf("%w: %s: time in trusted comment %q", ErrSignature, path, val)
			}
			s.signed = time.Unix(n, 0).UTC()
		}
	}
	if !haveKey {
		return s, fmt.Errorf("%w: %s names no signer key", ErrSignature, path)
	}
	if s.sig.KeyID != s.signer.id {
		return s, fmt.Errorf("%w: %s: signature key ID %016X is not the named signer's %016X", ErrSignature, path, s.sig.KeyID, s.signer.id)
	}
	return s, nil
}

func afterFirstLine(b []byte) []byte {
	_, rest, _ := bytes.Cut(b, []byte("\n"))
	return rest
}

// verifyDigest checks the signature over a bundle whose encrypted bytes
// hash to digest, and the signed comment, as minisign -V does.
func (s signature) verifyDigest(digest []byte) bool {
	pub := s.signer.key
	if !ed25519.Verify(pub, digest, s.sig.Signature[:]) {
		return false
	}
	msg := append(append([]byte(nil), s.sig.Signature[:]...), s.sig.TrustedComment...)
	return ed25519.Verify(pub, msg, s.sig.CommentSignature[:])
}

// hashFile computes BLAKE2b-512 of r, reporting progress.
func hashFile(ctx context.Context, r io.Reader, size int64, stage Stage, progress func(Progress)) ([]byte, error) {
	h, _ := blake2b.New512(nil)
	pr := &progressReader{ctx: ctx, r: r, stage: stage, total: size, fn: progress}
	if _, err := io.CopyBuffer(h, pr, make([]byte, 256<<10)); err != nil {
		return nil, err
	}
	pr.report(true)
	return h.Sum(nil), nil
}

// checkSignature verifies the bundle f against FILE.minisig. want, when
// set, is the only key accepted.
func checkSignature(ctx context.Context, f *os.File, size int64, sigPath string, want *pubKey, progress func(Progress)) (signature, []byte, error) {
	s, err := readSignature(sigPath)
	if err != nil {
		return s, nil, err
	}
	if want != nil && !want.key.Equal(s.signer.key) {
		return s, nil, fmt.Errorf("%w: bundle is signed by key %s (fingerprint %s), not by the expected key %s",
			ErrSignature, s.signer.info().KeyID, s.signer.info().Fingerprint, want.info().KeyID)
	}
	digest, err := hashFile(ctx, io.NewSectionReader(f, 0, size), size, StageSignature, progress)
	if err != nil {
		return s, nil, fmt.Errorf("read bundle: %w", err)
	}
	if !s.verifyDigest(digest) {
		return s, nil, fmt.Errorf("%w: the bundle does not match its signature (changed, damaged or truncated in transit)", ErrSignature)
	}
	return s, digest, nil
}
