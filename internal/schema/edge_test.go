package schema

import (
	"context"
	"reflect"
	"testing"

	"github.com/jetbridge/jetbridge/internal/config"
	"github.com/jetbridge/jetbridge/internal/db"
	"github.com/jetbridge/jetbridge/internal/testdb"
)

// Edge cases beyond the shared fixture: self and composite foreign keys,
// foreign keys to non-key columns, relation names clashing with columns,
// generated and identity columns, literal defaults, odd identifiers.

const edgePostgres = `
CREATE SCHEMA ext;
CREATE TABLE ext.suppliers (id serial PRIMARY KEY, name text NOT NULL);
CREATE TABLE ext.unrelated (id integer PRIMARY KEY);
CREATE DOMAIN positive_int AS integer CHECK (VALUE > 0);
CREATE TABLE people (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  code varchar(10) NOT NULL UNIQUE,
  boss_id integer REFERENCES people (id),
  supplier_id integer REFERENCES ext.suppliers (id),
  full_name text GENERATED ALWAYS AS (code || '!') STORED,
  note text DEFAULT 'it''s',
  token uuid DEFAULT gen_random_uuid(),
  score numeric DEFAULT '-1.5',
  neg integer DEFAULT '-1',
  flag boolean DEFAULT false,
  stamp timestamptz DEFAULT CURRENT_TIMESTAMP,
  d positive_int
);
COMMENT ON TABLE people IS 'not json';
COMMENT ON COLUMN people.code IS '{"field": "TextField", "name": "Code", "params": "not an object", "order_after": "id", "hidden": true}';
CREATE TABLE badges (person_code varchar(10) REFERENCES people (code), "person_code__to__people__code" integer);
CREATE TABLE pairs (a integer, b integer, label text, PRIMARY KEY (a, b));
CREATE TABLE pair_refs (id serial PRIMARY KEY, pa integer, pb integer, FOREIGN KEY (pa, pb) REFERENCES pairs (a, b));
CREATE TABLE "we""ird name" ("Mixed Col" integer PRIMARY KEY, "naïve ü" text);
CREATE TABLE empty_one ();
CREATE TABLE pg_stat_statements (x integer);
CREATE MATERIALIZED VIEW mv AS SELECT 1 AS one;
CREATE TABLE measures (id integer, at date, PRIMARY KEY (id, at)) PARTITION BY RANGE (at);
CREATE TABLE measures_2024 PARTITION OF measures FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
`

const edgeMySQL = `
CREATE TABLE people (
  id bigint unsigned NOT NULL AUTO_INCREMENT PRIMARY KEY,
  code varchar(10) NOT NULL UNIQUE,
  boss_id bigint unsigned NULL,
  supplier_id int NULL,
  full_name varchar(20) GENERATED ALWAYS AS (CONCAT(code, '!')) STORED,
  note varchar(20) DEFAULT 'it''s',
  score decimal(5,2) DEFAULT -1.5,
  neg int DEFAULT -1,
  flag tinyint(1) DEFAULT 0,
  stamp timestamp NULL DEFAULT CURRENT_TIMESTAMP,
  kind enum('a','it''s','b,c') NOT NULL DEFAULT 'a',
  bits bit(8) NULL,
  yr year NULL,
  bin varbinary(16) NULL,
  CONSTRAINT people_boss FOREIGN KEY (boss_id) REFERENCES people (id)
) COMMENT='not json';
CREATE TABLE badges (person_code varchar(10), person_code__to__people__code int,
  CONSTRAINT badges_fk FOREIGN KEY (person_code) REFERENCES people (code));
CREATE TABLE pairs (a int, b int, label text, PRIMARY KEY (a, b));
CREATE TABLE pair_refs (id int AUTO_INCREMENT PRIMARY KEY, pa int, pb int,
  CONSTRAINT pair_refs_fk FOREIGN KEY (pa, pb) REFERENCES pairs (a, b));
CREATE TABLE ` + "`we``ird name` (`Mixed Col` int PRIMARY KEY, `naïve ü` text)" + `;
`

const edgeSQLite = `
CREATE TABLE people (
  id INTEGER PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,
  boss_id INTEGER REFERENCES People (ID),
  full_name TEXT GENERATED ALWAYS AS (code || '!') STORED,
  note TEXT DEFAULT 'it''s',
  score NUMERIC DEFAULT -1.5,
  neg INTEGER DEFAULT (-1),
  flag BOOLEAN DEFAULT FALSE,
  stamp TIMESTAMP DEFAULT (datetime('now')),
  anything,
  money MONEY,
  big UNSIGNED BIG INT,
  vc NVARCHAR(30)
);
CREATE TABLE badges (person_code TEXT REFERENCES people (code), "person_code__to__people__code" INTEGER);
CREATE TABLE pairs (a INTEGER, b INTEGER, label TEXT, PRIMARY KEY (a, b));
CREATE TABLE pair_refs (id INTEGER PRIMARY KEY, pa INTEGER, pb INTEGER, FOREIGN KEY (pa, pb) REFERENCES pairs);
CREATE TABLE "we""ird name" ("Mixed Col" INTEGER PRIMARY KEY, "naïve ü" TEXT);
CREATE TABLE wr (k INTEGER PRIMARY KEY, v INTEGER) WITHOUT ROWID;
CREATE TABLE ipk (k INTEGER, v TEXT, PRIMARY KEY (k));
`

