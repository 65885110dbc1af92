// Command synthgen writes a synthetic plant capture, or the Zeek logs of the
// same traffic, for benchmarks and manual tests:
//
//	go run ./app/internal/synth/synthgen -hosts 5000 -bytes 1073741824 -pcap big.pcap
//	go run ./app/internal/synth/synthgen -scenario small -zeek logs/
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"

	"github.com/zonewalk/zonewalk/app/internal/synth"
)

func main() {
	var o synth.Options
	flag.Int64Var(&o.Seed, "seed", 1, "random seed: the same seed writes the same bytes")
	flag.IntVar(&o.Hosts, "hosts", 200, "hosts of the plant (20 to 40,000)")
	flag.Int64Var(&o.Bytes, "bytes", 8<<20, "size of the capture to write, about")
	flag.StringVar(&o.Scenario, "scenario", "", `"small" for ten fixed flows, else the plant`)
	pcapPath := flag.String("pcap", "", "write the capture here")
	zeekDir := flag.String("zeek", "", "write conn.log and modbus.log of the same traffic into this folder")
	flag.Parse()
	if *pcapPath == "" && *zeekDir == "" {
		fmt.Fprintln(os.Stderr, "synthgen: want -pcap FILE and/or -zeek DIR")
		os.Exit(2)
	}
	if *pcapPath != "" {
		f, err := os.Create(*pcapPath)
		check(err)
		w := bufio.NewWriterSize(f, 1<<20)
		flows, err := synth.WritePcap(w, o)
		check(err)
		check(w.Flush())
		check(f.Close())
		fmt.Printf("%s: %d flows\n", *pcapPath, len(flows))
	}
	if *zeekDir != "" {
		check(os.MkdirAll(*zeekDir, 0o755))
		flows, err := synth.WriteZeek(*zeekDir, o)
		check(err)
		fmt.Printf("%s: %d flows\n", *zeekDir, len(flows))
	}
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "synthgen:", err)
		os.Exit(1)
	}
}
