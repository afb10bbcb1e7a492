package graphql

import (
	"sort"
	"sync"

	"github.com/jetbridge/jetbridge/internal/db"
	"github.com/jetbridge/jetbridge/internal/dialect/feature"
	"github.com/jetbridge/jetbridge/internal/schema"
)

// MaxFilterDepth is how deep relation filters nest (spec §4): deeper filter
// types have no relation or _not_ fields.
const MaxFilterDepth = 4

// MaxLookupDepth bounds the nesting of lookups the same way.
const MaxLookupDepth = 6

// Schema is the GraphQL view of one reflected schema for one set of request
// flags (base62, overrides). Tables are built lazily on first use, so a
// database with thousands of tables pays only for the ones queried.
type Schema struct {
	src       *schema.Schema
	dialect   db.Dialect
	base62    bool
	overrides map[string][]schema.Relation
	roots     map[string]*schema.Model // root field name -> model
	rootOrder []string

	mu     sync.Mutex
	tables map[*schema.Model]*Table

	// pageBufs recycles the fast path's row buffers (*[]byte).
	pageBufs sync.Pool
	// memo holds parsed (and validated) query texts.
	memo queryMemo
}

// NewSchema prepares the GraphQL schema; overrides are the stored relation
// overrides per model name.
func NewSchema(src *schema.Schema, d db.Dialect, base62 bool, overrides map[string][]schema.Relation) *Schema {
	s := &Schema{src: src, dialect: d, base62: base62, overrides: overrides,
		roots: make(map[string]*schema.Model, len(src.Models)), tables: map[*schema.Model]*Table{}}
	for _, m := range src.Models {
		n := s.name(m.Name)
		if _, dup := s.roots[n]; !dup {
			s.rootOrder = append(s.rootOrder, n)
		}
		s.roots[n] = m
	}
	return s
}

func (s *Schema) name(raw string) string {
	if s.base62 {
		return base62Name(raw)
	}
	return cleanName(raw)
}

// TablesBuilt is how many tables' types were built so far.
func (s *Schema) TablesBuilt() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.tables)
}

// Root returns the table of a root field name.
func (s *Schema) Root(name string) *Table {
	m := s.roots[name]
	if m == nil {
		return nil
	}
	return s.table(m)
}

// lookupKind is the filter input type of a column (spec §4).
type lookupKind string

const (
	lkText      lookupKind = "text"
	lkSelect    lookupKind = "select"
	lkBoolean   lookupKind = "boolean"
	lkNumber    lookupKind = "number"
	lkDatetime  lookupKind = "datetime"
	lkJSON      lookupKind = "json"
	lkBinary    lookupKind = "binary"
	lkGeography lookupKind = "geography"
	// lkFlag is MariaDB's TINYINT(1): number lookups that take booleans.
	lkFlag lookupKind = "flag"
)

// lookupsOf lists the lookups of each kind, in upstream's field order.
var lookupsOf = map[lookupKind][]string{
	lkText:      {"in", "eq", "containsI", "startsWithI", "endsWithI", "isNull", "isEmpty"},
	lkSelect:    {"in", "eq", "containsI", "startsWithI", "endsWithI", "isNull", "isEmpty"},
	lkBoolean:   {"in", "eq", "isNull", "isEmpty"},
	lkNumber:    {"in", "eq", "gt", "gte", "lt", "lte", "containsI", "isNull", "isEmpty"},
	lkDatetime:  {"in", "eq", "gt", "gte", "lt", "lte", "containsI", "isNull", "isEmpty"},
	lkJSON:      {"in", "eq", "jsonContainsI", "isNull", "isEmpty"},
	lkBinary:    {"in", "eq", "isNull", "isEmpty"},
	lkGeography: {"coveredBy"},
	lkFlag:      {"in", "eq", "gt", "gte", "lt", "lte", "containsI", "isNull", "isEmpty"},
}

// Col is one column as GraphQL sees it.
type Col struct {
	C    *schema.Column
	Name string // cleaned or base62 name
	Kind lookupKind
	FK   *Rel // the many-to-one relation whose local column this is
}

// Rel is a relation: many-to-one (from a column) or one-to-many (a key of
// its own).
type Rel struct {
	Name   string // GraphQL name
	O2M    bool
	Local  *schema.Column // column of this table
	Target *schema.Model
	Remote *schema.Column // column of the target table
}

// Table is one model's GraphQL types.
type Table struct {
	M     *schema.Model
	Name  string
	Cols  []*Col
	byCol map[string]*Col
	Rels  []*Rel // one-to-many relations, by name
	byRel map[string]*Rel
}

// Col returns the column of that GraphQL name.
func (t *Table) Col(name string) *Col { return t.byCol[name] }

// Rel returns the one-to-many relation of that GraphQL name.
func (t *Table) Rel(name string) *Rel { return t.byRel[name] }

func (s *Schema) table(m *schema.Model) *Table {
	s.mu.Lock()
	defer s.mu.Unlock()
	if t := s.tables[m]; t != nil {
		return t
	}
	t := &Table{M: m, Name: s.name(m.Name), byCol: map[string]*Col{}, byRel: map[string]*Rel{}}
	for _, c := range m.Columns {
		gc := &Col{C: c, Name: s.name(c.Name), Kind: s.kindOf(c)}
		if _, dup := t.byCol[gc.Name]; !dup {
			t.Cols = append(t.Cols, gc)
		} else {
			for i, x := range t.Cols {
				if x.Name == gc.Name {
					t.Cols[i] = gc
				}
			}
		}
		t.byCol[gc.Name] = gc
	}
	rels := append([]schema.Relation(nil), m.Relations...)
	for _, o := range s.overrides[m.Name] {
		replaced := false
		for i, r := range rels {
			if r.Name == o.Name {
				rels[i], replaced = o, true
			}
		}
		if !replaced {
			rels = append(rels, o)
		}
	}
	sort.SliceStable(rels, func(i, j int) bool { return rels[i].Name < rels[j].Name })
	for _, r := range rels {
		local := m.Column(r.LocalField)
		target := s.src.Model(r.RelatedModel)
		if local == nil || target == nil {
			continue
		}
		remote := target.Column(r.RelatedField)
		if remote == nil {
			continue
		}
		rel := &Rel{Name: s.name(r.Name), O2M: r.Direction == "ONETOMANY", Local: local, Target: target, Remote: remote}
		if rel.O2M {
			if _, dup := t.byRel[rel.Name]; !dup {
				t.Rels = append(t.Rels, rel)
			}
			t.byRel[rel.Name] = rel
			continue
		}
		// the column's relation is its first many-to-one relation by name
		// (an override of the same name replaced the foreign key's above)
		if gc := t.byCol[s.name(local.Name)]; gc != nil && gc.C == local && gc.FK == nil {
			gc.FK = rel
		}
	}
	s.tables[m] = t
	return t
}

func (s *Schema) kindOf(c *schema.Column) lookupKind {
	switch c.Field {
	case schema.FieldGeometry, schema.FieldGeography:
		return lkGeography
	}
	switch c.Kind {
	case schema.KindEnum:
		return lkSelect
	case schema.KindBoolean:
		if s.dialect.Has(feature.TinyIntBooleans) {
			return lkFlag
		}
		return lkBoolean
	case schema.KindInteger, schema.KindFloat, schema.KindDecimal:
		return lkNumber
	case schema.KindDate, schema.KindDateTime:
		return lkDatetime
	case schema.KindJSON, schema.KindArray:
		if s.dialect.Has(feature.JSONText) {
			return lkText
		}
		return lkJSON
	case schema.KindBinary:
		return lkBinary
	}
	return lkText
}
