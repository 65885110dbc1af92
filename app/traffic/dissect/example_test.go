package dissect_test

import (
	"fmt"

	"github.com/zonewalk/zonewalk/app/traffic/dissect"
)

func ExampleDissect() {
	// One TCP segment to port 502 holding two Modbus/TCP requests: read 10
	// holding registers, then write register 16.
	segment := []byte{
		0x00, 0x01, 0x00, 0x00, 0x00, 0x06, 0x01, 0x03, 0x00, 0x00, 0x00, 0x0a,
		0x00, 0x02, 0x00, 0x00, 0x00, 0x06, 0x01, 0x06, 0x00, 0x10, 0x00, 0xff,
	}
	protocol := dissect.ByPort(dissect.TCP, 502)
	protocol = dissect.Dissect(protocol, segment, true, func(op dissect.Op) {
		fmt.Printf("%s: %s (%s)\n", op.Protocol, op.Name, op.Kind)
	})
	fmt.Println("flow:", protocol)
	// Output:
	// modbus: read holding registers (read)
	// modbus: write single register (write)
	// flow: modbus
}

func ExampleEtherFrame() {
	// A PROFINET DCP identify request (frame ID 0xfefe), as an engineering
	// tool sends it to find devices.
	frame := []byte{0xfe, 0xfe, 0x05, 0x00, 0, 0, 0, 1, 0x00, 0x01, 0x00, 0x04, 0xff, 0xff, 0x00, 0x00}
	protocol := dissect.EtherFrame(0x8892, frame, func(op dissect.Op) {
		fmt.Printf("%s: %s (%s)\n", op.Protocol, op.Name, op.Kind)
	})
	fmt.Println("frame:", protocol)
	// Output:
	// profinet-dcp: identify (identify)
	// frame: profinet-dcp
}
