package schema

import (
	"context"
	"database/sql"
	"fmt"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/jetbridge/jetbridge/internal/config"
	"github.com/jetbridge/jetbridge/internal/db"
	"github.com/jetbridge/jetbridge/internal/dialect/dialects"
	"github.com/jetbridge/jetbridge/internal/testdb"
)

func mustReflect(t testing.TB, d *db.DB, opt Options) *Schema {
	t.Helper()
	s, err := Reflect(context.Background(), d, opt)
	if err != nil {
		t.Fatalf("Reflect: %v", err)
	}
	return s
}

func modelNames(s *Schema) []string {
	out := []string{}
	for _, m := range s.Models {
		out = append(out, m.Name)
	}
	return out
}

func columnNames(cols []*Column) []string {
	out := []string{}
	for _, c := range cols {
		out = append(out, c.Name)
	}
	return out
}

func relationNames(m *Model) []string {
	out := []string{}
	for _, r := range m.Relations {
		out = append(out, r.Name+" "+r.Direction+" "+r.LocalField+" "+r.RelatedModel+"."+r.RelatedField)
	}
	return out
}

func mustModel(t testing.TB, s *Schema, name string) *Model {
	t.Helper()
	m := s.Model(name)
	if m == nil {
		t.Fatalf("model %q missing; have %v", name, modelNames(s))
	}
	return m
}

func mustColumn(t testing.TB, m *Model, name string) *Column {
	t.Helper()
	c := m.Column(name)
	if c == nil {
		t.Fatalf("%s: column %q missing; have %v", m.Name, name, columnNames(m.Columns))
	}
	return c
}

var fixtureModels = []string{"OrderItems", "active_items", "customers", "event_log", "items", "orders"}

