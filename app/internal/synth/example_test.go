package synth_test

import (
	"fmt"
	"io"

	"github.com/zonewalk/zonewalk/app/internal/synth"
)

func ExampleWritePcap() {
	flows, err := synth.WritePcap(io.Discard, synth.Options{Scenario: "small"})
	if err != nil {
		panic(err)
	}
	for _, f := range flows[:4] {
		fmt.Println(f.Client, "→", f.Server, f.ServerPort, f.Protocol, f.Packets, f.Ops)
	}
	// Output:
	// 10.2.1.10 → 10.1.1.10 502 modbus 14 [read holding registers read input registers write multiple registers write single register]
	// 10.2.1.20 → 10.1.1.20 102 s7comm 16 [plc stop read variable setup communication write variable]
	// 10.2.1.10 → 10.1.1.30 20000 dnp3 10 [direct operate read]
	// 10.4.1.50 → 10.1.1.10 502 modbus 8 [read holding registers]
}
