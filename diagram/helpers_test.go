package diagram

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var (
	update = flag.Bool("update", false, "rewrite golden files in testdata")
	outDir = flag.String("out", "", "also write rendered samples to this directory (to look at them)")
)

// plant loads the small fixed plant of testdata/plant.json.
func plant(t testing.TB) *Model {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "plant.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m Model
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return &m
}

// sample writes b to -out DIR/name when -out is given.
func sample(t testing.TB, name string, b []byte) {
	t.Helper()
	if *outDir == "" {
		return
	}
	if err := os.MkdirAll(*outDir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(*outDir, name), b, 0o644); err != nil {
		t.Fatal(err)
	}
}
