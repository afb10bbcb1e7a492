// Package ddl edits the user's schema for the builder routes (spec §11):
// create and drop tables, add, alter, rename and drop columns, with
// engine-specific DDL for PostgreSQL, MySQL/MariaDB and SQLite. Identifiers
// of existing objects come from the reflected schema; new names are checked
// and quoted; literal defaults are rendered as escaped SQL literals (DDL
// takes no bound parameters).
package ddl

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/jetbridge/jetbridge/internal/apierr"
)

// MaxNameBytes bounds table and column names (PostgreSQL's limit).
const MaxNameBytes = 63

// maxDefaultBytes bounds a literal default value.
const maxDefaultBytes = 10000

// maxColumns bounds the columns of one created table.
const maxColumns = 1000

// Default types of the column DTO (§11.1).
const (
	DefaultValue         = "value"
	DefaultDatetimeNow   = "datetime_now"
	DefaultUUID          = "uuid"
	DefaultSequence      = "sequence"
	DefaultAutoIncrement = "auto_increment"
)

// Column is a parsed column DTO (§11.1). Has* report which keys were sent
// (PATCH keeps what was not sent).
type Column struct {
	Name         string
	Field        string
	DBField      string
	PrimaryKey   bool
	Null         bool
	DefaultType  string
	DefaultValue any // string, bool, json.Number, or JSON text for objects/arrays
	Length       *int
	RelatedModel string
	CustomPK     string
	// Comment is the data-source metadata as the column COMMENT (JSON), "" when none was sent.
	Comment string

	HasName, HasField, HasDBField, HasPrimaryKey, HasNull, HasDefault, HasLength, HasRelated, HasComment bool
}

// Table is a parsed POST /api/tables/ body.
type Table struct {
	Name    string
	Columns []Column
	Comment string // {"name", "name_plural"} as JSON, "" when neither was sent
}

// Echo is the validated body sent back (the keys the client gave).
type Echo map[string]json.RawMessage

var nullJSON = json.RawMessage("null")

// columnKeys are the DTO keys echoed back.
var columnKeys = []string{"name", "field", "db_field", "primary_key", "null", "default_type", "default_value",
	"params", "data_source_field", "data_source_name", "data_source_params"}

// ParseObject decodes a JSON object body into its members.
func ParseObject(body []byte) (map[string]json.RawMessage, error) {
	var m map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&m); err != nil {
		return nil, apierr.NonField("Incorrect JSON body: " + err.Error())
	}
	if m == nil {
		return nil, apierr.NonField("Incorrect JSON body: expected an object")
	}
	return m, nil
}

// ParseTable validates a create-table body.
func ParseTable(m map[string]json.RawMessage) (*Table, Echo, error) {
	errs := map[string][]string{}
	t := &Table{}
	echo := Echo{}
	name, ok, err := str(m, "name")
	switch {
	case err != nil:
		errs["name"] = []string{err.Error()}
	case !ok:
		errs["name"] = []string{"this field is required"}
	default:
		if err := checkName(name); err != nil {
			errs["name"] = []string{err.Error()}
		}
		t.Name = name
		echo["name"] = m["name"]
	}
	var cols []json.RawMessage
	if raw, ok := m["columns"]; !ok || isNull(raw) {
		errs["columns"] = []string{"this field is required"}
	} else if err := json.Unmarshal(raw, &cols); err != nil {
		errs["columns"] = []string{"expected a list of column objects"}
	} else if len(cols) > maxColumns {
		errs["columns"] = []string{"at most " + strconv.Itoa(maxColumns) + " columns"}
	}
	var echoCols []Echo
	seen := map[string]bool{}
	for i, raw := range cols {
		cm, err := ParseObject(raw)
		if err != nil {
			errs["columns"] = append(errs["columns"], fmt.Sprintf("column %d: expected an object", i+1))
			continue
		}
		c, ce, err := ParseColumn(cm, false)
		if err != nil {
			errs["columns"] = append(errs["columns"], fmt.Sprintf("column %d: %s", i+1, describe(err)))
			continue
		}
		key := strings.ToLower(c.Name)
		if seen[key] {
			errs["columns"] = append(errs["columns"], fmt.Sprintf("column %d: the name %q is used twice", i+1, c.Name))
		}
		seen[key] = true
		t.Columns = append(t.Columns, *c)
		echoCols = append(echoCols, ce)
	}
	meta := map[string]json.RawMessage{}
	for _, k := range []string{"data_source_name", "data_source_name_plural"} {
		v, ok, err := str(m, k)
		if err != nil {
			errs[k] = []string{err.Error()}
		} else if ok {
			echo[k] = m[k]
			if v != "" {
				meta[strings.TrimPrefix(k, "data_source_")], _ = json.Marshal(v)
			}
		}
	}
	if len(errs) > 0 {
		return nil, nil, apierr.Fields(errs)
	}
	pk := false
	for _, c := range t.Columns {
		pk = pk || c.PrimaryKey
	}
	if !pk {
		return nil, nil, apierr.NonField("No primary key specified")
	}
	if len(meta) > 0 {
		t.Comment = orderedJSON(meta, "name", "name_plural")
	}
	ec, _ := json.Marshal(echoCols)
	echo["columns"] = ec
	return t, echo, nil
}

