package query

import (
	"strconv"
	"strings"

	"github.com/jetbridge/jetbridge/internal/db"
	"github.com/jetbridge/jetbridge/internal/schema"
)

// builder writes one SQL statement: identifiers through the dialect's
// quoting, values as bound parameters numbered across the whole statement.
type builder struct {
	d    db.Dialect
	sb   strings.Builder
	args []any
}

func newBuilder(d db.Dialect, size int) *builder {
	b := &builder{d: d, args: make([]any, 0, 8)}
	b.sb.Grow(size)
	return b
}

// cond writes one boolean SQL expression.
type cond func(b *builder)

func (b *builder) sql(s string) { b.sb.WriteString(s) }

// ident writes a quoted identifier, exactly as db.Dialect.QuoteIdent quotes
// it (checked by TestIdentMatchesDialect) but without allocating.
func (b *builder) ident(name string) {
	q := byte('"')
	if b.d.MySQL() {
		q = '`'
	}
	b.sb.WriteByte(q)
	if strings.IndexByte(name, q) < 0 {
		b.sb.WriteString(name)
	} else {
		for i := 0; i < len(name); i++ {
			if name[i] == q {
				b.sb.WriteByte(q)
			}
			b.sb.WriteByte(name[i])
		}
	}
	b.sb.WriteByte(q)
}

// table writes a possibly schema-qualified table name, as db.Dialect.QuoteTable.
func (b *builder) table(schemaName, table string) {
	if schemaName != "" {
		b.ident(schemaName)
		b.sb.WriteByte('.')
	}
	b.ident(table)
}

func (b *builder) col(c *schema.Column) { b.ident(c.Name) }

// arg binds v and writes its placeholder, as db.Dialect.Placeholder numbers
// it ($n on PostgreSQL, ? elsewhere).
func (b *builder) arg(v any) {
	b.args = append(b.args, v)
	if b.d.Postgres() {
		var buf [24]byte
		b.sb.WriteByte('$')
		b.sb.Write(strconv.AppendInt(buf[:0], int64(len(b.args)), 10))
		return
	}
	b.sb.WriteByte('?')
}

func (b *builder) String() string { return b.sb.String() }

// falseSQL is a condition no row satisfies, written the same on every engine.
const falseSQL = "1 = 0"

// likeEscape is the LIKE escape character: not a backslash, whose meaning in
// string literals differs between engines and SQL modes.
const likeEscape = '!'

// escapeLike makes %, _ and the escape character match literally.
func escapeLike(s string) string {
	if !strings.ContainsAny(s, "%_!") {
		return s
	}
	var sb strings.Builder
	sb.Grow(len(s) + 4)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '%' || c == '_' || c == likeEscape {
			sb.WriteByte(likeEscape)
		}
		sb.WriteByte(c)
	}
	return sb.String()
}

// textOf writes c as text, for LIKE and text comparisons.
func (b *builder) textOf(c *schema.Column) {
	switch {
	case b.d.Postgres():
		if (c.Kind == schema.KindText) && pgCharType(c.DataType) {
			b.col(c)
			return
		}
		b.sql("CAST(")
		b.col(c)
		b.sql(" AS text)")
	case b.d.MySQL():
		if c.Kind == schema.KindText || c.Kind == schema.KindEnum {
			b.col(c)
			return
		}
		b.sql("CAST(")
		b.col(c)
		b.sql(" AS CHAR)")
	default:
		b.col(c)
	}
}

// pgCharType reports whether a PostgreSQL catalog type name is a character
// type that LIKE and = apply to without a cast. Unknown ("") counts as text.
func pgCharType(t string) bool {
	t = strings.ToLower(t)
	switch t {
	case "", "text", "character varying", "varchar", "character", "char", "bpchar", "name", "citext":
		return true
	}
	return strings.HasPrefix(t, "character") || strings.HasPrefix(t, "varchar") || strings.HasPrefix(t, "char(")
}

// likeText writes "<text of c> matches pattern, case-insensitively". The
// pattern is already escaped with escapeLike and carries its own % wildcards.
//
//   - PostgreSQL: ILIKE (Unicode case folding by the database's ctype).
//   - MySQL/MariaDB: LOWER() on both sides, so binary collations match too;
//     note that *_ci collations also ignore accents.
//   - SQLite: jetbridge_lower() (Go's Unicode lower-casing, registered by this
//     package) on the column; the pattern is lower-cased in Go.
func (b *builder) likeText(c *schema.Column, pattern like) {
	switch {
	case b.d.Postgres():
		b.textOf(c)
		b.sql(" ILIKE ")
		b.arg(pattern.v)
	case b.d.MySQL():
		b.sql("LOWER(")
		b.textOf(c)
		b.sql(") LIKE LOWER(")
		b.arg(pattern.v)
		b.sql(")")
	default:
		b.sql(sqliteLower + "(")
		b.textOf(c)
		b.sql(") LIKE ")
		b.arg(pattern.v)
	}
	b.sql(" ESCAPE '!'")
}

// like is a LIKE pattern ready to bind (lower-cased for SQLite, whose
// jetbridge_lower() folds the column side).
type like struct{ v any }

func newLike(d db.Dialect, pattern string) like {
	if d.SQLite() {
		pattern = strings.ToLower(pattern)
	}
	return like{v: pattern}
}
