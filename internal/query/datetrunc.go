package query

import (
	"strings"

	"github.com/jetbridge/jetbridge/internal/dialect/feature"
	"github.com/jetbridge/jetbridge/internal/schema"
)

// isDateUnit reports whether u is a unit of _x_lookup=date_<unit> (§9.7).
func isDateUnit(u string) bool {
	switch u {
	case "microsecond", "millisecond", "second", "minute", "hour", "day", "week", "month", "quarter", "year":
		return true
	}
	return false
}

// subDay reports whether truncating a DATE to u leaves it unchanged.
func subDay(u string) bool {
	switch u {
	case "microsecond", "millisecond", "second", "minute", "hour", "day":
		return true
	}
	return false
}

// writeGroupExpr writes the expression of one group level. unit "" is the
// plain column. Truncations give the same buckets on every engine: the start
// of the unit, weeks starting on Monday, quarters on Jan/Apr/Jul/Oct 1st.
// Results are a timestamp (PostgreSQL) or "YYYY-MM-DD HH:MM:SS[.ffffff]" text
// (MySQL, SQLite) for datetimes, and a date or "YYYY-MM-DD" for dates.
func (q *Query) writeGroupExpr(b *builder, c *schema.Column, unit string) {
	d := q.Dialect
	if unit == "" {
		switch {
		case c.Kind == schema.KindDateTime || c.Kind == schema.KindDate:
			b.valueExpr(c)
		case d.Has(feature.JSONContainment) && c.Kind == schema.KindJSON && !strings.EqualFold(c.DataType, "jsonb"):
			b.sql("CAST(") // json has no equality operator; jsonb has
			b.col(c)
			b.sql(" AS jsonb)")
		default:
			b.col(c)
		}
		return
	}
	if c.Kind == schema.KindDate {
		q.writeDateTrunc(b, c, unit)
		return
	}
	var zone func()
	if q.aware(c) {
		zone = func() { writePGZone(b, q) }
	}
	d.WriteTrunc(b, c.Name, unit, zone)
}

// writePGZone binds the request zone for AT TIME ZONE: a fixed offset as an
// interval (ISO sign convention; a '+03:00' text would be read POSIX-style,
// i.e. west of UTC), a named zone by its IANA name.
func writePGZone(b *builder, q *Query) {
	name := q.Location.String()
	if name == "" || name == "UTC" {
		b.arg("UTC")
		return
	}
	if off, ok := parseOffset(name); ok {
		b.sql("CAST(")
		b.arg(formatOffset(off))
		b.sql(" AS interval)")
		return
	}
	b.arg(name)
}

// writeDateTrunc truncates a DATE column; units up to a day leave it as is.
func (q *Query) writeDateTrunc(b *builder, c *schema.Column, unit string) {
	if subDay(unit) {
		b.valueExpr(c)
		return
	}
	q.Dialect.WriteDateTrunc(b, c.Name, unit)
}
