package schema

import (
	"github.com/jetbridge/jetbridge/internal/jsonw"

	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
)

// MarshalDescriptions renders GET /api/model_descriptions/ (spec §8): a JSON
// array of every model, in Name order, with the spec's key order.
func (s *Schema) MarshalDescriptions() ([]byte, error) {
	return s.MarshalDescriptionsWith(nil)
}

// WriteDescriptions writes MarshalDescriptions' output to w.
func (s *Schema) WriteDescriptions(w io.Writer) error {
	b, err := s.MarshalDescriptionsWith(nil)
	if err != nil {
		return err
	}
	if _, err := w.Write(b); err != nil {
		return fmt.Errorf("write model descriptions: %w", err)
	}
	return nil
}

// MarshalDescriptionsWith is MarshalDescriptions with the stored relation
// overrides (§8.8) per model name, rendered in relation_overrides sorted by
// name (models without overrides get []).
func (s *Schema) MarshalDescriptionsWith(overrides map[string][]Relation) ([]byte, error) {
	if s == nil {
		return []byte("[]"), nil
	}
	cols := 0
	for _, m := range s.Models {
		cols += len(m.Columns)
	}
	b := make([]byte, 0, 512*len(s.Models)+420*cols+2)
	b = append(b, '[')
	for i, m := range s.Models {
		if i > 0 {
			b = append(b, ',')
		}
		b = s.appendModel(b, m, overrides[m.Name])
	}
	b = append(b, ']')
	return b, nil
}

func (s *Schema) appendModel(b []byte, m *Model, overrides []Relation) []byte {
	b = append(b, `{"model":`...)
	b = jsonw.AppendString(b, m.Name)
	b = append(b, `,"db_table":`...)
	b = jsonw.AppendString(b, m.Name)
	b = append(b, `,"hidden":`...)
	b = appendBool(b, m.Hidden)
	b = append(b, `,"primary_key_field":`...)
	if pk := m.PK(); pk != nil {
		b = jsonw.AppendString(b, pk.Name)
	} else {
		b = append(b, "null"...)
	}
	b = append(b, `,"primary_key_auto":`...)
	b = appendBool(b, m.PKAuto)
	b = append(b, `,"is_view":`...)
	b = appendBool(b, m.IsView)
	b = append(b, `,"fields":[`...)
	for i, c := range m.Columns {
		if i > 0 {
			b = append(b, ',')
		}
		b = s.appendField(b, m, c)
	}
	b = append(b, `],"relations":`...)
	b = appendRelations(b, m.Relations)
	b = append(b, `,"relation_overrides":`...)
	if len(overrides) > 1 {
		overrides = append([]Relation(nil), overrides...)
		sort.SliceStable(overrides, func(i, j int) bool { return overrides[i].Name < overrides[j].Name })
	}
	b = appendRelations(b, overrides)
	meta := commentMeta(m.Comment)
	b = append(b, `,"data_source_name":`...)
	b = appendMeta(b, meta, "name")
	b = append(b, `,"data_source_name_plural":`...)
	b = appendMeta(b, meta, "name_plural")
	b = append(b, `,"data_source_order_after":`...)
	b = appendMeta(b, meta, "order_after")
	b = append(b, `,"data_source_hidden":`...)
	b = appendMeta(b, meta, "hidden")
	return append(b, '}')
}

