package postgres

import "github.com/jetbridge/jetbridge/internal/dialect"

// WriteTemporal: datetime and date columns compare as they are.
func (Dialect) WriteTemporal(dialect.Writer, string, bool) bool { return false }

// WriteTrunc is date_trunc, in zone for instants.
func (Dialect) WriteTrunc(w dialect.Writer, col, unit string, zone func()) {
	w.SQL("date_trunc('" + pgUnit(unit) + "', ")
	w.Ident(col)
	if zone != nil {
		w.SQL(" AT TIME ZONE ")
		zone()
	}
	w.SQL(")")
}

// WriteDateTrunc truncates through timestamp and back to date.
func (Dialect) WriteDateTrunc(w dialect.Writer, col, unit string) {
	w.SQL("CAST(date_trunc('" + unit + "', CAST(")
	w.Ident(col)
	w.SQL(" AS timestamp)) AS date)")
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