func TestReflectFixtureModels(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		testdb.LoadTypes(t, d)
		s := mustReflect(t, d, Options{})
		if got := modelNames(s); !reflect.DeepEqual(got, fixtureModels) {
			t.Fatalf("models = %v, want %v (no __jet__token)", got, fixtureModels)
		}
		tests := []struct {
			model  string
			pk     []string
			pkAuto bool
			view   bool
			cols   int
			rels   []string
		}{
			{"OrderItems", []string{"order_id", "item_id"}, false, false, 4, []string{
				"item_id__to__items__id MANYTOONE item_id items.id",
				"order_id__to__orders__id MANYTOONE order_id orders.id",
			}},
			{"active_items", []string{"id"}, true, true, 3, []string{}},
			{"customers", []string{"id"}, false, false, 5, []string{
				"orders__customer_id__to__id ONETOMANY id orders.customer_id",
			}},
			{"event_log", []string{"code"}, true, false, 4, []string{}},
			{"items", []string{"id"}, false, false, -1, []string{
				"OrderItems__item_id__to__id ONETOMANY id OrderItems.item_id",
			}},
			{"orders", []string{"id"}, false, false, 5, []string{
				"OrderItems__order_id__to__id ONETOMANY id OrderItems.order_id",
				"customer_id__to__customers__id MANYTOONE customer_id customers.id",
			}},
		}
		for _, tt := range tests {
			m := mustModel(t, s, tt.model)
			if got := columnNames(m.PrimaryKey); !reflect.DeepEqual(got, tt.pk) {
				t.Errorf("%s: primary key %v, want %v", tt.model, got, tt.pk)
			}
			if m.PK().Name != tt.pk[0] || !m.PK().PrimaryKey {
				t.Errorf("%s: PK() = %s", tt.model, m.PK().Name)
			}
			if m.PKAuto != tt.pkAuto || m.IsView != tt.view {
				t.Errorf("%s: PKAuto %v IsView %v, want %v %v", tt.model, m.PKAuto, m.IsView, tt.pkAuto, tt.view)
			}
			if tt.cols >= 0 && len(m.Columns) != tt.cols {
				t.Errorf("%s: %d columns, want %d: %v", tt.model, len(m.Columns), tt.cols, columnNames(m.Columns))
			}
			if got := relationNames(m); !reflect.DeepEqual(got, tt.rels) {
				t.Errorf("%s: relations\n%q\nwant\n%q", tt.model, got, tt.rels)
			}
			if m.Table != tt.model || m.Hidden {
				t.Errorf("%s: Table %q Hidden %v", tt.model, m.Table, m.Hidden)
			}
			for i, c := range m.Columns {
				if c.Position != i+1 {
					t.Errorf("%s.%s: position %d, want %d", tt.model, c.Name, c.Position, i+1)
				}
			}
		}
		oi := mustModel(t, s, "OrderItems")
		if got := columnNames(oi.Columns); !reflect.DeepEqual(got, []string{"item_id", "order_id", "quantity", "select"}) {
			t.Errorf("OrderItems columns %v", got)
		}
		fk := mustColumn(t, oi, "order_id").ForeignKey
		if fk == nil || fk.RefModel != "orders" || fk.RefTable != "orders" || fk.RefColumn != "id" || !fk.RefIsPK {
			t.Errorf("OrderItems.order_id foreign key %+v", fk)
		}
		if fk := mustColumn(t, mustModel(t, s, "orders"), "customer_id").ForeignKey; fk == nil || fk.RefModel != "customers" {
			t.Errorf("orders.customer_id foreign key %+v", fk)
		}
		if fk := mustColumn(t, oi, "quantity").ForeignKey; fk != nil {
			t.Errorf("OrderItems.quantity has a foreign key %+v", fk)
		}
		items := mustModel(t, s, "items")
		if id := items.PK(); !id.AutoIncrement || id.Nullable {
			t.Errorf("items.id AutoIncrement %v Nullable %v, want true false", id.AutoIncrement, id.Nullable)
		}
		if mustColumn(t, oi, "item_id").AutoIncrement {
			t.Error("OrderItems.item_id is not auto-incremented")
		}
		if c := mustColumn(t, items, "title"); c.Nullable || c.Length == nil || *c.Length != 200 || !c.StringType {
			t.Errorf("items.title Nullable %v Length %v", c.Nullable, c.Length)
		}
		if c := mustColumn(t, mustModel(t, s, "event_log"), "code"); !c.Nullable {
			t.Error("event_log.code (promoted key) keeps its nullability")
		}
		// every reflected identifier works quoted in real SQL
		for _, m := range s.Models {
			var cols []string
			for _, c := range m.Columns {
				cols = append(cols, d.Dialect.QuoteIdent(c.Name))
			}
			q := "SELECT " + strings.Join(cols, ", ") + " FROM " + d.Dialect.QuoteTable(m.Schema, m.Table)
			rows, err := d.SQL.QueryContext(context.Background(), q)
			if err != nil {
				t.Fatalf("%s: %v", q, err)
			}
			n := 0
			for rows.Next() {
				n++
			}
			rows.Close()
			if m.Name == "items" && n != 30 {
				t.Errorf("items has %d rows, want 30", n)
			}
		}
	})
}

type colWant struct {
	kind     Kind
	field    string
	dbField  string
	internal string
	nullable bool
}

