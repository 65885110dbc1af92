package dissect

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// Golden flows: testdata/golden/*.flow replay a hand-written exchange through
// Dissect (or EtherFrame) and compare with operations listed by hand. Lines:
//
//	protocol NAME          the name the flow starts with (from ByPort; none: "")
//	> HEX | HEX            a payload from the client ('<' from the server)
//	ether TYPE HEX         a non-IP frame: EtherType and the bytes after it
//	= PROTOCOL / NAME / KIND   an operation the payload above must yield, in order
//	now NAME               the protocol Dissect must have returned by now
//	# ...                  comment; "//" starts a comment inside a hex line
//
// The protocol returned by each Dissect call is carried to the next, as a
// flow table would.
func TestGolden(t *testing.T) {
	files, _ := filepath.Glob("testdata/golden/*.flow")
	if len(files) == 0 {
		t.Fatal("no golden flows")
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) { runGolden(t, file) })
	}
}

type goldenStep struct {
	line     int
	toServer bool
	ether    int // -1 for a transport payload
	payload  []byte
	want     []Op
}

func runGolden(t *testing.T, file string) {
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	protocol := ""
	var step *goldenStep
	flush := func() {
		if step == nil {
			return
		}
		var got []Op
		emit := func(o Op) { got = append(got, o) }
		if step.ether >= 0 {
			EtherFrame(uint16(step.ether), step.payload, emit)
		} else {
			protocol = Dissect(protocol, step.payload, step.toServer, emit)
		}
		if !reflect.DeepEqual(got, step.want) {
			t.Errorf("%s:%d: ops\n got %v\nwant %v", file, step.line, got, step.want)
		}
		step = nil
	}
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "" || strings.HasPrefix(line, "#"):
		case line == "protocol" || strings.HasPrefix(line, "protocol "):
			flush()
			protocol = strings.TrimSpace(strings.TrimPrefix(line, "protocol"))
		case strings.HasPrefix(line, ">"), strings.HasPrefix(line, "<"):
			flush()
			step = &goldenStep{line: n, toServer: line[0] == '>', ether: -1, payload: h(line[1:])}
		case strings.HasPrefix(line, "ether "):
			flush()
			fields := strings.SplitN(line, " ", 3)
			et, err := strconv.ParseUint(fields[1], 16, 16)
			if err != nil || len(fields) < 3 {
				t.Fatalf("%s:%d: bad ether line", file, n)
			}
			step = &goldenStep{line: n, ether: int(et), payload: h(fields[2])}
		case strings.HasPrefix(line, "="):
			if step == nil {
				t.Fatalf("%s:%d: operation without a payload", file, n)
			}
			op, err := parseOp(line[1:])
			if err != nil {
				t.Fatalf("%s:%d: %v", file, n, err)
			}
			step.want = append(step.want, op)
		case strings.HasPrefix(line, "now "):
			flush()
			if want := strings.TrimSpace(line[4:]); protocol != want {
				t.Errorf("%s:%d: protocol %q, want %q", file, n, protocol, want)
			}
		default:
			t.Fatalf("%s:%d: unknown line %q", file, n, line)
		}
	}
	flush()
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
}

func parseOp(s string) (Op, error) {
	parts := strings.Split(s, "/")
	if len(parts) < 3 {
		return Op{}, fmt.Errorf("operation %q: want PROTOCOL / NAME / KIND", s)
	}
	// The name may itself hold a '/' ("read/write multiple registers").
	proto := strings.TrimSpace(parts[0])
	kind := strings.TrimSpace(parts[len(parts)-1])
	name := strings.TrimSpace(strings.Join(parts[1:len(parts)-1], "/"))
	for k := Other; k <= File; k++ {
		if k.String() == kind {
			return Op{proto, name, k}, nil
		}
	}
	return Op{}, fmt.Errorf("operation %q: unknown kind %q", s, kind)
}
