package schema

import (
	"bytes"
	"encoding/json"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/jetbridge/jetbridge/internal/config"
	"github.com/jetbridge/jetbridge/internal/db"
	"github.com/jetbridge/jetbridge/internal/testdb"
)

// noMeta is the data_source_* tail of a field without a JSON comment.
const noMeta = `"data_source_field":null,"data_source_name":null,"data_source_params":null,"data_source_order_after":null,"data_source_hidden":null`

func col(name string, setup func(c *Column)) *Column {
	c := &Column{Name: name}
	setup(c)
	fillDefault(c)
	return c
}

func strp(s string) *string { return &s }

// handSchema builds a small schema without a database: users <- orders,
// a PK-less table, a view, JSON comments and characters needing escapes.
func handSchema() *Schema {
	users := &rawTable{name: "users", comment: `{"name": "User", "name_plural": "Users", "order_after": "x", "hidden": false}`,
		pk: []string{"id"}, cols: []*Column{
			col("id", func(c *Column) {
				mapPostgres(c, pgTypeInfo{typname: "int4", builtin: true, typmod: -1})
				c.Default, c.AutoIncrement = strp("nextval('users_id_seq'::regclass)"), true
			}),
			col("email", func(c *Column) {
				mapPostgres(c, pgTypeInfo{typname: "varchar", builtin: true, typmod: 104})
				c.Comment = `{"field": "EmailField", "name": "E-mail", "params": {"a": [1, 2]}, "order_after": "id", "hidden": true}`
			}),
			col("bio \"q\"\n", func(c *Column) {
				mapPostgres(c, pgTypeInfo{typname: "text", builtin: true, typmod: -1})
				c.Nullable = true
				c.Comment = `{"params": "not an object"}`
			}),
			col("code", func(c *Column) {
				mapPostgres(c, pgTypeInfo{typname: "varchar", builtin: true, typmod: 14})
			}),
		}}
	orders := &rawTable{name: "orders", pk: []string{"id"}, cols: []*Column{
		col("id", func(c *Column) {
			mapPostgres(c, pgTypeInfo{typname: "int8", builtin: true, typmod: -1})
			c.Default, c.AutoIncrement = strp("nextval('orders_id_seq'::regclass)"), true
		}),
		col("user_id", func(c *Column) {
			mapPostgres(c, pgTypeInfo{typname: "int4", builtin: true, typmod: -1})
			c.Nullable = true
		}),
		col("user_code", func(c *Column) {
			mapPostgres(c, pgTypeInfo{typname: "varchar", builtin: true, typmod: 14})
			c.Nullable = true
		}),
		col("state", func(c *Column) {
			mapPostgres(c, pgTypeInfo{typname: "state", typtype: "e", labels: []string{"new", "Zoë's"}})
			c.Default = strp("'new'::state")
		}),
		col("placed", func(c *Column) {
			mapPostgres(c, pgTypeInfo{typname: "date", builtin: true, typmod: -1})
			c.Default = strp("CURRENT_DATE")
		}),
	}, fks: []rawFK{
		{name: "orders_user_id_fkey", cols: []string{"user_id"}, refTable: "users", refCols: []string{"id"}},
		{name: "orders_user_code_fkey", cols: []string{"user_code"}, refTable: "users", refCols: []string{"code"}},
	}}
	logs := &rawTable{name: "東京 log", cols: []*Column{
		col("at", func(c *Column) {
			mapPostgres(c, pgTypeInfo{typname: "timestamptz", builtin: true, typmod: -1})
			c.Nullable = true
		}),
	}}
	view := &rawTable{name: "v", view: true, cols: []*Column{
		col("n", func(c *Column) {
			mapPostgres(c, pgTypeInfo{typname: "numeric", builtin: true, typmod: (12<<16 | 3) + 4})
			c.Nullable = true
		}),
	}}
	for _, t := range []*rawTable{users, orders, logs, view} {
		t.schema = "public"
	}
	for i := range orders.fks {
		orders.fks[i].refSchema = "public"
	}
	return assemble([]*rawTable{view, orders, logs, users}, "public", catalogRules{}, Options{})
}

