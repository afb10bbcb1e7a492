// Package schema reflects tables, views, columns, primary and foreign keys of
// a database into Models, and renders them as the spec's model descriptions.
package schema

// Kind is how the bridge treats a column's values: which filters apply
// (spec §9.4), how values are read from the database and written as JSON
// (§9.2), and how input is parsed.
type Kind int

// Column kinds.
const (
	KindText     Kind = iota // VARCHAR, TEXT, CHAR, TIME, INTERVAL, INET, unknown: JSON string
	KindInteger              // all integer types: JSON number
	KindFloat                // FLOAT, REAL, DOUBLE: JSON number
	KindDecimal              // NUMERIC/DECIMAL(p,s): JSON string (exact)
	KindBoolean              // BOOLEAN, MySQL TINYINT(1)
	KindDate                 // DATE: "YYYY-MM-DD"
	KindDateTime             // TIMESTAMP/DATETIME with or without time zone
	KindTime                 // TIME: "HH:MM:SS[.ffffff]"
	KindJSON                 // JSON, JSONB: raw JSON
	KindArray                // PostgreSQL arrays: JSON array
	KindBinary               // BYTEA, BLOB, BINARY: lowercase hex string
	KindUUID                 // UUID: canonical string
	KindEnum                 // ENUM: string, with EnumValues
)

// Column is one reflected column.
type Column struct {
	Name     string
	Position int // 1-based ordinal in the table
	// DataType is the engine's own type name as the catalog reports it, lower
	// case, e.g. "character varying", "timestamp with time zone", "bigint unsigned".
	DataType string
	// InternalType is the SQLAlchemy-style type string of params.db_internal_type,
	// e.g. "VARCHAR(255)", "NUMERIC(10, 2)", "INTEGER", "TIMESTAMP", "JSONB".
	InternalType  string
	Kind          Kind
	Field         string // model description "field" (§8.5), before the ForeignKey override
	DBField       string // model description "db_field"
	Nullable      bool
	Default       *string // the server default expression as the catalog gives it
	AutoIncrement bool
	Length        *int // character length for string types
	EnumValues    []string
	HasTimezone   bool // timestamptz: values carry an offset
	TextJSON      bool // MariaDB's JSON: LONGTEXT with a json_valid check (filtered as text)
	// CatalogNull: the catalog calls the column nullable though it cannot
	// hold NULL (SQLite's INTEGER PRIMARY KEY): descriptions say "null": true,
	// as upstream's reflection does.
	CatalogNull bool
	Unsigned    bool
	// IntBits is the storage size of a PostgreSQL or MySQL integer column
	// (8, 16, 24, 32, 64; with Unsigned for MySQL), 0 when the database
	// takes any 64-bit integer (SQLite) or the size is unknown.
	IntBits    int
	PrimaryKey bool
	ForeignKey *ForeignKey
	Comment    string

	// StringType marks character types (VARCHAR, CHAR, TEXT, ENUM...): the
	// description carries params.length for them (null when unbounded).
	StringType bool
	// ElemType and ElemKind describe a PostgreSQL array's element type
	// (catalog type name, e.g. "int4", "text"); empty for other kinds.
	ElemType string
	ElemKind Kind
	// Generated marks a column computed by the database (GENERATED ALWAYS
	// AS ...): it is never written. Default then holds the expression.
	Generated bool
	// DefaultType and DefaultValue are the description's default_type and
	// default_value (§8.2), parsed from Default at reflection. DefaultType
	// is "" when the default has no description form; DefaultValue is nil
	// when the key is omitted, else a bool, a string or a json.Number.
	DefaultType  string
	DefaultValue any
}

// ForeignKey is the first foreign key a column takes part in.
type ForeignKey struct {
	Constraint string
	RefSchema  string
	RefTable   string
	RefModel   string // the referenced Model's Name
	RefColumn  string
	// RefIsPK reports that RefColumn is the referenced table's first (real)
	// primary-key column; when false the description carries
	// params.custom_primary_key.
	RefIsPK bool
}

// Relation is a MANYTOONE or ONETOMANY relation of a model (§8.4).
type Relation struct {
	Name         string `json:"name"`
	Direction    string `json:"direction"`
	LocalField   string `json:"local_field"`
	RelatedModel string `json:"related_model"`
	RelatedField string `json:"related_field"`
}

// Model is one reflected table or view.
type Model struct {
	Name   string // the model name: table, or schema.table for other schemas
	Schema string // the table's schema ("" for SQLite main, the database for MySQL)
	Table  string
	IsView bool
	Hidden bool
	// Columns in table order.
	Columns []*Column
	// PrimaryKey lists the reflected key columns in key order. For a table
	// without a key it holds the first column and PKAuto is true.
	PrimaryKey []*Column
	PKAuto     bool
	Relations  []Relation
	Comment    string

	byName map[string]*Column
}

// Column returns the column with that exact name, or nil.
func (m *Model) Column(name string) *Column {
	if m.byName == nil {
		m.index()
	}
	return m.byName[name]
}

// PK returns the first primary-key column (the one the API addresses rows by).
func (m *Model) PK() *Column {
	if len(m.PrimaryKey) == 0 {
		return nil
	}
	return m.PrimaryKey[0]
}

func (m *Model) index() {
	m.byName = make(map[string]*Column, len(m.Columns))
	for _, c := range m.Columns {
		m.byName[c.Name] = c
	}
}

// Schema is the set of exposed models, immutable once built.
type Schema struct {
	Models []*Model // sorted by Name
	byName map[string]*Model
}

// New indexes models (which must be sorted by Name) into a Schema.
func New(models []*Model) *Schema {
	s := &Schema{Models: models, byName: make(map[string]*Model, len(models))}
	for _, m := range models {
		m.index()
		s.byName[m.Name] = m
	}
	return s
}

// Model returns the model with that name, or nil.
func (s *Schema) Model(name string) *Model {
	if s == nil {
		return nil
	}
	return s.byName[name]
}