func appendRelations(b []byte, rels []Relation) []byte {
	b = append(b, '[')
	for i, r := range rels {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"name":`...)
		b = jsonw.AppendString(b, r.Name)
		b = append(b, `,"direction":`...)
		b = jsonw.AppendString(b, r.Direction)
		b = append(b, `,"local_field":`...)
		b = jsonw.AppendString(b, r.LocalField)
		b = append(b, `,"related_model":`...)
		b = jsonw.AppendString(b, r.RelatedModel)
		b = append(b, `,"related_field":`...)
		b = jsonw.AppendString(b, r.RelatedField)
		b = append(b, '}')
	}
	return append(b, ']')
}

func (s *Schema) appendField(b []byte, m *Model, c *Column) []byte {
	b = append(b, `{"name":`...)
	b = jsonw.AppendString(b, c.Name)
	b = append(b, `,"db_column":`...)
	b = jsonw.AppendString(b, c.Name)
	b = append(b, `,"field":`...)
	if c.ForeignKey != nil {
		b = append(b, `"ForeignKey"`...)
	} else {
		b = jsonw.AppendString(b, c.Field)
	}
	b = append(b, `,"db_field":`...)
	b = jsonw.AppendString(b, c.DBField)
	b = append(b, `,"filterable":true,"null":`...)
	b = appendBool(b, c.Nullable || c.CatalogNull)
	b = append(b, `,"editable":true,"params":{`...)
	first := true
	if fk := c.ForeignKey; fk != nil {
		b = appendKey(b, first, "related_model")
		first = false
		b = append(b, `{"model":`...)
		b = jsonw.AppendString(b, fk.RefModel)
		b = append(b, '}')
		if !fk.RefIsPK {
			b = appendKey(b, first, "custom_primary_key")
			b = jsonw.AppendString(b, fk.RefColumn)
		}
	}
	if c.Kind == KindDate {
		b = appendKey(b, first, "date")
		b = append(b, `true,"time":false`...)
		first = false
	}
	if c.Kind == KindEnum {
		b = appendKey(b, first, "options")
		first = false
		b = append(b, '[')
		for i, v := range c.EnumValues {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"name":`...)
			b = jsonw.AppendString(b, v)
			b = append(b, `,"value":`...)
			b = jsonw.AppendString(b, v)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	if c.StringType {
		b = appendKey(b, first, "length")
		first = false
		if c.Length != nil {
			b = appendAny(b, *c.Length)
		} else {
			b = append(b, "null"...)
		}
	}
	if c.Field == FieldGeography {
		b = appendKey(b, first, "output_format")
		first = false
		b = append(b, `"postgresql"`...)
	}
	b = appendKey(b, first, "db_internal_type")
	b = jsonw.AppendString(b, c.InternalType)
	b = append(b, '}')

	meta := commentMeta(c.Comment)
	b = append(b, `,"data_source_field":`...)
	b = appendMeta(b, meta, "field")
	b = append(b, `,"data_source_name":`...)
	b = appendMeta(b, meta, "name")
	b = append(b, `,"data_source_params":`...)
	if p := meta["params"]; len(p) > 0 && p[0] == '{' {
		b = appendRaw(b, p)
	} else {
		b = append(b, "null"...)
	}
	b = append(b, `,"data_source_order_after":`...)
	b = appendMeta(b, meta, "order_after")
	b = append(b, `,"data_source_hidden":`...)
	b = appendMeta(b, meta, "hidden")
	b = append(b, `,"required":`...)
	b = appendBool(b, Required(m, c))
	if c.DefaultType != "" {
		b = append(b, `,"default_type":`...)
		b = jsonw.AppendString(b, c.DefaultType)
		if c.DefaultValue != nil {
			b = append(b, `,"default_value":`...)
			b = appendAny(b, c.DefaultValue)
		}
	}
	return append(b, '}')
}

// Required is the description's "required": the promoted key of a table
// without a primary key is required; otherwise a column is required unless
// it is nullable, auto-incremented, generated or has a server default.
func Required(m *Model, c *Column) bool {
	if m.PKAuto && c == m.PK() {
		return true
	}
	return !c.Nullable && !c.AutoIncrement && !c.Generated && c.Default == nil
}

// commentMeta parses a COMMENT holding a JSON object into its members;
// nil for anything else.
func commentMeta(comment string) map[string]json.RawMessage {
	s := strings.TrimSpace(comment)
	if len(s) < 2 || s[0] != '{' {
		return nil
	}
	var meta map[string]json.RawMessage
	if err := json.Unmarshal([]byte(s), &meta); err != nil {
		return nil
	}
	return meta
}

func appendMeta(b []byte, meta map[string]json.RawMessage, key string) []byte {
	v, ok := meta[key]
	if !ok || len(v) == 0 {
		return append(b, "null"...)
	}
	return appendRaw(b, v)
}
