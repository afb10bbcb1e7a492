package record

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/jetbridge/jetbridge/internal/apierr"
	"github.com/jetbridge/jetbridge/internal/db"
	"github.com/jetbridge/jetbridge/internal/dialect/feature"
	"github.com/jetbridge/jetbridge/internal/schema"
)

// Writer performs the model writes of §9.3, each in one transaction.
type Writer struct {
	DB  *db.DB
	Dec Decoder
	// afterCheck, when set (tests), runs between the check that the key
	// addresses one row and the statement that changes it.
	afterCheck func()
}

// ErrNotFound is returned when the addressed row does not exist.
var ErrNotFound = apierr.NotFound("Not found: no row has this primary key")

// DecodeBody parses a JSON object body.
func DecodeBody(body []byte) (map[string]any, error) {
	var m map[string]any
	if len(strings.TrimSpace(string(body))) == 0 {
		return map[string]any{}, nil
	}
	if err := decodeJSON(body, &m); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field == "" {
			return nil, apierr.NonField("Incorrect JSON body: expected an object like {\"column\": value}, got " + jsonKind(te.Value))
		}
		return nil, apierr.NonField("Incorrect JSON body: " + err.Error())
	}
	if m == nil {
		return nil, apierr.NonField("Incorrect JSON body: expected an object")
	}
	return m, nil
}

// jsonKind names a JSON value kind of encoding/json's UnmarshalTypeError
// ("array", "string", "number", "bool") for people.
func jsonKind(v string) string {
	switch v {
	case "array":
		return "an array"
	case "bool":
		return "true or false"
	case "":
		return "something else"
	}
	return "a " + v
}

type assignment struct {
	col *schema.Column
	val any
}

// values validates body against the model and returns the assignments in
// column order. full=true applies the required-field check (create, PUT).
func (w *Writer) values(m *schema.Model, body map[string]any, create, full bool) ([]assignment, error) {
	errs := map[string][]string{}
	var out []assignment
	for _, c := range m.Columns {
		v, present := body[c.Name]
		if create && c.AutoIncrement && c.PrimaryKey && present && falsy(v) {
			present = false
		}
		if !present {
			if full && schema.Required(m, c) {
				errs[c.Name] = []string{MsgRequired}
			}
			continue
		}
		if m.IsView {
			continue
		}
		if v == nil && create && !c.AutoIncrement {
			switch {
			case c.Kind == schema.KindBoolean && !c.Nullable && (!w.Dec.dialect().Has(feature.TinyIntBooleans) || c.Default == nil):
				// upstream's boolean field reads null as false (MySQL's
				// TINYINT(1) is an integer there: its default applies)
				v = false
			case c.Default != nil:
				continue // null where the column has a default stores the default
			}
		}
		bv, msg := w.Dec.Value(c, v)
		if msg == "" && c.Length != nil && *c.Length > 0 {
			if s, ok := bv.(string); ok && utf8.RuneCountInString(s) > *c.Length {
				msg = fmt.Sprintf("ensure this field has no more than %d characters", *c.Length)
			}
		}
		if msg != "" {
			errs[c.Name] = []string{msg}
			continue
		}
		out = append(out, assignment{c, bv})
	}
	if len(errs) > 0 {
		return nil, apierr.Invalid(errs)
	}
	return out, nil
}

func falsy(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case string:
		return x == ""
	case json.Number:
		return x.String() == "0"
	case bool:
		return !x
	}
	return false
}

// Insert creates a row and returns its primary-key value.
func (w *Writer) Insert(ctx context.Context, m *schema.Model, body map[string]any) (any, error) {
	if m.IsView {
		return nil, apierr.NonField(fmt.Sprintf("%s is a view: rows cannot be created", m.Name))
	}
	as, err := w.values(m, body, true, true)
	if err != nil {
		return nil, err
	}
	pk := m.PK()
	cols := make([]clause.Column, len(as))
	row := make([]any, len(as))
	var explicitPK any
	for i, a := range as {
		cols[i] = w.column(a.col.Name)
		row[i] = a.val
		if a.col == pk {
			explicitPK = a.val
		}
	}
	values := clause.Values{Columns: cols, Values: [][]any{row}}
	if len(as) == 0 {
		values.Values = nil // DEFAULT VALUES, or MySQL's VALUES()
	}
	returning := w.DB.Dialect.Has(feature.Returning)
	var id any
	// one statement, atomic by itself: no BEGIN and COMMIT round trips
	err = w.DB.Session(ctx, func(tx *gorm.DB) error {
		// GORM's INSERT, VALUES and RETURNING clauses with the dialect's
		// quoting, built ahead so that Create runs them as they are (its map
		// create would quote the keys itself and split them at dots).
		stx := tx.Table("?", w.table(m))
		stx.Statement.AddClause(clause.Insert{Table: w.table(m)})
		stx.Statement.AddClause(values)
		clauses := []string{"INSERT", "VALUES"}
		if returning {
			stx.Statement.AddClause(clause.Returning{Columns: []clause.Column{w.column(pk.Name)}})
			clauses = append(clauses, "RETURNING")
		}
		stx.Statement.Build(clauses...)
		out := map[string]any{}
		if err := stx.Create(out).Error; err != nil {
			return err
		}
		switch {
		case explicitPK != nil:
			id = explicitPK // as given (RETURNING reads numerics as floats)
		case returning:
			id = widen(out[pk.Name])
		case pk.AutoIncrement:
			id = out["@id"] // GORM's name for the last insert id
		}
		// As upstream, an explicitly given key leaves a PostgreSQL serial
		// sequence where it is (the recording's next create takes the next
		// sequence value): a later create that reaches the key is refused by
		// the database as a duplicate.
		return nil
	})
	if err != nil {
		return nil, Classify(err, m)
	}
	if id == nil {
		id = explicitPK
	}
	return id, nil
}

