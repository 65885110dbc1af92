package report

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zonewalk/zonewalk/app/demo"
	"github.com/zonewalk/zonewalk/app/internal/synth"
)

// A demo audit with a capture imported gets the section "Observed
// communication": sources, the zone matrix, undeclared flows with what they
// did, and the hosts not decided on; without traffic there is no section.
func TestObservedCommunicationSection(t *testing.T) {
	ctx := context.Background()
	w, err := demo.Create(ctx, filepath.Join(t.TempDir(), "ws"), "tester")
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	plain := filepath.Join(t.TempDir(), "plain.pdf")
	if _, err := WriteFile(ctx, w, plain, Options{Date: fixedDate, NoZoneDiagrams: true}, nil); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(pdfToText(t, plain), "Observed communication") {
		t.Error("a report without imported traffic has the section")
	}

	capture := filepath.Join(t.TempDir(), "span.pcap")
	f, _ := os.Create(capture)
	if _, err := synth.WritePcap(f, synth.Options{Scenario: "small"}); err != nil {
		t.Fatal(err)
	}
	f.Close()
	if _, err := w.ImportTraffic(ctx, []string{capture}, nil); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "traffic.pdf")
	if _, err := WriteFile(ctx, w, path, Options{Date: fixedDate, NoZoneDiagrams: true}, nil); err != nil {
		t.Fatal(err)
	}
	qpdfCheck(t, path)
	keep(t, path, "traffic.pdf")
	flat := strings.Join(strings.Fields(pdfToText(t, path)), " ")
	mustContain(t, flat, "Observed communication", "span.pcap", "Zones against zones", "Traffic the model does not declare",
		"write multiple registers", "no conduit", "Hosts seen that are not in the inventory", "10.4.1.51", "Hewlett Packard",
		"hosts seen on the network are in no asset of the inventory", "Traffic seen where no conduit is declared")
}
