package query

import (
	"strconv"
	"strings"

	"github.com/jetbridge/jetbridge/internal/db"
	"github.com/jetbridge/jetbridge/internal/dialect/feature"
	"github.com/jetbridge/jetbridge/internal/schema"
)

// builder writes one SQL statement: identifiers through the dialect's
// quoting, values as bound parameters numbered across the whole statement.
type builder struct {
	d        db.Dialect
	sb       strings.Builder
	args     []any
	quote    byte // d.IdentQuote()
	numbered bool // d has feature.NumberedParams
	// qual qualifies the columns col (and the dialect's Ident) writes:
	// GraphQL's statements name their tables by alias (t0, g1, ...).
	qual string
	// aliases counts the tables named by alias (builder.alias).
	aliases int
}

func newBuilder(d db.Dialect, size int) *builder {
	b := &builder{d: d, args: make([]any, 0, 8), quote: d.IdentQuote(), numbered: d.Has(feature.NumberedParams)}
	b.sb.Grow(size)
	return b
}

// SQL, Ident and Arg make a builder the dialect.Writer that dialects
// render into.
func (b *builder) SQL(s string)      { b.sql(s) }
func (b *builder) Ident(name string) { b.column(name) }
func (b *builder) Arg(v any)         { b.arg(v) }

// cond writes one boolean SQL expression.
type cond func(b *builder)

func (b *builder) sql(s string) { b.sb.WriteString(s) }

// ident writes a quoted identifier, exactly as db.Dialect.QuoteIdent quotes
// it (checked by TestIdentMatchesDialect) but without allocating.
func (b *builder) ident(name string) {
	q := b.quote
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

func (b *builder) col(c *schema.Column) { b.column(c.Name) }

// column writes a column name, qualified by qual when set.
func (b *builder) column(name string) {
	if b.qual != "" {
		b.sb.WriteString(b.qual)
		b.sb.WriteByte('.')
	}
	b.ident(name)
}

// qualified writes with the columns qualified by alias.
func (b *builder) qualified(alias string, write func()) {
	prev := b.qual
	b.qual = alias
	write()
	b.qual = prev
}

// arg binds v and writes its placeholder, as db.Dialect.Placeholder numbers
// it ($n on PostgreSQL, ? elsewhere).
func (b *builder) arg(v any) {
	b.args = append(b.args, v)
	if b.numbered {
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

// textOf writes c as text, for LIKE and text comparisons: the column when
// it compares as text as it is, else cast with the dialect's text cast.
func (b *builder) textOf(c *schema.Column) {
	cast := b.d.TextCast()
	if cast == "" || ((c.Kind == schema.KindText || c.Kind == schema.KindEnum) && b.d.NativeText(c.Kind == schema.KindEnum, c.DataType)) {
		b.col(c)
		return
	}
	b.sql("CAST(")
	b.col(c)
	b.sql(" AS ")
	b.sql(cast)
	b.sql(")")
}

// like is a LIKE pattern ready to bind (lower-cased for SQLite, whose
// jetbridge_lower() folds the column side).
type like struct{ v any }

func newLike(d db.Dialect, pattern string) like {
	return like{v: d.FoldPattern(pattern)}
}
