package schema

import (
	"context"
	"reflect"
	"sort"
	"testing"
	"time"

	"github.com/jetbridge/jetbridge/internal/db"
	"github.com/jetbridge/jetbridge/internal/testdb"
)

// Chinook (real data, MIT): every table, its composite keys and foreign keys.
func TestReflectChinook(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		testdb.LoadChinook(t, d)
		e := d.Dialect.Engine
		start := time.Now()
		s, err := Reflect(context.Background(), d, Options{})
		if err != nil {
			t.Fatal(err)
		}
		took := time.Since(start)
		var want []string
		for name := range testdb.ChinookRowCounts(e) {
			want = append(want, name)
		}
		sort.Strings(want)
		if got := modelNames(s); !reflect.DeepEqual(got, want) {
			t.Fatalf("models %q, want %q", got, want)
		}
		name := func(pascal string) string { return testdb.ChinookTable(e, pascal) }
		pt := mustModel(t, s, name("PlaylistTrack"))
		if len(pt.PrimaryKey) != 2 || pt.PKAuto {
			t.Errorf("PlaylistTrack key %v", columnNames(pt.PrimaryKey))
		}
		relations := 0
		for _, m := range s.Models {
			if m.PKAuto || m.IsView {
				t.Errorf("%s: PKAuto %v IsView %v", m.Name, m.PKAuto, m.IsView)
			}
			for _, r := range m.Relations {
				if r.Direction == "MANYTOONE" {
					relations++
				}
				if s.Model(r.RelatedModel) == nil {
					t.Errorf("%s: relation %s to unknown model", m.Name, r.Name)
				}
			}
		}
		// Chinook declares 11 foreign keys (Employee.ReportsTo is self-referencing)
		if relations != 11 {
			t.Errorf("%d many-to-one relations, want 11", relations)
		}
		track := mustModel(t, s, name("Track"))
		fks := 0
		for _, c := range track.Columns {
			if c.ForeignKey != nil {
				fks++
				if s.Model(c.ForeignKey.RefModel) == nil || !c.ForeignKey.RefIsPK {
					t.Errorf("Track.%s foreign key %+v", c.Name, c.ForeignKey)
				}
			}
		}
		if fks != 3 {
			t.Errorf("Track has %d foreign-key columns, want 3", fks)
		}
		if _, err := s.MarshalDescriptions(); err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: reflected %d Chinook tables in %v", testdb.String(d), len(s.Models), took)
	})
}
