package zeek

import (
	"bytes"
	"context"
	"fmt"
	"strconv"
	"sync"
	"testing"
	"time"
)

const benchLines = 1_000_000

var (
	benchOnce           sync.Once
	benchTSV, benchJSON []byte
)

// benchLogs generates a conn.log of a million varied connections in both
// formats, as Zeek writes them (full default columns plus MAC logging).
func benchLogs() ([]byte, []byte) {
	benchOnce.Do(func() {
		var t, j bytes.Buffer
		t.WriteString(connHeader + "#open\t2023-11-14-22-13-20\n" +
			"#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\tduration\torig_bytes\tresp_bytes\tconn_state\tlocal_orig\tlocal_resp\tmissed_bytes\thistory\torig_pkts\torig_ip_bytes\tresp_pkts\tresp_ip_bytes\ttunnel_parents\torig_l2_addr\tresp_l2_addr\n" +
			"#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\tinterval\tcount\tcount\tstring\tbool\tbool\tcount\tstring\tcount\tcount\tcount\tcount\tset[string]\tstring\tstring\n")
		services := []string{"modbus", "dnp3", "-", "ssl,http", "s7comm"}
		protos := []string{"tcp", "tcp", "udp", "tcp", "icmp"}
		for i := range benchLines {
			ts := 1700000000 + i/100
			us := (i * 7919) % 1000000
			uid := "C" + strconv.FormatInt(int64(i)*2654435761%(1<<40), 36) + "aB9x"
			oh := fmt.Sprintf("10.%d.%d.%d", i%4, (i/4)%256, i%250+1)
			rh := fmt.Sprintf("192.168.%d.%d", (i/7)%256, i%200+2)
			op, rp := 1024+i%60000, []int{502, 20000, 102, 44818, 443}[i%5]
			svc, pr := services[i%5], protos[i%5]
			ob, rb, opk, rpk := i%5000, i%9000, i%40+1, i%30
			fmt.Fprintf(&t, "%d.%06d\t%s\t%s\t%d\t%s\t%d\t%s\t%s\t%d.%06d\t%d\t%d\tSF\tT\tF\t0\tShADadFf\t%d\t%d\t%d\t%d\t-\t00:1d:9c:c7:b0:%02x\t00:80:f4:12:34:%02x\n",
				ts, us, uid, oh, op, rh, rp, pr, svc, i%30, us, ob, rb, opk, ob+40*opk, rpk, rb+40*rpk, i%256, (i/256)%256)
			jsvc := `"service":"` + svc + `",`
			if svc == "-" {
				jsvc = ""
			}
			fmt.Fprintf(&j, `{"ts":%d.%06d,"uid":"%s","id.orig_h":"%s","id.orig_p":%d,"id.resp_h":"%s","id.resp_p":%d,"proto":"%s",%s"duration":%d.%06d,"orig_bytes":%d,"resp_bytes":%d,"conn_state":"SF","local_orig":true,"local_resp":false,"missed_bytes":0,"history":"ShADadFf","orig_pkts":%d,"orig_ip_bytes":%d,"resp_pkts":%d,"resp_ip_bytes":%d,"orig_l2_addr":"00:1d:9c:c7:b0:%02x","resp_l2_addr":"00:80:f4:12:34:%02x"}`+"\n",
				ts, us, uid, oh, op, rh, rp, pr, jsvc, i%30, us, ob, rb, opk, ob+40*opk, rpk, rb+40*rpk, i%256, (i/256)%256)
		}
		t.WriteString("#close\t2023-11-15-22-13-20\n")
		benchTSV, benchJSON = t.Bytes(), j.Bytes()
	})
	return benchTSV, benchJSON
}

func benchConn(b *testing.B, name string, data []byte) {
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	var n int64
	h := Handler{Conn: func(c *Conn) error { n += c.OrigBytes; return nil }}
	b.ResetTimer()
	start, cpu := time.Now(), cpuTime()
	for b.Loop() {
		res, err := ReadFile(context.Background(), name, bytes.NewReader(data), h)
		if err != nil || res.Records != benchLines || res.BadLines != 0 {
			b.Fatalf("%+v %v", res, err)
		}
	}
	per := time.Since(start).Seconds() / float64(b.N)
	b.ReportMetric(benchLines/per, "lines/s")
	b.ReportMetric(per, "s/1M-lines")
	if c := cpuTime() - cpu; c > 0 {
		// CPU seconds (GC included) per million lines: wall time on a
		// machine shared with other work overstates the reader's cost.
		b.ReportMetric(c.Seconds()/float64(b.N), "cpu-s/1M-lines")
	}
}

// BenchmarkConnTSV reads a 1,000,000-line TSV conn.log.
func BenchmarkConnTSV(b *testing.B) {
	tsv, _ := benchLogs()
	benchConn(b, "conn.log", tsv)
}

// BenchmarkConnJSON reads the same connections as JSON lines.
func BenchmarkConnJSON(b *testing.B) {
	_, js := benchLogs()
	benchConn(b, "conn.json", js)
}

// BenchmarkConnTSVGzip adds decompression, as rotated logs are stored.
func BenchmarkConnTSVGzip(b *testing.B) {
	tsv, _ := benchLogs()
	benchConn(b, "conn.log.gz", gz(b, tsv))
}
