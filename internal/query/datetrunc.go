package query

import (
	"strings"

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
		case d.SQLite() && (c.Kind == schema.KindDateTime || c.Kind == schema.KindDate):
			q.valueExpr(b, c)
		case d.Postgres() && c.Kind == schema.KindJSON && !strings.EqualFold(c.DataType, "jsonb"):
			b.sql("CAST(")
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
	switch {
	case d.Postgres():
		b.sql("date_trunc('" + pgUnit(unit) + "', ")
		b.col(c)
		if q.aware(c) {
			b.sql(" AT TIME ZONE ")
			writePGZone(b, q)
		}
		b.sql(")")
	case d.MySQL():
		mysqlTrunc(b, c, unit)
	default:
		sqliteTrunc(b, c, unit)
	}
}

func pgUnit(u string) string {
	switch u {
	case "microsecond":
		return "microseconds"
	case "millisecond":
		return "milliseconds"
	}
	return u
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

func mysqlFormat(b *builder, c *schema.Column, format string) {
	b.sql("DATE_FORMAT(")
	b.col(c)
	b.sql(", '" + format + "')")
}

func mysqlTrunc(b *builder, c *schema.Column, unit string) {
	switch unit {
	case "microsecond":
		mysqlFormat(b, c, "%Y-%m-%d %H:%i:%s.%f")
	case "millisecond":
		b.sql("CONCAT(LEFT(")
		mysqlFormat(b, c, "%Y-%m-%d %H:%i:%s.%f")
		b.sql(", 23), '000')")
	case "second":
		mysqlFormat(b, c, "%Y-%m-%d %H:%i:%s")
	case "minute":
		mysqlFormat(b, c, "%Y-%m-%d %H:%i:00")
	case "hour":
		mysqlFormat(b, c, "%Y-%m-%d %H:00:00")
	case "day":
		mysqlFormat(b, c, "%Y-%m-%d 00:00:00")
	case "week":
		b.sql("DATE_FORMAT(DATE_SUB(")
		b.col(c)
		b.sql(", INTERVAL WEEKDAY(")
		b.col(c)
		b.sql(") DAY), '%Y-%m-%d 00:00:00')")
	case "month":
		mysqlFormat(b, c, "%Y-%m-01 00:00:00")
	case "quarter":
		mysqlQuarter(b, c, "-01 00:00:00")
	default: // year
		mysqlFormat(b, c, "%Y-01-01 00:00:00")
	}
}

func mysqlQuarter(b *builder, c *schema.Column, suffix string) {
	b.sql("CONCAT(YEAR(")
	b.col(c)
	b.sql("), '-', LPAD(QUARTER(")
	b.col(c)
	b.sql(") * 3 - 2, 2, '0'), '" + suffix + "')")
}

func sqliteFormat(b *builder, c *schema.Column, format string, modifiers string) {
	b.sql("strftime('" + format + "', ")
	sqliteWhole(b, c)
	b.sql(modifiers + ")")
}

func sqliteTrunc(b *builder, c *schema.Column, unit string) {
	switch unit {
	case "microsecond":
		sqliteDateTime(b, c)
	case "millisecond":
		sqliteFormat(b, c, "%Y-%m-%d %H:%M:%S", "")
		b.sql(" || '.' || substr(")
		sqliteFraction(b, c)
		b.sql(", 1, 3) || '000'")
	case "second":
		sqliteFormat(b, c, "%Y-%m-%d %H:%M:%S", "")
	case "minute":
		sqliteFormat(b, c, "%Y-%m-%d %H:%M:00", "")
	case "hour":
		sqliteFormat(b, c, "%Y-%m-%d %H:00:00", "")
	case "day":
		sqliteFormat(b, c, "%Y-%m-%d 00:00:00", "")
	case "week":
		// back 6 days, then forward to the next Monday (or stay on it)
		sqliteFormat(b, c, "%Y-%m-%d 00:00:00", ", '-6 days', 'weekday 1'")
	case "month":
		sqliteFormat(b, c, "%Y-%m-01 00:00:00", "")
	case "quarter":
		sqliteQuarter(b, func() { sqliteWhole(b, c) }, "-01 00:00:00")
	default: // year
		sqliteFormat(b, c, "%Y-01-01 00:00:00", "")
	}
}

func sqliteQuarter(b *builder, expr func(), suffix string) {
	b.sql("strftime('%Y', ")
	expr()
	b.sql(") || '-' || printf('%02d', (CAST(strftime('%m', ")
	expr()
	b.sql(") AS INTEGER) + 2) / 3 * 3 - 2) || '" + suffix + "'")
}

// writeDateTrunc truncates a DATE column; units up to a day leave it as is.
func (q *Query) writeDateTrunc(b *builder, c *schema.Column, unit string) {
	d := q.Dialect
	if subDay(unit) {
		q.valueExpr(b, c)
		return
	}
	switch {
	case d.Postgres():
		b.sql("CAST(date_trunc('" + unit + "', CAST(")
		b.col(c)
		b.sql(" AS timestamp)) AS date)")
	case d.MySQL():
		switch unit {
		case "week":
			b.sql("DATE_FORMAT(DATE_SUB(")
			b.col(c)
			b.sql(", INTERVAL WEEKDAY(")
			b.col(c)
			b.sql(") DAY), '%Y-%m-%d')")
		case "month":
			mysqlFormat(b, c, "%Y-%m-01")
		case "quarter":
			mysqlQuarter(b, c, "-01")
		default:
			mysqlFormat(b, c, "%Y-01-01")
		}
	default:
		day := func() {
			b.sql("substr(")
			b.col(c)
			b.sql(", 1, 10)")
		}
		switch unit {
		case "week":
			b.sql("date(")
			day()
			b.sql(", '-6 days', 'weekday 1')")
		case "month":
			b.sql("strftime('%Y-%m-01', ")
			day()
			b.sql(")")
		case "quarter":
			sqliteQuarter(b, day, "-01")
		default:
			b.sql("strftime('%Y-01-01', ")
			day()
			b.sql(")")
		}
	}
}
