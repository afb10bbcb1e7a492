package mysql

import "github.com/jetbridge/jetbridge/internal/dialect"

// WriteTemporal: datetime and date columns compare as they are.
func (Dialect) WriteTemporal(dialect.Writer, string, bool) bool { return false }

// WriteTrunc formats the start of the unit as "YYYY-MM-DD HH:MM:SS[.ffffff]".
func (Dialect) WriteTrunc(w dialect.Writer, col, unit string, _ func()) {
	switch unit {
	case "microsecond":
		format(w, col, "%Y-%m-%d %H:%i:%s.%f")
	case "millisecond":
		w.SQL("CONCAT(LEFT(")
		format(w, col, "%Y-%m-%d %H:%i:%s.%f")
		w.SQL(", 23), '000')")
	case "second":
		format(w, col, "%Y-%m-%d %H:%i:%s")
	case "minute":
		format(w, col, "%Y-%m-%d %H:%i:00")
	case "hour":
		format(w, col, "%Y-%m-%d %H:00:00")
	case "day":
		format(w, col, "%Y-%m-%d 00:00:00")
	case "week":
		w.SQL("DATE_FORMAT(DATE_SUB(")
		w.Ident(col)
		w.SQL(", INTERVAL WEEKDAY(")
		w.Ident(col)
		w.SQL(") DAY), '%Y-%m-%d 00:00:00')")
	case "month":
		format(w, col, "%Y-%m-01 00:00:00")
	case "quarter":
		quarter(w, col, "-01 00:00:00")
	default: // year
		format(w, col, "%Y-01-01 00:00:00")
	}
}

// WriteDateTrunc formats the start of the unit as "YYYY-MM-DD".
func (Dialect) WriteDateTrunc(w dialect.Writer, col, unit string) {
	switch unit {
	case "week":
		w.SQL("DATE_FORMAT(DATE_SUB(")
		w.Ident(col)
		w.SQL(", INTERVAL WEEKDAY(")
		w.Ident(col)
		w.SQL(") DAY), '%Y-%m-%d')")
	case "month":
		format(w, col, "%Y-%m-01")
	case "quarter":
		quarter(w, col, "-01")
	default:
		format(w, col, "%Y-01-01")
	}
}

func format(w dialect.Writer, col, f string) {
	w.SQL("DATE_FORMAT(")
	w.Ident(col)
	w.SQL(", '" + f + "')")
}

func quarter(w dialect.Writer, col, suffix string) {
	w.SQL("CONCAT(YEAR(")
	w.Ident(col)
	w.SQL("), '-', LPAD(QUARTER(")
	w.Ident(col)
	w.SQL(") * 3 - 2, 2, '0'), '" + suffix + "')")
}
