package ddl

import (
	"context"
	"fmt"
	"strings"

	"github.com/jetbridge/jetbridge/internal/apierr"
	"github.com/jetbridge/jetbridge/internal/dialect/feature"
	"github.com/jetbridge/jetbridge/internal/schema"
)

// change is a resolved column change.
type change struct {
	old      *schema.Column
	oldType  string // exact catalog type
	new      *spec
	retype   bool // the SQL type changes
	rename   bool
	keepFK   bool // the existing foreign key stays
	dropFK   string
	keepDef  bool // the existing default expression stays
	partial  bool
	setComm  bool // the comment is (re)written
	sameNull bool
}

// resolveChange merges the DTO over the existing column. PUT (partial
// false) is a full definition: name and field given, null false and no
// default unless sent (upstream's semantics). PATCH keeps whatever was not
// sent: the name, the type (and length), nullability, default, foreign key
// and data-source metadata.
func (ed *Editor) resolveChange(ctx context.Context, m *schema.Model, old *schema.Column, c *Column, partial bool) (*change, error) {
	oldType, err := ed.columnType(ctx, m, old.Name)
	if err != nil {
		return nil, dbError(err)
	}
	ch := &change{old: old, oldType: oldType, partial: partial}
	s := &spec{Name: old.Name, PK: old.PrimaryKey, Comment: old.Comment}
	if c.HasName {
		s.Name = c.Name
	}
	if c.HasPrimaryKey && c.PrimaryKey != old.PrimaryKey {
		return nil, apierr.Field("primary_key", "changing the primary key of an existing table is not supported")
	}
	oldField := old.Field
	if old.ForeignKey != nil {
		oldField = schema.FieldForeignKey
	}
	typeKeys := c.HasDBField || c.HasLength || c.HasRelated || (c.HasField && c.Field != oldField && c.Field != old.DBField)
	if old.ForeignKey != nil && c.HasField && c.Field == schema.FieldForeignKey && !c.HasRelated {
		typeKeys = c.HasDBField || c.HasLength // the FK stays
	}
	switch {
	case typeKeys:
		dto := *c
		if !dto.HasField && !dto.HasDBField {
			dto.DBField = old.DBField
		}
		if dto.Field == schema.FieldForeignKey && !dto.HasRelated && old.ForeignKey != nil {
			dto.RelatedModel, dto.CustomPK = old.ForeignKey.RefModel, ""
			if !old.ForeignKey.RefIsPK {
				dto.CustomPK = old.ForeignKey.RefColumn
			}
		}
		t, key, err := ed.resolveType(ctx, &dto, m.Table)
		if err != nil {
			return nil, err
		}
		s.Type, s.FK = t, key
		if key != nil && old.ForeignKey != nil && old.ForeignKey.RefModel == key.RefModel.Name && old.ForeignKey.RefColumn == key.RefCol {
			s.FK, ch.keepFK = nil, true
		}
	default:
		s.Type = oldType
		ch.keepFK = old.ForeignKey != nil && (partial || (c.HasField && c.Field == schema.FieldForeignKey))
	}
	if s.Type == "" {
		return nil, apierr.NonField("the type of " + old.Name + " could not be read")
	}
	ch.retype = canonType(ed.DB.Dialect.Dialect, s.Type) != canonType(ed.DB.Dialect.Dialect, oldType)
	if old.ForeignKey != nil && !ch.keepFK {
		ch.dropFK = old.ForeignKey.Constraint
	}
	switch {
	case c.HasNull:
		s.Null = c.Null
	case partial:
		s.Null = old.Nullable
	}
	if s.PK {
		s.Null = false
	}
	ch.sameNull = s.Null == old.Nullable
	s.Auto = old.AutoIncrement
	switch {
	case c.HasDefault:
		if err := ed.resolveDefault(c, s); err != nil {
			return nil, err
		}
	case old.AutoIncrement || (partial && !ch.retype) || old.Generated:
		ch.keepDef = true
		if old.Default != nil {
			s.Default = *old.Default
		}
	}
	if c.HasComment {
		s.Comment, ch.setComm = c.Comment, true
	}
	ch.rename = s.Name != old.Name
	if ch.rename && hasColumn(ed.DB.Dialect, m, s.Name) && !strings.EqualFold(s.Name, old.Name) {
		return nil, errColumnExists
	}
	ch.new = s
	return ch, nil
}

