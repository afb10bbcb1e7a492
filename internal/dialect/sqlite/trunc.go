package sqlite

import (
	"strconv"
	"strings"

	"github.com/jetbridge/jetbridge/internal/dialect"
)

// DateTimeLayout is the text WriteTemporal turns a datetime into.
const DateTimeLayout = "2006-01-02 15:04:05.000000"

// WriteTemporal normalises a datetime to "YYYY-MM-DD HH:MM:SS.ffffff" (UTC
// when the stored text has an offset), so that 'T' or ' ' separators,
// offsets and fraction lengths compare correctly; a date to its first ten
// characters.
func (Dialect) WriteTemporal(w dialect.Writer, col string, date bool) bool {
	if date {
		day(w, col)
		return true
	}
	dateTime(w, col)
	return true
}

func day(w dialect.Writer, col string) {
	w.SQL("substr(")
	w.Ident(col)
	w.SQL(", 1, 10)")
}

func dateTime(w dialect.Writer, col string) {
	w.SQL("strftime('%Y-%m-%d %H:%M:%S', ")
	whole(w, col)
	w.SQL(") || '.' || ")
	fraction(w, col)
}

// whole writes a datetime without its fraction of a second (any offset
// kept): SQLite's date functions round the time to the millisecond when
// they convert it (offsets, modifiers), which would move 23:59:59.9999
// into the next day.
func whole(w dialect.Writer, col string) {
	w.SQL("CASE WHEN substr(")
	w.Ident(col)
	w.SQL(", 20, 1) = '.' THEN substr(")
	w.Ident(col)
	w.SQL(", 1, 19) || ltrim(substr(")
	w.Ident(col)
	w.SQL(", 21), '0123456789') ELSE ")
	w.Ident(col)
	w.SQL(" END")
}

// fraction writes the stored fraction of a second as six digits (SQLite's
// own date functions keep milliseconds only).
func fraction(w dialect.Writer, col string) {
	w.SQL("CASE")
	for n := 6; n >= 1; n-- {
		w.SQL(" WHEN substr(")
		w.Ident(col)
		w.SQL(", 20, " + strconv.Itoa(n+1) + ") GLOB '." + strings.Repeat("[0-9]", n) + "' THEN substr(")
		w.Ident(col)
		w.SQL(", 21, " + strconv.Itoa(n) + ")")
		if n < 6 {
			w.SQL(" || '" + strings.Repeat("0", 6-n) + "'")
		}
	}
	w.SQL(" ELSE '000000' END")
}

func format(w dialect.Writer, col, f, modifiers string) {
	w.SQL("strftime('" + f + "', ")
	whole(w, col)
	w.SQL(modifiers + ")")
}

// WriteTrunc formats the start of the unit as "YYYY-MM-DD HH:MM:SS[.ffffff]".
func (Dialect) WriteTrunc(w dialect.Writer, col, unit string, _ func()) {
	switch unit {
	case "microsecond":
		dateTime(w, col)
	case "millisecond":
		format(w, col, "%Y-%m-%d %H:%M:%S", "")
		w.SQL(" || '.' || substr(")
		fraction(w, col)
		w.SQL(", 1, 3) || '000'")
	case "second":
		format(w, col, "%Y-%m-%d %H:%M:%S", "")
	case "minute":
		format(w, col, "%Y-%m-%d %H:%M:00", "")
	case "hour":
		format(w, col, "%Y-%m-%d %H:00:00", "")
	case "day":
		format(w, col, "%Y-%m-%d 00:00:00", "")
	case "week":
		// back 6 days, then forward to the next Monday (or stay on it)
		format(w, col, "%Y-%m-%d 00:00:00", ", '-6 days', 'weekday 1'")
	case "month":
		format(w, col, "%Y-%m-01 00:00:00", "")
	case "quarter":
		quarter(w, func() { whole(w, col) }, "-01 00:00:00")
	default: // year
		format(w, col, "%Y-01-01 00:00:00", "")
	}
}

// WriteDateTrunc formats the start of the unit as "YYYY-MM-DD".
func (Dialect) WriteDateTrunc(w dialect.Writer, col, unit string) {
	switch unit {
	case "week":
		w.SQL("date(")
		day(w, col)
		w.SQL(", '-6 days', 'weekday 1')")
	case "month":
		w.SQL("strftime('%Y-%m-01', ")
		day(w, col)
		w.SQL(")")
	case "quarter":
		quarter(w, func() { day(w, col) }, "-01")
	default:
		w.SQL("strftime('%Y-01-01', ")
		day(w, col)
		w.SQL(")")
	}
}

func quarter(w dialect.Writer, expr func(), suffix string) {
	w.SQL("strftime('%Y', ")
	expr()
	w.SQL(") || '-' || printf('%02d', (CAST(strftime('%m', ")
	expr()
	w.SQL(") AS INTEGER) + 2) / 3 * 3 - 2) || '" + suffix + "'")
}
