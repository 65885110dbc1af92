package app_test

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/zonewalk/zonewalk/app"
	"github.com/zonewalk/zonewalk/assets"
)

func TestCSVPartialUpdateKeepsAbsentColumns(t *testing.T) {
	w, _ := demoWorkspace(t)
	before, ok := w.Asset("asset-plc101")
	if !ok || before.Vendor == "" || before.Serial == "" || len(before.MACs) == 0 || before.SLC == 0 {
		t.Fatalf("demo PLC-101 is not as this test expects: %+v", before)
	}
	res, err := w.ImportCSV(ctx, strings.NewReader("id,tag,type,firmware\nasset-plc101,PLC-101,plc,V3.0.1\n"))
	if err != nil || res.Updated != 1 || res.Created != 0 {
		t.Fatalf("import: %+v, %v", res, err)
	}
	after, _ := w.Asset("asset-plc101")
	want := before
	want.Firmware = "V3.0.1"
	want.Meta = after.Meta
	if !reflect.DeepEqual(after, want) {
		t.Fatalf("a firmware-only update changed other fields:\n got %+v\nwant %+v", after, want)
	}
	if after.Version == before.Version {
		t.Error("version stamp not advanced")
	}

	// Only the name column: the tag stays, so the asset still has a title.
	if _, err := w.ImportCSV(ctx, strings.NewReader("id,name,type\nasset-plc101,,plc\n")); err != nil {
		t.Fatalf("name-only update: %v", err)
	}
	if a, _ := w.Asset("asset-plc101"); a.Tag != "PLC-101" || a.Firmware != "V3.0.1" {
		t.Fatalf("name-only update: %+v", a)
	}

	// An empty cell in a column that is there clears the field.
	if _, err := w.ImportCSV(ctx, strings.NewReader("ID,Tag,Type,Vendor,MACs,Zone\nasset-plc101,PLC-101,plc,,,\n")); err != nil {
		t.Fatal(err)
	}
	after, _ = w.Asset("asset-plc101")
	if after.Vendor != "" || after.MACs != nil || after.Zone != "" || after.Model != before.Model || after.Serial != before.Serial {
		t.Fatalf("empty cells: %+v", after)
	}
}

func TestCSVUpdateValidatesTheMergedAsset(t *testing.T) {
	w, _ := demoWorkspace(t)
	var before bytes.Buffer
	w.ExportCSV(&before, app.AssetFilter{})
	// PLC-101 has no name: clearing its tag would leave it with neither.
	in := "id,tag,type,vendor\n" +
		",NEW-1,plc,ABB\n" +
		"asset-plc101,,plc,Siemens\n"
	_, err := w.ImportCSV(ctx, strings.NewReader(in))
	var ce *assets.CSVError
	if !errors.As(err, &ce) || !errors.Is(err, assets.ErrInvalid) || !strings.Contains(err.Error(), "line 3, column tag") {
		t.Fatalf("want an error at line 3, column tag, got %v", err)
	}
	var after bytes.Buffer
	w.ExportCSV(&after, app.AssetFilter{})
	if before.String() != after.String() {
		t.Fatal("a refused import changed the inventory")
	}
}

func TestCSVHugeCellIsRefusedAndExportStillWorks(t *testing.T) {
	w, _ := demoWorkspace(t)
	n := w.AssetCount()
	in := "tag,type,vendor\nBIG-1,plc," + strings.Repeat("V", 10<<20) + "\n"
	_, err := w.ImportCSV(ctx, strings.NewReader(in))
	if !errors.Is(err, assets.ErrInvalid) || !strings.Contains(err.Error(), "line 2, column vendor") {
		t.Fatalf("want an error at line 2, column vendor, got %.300v", err)
	}
	if w.AssetCount() != n {
		t.Fatal("a refused import added assets")
	}
	var out bytes.Buffer
	if err := w.ExportCSV(&out, app.AssetFilter{}); err != nil {
		t.Fatal(err)
	}
}
