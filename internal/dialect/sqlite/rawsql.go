package sqlite

import "github.com/jetbridge/jetbridge/internal/dialect"

// Lexing: '...', "...", `...` and [...], -- and /* */ (not nested).
func (Dialect) Lexing() dialect.Lexing {
	return dialect.Lexing{BacktickIdents: true, BracketIdents: true}
}

var refusals = dialect.Refusals{
	Functions: dialect.SetOf("load_extension", "readfile", "writefile", "edit", "fts3_tokenizer"),
}

func (Dialect) Refusals() dialect.Refusals { return refusals }

// ResultKind reads the declared type names the driver reports.
func (Dialect) ResultKind(dbType string) (dialect.ResultKind, string) {
	switch dbType {
	case "DATE":
		return dialect.ResultDate, ""
	case "DATETIME", "TIMESTAMP":
		return dialect.ResultStoredText, ""
	}
	return dialect.ResultAny, ""
}

// CatalogKind: schema reflection reads sqlite_schema and the pragma functions.
func (Dialect) CatalogKind() dialect.CatalogKind { return dialect.CatalogPragma }