// describe flattens a field-error body into one line.
func describe(err error) string {
	ae, ok := apierr.As(err)
	if !ok {
		return err.Error()
	}
	if m, ok := ae.Body.(map[string][]string); ok {
		var parts []string
		for _, k := range sortedKeys(m) {
			parts = append(parts, k+": "+strings.Join(m[k], "; "))
		}
		return strings.Join(parts, ", ")
	}
	return fmt.Sprint(ae.Body)
}

// ParseColumn validates a column DTO; partial (PATCH) requires nothing.
func ParseColumn(m map[string]json.RawMessage, partial bool) (*Column, Echo, error) {
	errs := map[string][]string{}
	c := &Column{}
	echo := Echo{}
	for _, k := range columnKeys {
		if v, ok := m[k]; ok {
			echo[k] = v
		}
	}
	if partial {
		for _, k := range []string{"name", "field"} {
			if _, ok := echo[k]; !ok {
				echo[k] = nullJSON
			}
		}
	}
	var err error
	var ok bool
	if c.Name, ok, err = str(m, "name"); err != nil {
		errs["name"] = []string{err.Error()}
	} else if ok {
		c.HasName = true
		if err := checkName(c.Name); err != nil {
			errs["name"] = []string{err.Error()}
		}
	} else if !partial {
		errs["name"] = []string{"this field is required"}
	}
	if c.Field, ok, err = str(m, "field"); err != nil {
		errs["field"] = []string{err.Error()}
	} else if ok {
		c.HasField = true
		if len(c.Field) > 100 {
			errs["field"] = []string{"too long"}
		}
	} else if !partial {
		errs["field"] = []string{"this field is required"}
	}
	if c.DBField, c.HasDBField, err = str(m, "db_field"); err != nil {
		errs["db_field"] = []string{err.Error()}
	} else if c.DBField == "" {
		c.HasDBField = false
	}
	if c.PrimaryKey, c.HasPrimaryKey, err = boolean(m, "primary_key"); err != nil {
		errs["primary_key"] = []string{err.Error()}
	}
	if c.Null, c.HasNull, err = boolean(m, "null"); err != nil {
		errs["null"] = []string{err.Error()}
	}
	if err := parseDefault(m, c); err != nil {
		errs["default_value"] = []string{err.Error()}
	}
	if c.DefaultType != "" {
		switch c.DefaultType {
		case DefaultValue, DefaultDatetimeNow, DefaultUUID, DefaultSequence, DefaultAutoIncrement:
		default:
			errs["default_type"] = []string{"expected value, datetime_now, uuid, sequence or auto_increment"}
		}
	}
	if err := parseParams(m, c); err != nil {
		errs["params"] = []string{err.Error()}
	}
	if err := parseMeta(m, c); err != nil {
		errs["data_source_params"] = []string{err.Error()}
	}
	if len(errs) > 0 {
		return nil, nil, apierr.Fields(errs)
	}
	return c, echo, nil
}

func parseDefault(m map[string]json.RawMessage, c *Column) error {
	dt, ok, err := str(m, "default_type")
	if err != nil {
		return fmt.Errorf("default_type: %v", err)
	}
	if !ok {
		if _, given := m["default_value"]; given {
			// a value without a type is a value default
			dt = DefaultValue
		} else {
			return nil
		}
	}
	c.HasDefault = true
	c.DefaultType = dt
	raw, ok := m["default_value"]
	if !ok || isNull(raw) {
		if dt == DefaultValue {
			c.DefaultType = "" // no value: no default
		}
		return nil
	}
	if len(raw) > maxDefaultBytes {
		return fmt.Errorf("longer than %d bytes", maxDefaultBytes)
	}
	var v any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return fmt.Errorf("not a JSON value")
	}
	switch x := v.(type) {
	case string:
		if strings.IndexByte(x, 0) >= 0 {
			return fmt.Errorf("contains a NUL character")
		}
		c.DefaultValue = x
	case bool, json.Number:
		c.DefaultValue = x
	default:
		c.DefaultValue = string(raw) // objects and arrays: their JSON text
	}
	return nil
}

