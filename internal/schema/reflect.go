package schema

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"

	"github.com/jetbridge/jetbridge/internal/db"
	"github.com/jetbridge/jetbridge/internal/dialect"
)

// Options limits what Reflect exposes (DATABASE_SCHEMA, DATABASE_ONLY,
// DATABASE_EXCEPT, DATABASE_MAX_TABLES).
type Options struct {
	// Schema is the PostgreSQL schema (or MySQL database) to reflect;
	// "" means the connection's own (db.DB.Schema). Ignored for SQLite.
	Schema string
	// Only and Except are exact, unqualified table or view names.
	Only, Except []string
	// MaxTables stops after that many tables and views, in name order;
	// 0 means no limit.
	MaxTables int
}

// InternalPrefix starts the names of the bridge's own tables, which are never
// exposed as models.
const InternalPrefix = "__jet__"

// querier is what reflection needs from the pool; tests wrap it to count
// catalog queries.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// Reflect reads the tables and views of one schema with their columns, keys
// and foreign keys, issuing a fixed number of catalog queries whatever the
// number of tables (PostgreSQL 3, MySQL 3, MariaDB 4, SQLite 2), one after
// the other on one connection of the data-access layer (db.DB.Run: one
// turn at the gate, bounded by SQL_TIMEOUT when ctx has no deadline).
func Reflect(ctx context.Context, d *db.DB, opt Options) (*Schema, error) {
	var s *Schema
	err := d.Run(ctx, func(ctx context.Context, c *sql.Conn) (err error) {
		s, err = reflectWith(ctx, c, d.Dialect.Dialect, d.Version, d.Schema, opt)
		return err
	})
	return s, err
}

// reflector reads one kind of system catalog.
type reflector struct {
	// load reads the tables of schema (the dialect's TableSchema) on a
	// server of version.
	load func(ctx context.Context, q querier, schema, version string) ([]*rawTable, error)
	// needsSchema: the catalog is read for one named schema (a MySQL
	// database), which must be known.
	needsSchema bool
	catalogRules
}

// catalogRules are how a catalog's tables become models.
type catalogRules struct {
	// foldNames: table and column names are case-insensitive (keys and
	// foreign keys may name them in another case).
	foldNames bool
	// rowid: a table has a rowid that a single INTEGER PRIMARY KEY is an
	// alias of (so it auto-increments), and the catalog reports key
	// columns nullable.
	rowid bool
}

// reflectors has a catalog reader for each dialect.CatalogKind.
var reflectors = map[dialect.CatalogKind]reflector{
	dialect.CatalogPgCatalog:         {load: loadPostgres},
	dialect.CatalogInformationSchema: {load: loadMySQL, needsSchema: true},
	dialect.CatalogPragma: {load: func(ctx context.Context, q querier, _, _ string) ([]*rawTable, error) {
		return loadSQLite(ctx, q)
	}, catalogRules: catalogRules{foldNames: true, rowid: true}},
}

func reflectWith(ctx context.Context, q querier, d dialect.Dialect, version, dbSchema string, opt Options) (*Schema, error) {
	main := opt.Schema
	if main == "" {
		main = dbSchema
	}
	main = d.TableSchema(main)
	r, ok := reflectors[d.CatalogKind()]
	if !ok {
		return nil, fmt.Errorf("reflect: no catalog reader for %s", d.Name())
	}
	if r.needsSchema && main == "" {
		return nil, fmt.Errorf("reflect %s: no database selected (set DATABASE_NAME)", d.Name())
	}
	tables, err := r.load(ctx, q, main, version)
	if err != nil {
		return nil, err
	}
	return assemble(tables, main, r.catalogRules, opt), nil
}

// rawTable is one table as a catalog loader found it, before filtering.
type rawTable struct {
	schema  string
	name    string
	view    bool
	comment string
	cols    []*Column
	pk      []string // key column names in key order
	fks     []rawFK
	// withoutRowID: SQLite WITHOUT ROWID table (no rowid alias)
	withoutRowID bool
}