func TestReflectFixtureTypes(t *testing.T) {
	common := map[string]colWant{
		"id":          {KindInteger, FieldInteger, FieldInteger, "INTEGER", false},
		"title":       {KindText, FieldChar, FieldChar, "VARCHAR(200)", false},
		"description": {KindText, FieldText, FieldText, "TEXT", true},
		"code":        {KindText, FieldChar, FieldChar, "CHAR(3)", true},
		"quantity":    {KindInteger, FieldInteger, FieldInteger, "INTEGER", false},
		"released_on": {KindDate, FieldDate, FieldDate, "DATE", true},
		"alarm_at":    {KindTime, FieldChar, FieldChar, "TIME", true},
		"meta":        {KindJSON, FieldJSON, FieldJSON, "JSON", true},
		"order":       {KindInteger, FieldInteger, FieldInteger, "INTEGER", true},
		"größe":       {KindText, FieldChar, FieldChar, "VARCHAR(10)", true},
	}
	perEngine := map[config.Engine]map[string]colWant{
		config.EnginePostgres: {
			"small_num":  {KindInteger, FieldInteger, FieldSmallInteger, "SMALLINT", true},
			"big_num":    {KindInteger, FieldInteger, FieldBigInteger, "BIGINT", true},
			"price":      {KindDecimal, FieldFloat, FieldNumber, "NUMERIC(10, 2)", true},
			"ratio":      {KindFloat, FieldFloat, FieldFloat, "REAL", true},
			"score":      {KindFloat, FieldFloat, FieldDoublePrecision, "DOUBLE_PRECISION", true},
			"active":     {KindBoolean, FieldBoolean, FieldBoolean, "BOOLEAN", false},
			"created_at": {KindDateTime, FieldDateTime, FieldTimestamp, "TIMESTAMP", false},
			"updated_at": {KindDateTime, FieldDateTime, FieldTimestamp, "TIMESTAMP", true},
			"attrs":      {KindJSON, FieldJSON, FieldJSON, "JSONB", true},
			"uid":        {KindUUID, FieldUUID, FieldUUID, "UUID", true},
			"payload":    {KindBinary, FieldChar, FieldChar, "BYTEA", true},
			"tags":       {KindArray, FieldJSON, FieldJSON, "ARRAY", true},
			"scores":     {KindArray, FieldJSON, FieldJSON, "ARRAY", true},
			"mood":       {KindEnum, FieldSelect, FieldSelect, "ENUM", true},
		},
		config.EngineMySQL: {
			"small_num":  {KindInteger, FieldBoolean, FieldBoolean, "TINYINT", true}, // upstream describes every TINYINT as a boolean
			"big_num":    {KindInteger, FieldInteger, FieldBigInteger, "BIGINT", true},
			"price":      {KindDecimal, FieldFloat, FieldDecimal, "DECIMAL(10, 2)", true},
			"ratio":      {KindFloat, FieldFloat, FieldFloat, "FLOAT", true},
			"score":      {KindFloat, FieldFloat, FieldFloat, "DOUBLE", true},
			"active":     {KindBoolean, FieldBoolean, FieldBoolean, "TINYINT", false}, // as upstream names TINYINT(1)
			"created_at": {KindDateTime, FieldDateTime, FieldDateTime, "DATETIME", false},
			"updated_at": {KindDateTime, FieldDateTime, FieldTimestamp, "TIMESTAMP", true},
			"payload":    {KindBinary, FieldChar, FieldChar, "BLOB", true},
			"mood":       {KindEnum, FieldSelect, FieldSelect, "ENUM", true},
		},
		config.EngineSQLite: {
			"price":      {KindDecimal, FieldFloat, FieldDecimal, "DECIMAL(10, 2)", true},
			"amount":     {KindDecimal, FieldFloat, FieldNumber, "NUMERIC", true},
			"ratio":      {KindFloat, FieldFloat, FieldFloat, "REAL", true},
			"active":     {KindBoolean, FieldBoolean, FieldBoolean, "BOOLEAN", false},
			"created_at": {KindDateTime, FieldDateTime, FieldDateTime, "DATETIME", false},
			"updated_at": {KindDateTime, FieldDateTime, FieldTimestamp, "TIMESTAMP", true},
			"payload":    {KindBinary, FieldChar, FieldChar, "BLOB", true},
			"mood":       {KindText, FieldChar, FieldChar, "VARCHAR(10)", true},
		},
	}
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		testdb.LoadTypes(t, d)
		s := mustReflect(t, d, Options{})
		items := mustModel(t, s, "items")
		want := map[string]colWant{}
		for k, v := range common {
			want[k] = v
		}
		for k, v := range perEngine[d.Dialect.Engine] {
			want[k] = v
		}
		if len(want) != len(items.Columns) {
			t.Errorf("items has %d columns %v, the test expects %d", len(items.Columns), columnNames(items.Columns), len(want))
		}
		for name, w := range want {
			c := mustColumn(t, items, name)
			got := colWant{c.Kind, c.Field, c.DBField, c.InternalType, c.Nullable}
			if got != w {
				t.Errorf("items.%s = %+v, want %+v (data type %q)", name, got, w, c.DataType)
			}
		}
		switch d.Dialect.Engine {
		case config.EnginePostgres:
			if c := mustColumn(t, items, "updated_at"); !c.HasTimezone || c.DataType != "timestamp with time zone" {
				t.Errorf("updated_at HasTimezone %v DataType %q", c.HasTimezone, c.DataType)
			}
			if mustColumn(t, items, "created_at").HasTimezone {
				t.Error("created_at (timestamp) has no time zone")
			}
			if c := mustColumn(t, items, "tags"); c.ElemType != "text" || c.ElemKind != KindText {
				t.Errorf("tags element %q %v", c.ElemType, c.ElemKind)
			}
			if c := mustColumn(t, items, "scores"); c.ElemType != "int4" || c.ElemKind != KindInteger {
				t.Errorf("scores element %q %v", c.ElemType, c.ElemKind)
			}
			if c := mustColumn(t, items, "id"); c.Default == nil || *c.Default != "nextval('items_id_seq'::regclass)" {
				t.Errorf("items.id default %v", c.Default)
			}
			if items.Comment == "" || mustColumn(t, items, "title").Comment == "" {
				t.Error("table and column comments are reflected")
			}
		case config.EngineMySQL:
			if c := mustColumn(t, items, "big_num"); !c.Unsigned || c.DataType != "bigint unsigned" {
				t.Errorf("big_num Unsigned %v DataType %q", c.Unsigned, c.DataType)
			}
			if c := mustColumn(t, items, "updated_at"); !c.HasTimezone {
				t.Error("MySQL TIMESTAMP is stored in UTC: HasTimezone")
			}
			if mustColumn(t, items, "created_at").HasTimezone {
				t.Error("DATETIME has no time zone")
			}
			if items.Comment == "" || mustColumn(t, items, "title").Comment == "" {
				t.Error("table and column comments are reflected")
			}
		case config.EngineSQLite:
			if c := mustColumn(t, items, "created_at"); c.DataType != "datetime" {
				t.Errorf("created_at DataType %q", c.DataType)
			}
		}
		if m := mustColumn(t, items, "mood"); m.Kind == KindEnum {
			if !reflect.DeepEqual(m.EnumValues, []string{"happy", "sad", "neutral"}) {
				t.Errorf("mood values %q", m.EnumValues)
			}
		}
		// default forms as upstream describes them: PostgreSQL's only
		pg := (d.Dialect.Engine == config.EnginePostgres)
		for _, dc := range []struct {
			col, typ string
			value    any
		}{
			{"active", DefaultValue, true},
			{"created_at", DefaultDatetimeNow, nil},
			{"quantity", "", nil}, // 0 has no description form upstream
			{"mood", DefaultValue, "neutral"},
		} {
			c := mustColumn(t, items, dc.col)
			if !pg {
				dc.typ, dc.value = "", nil
			}
			if c.Default == nil || c.DefaultType != dc.typ || !reflect.DeepEqual(c.DefaultValue, dc.value) {
				t.Errorf("%s default %v: %q %#v, want %q %#v", dc.col, deref(c.Default), c.DefaultType, c.DefaultValue, dc.typ, dc.value)
			}
		}
		if c := mustColumn(t, items, "description"); c.Default != nil || c.DefaultType != "" {
			t.Errorf("description has no default: %v %q", c.Default, c.DefaultType)
		}
		if c := mustColumn(t, mustModel(t, s, "orders"), "Order Date"); c.Kind != KindDate || c.Nullable {
			t.Errorf(`orders."Order Date" %v nullable %v`, c.Kind, c.Nullable)
		}
		view := mustModel(t, s, "active_items")
		for _, c := range view.Columns {
			if c.Default != nil || c.AutoIncrement {
				t.Errorf("view column %s: default %v auto %v", c.Name, c.Default, c.AutoIncrement)
			}
		}
	})
}

