package bundle_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"aead.dev/minisign"

	"github.com/zonewalk/zonewalk/app/bundle"
	"github.com/zonewalk/zonewalk/app/cli"
)

// zonewalk runs the command line in-process, as the binary would.
func zonewalk(t *testing.T, env map[string]string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	e := &cli.Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Getenv: func(k string) string { return env[k] }}
	code = cli.Run(context.Background(), args, e)
	return code, out.String(), errb.String()
}

func sh(t *testing.T, dir, script string) string {
	t.Helper()
	cmd := exec.Command("sh", "-c", script)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v\n%s", script, err, out)
	}
	return string(out)
}

// TestInteropWithAgeAndMinisign: bundles the CLI writes verify with the
// minisign CLI and decrypt with the age CLI and plain tar, exactly as
// docs/bundle-format.md shows, and the CLI round trip works end to end.
func TestInteropWithAgeAndMinisign(t *testing.T) {
	for _, tool := range []string{"age", "age-keygen", "minisign", "tar", "jq", "sha256sum", "script"} {
		if _, err := exec.LookPath(tool); err != nil {
			// CI installs every tool (.ci/deps.sh): there a missing one is a
			// broken set-up, not a reason to test less.
			if os.Getenv("CI") != "" {
				t.Fatalf("interop test needs %s (Debian packages age, minisign, jq, util-linux)", tool)
			}
			t.Skipf("interop test needs %s (Debian packages age, minisign, jq, util-linux)", tool)
		}
	}
	dir := t.TempDir()
	out := sh(t, dir, "age-keygen -o key.txt 2>&1")
	recipient := regexp.MustCompile(`age1[0-9a-z]+`).FindString(out)
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	if code, _, e := zonewalk(t, nil, "demo", "--workspace", a); code != 0 {
		t.Fatal(e)
	}
	if code, _, e := zonewalk(t, nil, "keys", "team", "--workspace", a, "--recipient", recipient); code != 0 {
		t.Fatal(e)
	}
	code, pub, info := zonewalk(t, nil, "keys", "show", "--workspace", a)
	if code != 0 || strings.Count(pub, "\n") != 2 || !strings.Contains(info, "fingerprint") || !strings.Contains(info, recipient) {
		t.Fatalf("keys show: %d\n%s\n%s", code, pub, info)
	}
	pubLine := strings.Split(pub, "\n")[1]
	fingerprint := regexp.MustCompile(`fingerprint ([0-9a-f ]{39})`).FindStringSubmatch(info)[1]
	os.WriteFile(filepath.Join(dir, "a.pub"), []byte(pub), 0o644)
	file := filepath.Join(dir, "audit.zwb")
	if code, o, e := zonewalk(t, nil, "export", "--workspace", a, "--out", file); code != 0 || !strings.Contains(o, "1 recipient") {
		t.Fatalf("export: %d %s %s", code, o, e)
	}

	// The courier's check, both ways of giving the key.
	for _, v := range []string{"minisign -Vm audit.zwb -p a.pub", "minisign -Vm audit.zwb -P " + pubLine} {
		if o := sh(t, dir, v); !strings.Contains(o, "Signature and comment signature verified") || !strings.Contains(o, "Trusted comment: zonewalk-bundle/"+strconv.Itoa(bundle.FormatVersion)+" signer:"+pubLine) {
			t.Fatalf("%s:\n%s", v, o)
		}
	}
	// The library's own streaming verifier agrees.
	pk, err := minisign.PublicKeyFromFile(filepath.Join(dir, "a.pub"))
	if err != nil {
		t.Fatal(err)
	}
	sig, _ := os.ReadFile(file + ".minisig")
	buf, _ := os.ReadFile(file)
	r := minisign.NewReader(bytes.NewReader(buf))
	if _, err := bytes.NewBuffer(nil).ReadFrom(r); err != nil || !r.Verify(pk, sig) {
		t.Fatal("aead.dev/minisign does not verify the bundle")
	}

	// The team member's look inside, with age and tar only.
	list := strings.Fields(sh(t, dir, "age -d -i key.txt audit.zwb | tar t"))
	if list[0] != "zonewalk-bundle.json" || list[len(list)-1] != "manifest.json" {
		t.Fatalf("tar t: %v", list)
	}
	sh(t, dir, "mkdir out && age -d -i key.txt audit.zwb | tar x -C out")
	if o := sh(t, filepath.Join(dir, "out"), `jq -r '.members[] | "\(.sha256)  \(.name)"' manifest.json | sha256sum -c`); strings.Contains(o, "FAILED") {
		t.Fatal(o)
	}
	var man struct {
		Members []struct{ Name, SHA256 string }
		Records map[string]int
	}
	mb, _ := os.ReadFile(filepath.Join(dir, "out", "manifest.json"))
	if err := json.Unmarshal(mb, &man); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, m := range man.Members {
		names = append(names, m.Name)
		data, _ := os.ReadFile(filepath.Join(dir, "out", m.Name))
		if s := sha256.Sum256(data); hex.EncodeToString(s[:]) != m.SHA256 {
			t.Fatalf("%s: hash differs from the manifest", m.Name)
		}
	}
	if !slices.Equal(append(names, "manifest.json"), list) || man.Records["asset"] < 50 {
		t.Fatalf("members %v, tar lists %v, records %v", names, list, man.Records)
	}

	// Zonewalk's own check, then the import: refused until the key is trusted.
	if code, o, e := zonewalk(t, nil, "verify", file, "--signer", filepath.Join(dir, "a.pub"), "--identity", filepath.Join(dir, "key.txt")); code != 0 || !strings.Contains(o, "contents OK") {
		t.Fatalf("verify: %d %s %s", code, o, e)
	}
	code, _, e := zonewalk(t, nil, "import", "--workspace", b, "--create", "--unencrypted", file, "--identity", filepath.Join(dir, "key.txt"))
	if code != 1 || !strings.Contains(e, fingerprint) || !strings.Contains(e, "--trust") {
		t.Fatalf("untrusted import: %d %s", code, e)
	}
	if _, err := os.Stat(b); !os.IsNotExist(err) {
		t.Fatal("refused --create left a workspace behind")
	}
	code, o, e := zonewalk(t, nil, "import", "--workspace", b, "--create", "--unencrypted", file, "--identity", filepath.Join(dir, "key.txt"), "--trust", filepath.Join(dir, "a.pub"))
	if code != 0 || !strings.Contains(o, "added") {
		t.Fatalf("import: %d %s %s", code, o, e)
	}
	_, la, _ := zonewalk(t, nil, "assets", "list", "--workspace", a, "--format", "csv")
	_, lb, _ := zonewalk(t, nil, "assets", "list", "--workspace", b, "--format", "csv")
	if la != lb || len(la) < 1000 {
		t.Fatalf("asset lists differ after the CLI round trip (%d vs %d bytes)", len(la), len(lb))
	}
	// The team identity kept in b opens bundles without --identity.
	if code, _, e := zonewalk(t, nil, "keys", "team", "--workspace", b, "--identity", filepath.Join(dir, "key.txt")); code != 0 {
		t.Fatal(e)
	}
	inc := filepath.Join(dir, "inc.zwb")
	if code, o, e := zonewalk(t, nil, "export", "--workspace", a, "--out", inc, "--since-last"); code != 0 || !strings.Contains(o, "changes since") {
		t.Fatalf("incremental export: %d %s %s", code, o, e)
	}
	if code, o, e := zonewalk(t, nil, "import", "--workspace", b, inc); code != 0 {
		t.Fatalf("import with the kept team identity: %d %s %s", code, o, e)
	}
	if code, o, _ := zonewalk(t, nil, "conflicts", "list", "--workspace", b); code != 0 || !strings.HasPrefix(o, "CONFLICT") {
		t.Fatalf("conflicts list: %d %s", code, o)
	}

	// A passphrase bundle opens with the age CLI (which reads the
	// passphrase only from a terminal: script gives it one).
	env := map[string]string{"ZONEWALK_BUNDLE_PASSPHRASE": "correct horse battery staple"}
	if code, o, e := zonewalk(t, env, "export", "--workspace", a, "--out", filepath.Join(dir, "pass.zwb")); code != 0 || !strings.Contains(o, "a passphrase") {
		t.Fatalf("passphrase export: %d %s %s", code, o, e)
	}
	sh(t, dir, `printf 'correct horse battery staple\n' | script -qec "age -d -o pass.tar pass.zwb" /dev/null`)
	if got := strings.Fields(sh(t, dir, "tar tf pass.tar")); !slices.Equal(got, list) {
		t.Fatalf("passphrase bundle lists %v", got)
	}
	if code, _, e := zonewalk(t, map[string]string{"ZONEWALK_BUNDLE_PASSPHRASE": "wrong"}, "verify", filepath.Join(dir, "pass.zwb")); code != 1 || !strings.Contains(e, "wrong passphrase") {
		t.Fatalf("verify with a wrong passphrase: %d %s", code, e)
	}
}
