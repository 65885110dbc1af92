package zeek_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/zonewalk/zonewalk/app/traffic/zeek"
)

func ExampleReadFile() {
	log := "#separator \\x09\n#unset_field\t-\n#path\tconn\n" +
		"#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\n" +
		"1700000000.25\tCx1\t10.0.0.5\t49152\t10.0.0.10\t502\ttcp\tmodbus\n" +
		"1700000001.5\tCx2\t10.0.0.5\t49153\t10.0.0.11\t102\ttcp\t-\n" +
		"oops\n"
	res, err := zeek.ReadFile(context.Background(), "conn.log", strings.NewReader(log), zeek.Handler{
		Conn: func(c *zeek.Conn) error {
			fmt.Printf("%s %s %v -> %v:%d %s %q\n", c.TS.Format("15:04:05.00"), c.UID, c.OrigH, c.RespH, c.RespP, c.Proto, c.Service)
			return nil
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.LogType, res.Format, res.Records, "records,", res.BadLines, "bad:", res.FirstBad)
	// Output:
	// 22:13:20.25 Cx1 10.0.0.5 -> 10.0.0.10:502 tcp "modbus"
	// 22:13:21.50 Cx2 10.0.0.5 -> 10.0.0.11:102 tcp ""
	// conn tsv 2 records, 1 bad: line 7: 1 fields, the #fields header names 8
}

func ExampleReadFile_operations() {
	log := `{"_path":"modbus","ts":"2023-11-14T22:13:20.5Z","uid":"Cx1","id.orig_h":"10.0.0.5","id.orig_p":49152,"id.resp_h":"10.0.0.10","id.resp_p":502,"func":"WRITE_MULTIPLE_REGISTERS","pdu_type":"REQ"}` + "\n"
	_, err := zeek.ReadFile(context.Background(), "modbus.json", strings.NewReader(log), zeek.Handler{
		Op: func(o zeek.Op) error {
			fmt.Println(o.UID, o.Op.Protocol, o.Op.Name, o.Op.Kind)
			return nil
		},
	})
	if err != nil {
		fmt.Println(err)
	}
	// Output:
	// Cx1 modbus write multiple registers write
}