func parseParams(m map[string]json.RawMessage, c *Column) error {
	raw, ok := m["params"]
	if !ok || isNull(raw) {
		return nil
	}
	p, err := ParseObject(raw)
	if err != nil {
		return fmt.Errorf("expected an object")
	}
	if v, ok := p["length"]; ok && !isNull(v) {
		n, err := strconv.Atoi(strings.TrimSpace(string(v)))
		if err != nil {
			var s string
			if json.Unmarshal(v, &s) == nil {
				n, err = strconv.Atoi(s)
			}
		}
		if err != nil || n < 1 || n > 65535 {
			return fmt.Errorf("length: expected a whole number from 1 to 65535")
		}
		c.Length, c.HasLength = &n, true
	}
	if v, ok := p["related_model"]; ok && !isNull(v) {
		rm, err := ParseObject(v)
		if err != nil {
			return fmt.Errorf("related_model: expected an object")
		}
		model, ok, err := str(rm, "model")
		if err != nil || !ok || model == "" {
			return fmt.Errorf("related_model: model: this field is required")
		}
		c.RelatedModel, c.HasRelated = model, true
	}
	if v, _, err := str(p, "custom_primary_key"); err != nil {
		return fmt.Errorf("custom_primary_key: %v", err)
	} else {
		c.CustomPK = v
	}
	return nil
}

// parseMeta builds the column COMMENT from data_source_field/name/params.
func parseMeta(m map[string]json.RawMessage, c *Column) error {
	meta := map[string]json.RawMessage{}
	for _, k := range []string{"data_source_field", "data_source_name"} {
		v, ok, err := str(m, k)
		if err != nil {
			return fmt.Errorf("%s: %v", k, err)
		}
		if ok {
			c.HasComment = true
			if v != "" {
				meta[strings.TrimPrefix(k, "data_source_")], _ = json.Marshal(v)
			}
		}
	}
	if raw, ok := m["data_source_params"]; ok {
		c.HasComment = true
		if !isNull(raw) && string(raw) != "{}" && string(raw) != "[]" && string(raw) != `""` {
			var buf bytes.Buffer
			if err := json.Compact(&buf, raw); err != nil {
				return fmt.Errorf("not JSON")
			}
			meta["params"] = buf.Bytes()
		}
	}
	if len(meta) > 0 {
		c.Comment = orderedJSON(meta, "field", "name", "params")
		if len(c.Comment) > 1000 {
			return fmt.Errorf("the data source metadata is longer than 1000 bytes")
		}
	}
	return nil
}

// orderedJSON renders an object with keys in the given order.
func orderedJSON(m map[string]json.RawMessage, order ...string) string {
	var b strings.Builder
	b.WriteByte('{')
	n := 0
	for _, k := range order {
		v, ok := m[k]
		if !ok {
			continue
		}
		if n > 0 {
			b.WriteString(", ")
		}
		n++
		kb, _ := json.Marshal(k)
		b.Write(kb)
		b.WriteString(": ")
		b.Write(v)
	}
	b.WriteByte('}')
	return b.String()
}

// checkName validates a new table or column name.
func checkName(s string) error {
	switch {
	case s == "":
		return fmt.Errorf("may not be empty")
	case len(s) > MaxNameBytes:
		return fmt.Errorf("longer than %d bytes", MaxNameBytes)
	case !utf8.ValidString(s):
		return fmt.Errorf("not valid UTF-8")
	case strings.TrimSpace(s) != s:
		return fmt.Errorf("may not start or end with a blank")
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7f {
			return fmt.Errorf("may not contain control characters")
		}
	}
	return nil
}

func isNull(raw json.RawMessage) bool { return string(bytes.TrimSpace(raw)) == "null" }

// str reads an optional string member (null counts as absent).
func str(m map[string]json.RawMessage, k string) (string, bool, error) {
	raw, ok := m[k]
	if !ok || isNull(raw) {
		return "", false, nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", false, fmt.Errorf("expected a string")
	}
	return s, true, nil
}

// boolean reads an optional boolean member; "true"/"false"/1/0 are accepted.
func boolean(m map[string]json.RawMessage, k string) (bool, bool, error) {
	raw, ok := m[k]
	if !ok || isNull(raw) {
		return false, false, nil
	}
	switch strings.ToLower(strings.Trim(strings.TrimSpace(string(raw)), `"`)) {
	case "true", "1":
		return true, true, nil
	case "false", "0":
		return false, true, nil
	}
	return false, false, fmt.Errorf("expected a boolean")
}

func sortedKeys(m map[string][]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	for i := 1; i < len(keys); i++ {
		for j := i; j > 0 && keys[j] < keys[j-1]; j-- {
			keys[j], keys[j-1] = keys[j-1], keys[j]
		}
	}
	return keys
}