func TestReflectEdgeCases(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		e := d.Dialect.Engine
		switch e {
		case config.EnginePostgres:
			testdb.Exec(t, d, edgePostgres)
		case config.EngineMySQL:
			testdb.Exec(t, d, edgeMySQL)
		case config.EngineSQLite:
			testdb.Exec(t, d, edgeSQLite)
		}
		s := mustReflect(t, d, Options{})
		want := map[config.Engine][]string{
			config.EnginePostgres: {"badges", "ext.suppliers", "measures", "mv", "pair_refs", "pairs", "people", `we"ird name`},
			config.EngineMySQL:    {"badges", "pair_refs", "pairs", "people", "we`ird name"},
			config.EngineSQLite:   {"badges", "ipk", "pair_refs", "pairs", "people", `we"ird name`, "wr"},
		}[e]
		if got := modelNames(s); !reflect.DeepEqual(got, want) {
			t.Fatalf("models %q, want %q", got, want)
		}

		people := mustModel(t, s, "people")
		if c := people.PK(); !c.AutoIncrement || Required(people, c) {
			t.Errorf("people.id AutoIncrement %v required %v", c.AutoIncrement, Required(people, c))
		}
		if c := mustColumn(t, people, "full_name"); !c.Generated || Required(people, c) || c.DefaultType != "" {
			t.Errorf("full_name Generated %v DefaultType %q", c.Generated, c.DefaultType)
		}
		if !Required(people, mustColumn(t, people, "code")) {
			t.Error("people.code is required")
		}
		// upstream's description forms are PostgreSQL's (the recording): the
		// literal text of 'x'::type, true/false, now(), uuid_generate_v4(),
		// nextval(); MySQL and SQLite defaults have none (but still count as
		// defaults)
		var defaults []defaultWant
		if e == config.EnginePostgres {
			defaults = []defaultWant{
				{"note", DefaultValue, "it''s"},
				{"neg", DefaultValue, "-1"},
				{"flag", DefaultValue, false},
				{"stamp", "", nil},
				{"token", "", nil},
			}
		} else {
			for _, name := range []string{"note", "neg", "flag", "stamp", "score"} {
				dw := defaultWant{name, "", nil}
				if name == "flag" && e == config.EngineSQLite {
					dw = defaultWant{name, DefaultValue, false} // SQLite keeps FALSE as written
				}
				defaults = append(defaults, dw)
				if mustColumn(t, people, name).Default == nil {
					t.Errorf("people.%s has no default", name)
				}
			}
		}
		for _, dt := range defaults {
			c := mustColumn(t, people, dt.col)
			if c.DefaultType != dt.typ || !reflect.DeepEqual(c.DefaultValue, dt.value) {
				t.Errorf("people.%s default %q %#v, want %q %#v (expr %v)", dt.col, c.DefaultType, c.DefaultValue,
					dt.typ, dt.value, deref(c.Default))
			}
		}

		// self reference
		boss := mustColumn(t, people, "boss_id")
		if fk := boss.ForeignKey; fk == nil || fk.RefModel != "people" || fk.RefColumn != "id" || !fk.RefIsPK {
			t.Errorf("boss_id foreign key %+v", boss.ForeignKey)
		}
		rels := relationNames(people)
		for _, r := range []string{
			"boss_id__to__people__id MANYTOONE boss_id people.id",
			"people__boss_id__to__id ONETOMANY id people.boss_id",
			"badges__person_code__to__code ONETOMANY code badges.person_code",
		} {
			if !contains(rels, r) {
				t.Errorf("people relations %q lack %q", rels, r)
			}
		}

		// foreign key to a non-key column, and a clash with a column name
		badges := mustModel(t, s, "badges")
		if !badges.PKAuto || badges.PK().Name != "person_code" || !Required(badges, badges.PK()) {
			t.Errorf("badges: PKAuto %v PK %s", badges.PKAuto, badges.PK().Name)
		}
		if fk := mustColumn(t, badges, "person_code").ForeignKey; fk == nil || fk.RefColumn != "code" || fk.RefIsPK {
			t.Errorf("badges.person_code foreign key %+v", fk)
		}
		if got := relationNames(badges); !reflect.DeepEqual(got, []string{
			"person_code__to__people__code_relation MANYTOONE person_code people.code"}) {
			t.Errorf("badges relations %q", got)
		}

		// composite foreign key: each column points at its own referenced column
		refs := mustModel(t, s, "pair_refs")
		pa, pb := mustColumn(t, refs, "pa").ForeignKey, mustColumn(t, refs, "pb").ForeignKey
		if pa == nil || pb == nil || pa.RefColumn != "a" || pb.RefColumn != "b" || !pa.RefIsPK || pb.RefIsPK {
			t.Errorf("pair_refs foreign keys %+v %+v", pa, pb)
		}
		if got := relationNames(refs); !reflect.DeepEqual(got, []string{"pa__to__pairs__a MANYTOONE pa pairs.a"}) {
			t.Errorf("pair_refs relations %q", got)
		}
		if got := columnNames(mustModel(t, s, "pairs").PrimaryKey); !reflect.DeepEqual(got, []string{"a", "b"}) {
			t.Errorf("pairs key %v", got)
		}

		// identifiers that need quoting
		var weird *Model
		for _, m := range s.Models {
			if m.Table == `we"ird name` || m.Table == "we`ird name" {
				weird = m
			}
		}
		if weird == nil || weird.PK().Name != "Mixed Col" || weird.Column("naïve ü") == nil {
			t.Fatalf("weird table %+v", weird)
		}
		q := "SELECT " + d.Dialect.QuoteIdent("Mixed Col") + ", " + d.Dialect.QuoteIdent("naïve ü") +
			" FROM " + d.Dialect.QuoteTable(weird.Schema, weird.Table)
		if _, err := d.SQL.ExecContext(context.Background(), q); err != nil {
			t.Errorf("%s: %v", q, err)
		}

		switch e {
		case config.EnginePostgres:
			sup := mustModel(t, s, "ext.suppliers")
			if sup.Schema != "ext" || sup.Table != "suppliers" || len(sup.Columns) != 2 || sup.PK().Name != "id" {
				t.Errorf("ext.suppliers %+v", sup)
			}
			if got := relationNames(sup); !reflect.DeepEqual(got, []string{
				"people__supplier_id__to__id ONETOMANY id people.supplier_id"}) {
				t.Errorf("ext.suppliers relations %q", got)
			}
			if fk := mustColumn(t, people, "supplier_id").ForeignKey; fk == nil || fk.RefModel != "ext.suppliers" || fk.RefSchema != "ext" {
				t.Errorf("supplier_id foreign key %+v", fk)
			}
			if !contains(relationNames(people), "supplier_id__to__suppliers__id MANYTOONE supplier_id ext.suppliers.id") {
				t.Errorf("people relations %q", relationNames(people))
			}
			if c := mustColumn(t, people, "d"); c.Kind != KindInteger || c.DataType != "integer" {
				t.Errorf("domain column %v %q", c.Kind, c.DataType)
			}
			if !mustModel(t, s, "mv").IsView {
				t.Error("materialized view is a view")
			}
			if people.Comment != "not json" {
				t.Errorf("people comment %q", people.Comment)
			}
			// DATABASE_ONLY is the whole list: a referenced table of another
			// schema joins only when named (issue 17 L3); DATABASE_EXCEPT
			// can leave it out
			if got := modelNames(mustReflect(t, d, Options{Only: []string{"people"}})); !reflect.DeepEqual(got, []string{"people"}) {
				t.Errorf("DATABASE_ONLY=people: models %q", got)
			}
			if got := modelNames(mustReflect(t, d, Options{Only: []string{"people", "ext.suppliers"}})); !reflect.DeepEqual(got, []string{"ext.suppliers", "people"}) {
				t.Errorf("DATABASE_ONLY=people,ext.suppliers: models %q", got)
			}
			if got := modelNames(mustReflect(t, d, Options{Except: []string{"ext.suppliers"}})); contains(got, "ext.suppliers") {
				t.Errorf("DATABASE_EXCEPT=ext.suppliers: models %q", got)
			}
			// another schema by option: its tables are unqualified, keep their schema
			ext := mustReflect(t, d, Options{Schema: "ext"})
			if got := modelNames(ext); !reflect.DeepEqual(got, []string{"suppliers", "unrelated"}) {
				t.Errorf("schema ext: models %q", got)
			}
			if m := mustModel(t, ext, "suppliers"); m.Schema != "ext" || len(m.Relations) != 0 {
				t.Errorf("ext suppliers: schema %q relations %v", m.Schema, relationNames(m))
			}
			if got := modelNames(mustReflect(t, d, Options{Schema: "no_such_schema"})); len(got) != 0 {
				t.Errorf("missing schema: models %q", got)
			}
		case config.EngineMySQL:
			kind := mustColumn(t, people, "kind")
			if !reflect.DeepEqual(kind.EnumValues, []string{"a", "it's", "b,c"}) || kind.Default == nil || kind.DefaultType != "" {
				t.Errorf("kind enum %q default %v %q", kind.EnumValues, deref(kind.Default), kind.DefaultType)
			}
			if c := people.PK(); !c.Unsigned || c.DBField != FieldBigInteger {
				t.Errorf("people.id %+v", c)
			}
			if c := mustColumn(t, people, "bin"); c.Kind != KindBinary || c.Field != FieldBinary || c.InternalType != "VARBINARY(16)" {
				t.Errorf("bin %+v", c)
			}
			if c := mustColumn(t, people, "yr"); c.Kind != KindInteger || c.Field != FieldChar {
				t.Errorf("yr %+v", c)
			}
		case config.EngineSQLite:
			if c := mustColumn(t, people, "anything"); c.Kind != KindText || c.InternalType != "NULL" {
				t.Errorf("untyped column %+v", c)
			}
			if c := mustColumn(t, people, "money"); c.Kind != KindText || c.InternalType != "MONEY" {
				t.Errorf("MONEY column %+v", c)
			}
			if c := mustColumn(t, people, "big"); c.Kind != KindInteger || c.DBField != FieldBigInteger {
				t.Errorf("UNSIGNED BIG INT column %+v", c)
			}
			if c := mustColumn(t, people, "vc"); c.Length == nil || *c.Length != 30 {
				t.Errorf("NVARCHAR(30) column %+v", c)
			}
			if mustModel(t, s, "wr").PK().AutoIncrement {
				t.Error("WITHOUT ROWID tables have no rowid alias")
			}
			if !mustModel(t, s, "ipk").PK().AutoIncrement {
				t.Error("INTEGER PRIMARY KEY declared as a table constraint is a rowid alias")
			}
		}
	})
}