func TestReflectOptions(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		testdb.LoadTypes(t, d)
		tests := []struct {
			name string
			opt  Options
			want []string
		}{
			{"all", Options{}, fixtureModels},
			{"only", Options{Only: []string{"orders", "items", "missing"}}, []string{"items", "orders"}},
			{"only is exact", Options{Only: []string{"Items", "orderitems"}}, []string{}},
			{"except", Options{Except: []string{"items", "event_log"}}, []string{"OrderItems", "active_items", "customers", "orders"}},
			{"only and except", Options{Only: []string{"orders", "items"}, Except: []string{"items"}}, []string{"orders"}},
			{"max tables", Options{MaxTables: 2}, []string{"OrderItems", "active_items"}},
			{"max tables after except", Options{Except: []string{"OrderItems"}, MaxTables: 3}, []string{"active_items", "customers", "event_log"}},
			{"max tables above count", Options{MaxTables: 100}, fixtureModels},
			{"internal tables never", Options{Only: []string{"__jet__token"}}, []string{}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				s := mustReflect(t, d, tt.opt)
				if got := modelNames(s); !reflect.DeepEqual(got, tt.want) {
					t.Fatalf("models %v, want %v", got, tt.want)
				}
			})
		}
		// relations only between exposed models; the column keeps its foreign key
		s := mustReflect(t, d, Options{Only: []string{"orders", "OrderItems"}})
		orders := mustModel(t, s, "orders")
		if got := relationNames(orders); !reflect.DeepEqual(got, []string{"OrderItems__order_id__to__id ONETOMANY id OrderItems.order_id"}) {
			t.Errorf("orders relations %q", got)
		}
		if fk := mustColumn(t, orders, "customer_id").ForeignKey; fk == nil || fk.RefModel != "customers" {
			t.Errorf("orders.customer_id keeps its foreign key: %+v", fk)
		}
	})
}