// rawFK is one foreign-key constraint.
type rawFK struct {
	name      string
	cols      []string
	refSchema string
	refTable  string
	refCols   []string // empty: the referenced table's primary key (SQLite)
}

type tableKey struct{ schema, name string }

// assemble filters the loaded tables, promotes primary keys, resolves
// foreign keys and builds relations, following the catalog's rules.
func assemble(tables []*rawTable, main string, rules catalogRules, opt Options) *Schema {
	foldNames := rules.foldNames
	byKey := make(map[tableKey]*rawTable, len(tables))
	var folded map[tableKey]*rawTable // case-insensitive names (SQLite)
	if foldNames {
		folded = make(map[tableKey]*rawTable, len(tables))
	}
	for _, t := range tables {
		byKey[tableKey{t.schema, t.name}] = t
		if foldNames {
			folded[tableKey{t.schema, strings.ToLower(t.name)}] = t
		}
	}
	lookup := func(schema, name string) *rawTable {
		if t := byKey[tableKey{schema, name}]; t != nil {
			return t
		}
		if foldNames {
			return folded[tableKey{schema, strings.ToLower(name)}]
		}
		return nil
	}

	only := set(opt.Only)
	except := set(opt.Except)
	var kept []*rawTable
	for _, t := range tables {
		if t.schema != main || !exposable(t) {
			continue
		}
		if only != nil && !only[t.name] {
			continue
		}
		if except[t.name] {
			continue
		}
		kept = append(kept, t)
	}
	sort.Slice(kept, func(i, j int) bool { return kept[i].name < kept[j].name })
	if opt.MaxTables > 0 && len(kept) > opt.MaxTables {
		kept = kept[:opt.MaxTables]
	}
	// tables of other schemas referenced by a kept table join as
	// schema.table; with DATABASE_ONLY only when it names them so, and
	// never when DATABASE_EXCEPT does (issue 17 L3: DATABASE_ONLY is the
	// whole list of what is served)
	inSet := make(map[*rawTable]bool, len(kept))
	for _, t := range kept {
		inSet[t] = true
	}
	n := len(kept)
	for _, t := range kept[:n] {
		for _, fk := range t.fks {
			if fk.refSchema == main {
				continue
			}
			r := lookup(fk.refSchema, fk.refTable)
			if r == nil {
				continue
			}
			qualified := r.schema + "." + r.name
			if (only != nil && !only[qualified]) || except[qualified] {
				continue
			}
			if !inSet[r] && exposable(r) {
				inSet[r] = true
				kept = append(kept, r)
			}
		}
	}

	modelName := func(schema, table string) string {
		if schema == main {
			return table
		}
		return schema + "." + table
	}
	models := make([]*Model, 0, len(kept))
	byRaw := make(map[*rawTable]*Model, len(kept))
	for _, t := range kept {
		m := buildModel(t, modelName(t.schema, t.name), rules)
		models = append(models, m)
		byRaw[t] = m
	}

	// foreign keys: per column (first constraint wins) and relations
	type rel struct {
		on *Model
		r  Relation
	}
	var rels []rel
	for _, t := range kept {
		m := byRaw[t]
		fks := append([]rawFK(nil), t.fks...)
		sort.SliceStable(fks, func(i, j int) bool { return fks[i].name < fks[j].name })
		for _, fk := range fks {
			ref := lookup(fk.refSchema, fk.refTable)
			refTable := fk.refTable
			refSchema := fk.refSchema
			if ref != nil {
				refTable, refSchema = ref.name, ref.schema
			}
			refCols := fk.refCols
			if len(refCols) == 0 && ref != nil {
				refCols = ref.pk
			}
			if len(refCols) != len(fk.cols) || len(refCols) == 0 {
				continue
			}
			refModel := modelName(refSchema, refTable)
			for i, cn := range fk.cols {
				c := m.Column(cn)
				if c == nil && foldNames {
					c = columnFold(m, cn)
				}
				if c == nil || c.ForeignKey != nil {
					continue
				}
				rc := refCols[i]
				isPK := true
				if ref != nil {
					rc = refColumnName(ref, rc, foldNames)
					isPK = len(ref.pk) > 0 && ref.pk[0] == rc
				}
				c.ForeignKey = &ForeignKey{Constraint: fk.name, RefSchema: refSchema, RefTable: refTable,
					RefModel: refModel, RefColumn: rc, RefIsPK: isPK}
			}
			parent := byRaw[ref]
			if parent == nil {
				continue // the referenced table is not exposed
			}
			local := m.Column(fk.cols[0])
			if local == nil && foldNames {
				local = columnFold(m, fk.cols[0])
			}
			if local == nil {
				continue
			}
			rc := refColumnName(ref, refCols[0], foldNames)
			rels = append(rels,
				rel{m, Relation{
					Name:         local.Name + "__to__" + ref.name + "__" + rc,
					Direction:    "MANYTOONE",
					LocalField:   local.Name,
					RelatedModel: parent.Name,
					RelatedField: rc,
				}},
				rel{parent, Relation{
					Name:         t.name + "__" + local.Name + "__to__" + rc,
					Direction:    "ONETOMANY",
					LocalField:   rc,
					RelatedModel: m.Name,
					RelatedField: local.Name,
				}})
		}
	}
	for _, x := range rels {
		r := x.r
		if x.on.Column(r.Name) != nil {
			r.Name += "_relation"
		}
		x.on.Relations = append(x.on.Relations, r)
	}
	for _, m := range models {
		sort.SliceStable(m.Relations, func(i, j int) bool { return m.Relations[i].Name < m.Relations[j].Name })
	}
	sort.Slice(models, func(i, j int) bool { return models[i].Name < models[j].Name })
	return New(models)
}