// Update changes the row addressed by pk. partial=false is PUT: required
// fields must be present, absent optional columns stay unchanged.
func (w *Writer) Update(ctx context.Context, m *schema.Model, pk any, body map[string]any, partial bool) error {
	if m.IsView {
		return apierr.NonField(fmt.Sprintf("%s is a view: rows cannot be changed", m.Name))
	}
	as, err := w.values(m, body, false, !partial)
	if err != nil {
		return err
	}
	set := make(clause.Set, len(as))
	for i, a := range as {
		set[i] = clause.Assignment{Column: w.column(a.col.Name), Value: a.val}
	}
	err = w.DB.Write(ctx, func(tx *gorm.DB) error {
		conn := tx.Statement.ConnPool
		if err := w.addressOne(ctx, conn, m, pk); err != nil {
			return err
		}
		if len(as) == 0 {
			return nil
		}
		if w.afterCheck != nil {
			w.afterCheck()
		}
		res := w.onRow(tx, m, pk).Clauses(set).Updates(map[string]any{})
		if res.Error != nil {
			return res.Error
		}
		return exactlyOne(res.RowsAffected, m, pk)
	})
	if err != nil {
		return Classify(err, m)
	}
	return nil
}

// column is a column of the reflected table for GORM's clauses, quoted by
// the dialect (GORM's own quoting would split a name at its dots).
func (w *Writer) column(name string) clause.Column {
	return clause.Column{Name: w.DB.Dialect.QuoteIdent(name), Raw: true}
}

// onRow is GORM's API on the reflected table, narrowed to the row whose
// primary key is pk.
func (w *Writer) onRow(tx *gorm.DB, m *schema.Model, pk any) *gorm.DB {
	return tx.Table("?", w.table(m)).Where(clause.Eq{Column: w.column(m.PK().Name), Value: pk})
}

// widen gives RETURNING's integers the type database/sql gives them
// (GORM scans a map's values into the driver's narrower scan types).
func widen(v any) any {
	switch x := v.(type) {
	case int32:
		return int64(x)
	case int16:
		return int64(x)
	case int8:
		return int64(x)
	case int:
		return int64(x)
	}
	return v
}

// table is the reflected table for GORM's clauses, quoted by the dialect.
func (w *Writer) table(m *schema.Model) clause.Table {
	return clause.Table{Name: w.DB.Dialect.QuoteTable(m.Schema, m.Table), Raw: true}
}

// Delete removes the row addressed by pk, following the database's own
// foreign-key rules.
func (w *Writer) Delete(ctx context.Context, m *schema.Model, pk any) error {
	if m.IsView {
		return apierr.NonField(fmt.Sprintf("%s is a view: rows cannot be deleted", m.Name))
	}
	err := w.DB.Write(ctx, func(tx *gorm.DB) error {
		conn := tx.Statement.ConnPool
		if err := w.addressOne(ctx, conn, m, pk); err != nil {
			return err
		}
		if w.afterCheck != nil {
			w.afterCheck()
		}
		res := w.onRow(tx, m, pk).Delete(map[string]any{})
		if res.Error != nil {
			return res.Error
		}
		return exactlyOne(res.RowsAffected, m, pk)
	})
	if err != nil {
		return Classify(err, m)
	}
	return nil
}

type execQuerier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// addressOne checks that exactly one row has the key: none is 404, several
// (the first column of a composite key) is 400 rather than touching them all.
func (w *Writer) addressOne(ctx context.Context, conn execQuerier, m *schema.Model, pk any) error {
	d := w.DB.Dialect
	q := "SELECT 1 FROM " + d.QuoteTable(m.Schema, m.Table) + " WHERE " + d.QuoteIdent(m.PK().Name) + " = " + d.Placeholder(1) + " LIMIT 2"
	rows, err := conn.QueryContext(ctx, q, pk)
	if err != nil {
		return err
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		n++
	}
	if err := rows.Err(); err != nil {
		return err
	}
	switch {
	case n == 0:
		return ErrNotFound
	case n > 1:
		return severalRows(m, pk)
	}
	return nil
}

func severalRows(m *schema.Model, pk any) error {
	names := make([]string, len(m.PrimaryKey))
	for i, c := range m.PrimaryKey {
		names[i] = c.Name
	}
	return apierr.NonField(fmt.Sprintf("%s = %v matches several rows (the primary key is %s): refusing to change more than one row",
		m.PK().Name, pk, strings.Join(names, ", ")))
}

// exactlyOne fails a change that touched more than one row (a row with the
// same first key column appeared after the check, issue 17 L1), so that
// the transaction is rolled back. (MySQL counts changed rows only, so 0 is
// not an error.)
func exactlyOne(n int64, m *schema.Model, pk any) error {
	if n > 1 {
		return severalRows(m, pk)
	}
	return nil
}

// SortedKeys is a helper for deterministic error bodies in tests.
func SortedKeys(m map[string][]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

var _ = errors.New
