package demo

import (
	"io"

	"github.com/zonewalk/zonewalk/app/internal/synth"
)

// WriteSampleCapture writes a small capture (pcap) of a plant whose
// addresses partly match the demo audit: some hosts are its assets, the
// rest are hosts to decide on, and one Modbus flow crosses zones that no
// conduit joins. For trying and testing `traffic import` and the Traffic
// screen.
func WriteSampleCapture(w io.Writer) error {
	_, err := synth.WritePcap(w, synth.Options{Scenario: "small"})
	return err
}
