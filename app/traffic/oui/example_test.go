package oui_test

import (
	"fmt"

	"github.com/zonewalk/zonewalk/app/traffic/oui"
)

func ExampleVendor() {
	plc := [6]byte{0x00, 0x0e, 0x8c, 0x8a, 0x10, 0x01}
	fmt.Println(oui.Vendor(plc))
	// A locally administered address names no vendor.
	fmt.Printf("%q\n", oui.Vendor([6]byte{0x02, 0x42, 0xac, 0x11, 0x00, 0x02}))
	// Output:
	// Siemens AG
	// ""
}