func TestReflectMySQLOtherDatabaseForeignKey(t *testing.T) {
	d := testdb.New(t, config.EngineMySQL)
	other := d.Schema + "_x"
	testdb.MustExec(t, d, "CREATE DATABASE "+other)
	t.Cleanup(func() { _, _ = d.SQL.ExecContext(context.Background(), "DROP DATABASE IF EXISTS "+other) })
	testdb.Exec(t, d, "CREATE TABLE "+other+".suppliers (sid int PRIMARY KEY);\n"+
		"CREATE TABLE parts (id int PRIMARY KEY, sid int, FOREIGN KEY (sid) REFERENCES "+other+".suppliers (sid));\n")
	s := mustReflect(t, d, Options{})
	if got := modelNames(s); !reflect.DeepEqual(got, []string{"parts"}) {
		t.Fatalf("models %v", got)
	}
	fk := mustColumn(t, mustModel(t, s, "parts"), "sid").ForeignKey
	if fk == nil || fk.RefModel != other+".suppliers" || fk.RefColumn != "sid" {
		t.Fatalf("foreign key %+v", fk)
	}
	if len(mustModel(t, s, "parts").Relations) != 0 {
		t.Errorf("relations to a model that is not exposed: %v", relationNames(mustModel(t, s, "parts")))
	}
	x := mustReflect(t, d, Options{Schema: other})
	if got := modelNames(x); !reflect.DeepEqual(got, []string{"suppliers"}) || x.Model("suppliers").Schema != other {
		t.Errorf("database %s by option: models %q", other, got)
	}
}

type defaultWant struct {
	col   string
	typ   string
	value any
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func deref(p *string) string {
	if p == nil {
		return "<nil>"
	}
	return *p
}

// TestMySQLCollationInType: a string column with a collation other than its
// table's carries it in db_internal_type, as upstream's type string does
// (`VARCHAR(160) COLLATE "utf8mb3_general_ci"` in the recording).
func TestMySQLCollationInType(t *testing.T) {
	d := testdb.New(t, config.EngineMySQL)
	testdb.Exec(t, d, "CREATE TABLE coll (id int PRIMARY KEY, own varchar(20) CHARACTER SET utf8mb3 COLLATE utf8mb3_general_ci, "+
		"same varchar(20), note text COLLATE utf8mb4_bin) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;")
	m := mustModel(t, mustReflect(t, d, Options{}), "coll")
	for col, want := range map[string]string{
		"own":  `VARCHAR(20) COLLATE "utf8mb3_general_ci"`,
		"same": "VARCHAR(20)",
		"note": `TEXT COLLATE "utf8mb4_bin"`,
	} {
		if got := mustColumn(t, m, col).InternalType; got != want {
			t.Errorf("%s: %q, want %q", col, got, want)
		}
	}
}