// AlterColumn changes col of m as the DTO says (PUT: partial false, PATCH:
// true), in one transaction on PostgreSQL and SQLite and one statement on
// MySQL.
func (ed *Editor) AlterColumn(ctx context.Context, m *schema.Model, col *schema.Column, c *Column, partial bool) error {
	if m.IsView {
		return apierr.NonField(m.Name + " is a view, not a table")
	}
	ch, err := ed.resolveChange(ctx, m, col, c, partial)
	if err != nil {
		return err
	}
	switch d := ed.DB.Dialect; {
	case d.Has(feature.AlterByRebuild):
		return ed.alterSQLite(ctx, m, ch)
	case !d.Has(feature.TransactionalDDL): // one statement: each commits
		return ed.alterMySQL(ctx, m, ch)
	}
	return ed.alterPostgres(ctx, m, ch)
}

func (ed *Editor) alterPostgres(ctx context.Context, m *schema.Model, ch *change) error {
	d := ed.DB.Dialect
	t := ed.table(m)
	col := d.QuoteIdent(ch.old.Name)
	alter := "ALTER TABLE " + t + " ALTER COLUMN " + col + " "
	var stmts []string
	if ch.dropFK != "" {
		stmts = append(stmts, "ALTER TABLE "+t+" DROP CONSTRAINT "+d.QuoteIdent(ch.dropFK))
	}
	s := ch.new
	if ch.retype {
		if !ch.keepDef {
			stmts = append(stmts, alter+"DROP DEFAULT")
		}
		stmts = append(stmts, alter+"TYPE "+s.Type+" USING "+pgCast(col, s.Type))
	}
	if !ch.sameNull || !ch.partial {
		if s.Null {
			stmts = append(stmts, alter+"DROP NOT NULL")
		} else {
			stmts = append(stmts, alter+"SET NOT NULL")
		}
	}
	switch {
	case ch.keepDef:
	case s.Default != "":
		stmts = append(stmts, alter+"SET DEFAULT "+s.Default)
	default:
		stmts = append(stmts, alter+"DROP DEFAULT")
	}
	if ch.rename {
		stmts = append(stmts, "ALTER TABLE "+t+" RENAME COLUMN "+col+" TO "+d.QuoteIdent(s.Name))
	}
	if s.FK != nil {
		stmts = append(stmts, "ALTER TABLE "+t+" ADD "+fkConstraint(d, s.Name, s.FK))
	}
	if ch.setComm {
		c := "NULL"
		if s.Comment != "" {
			c = literal(d, s.Comment, "")
		}
		stmts = append(stmts, fmt.Sprintf("COMMENT ON COLUMN %s.%s IS %s", t, d.QuoteIdent(s.Name), c))
	}
	return ed.inTx(ctx, func(ctx context.Context, x execer) error { return execAll(ctx, x, stmts...) })
}

// pgCast converts a column's values to a new type.
func pgCast(col, typ string) string {
	switch typ {
	case "date":
		return col + "::text::date"
	case "json":
		return "to_json(" + col + ")"
	case "jsonb":
		return "to_jsonb(" + col + ")"
	}
	return col + "::" + typ
}

func (ed *Editor) alterMySQL(ctx context.Context, m *schema.Model, ch *change) error {
	d := ed.DB.Dialect
	s := ch.new
	var parts []string
	if ch.dropFK != "" {
		parts = append(parts, "DROP FOREIGN KEY "+d.QuoteIdent(ch.dropFK))
	}
	def := *s
	def.PK = false // the key stays as it is
	if !ch.setComm {
		def.Comment = ch.old.Comment
	}
	if ch.keepDef && ch.old.Default != nil && !s.Auto {
		def.Default = *ch.old.Default
	}
	parts = append(parts, "CHANGE COLUMN "+d.QuoteIdent(ch.old.Name)+" "+definition(d, &def, false))
	if s.FK != nil {
		parts = append(parts, "ADD "+fkConstraint(d, s.Name, s.FK))
	}
	return ed.inTx(ctx, func(ctx context.Context, x execer) error {
		return execAll(ctx, x, "ALTER TABLE "+ed.table(m)+" "+strings.Join(parts, ", "))
	})
}
