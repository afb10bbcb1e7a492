package dialects

import (
	"testing"

	"github.com/jetbridge/jetbridge/internal/dialect/feature"
)

func TestFor(t *testing.T) {
	for _, d := range All() {
		got, err := For(d.Name())
		if err != nil || got.Name() != d.Name() {
			t.Errorf("For(%q) = %v, %v", d.Name(), got, err)
		}
	}
	if _, err := For("oracle"); err == nil {
		t.Error("For(oracle): no error")
	}
}

func TestSQLText(t *testing.T) {
	cases := []struct {
		name                      string
		ident, table, ph2, noLim  string
		userIdent                 string
		literal, backslashLiteral string
	}{
		{"postgresql", `"a""b"`, `"s"."t"`, "$2", "", `"x"`, `'it''s'`, `E'a\\b'`},
		{"mysql", "`a\"b`", "`s`.`t`", "?", " LIMIT 18446744073709551615", "`x`", `'it''s'`, `'a\\b'`},
		{"sqlite", `"a""b"`, `"s"."t"`, "?", " LIMIT -1", "`x`", `'it''s'`, `'a\b'`},
	}
	for _, c := range cases {
		d := Must(c.name)
		ident := `a"b`
		if got := d.QuoteIdent(ident); got != c.ident {
			t.Errorf("%s QuoteIdent = %s, want %s", c.name, got, c.ident)
		}
		if got := d.QuoteTable("s", "t"); got != c.table {
			t.Errorf("%s QuoteTable = %s, want %s", c.name, got, c.table)
		}
		if got := d.Placeholder(2); got != c.ph2 {
			t.Errorf("%s Placeholder(2) = %s, want %s", c.name, got, c.ph2)
		}
		if got := d.NoLimit(); got != c.noLim {
			t.Errorf("%s NoLimit = %q, want %q", c.name, got, c.noLim)
		}
		if got := d.QuoteUserIdent("x"); got != c.userIdent {
			t.Errorf("%s QuoteUserIdent = %s, want %s", c.name, got, c.userIdent)
		}
		if got := d.StringLiteral("it's"); got != c.literal {
			t.Errorf("%s StringLiteral = %s, want %s", c.name, got, c.literal)
		}
		if got := d.StringLiteral(`a\b`); got != c.backslashLiteral {
			t.Errorf("%s StringLiteral(backslash) = %s, want %s", c.name, got, c.backslashLiteral)
		}
		if q := d.IdentQuote(); d.QuoteIdent("n") != string(q)+"n"+string(q) {
			t.Errorf("%s IdentQuote %c disagrees with QuoteIdent", c.name, q)
		}
	}
}

// TestFeaturesConsistent checks the flags that must go together.
func TestFeaturesConsistent(t *testing.T) {
	for _, d := range All() {
		f := d.Features()
		if f.Has(feature.FileDatabase) == f.Has(feature.ServerDatabase) {
			t.Errorf("%s: exactly one of FileDatabase and ServerDatabase", d.Name())
		}
		if !f.Has(feature.Returning) && !f.Has(feature.LastInsertID) {
			t.Errorf("%s: no way to learn an inserted key", d.Name())
		}
		if f.Has(feature.NumberedParams) != (d.Placeholder(1) != "?") {
			t.Errorf("%s: NumberedParams disagrees with Placeholder", d.Name())
		}
		if _, _, _, ok := d.EstimateSQL("s", "t"); ok != f.Has(feature.RowEstimates) {
			t.Errorf("%s: RowEstimates disagrees with EstimateSQL", d.Name())
		}
		sessions := 0
		for _, x := range []feature.Feature{feature.SetConfig, feature.KillQuery, feature.FileDatabase} {
			if f.Has(x) {
				sessions++
			}
		}
		if sessions != 1 {
			t.Errorf("%s: exactly one session protocol of SetConfig, KillQuery and FileDatabase", d.Name())
		}
		if (d.SequenceDefault("s") != "") != f.Has(feature.SerialSequences) {
			t.Errorf("%s: SerialSequences disagrees with SequenceDefault", d.Name())
		}
		if d.CatalogKind() == 0 {
			t.Errorf("%s: no CatalogKind", d.Name())
		}
	}
}