// exposable drops internal tables and tables without columns.
func exposable(t *rawTable) bool {
	if len(t.cols) == 0 || strings.HasPrefix(t.name, InternalPrefix) {
		return false
	}
	return !strings.HasPrefix(t.name, "pg_stat_statements")
}

func buildModel(t *rawTable, name string, rules catalogRules) *Model {
	m := &Model{Name: name, Schema: t.schema, Table: t.name, IsView: t.view, Columns: t.cols}
	m.Comment = t.comment
	m.index()
	if t.view {
		// views are read-only: defaults and sequences do not apply
		for _, c := range m.Columns {
			c.Default, c.DefaultType, c.DefaultValue, c.AutoIncrement = nil, "", nil, false
		}
	}
	for _, pn := range t.pk {
		c := m.Column(pn)
		if c == nil && rules.foldNames {
			c = columnFold(m, pn)
		}
		if c == nil {
			continue
		}
		c.PrimaryKey = true
		c.CatalogNull = c.Nullable && rules.rowid
		c.Nullable = false // SQLite reports INTEGER PRIMARY KEY as nullable
		m.PrimaryKey = append(m.PrimaryKey, c)
	}
	if len(m.PrimaryKey) == 0 {
		c := m.Columns[0]
		c.PrimaryKey = true
		m.PrimaryKey = []*Column{c}
		m.PKAuto = true
	}
	if rules.rowid && !t.view && !t.withoutRowID && len(m.PrimaryKey) == 1 && !m.PKAuto {
		// INTEGER PRIMARY KEY is an alias of the rowid
		if c := m.PrimaryKey[0]; strings.EqualFold(strings.TrimSpace(c.DataType), "integer") {
			c.AutoIncrement = true
		}
	}
	return m
}

func columnFold(m *Model, name string) *Column {
	for _, c := range m.Columns {
		if strings.EqualFold(c.Name, name) {
			return c
		}
	}
	return nil
}

// refColumnName returns the referenced column's own spelling.
func refColumnName(ref *rawTable, name string, foldNames bool) string {
	if !foldNames {
		return name
	}
	for _, c := range ref.cols {
		if strings.EqualFold(c.Name, name) {
			return c.Name
		}
	}
	return name
}

func set(names []string) map[string]bool {
	if len(names) == 0 {
		return nil
	}
	out := make(map[string]bool, len(names))
	for _, n := range names {
		out[n] = true
	}
	return out
}
