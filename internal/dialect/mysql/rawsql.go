package mysql

import "github.com/jetbridge/jetbridge/internal/dialect"

// Lexing: '...' and "..." with backslash and doubled-quote escapes,
// `identifiers`, -- (followed by a space or control character), # and
// /* */; executable comments /*! ... */ and /*M! ... */ are code. This is
// the default sql_mode, which sessions pin (no ANSI_QUOTES or
// NO_BACKSLASH_ESCAPES).
func (Dialect) Lexing() dialect.Lexing {
	return dialect.Lexing{BackslashStrings: true, DoubleQuoteStrings: true, BacktickIdents: true,
		DashCommentSpace: true, HashComments: true, ExecutableComments: true}
}

var refusals = dialect.Refusals{
	Functions: dialect.SetOf("load_file", "sys_exec", "sys_eval", "sys_get", "sys_set", "lo_import",
		"master_pos_wait", "source_pos_wait"),
	Schemas: dialect.SetOf("mysql"),
}

func (Dialect) Refusals() dialect.Refusals { return refusals }

// ResultKind reads go-sql-driver's type names.
func (Dialect) ResultKind(dbType string) (dialect.ResultKind, string) {
	switch dbType {
	case "JSON":
		return dialect.ResultJSON, ""
	case "DECIMAL":
		return dialect.ResultNumText, ""
	case "FLOAT":
		return dialect.ResultFloat32, ""
	case "DATE":
		return dialect.ResultDate, ""
	case "TIMESTAMP":
		return dialect.ResultSessionTime, ""
	}
	return dialect.ResultAny, ""
}

// CatalogKind: schema reflection reads information_schema.
func (Dialect) CatalogKind() dialect.CatalogKind { return dialect.CatalogInformationSchema }
