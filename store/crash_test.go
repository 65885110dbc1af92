package store

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/zonewalk/zonewalk/assets"
)

// TestMain lets the test binary act as the crash test's writer process.
func TestMain(m *testing.M) {
	if dir := os.Getenv("ZONEWALK_CRASH_WRITER"); dir != "" {
		crashWriter(dir)
		return
	}
	os.Exit(m.Run())
}

// crashWriter writes single records and, now and then, a batch big enough
// for the journal, printing what was acknowledged, until it is killed.
func crashWriter(dir string) {
	s, err := Open(dir, OpenOptions{})
	if err != nil {
		fmt.Println("open:", err)
		os.Exit(2)
	}
	out := bufio.NewWriter(os.Stdout)
	for i := 0; ; i++ {
		if i%20 == 19 {
			batch := fmt.Sprintf("batch-%d-%d", os.Getpid(), i)
			err := s.Update(context.Background(), func(tx *Tx) error {
				for j := 0; j < 2000; j++ {
					a := &assets.Asset{Meta: assets.Meta{ID: fmt.Sprintf("%s-%04d", batch, j)}, Tag: batch, Type: assets.TypePLC, Notes: strings.Repeat("x", 200)}
					if err := tx.Put(KindAsset, a); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				fmt.Println("batch:", err)
				os.Exit(2)
			}
			fmt.Fprintln(out, "batch", batch)
		} else {
			a := &assets.Asset{Tag: fmt.Sprintf("T-%d", i), Type: assets.TypeHMI}
			if err := s.Put(KindAsset, a); err != nil {
				fmt.Println("put:", err)
				os.Exit(2)
			}
			fmt.Fprintln(out, "ack", a.ID)
		}
		out.Flush()
	}
}

// TestCrashLosesNoAcknowledgedRecord kills a writer with SIGKILL at random
// moments; every record it acknowledged must be there after reopening, and
// every journalled batch must be there whole or not at all.
func TestCrashLosesNoAcknowledgedRecord(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test runs child processes")
	}
	dir := filepath.Join(t.TempDir(), "ws")
	s, err := Create(dir, CreateOptions{Unencrypted: true})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	seed := uint64(time.Now().UnixNano())
	if v, err := strconv.ParseUint(os.Getenv("ZONEWALK_CRASH_SEED"), 10, 64); err == nil {
		seed = v
	}
	t.Logf("kill times drawn from seed %d (replay with ZONEWALK_CRASH_SEED=%d)", seed, seed)
	rng := rand.New(rand.NewPCG(1, seed))
	acked := map[string]bool{}
	batches := map[string]bool{}
	const rounds = 12
	for round := 0; round < rounds; round++ {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), "ZONEWALK_CRASH_WRITER="+dir)
		stdout, _ := cmd.StdoutPipe()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		lines := make(chan string)
		go func() {
			sc := bufio.NewScanner(stdout)
			for sc.Scan() {
				lines <- sc.Text()
			}
			close(lines)
		}()
		deadline := time.After(time.Duration(150+rng.IntN(900)) * time.Millisecond)
	read:
		for {
			select {
			case l, ok := <-lines:
				if !ok {
					break read
				}
				switch f := strings.Fields(l); f[0] {
				case "ack":
					acked[f[1]] = true
				case "batch":
					batches[f[1]] = true
				default:
					t.Fatalf("writer: %s", l)
				}
			case <-deadline:
				cmd.Process.Signal(syscall.SIGKILL)
				for l := range lines { // acknowledged before the kill landed
					if f := strings.Fields(l); f[0] == "ack" {
						acked[f[1]] = true
					} else if f[0] == "batch" {
						batches[f[1]] = true
					}
				}
				break read
			}
		}
		cmd.Wait()

		s, err := Open(dir, OpenOptions{})
		if err != nil {
			t.Fatalf("round %d: reopen after kill: %v", round, err)
		}
		perBatch := map[string]int{}
		found := map[string]bool{}
		versions := map[string]assets.Stamp{}
		s.Scan(KindAsset, func(raw []byte) error {
			m, _ := decodeMeta(raw)
			found[m.ID] = true
			versions[m.ID] = m.Version
			if strings.HasPrefix(m.ID, "batch-") {
				perBatch[m.ID[:strings.LastIndex(m.ID, "-")]]++
			}
			return nil
		})
		// The change log holds exactly the changes that were stored: no
		// record without its entry, no entry without its record.
		if _, err := s.VerifyChanges(); err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		logged := 0
		s.Scan(KindChange, func(raw []byte) error {
			var c Change
			json.Unmarshal(raw, &c)
			if v, ok := versions[c.Record]; !ok || v != c.Version {
				t.Errorf("round %d: entry %d names %s at %v, stored: %v %v", round, c.Seq, c.Record, c.Version, ok, v)
			}
			logged++
			return nil
		})
		if logged != len(found) {
			t.Fatalf("round %d: %d records, %d change entries", round, len(found), logged)
		}
		s.Close()
		for id := range acked {
			if !found[id] {
				t.Fatalf("round %d: acknowledged record %s lost", round, id)
			}
		}
		for b, n := range perBatch {
			if n != 2000 {
				t.Fatalf("round %d: batch %s holds %d of 2000 records", round, b, n)
			}
		}
		for b := range batches {
			if perBatch[b] != 2000 {
				t.Fatalf("round %d: acknowledged batch %s missing", round, b)
			}
		}
	}
	t.Logf("%d rounds, %d acknowledged single writes, %d acknowledged batches survived", rounds, len(acked), len(batches))
}