// countingQuerier counts catalog queries.
type countingQuerier struct {
	q querier
	n atomic.Int64
}

func (c *countingQuerier) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	c.n.Add(1)
	return c.q.QueryContext(ctx, query, args...)
}

func createChain(t testing.TB, d *db.DB, from, to int) {
	t.Helper()
	var sb strings.Builder
	for i := from; i < to; i++ {
		fk := ""
		if i > 0 {
			fk = fmt.Sprintf(", parent_id INTEGER REFERENCES t%04d (id)", i-1)
		}
		fmt.Fprintf(&sb, "CREATE TABLE t%04d (id INTEGER PRIMARY KEY, name VARCHAR(20) NOT NULL DEFAULT 'x', n NUMERIC(8, 2)%s);\n", i, fk)
	}
	testdb.Exec(t, d, sb.String())
}

func TestReflectQueryCountIsConstant(t *testing.T) {
	want := map[config.Engine]int64{config.EngineSQLite: 2, config.EnginePostgres: 3, config.EngineMySQL: 3}
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		w := want[d.Dialect.Engine]
		if strings.Contains(strings.ToLower(d.Version), "mariadb") {
			w = 4
		}
		var counts []int64
		prev := 0
		for _, n := range []int{0, 10, 120} {
			createChain(t, d, prev, n)
			prev = n
			cq := &countingQuerier{q: d.SQL}
			s, err := reflectWith(context.Background(), cq, d.Dialect.Dialect, d.Version, d.Schema, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if len(s.Models) != n {
				t.Fatalf("%d models, want %d", len(s.Models), n)
			}
			if n > 1 {
				if got := relationNames(mustModel(t, s, "t0001")); len(got) != 2 {
					t.Fatalf("t0001 relations %q", got)
				}
			}
			counts = append(counts, cq.n.Load())
		}
		for i, c := range counts {
			if c != w {
				t.Errorf("run %d: %d queries, want %d (counts %v)", i, c, w, counts)
			}
		}
	})
}

// TestEveryCatalogKindHasAReader: each dialect's catalog can be reflected.
func TestEveryCatalogKindHasAReader(t *testing.T) {
	for _, d := range dialects.All() {
		if _, ok := reflectors[d.CatalogKind()]; !ok {
			t.Errorf("%s: no reflector for catalog kind %d", d.Name(), d.CatalogKind())
		}
	}
}