func TestMarshalDescriptionsGolden(t *testing.T) {
	s := handSchema()
	got, err := s.MarshalDescriptionsWith(map[string][]Relation{"users": {
		{Name: "z", Direction: "MANYTOONE", LocalField: "code", RelatedModel: "orders", RelatedField: "user_code"},
		{Name: "a", Direction: "ONETOMANY", LocalField: "id", RelatedModel: "orders", RelatedField: "user_id"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	want := `[` +
		`{"model":"orders","db_table":"orders","hidden":false,"primary_key_field":"id","primary_key_auto":false,"is_view":false,"fields":[` +
		`{"name":"id","db_column":"id","field":"IntegerField","db_field":"BigIntegerField","filterable":true,"null":false,"editable":true,"params":{"db_internal_type":"BIGINT"},` + noMeta + `,"required":false,"default_type":"sequence","default_value":"'orders_id_seq'::regclass"},` +
		`{"name":"user_id","db_column":"user_id","field":"ForeignKey","db_field":"IntegerField","filterable":true,"null":true,"editable":true,"params":{"related_model":{"model":"users"},"db_internal_type":"INTEGER"},` + noMeta + `,"required":false},` +
		`{"name":"user_code","db_column":"user_code","field":"ForeignKey","db_field":"CharField","filterable":true,"null":true,"editable":true,"params":{"related_model":{"model":"users"},"custom_primary_key":"code","length":10,"db_internal_type":"VARCHAR(10)"},` + noMeta + `,"required":false},` +
		`{"name":"state","db_column":"state","field":"SelectField","db_field":"SelectField","filterable":true,"null":false,"editable":true,"params":{"options":[{"name":"new","value":"new"},{"name":"Zoë's","value":"Zoë's"}],"length":5,"db_internal_type":"ENUM"},` + noMeta + `,"required":false,"default_type":"value","default_value":"new"},` +
		`{"name":"placed","db_column":"placed","field":"DateField","db_field":"DateField","filterable":true,"null":false,"editable":true,"params":{"date":true,"time":false,"db_internal_type":"DATE"},` + noMeta + `,"required":false}` +
		`],"relations":[` +
		`{"name":"user_code__to__users__code","direction":"MANYTOONE","local_field":"user_code","related_model":"users","related_field":"code"},` +
		`{"name":"user_id__to__users__id","direction":"MANYTOONE","local_field":"user_id","related_model":"users","related_field":"id"}` +
		`],"relation_overrides":[],"data_source_name":null,"data_source_name_plural":null,"data_source_order_after":null,"data_source_hidden":null},` +
		`{"model":"users","db_table":"users","hidden":false,"primary_key_field":"id","primary_key_auto":false,"is_view":false,"fields":[` +
		`{"name":"id","db_column":"id","field":"IntegerField","db_field":"IntegerField","filterable":true,"null":false,"editable":true,"params":{"db_internal_type":"INTEGER"},` + noMeta + `,"required":false,"default_type":"sequence","default_value":"'users_id_seq'::regclass"},` +
		`{"name":"email","db_column":"email","field":"CharField","db_field":"CharField","filterable":true,"null":false,"editable":true,"params":{"length":100,"db_internal_type":"VARCHAR(100)"},"data_source_field":"EmailField","data_source_name":"E-mail","data_source_params":{"a":[1,2]},"data_source_order_after":"id","data_source_hidden":true,"required":true},` +
		`{"name":"bio \"q\"\n","db_column":"bio \"q\"\n","field":"TextField","db_field":"TextField","filterable":true,"null":true,"editable":true,"params":{"length":null,"db_internal_type":"TEXT"},` + noMeta + `,"required":false},` +
		`{"name":"code","db_column":"code","field":"CharField","db_field":"CharField","filterable":true,"null":false,"editable":true,"params":{"length":10,"db_internal_type":"VARCHAR(10)"},` + noMeta + `,"required":true}` +
		`],"relations":[` +
		`{"name":"orders__user_code__to__code","direction":"ONETOMANY","local_field":"code","related_model":"orders","related_field":"user_code"},` +
		`{"name":"orders__user_id__to__id","direction":"ONETOMANY","local_field":"id","related_model":"orders","related_field":"user_id"}` +
		`],"relation_overrides":[` +
		`{"name":"a","direction":"ONETOMANY","local_field":"id","related_model":"orders","related_field":"user_id"},` +
		`{"name":"z","direction":"MANYTOONE","local_field":"code","related_model":"orders","related_field":"user_code"}` +
		`],"data_source_name":"User","data_source_name_plural":"Users","data_source_order_after":"x","data_source_hidden":false},` +
		`{"model":"v","db_table":"v","hidden":false,"primary_key_field":"n","primary_key_auto":true,"is_view":true,"fields":[` +
		`{"name":"n","db_column":"n","field":"FloatField","db_field":"NumberField","filterable":true,"null":true,"editable":true,"params":{"db_internal_type":"NUMERIC(12, 3)"},` + noMeta + `,"required":true}` +
		`],"relations":[],"relation_overrides":[],"data_source_name":null,"data_source_name_plural":null,"data_source_order_after":null,"data_source_hidden":null},` +
		`{"model":"東京 log","db_table":"東京 log","hidden":false,"primary_key_field":"at","primary_key_auto":true,"is_view":false,"fields":[` +
		`{"name":"at","db_column":"at","field":"DateTimeField","db_field":"TimestampField","filterable":true,"null":true,"editable":true,"params":{"db_internal_type":"TIMESTAMP"},` + noMeta + `,"required":true}` +
		`],"relations":[],"relation_overrides":[],"data_source_name":null,"data_source_name_plural":null,"data_source_order_after":null,"data_source_hidden":null}` +
		`]`
	if string(got) != want {
		t.Fatalf("descriptions differ\n got %s\nwant %s\nfirst difference at byte %d", got, want, firstDiff(string(got), want))
	}
	if !json.Valid(got) {
		t.Fatal("invalid JSON")
	}
	var buf bytes.Buffer
	if err := s.WriteDescriptions(&buf); err != nil {
		t.Fatal(err)
	}
	plain, _ := s.MarshalDescriptions()
	if !bytes.Equal(buf.Bytes(), plain) || !bytes.Contains(plain, []byte(`"relation_overrides":[],"data_source_name":"User"`)) {
		t.Fatal("WriteDescriptions and MarshalDescriptions differ, or overrides leak without being passed")
	}
	var empty *Schema
	if b, _ := empty.MarshalDescriptions(); string(b) != "[]" {
		t.Fatalf("nil schema: %s", b)
	}
	if b, _ := New(nil).MarshalDescriptions(); string(b) != "[]" {
		t.Fatalf("empty schema: %s", b)
	}
}

func firstDiff(a, b string) int {
	for i := 0; i < len(a) && i < len(b); i++ {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

var (
	modelKeys = []string{"model", "db_table", "hidden", "primary_key_field", "primary_key_auto", "is_view", "fields",
		"relations", "relation_overrides", "data_source_name", "data_source_name_plural", "data_source_order_after",
		"data_source_hidden"}
	fieldKeys = []string{"name", "db_column", "field", "db_field", "filterable", "null", "editable", "params",
		"data_source_field", "data_source_name", "data_source_params", "data_source_order_after", "data_source_hidden",
		"required"}
)

// objectKeys returns the keys of a JSON object in order.
func objectKeys(t *testing.T, raw json.RawMessage) []string {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(raw))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		t.Fatalf("not an object: %s", raw)
	}
	var keys []string
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, tok.(string))
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			t.Fatal(err)
		}
	}
	return keys
}

type rawModel struct {
	Model  string            `json:"model"`
	Fields []json.RawMessage `json:"fields"`
}

func TestDescriptionsOfFixture(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		testdb.LoadTypes(t, d)
		s := mustReflect(t, d, Options{})
		out, err := s.MarshalDescriptions()
		if err != nil {
			t.Fatal(err)
		}
		var raws []json.RawMessage
		if err := json.Unmarshal(out, &raws); err != nil {
			t.Fatalf("invalid JSON: %v", err)
		}
		fields := map[string]string{}
		for _, raw := range raws {
			if got := objectKeys(t, raw); !reflect.DeepEqual(got, modelKeys) {
				t.Fatalf("model keys %q", got)
			}
			var m rawModel
			if err := json.Unmarshal(raw, &m); err != nil {
				t.Fatal(err)
			}
			for _, f := range m.Fields {
				keys := objectKeys(t, f)
				if len(keys) < len(fieldKeys) || !reflect.DeepEqual(keys[:len(fieldKeys)], fieldKeys) {
					t.Fatalf("%s field keys %q", m.Model, keys)
				}
				var name struct{ Name string }
				_ = json.Unmarshal(f, &name)
				fields[m.Model+"."+name.Name] = string(f)
			}
		}
		e := d.Dialect.Engine
		intID := `{"name":"id","db_column":"id","field":"IntegerField","db_field":"IntegerField","filterable":true,"null":false,"editable":true,"params":{"db_internal_type":"INTEGER"},` + noMeta + `,"required":false}`
		want := map[string]string{
			"items.released_on":  `{"name":"released_on","db_column":"released_on","field":"DateField","db_field":"DateField","filterable":true,"null":true,"editable":true,"params":{"date":true,"time":false,"db_internal_type":"DATE"},` + noMeta + `,"required":false}`,
			"items.active":       `{"name":"active","db_column":"active","field":"BooleanField","db_field":"BooleanField","filterable":true,"null":false,"editable":true,"params":{"db_internal_type":"BOOLEAN"},` + noMeta + `,"required":false,"default_type":"value","default_value":true}`,
			"orders.customer_id": `{"name":"customer_id","db_column":"customer_id","field":"ForeignKey","db_field":"IntegerField","filterable":true,"null":false,"editable":true,"params":{"related_model":{"model":"customers"},"db_internal_type":"INTEGER"},` + noMeta + `,"required":true}`,
			"orders.Order Date":  `{"name":"Order Date","db_column":"Order Date","field":"DateField","db_field":"DateField","filterable":true,"null":false,"editable":true,"params":{"date":true,"time":false,"db_internal_type":"DATE"},` + noMeta + `,"required":true}`,
			"event_log.code":     `{"name":"code","db_column":"code","field":"CharField","db_field":"CharField","filterable":true,"null":true,"editable":true,"params":{"length":20,"db_internal_type":"VARCHAR(20)"},` + noMeta + `,"required":true}`,
			"items.größe":        `{"name":"größe","db_column":"größe","field":"CharField","db_field":"CharField","filterable":true,"null":true,"editable":true,"params":{"length":10,"db_internal_type":"VARCHAR(10)"},` + noMeta + `,"required":false}`,
		}
		titleMeta := `"data_source_field":null,"data_source_name":"Title","data_source_params":{"max":200},"data_source_order_after":null,"data_source_hidden":null`
		if e == config.EngineSQLite {
			titleMeta = noMeta // SQLite has no comments
		}
		want["items.title"] = `{"name":"title","db_column":"title","field":"CharField","db_field":"CharField","filterable":true,"null":false,"editable":true,"params":{"length":200,"db_internal_type":"VARCHAR(200)"},` + titleMeta + `,"required":true}`
		switch e {
		case config.EnginePostgres:
			want["items.id"] = strings.TrimSuffix(intID, "}") + `,"default_type":"sequence","default_value":"'items_id_seq'::regclass"}`
			want["items.price"] = `{"name":"price","db_column":"price","field":"FloatField","db_field":"NumberField","filterable":true,"null":true,"editable":true,"params":{"db_internal_type":"NUMERIC(10, 2)"},` + noMeta + `,"required":false}`
			want["items.created_at"] = `{"name":"created_at","db_column":"created_at","field":"DateTimeField","db_field":"TimestampField","filterable":true,"null":false,"editable":true,"params":{"db_internal_type":"TIMESTAMP"},` + noMeta + `,"required":false,"default_type":"datetime_now"}`
			want["items.mood"] = `{"name":"mood","db_column":"mood","field":"SelectField","db_field":"SelectField","filterable":true,"null":true,"editable":true,"params":{"options":[{"name":"happy","value":"happy"},{"name":"sad","value":"sad"},{"name":"neutral","value":"neutral"}],"length":7,"db_internal_type":"ENUM"},` + noMeta + `,"required":false,"default_type":"value","default_value":"neutral"}`
			want["items.tags"] = `{"name":"tags","db_column":"tags","field":"JSONField","db_field":"JSONField","filterable":true,"null":true,"editable":true,"params":{"db_internal_type":"ARRAY"},` + noMeta + `,"required":false}`
			want["items.uid"] = `{"name":"uid","db_column":"uid","field":"UUIDField","db_field":"UUIDField","filterable":true,"null":true,"editable":true,"params":{"db_internal_type":"UUID"},` + noMeta + `,"required":false}`
		case config.EngineMySQL:
			want["items.id"] = intID
			want["items.price"] = `{"name":"price","db_column":"price","field":"FloatField","db_field":"DecimalField","filterable":true,"null":true,"editable":true,"params":{"db_internal_type":"DECIMAL(10, 2)"},` + noMeta + `,"required":false}`
			want["items.created_at"] = `{"name":"created_at","db_column":"created_at","field":"DateTimeField","db_field":"DateTimeField","filterable":true,"null":false,"editable":true,"params":{"db_internal_type":"DATETIME"},` + noMeta + `,"required":false,"default_type":"datetime_now"}`
			want["items.mood"] = `{"name":"mood","db_column":"mood","field":"SelectField","db_field":"SelectField","filterable":true,"null":true,"editable":true,"params":{"options":[{"name":"happy","value":"happy"},{"name":"sad","value":"sad"},{"name":"neutral","value":"neutral"}],"length":7,"db_internal_type":"ENUM"},` + noMeta + `,"required":false,"default_type":"value","default_value":"neutral"}`
			want["items.big_num"] = `{"name":"big_num","db_column":"big_num","field":"IntegerField","db_field":"BigIntegerField","filterable":true,"null":true,"editable":true,"params":{"db_internal_type":"BIGINT"},` + noMeta + `,"required":false}`
		case config.EngineSQLite:
			// SQLite's catalog calls INTEGER PRIMARY KEY nullable: so does upstream
			want["items.id"] = strings.Replace(intID, `"null":false`, `"null":true`, 1)
			want["items.price"] = `{"name":"price","db_column":"price","field":"FloatField","db_field":"DecimalField","filterable":true,"null":true,"editable":true,"params":{"db_internal_type":"DECIMAL(10, 2)"},` + noMeta + `,"required":false}`
			want["items.created_at"] = `{"name":"created_at","db_column":"created_at","field":"DateTimeField","db_field":"DateTimeField","filterable":true,"null":false,"editable":true,"params":{"db_internal_type":"DATETIME"},` + noMeta + `,"required":false,"default_type":"datetime_now"}`
			want["items.quantity"] = `{"name":"quantity","db_column":"quantity","field":"IntegerField","db_field":"IntegerField","filterable":true,"null":false,"editable":true,"params":{"db_internal_type":"INTEGER"},` + noMeta + `,"required":false,"default_type":"value","default_value":0}`
		}
		if e != config.EnginePostgres {
			// upstream describes only PostgreSQL's default forms (the recording)
			for k, w := range want {
				want[k] = reDefaultKeys.ReplaceAllString(w, "}")
			}
		}
		if e == config.EngineMySQL { // MySQL's BOOLEAN is TINYINT(1): upstream names it TINYINT
			want["items.active"] = strings.Replace(want["items.active"], `"db_internal_type":"BOOLEAN"`, `"db_internal_type":"TINYINT"`, 1)
		}
		for key, w := range want {
			if got := fields[key]; got != w {
				t.Errorf("%s\n got %s\nwant %s", key, got, w)
			}
		}
		if !strings.Contains(string(out), `"data_source_name":"Item","data_source_name_plural":"Items"`) && e != config.EngineSQLite {
			t.Error("table comment not rendered")
		}
		if strings.Contains(string(out), "__jet__") {
			t.Error("internal tables leak into the descriptions")
		}
	})
}

var reDefaultKeys = regexp.MustCompile(`,"default_type":.*\}$`)
