package server

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sort"

	"github.com/labstack/echo/v4"

	"github.com/jetbridge/jetbridge/internal/apierr"
	"github.com/jetbridge/jetbridge/internal/schema"
)

// overrideIn is one relation of the request body.
type overrideIn struct {
	Direction    *string `json:"direction"`
	LocalField   *string `json:"local_field"`
	RelatedModel *string `json:"related_model"`
	RelatedField *string `json:"related_field"`
}

// overrideRelationName is upstream's naming of an override (spec §10).
func overrideRelationName(m *schema.Model, r schema.Relation) string {
	name := r.LocalField + "__to__" + r.RelatedModel + "__" + r.RelatedField
	if r.Direction == "ONETOMANY" {
		name = r.RelatedModel + "__" + r.RelatedField + "__to__" + r.LocalField
	}
	if m.Column(name) != nil {
		name += "_relation"
	}
	return name
}

// POST /api/model_descriptions/relationship_overrides/[?draft=1] (spec
// graphql.md §10): replaces the stored overrides of each listed model.
func (s *Server) relationOverrides(c echo.Context, cn *conn) error {
	raw, err := io.ReadAll(c.Request().Body)
	if err != nil {
		return apierr.NonField("the request body could not be read")
	}
	var body any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&body); err != nil {
		return apierr.NonField("Incorrect JSON body: " + err.Error())
	}
	items, ok := body.([]any)
	if !ok {
		const msg = "this field is required (the body is a list of {\"model\", \"relations\"} objects)"
		return apierr.Fields(map[string][]string{"model": {msg}, "relations": {msg}})
	}
	models := make([]string, 0, len(items))
	rels := make([][]schema.Relation, 0, len(items))
	out := make([]map[string]any, 0, len(items))
	for _, it := range items {
		obj, ok := it.(map[string]any)
		if !ok {
			return apierr.NonField("Each item must be an object with \"model\" and \"relations\"")
		}
		name, _ := obj["model"].(string)
		if _, has := obj["model"]; !has {
			return apierr.Fields(map[string][]string{"model": {"this field is required"}})
		}
		m := cn.schema.Model(name)
		if m == nil {
			return apierr.NonField("Unknown relation override model: " + name)
		}
		rv, has := obj["relations"]
		if !has {
			return apierr.Fields(map[string][]string{"relations": {"this field is required"}})
		}
		list, ok := rv.([]any)
		if !ok {
			return apierr.Fields(map[string][]string{"relations": {"Expected a list of relations (direction, local_field, related_model, related_field)"}})
		}
		var rs []schema.Relation
		echo := make([]map[string]any, 0, len(list))
		for i, x := range list {
			b, _ := json.Marshal(x)
			var in overrideIn
			if err := json.Unmarshal(b, &in); err != nil {
				return apierr.Fields(map[string][]string{"relations": {fmt.Sprintf("relation %d: %v", i, err)}})
			}
			var missing []string
			for _, f := range []struct {
				name string
				v    *string
			}{{"direction", in.Direction}, {"local_field", in.LocalField}, {"related_model", in.RelatedModel}, {"related_field", in.RelatedField}} {
				if f.v == nil {
					missing = append(missing, f.name)
				}
			}
			if len(missing) > 0 {
				sort.Strings(missing)
				return apierr.Fields(map[string][]string{"relations": {fmt.Sprintf("relation %d: %v: this field is required", i, missing)}})
			}
			if *in.Direction != "MANYTOONE" && *in.Direction != "ONETOMANY" {
				return apierr.NonField("Unknown relation direction: " + *in.Direction)
			}
			r := schema.Relation{Direction: *in.Direction, LocalField: *in.LocalField, RelatedModel: *in.RelatedModel, RelatedField: *in.RelatedField}
			r.Name = overrideRelationName(m, r)
			rs = append(rs, r)
			echo = append(echo, map[string]any{"direction": r.Direction, "local_field": r.LocalField,
				"related_model": r.RelatedModel, "related_field": r.RelatedField})
		}
		models = append(models, m.Name)
		rels = append(rels, rs)
		out = append(out, map[string]any{"model": m.Name, "relations": echo})
	}
	st := s.overrideStore(c.Request().Context(), cn)
	if st == nil {
		return apierr.Unavailable("the relation override store is not available (the database role may not create tables and STORE_PATH cannot be written); the server log says why")
	}
	if len(models) > 0 {
		if err := st.Replace(c.Request().Context(), c.QueryParam("draft") != "", models, rels); err != nil {
			s.log.Warn("store relation overrides", "err", err)
			return apierr.Unavailable("the relation overrides could not be stored; the server log says why")
		}
	}
	return writeJSON(c, http.StatusOK, out)
}

// descriptionsWith renders model descriptions with the stored overrides of
// the request's side (draft or published); without any it is the cached
// body. A rendering is reused while the overrides stay the same.
func (s *Server) descriptionsWith(c echo.Context, cn *conn) (body []byte, etag string) {
	draft := c.QueryParam("draft") != ""
	ov, err := s.overrides(c.Request().Context(), cn, draft)
	if err != nil || len(ov) == 0 {
		return cn.descriptions, cn.etag
	}
	g := &s.gql
	key := gqlKey{cn: cn, draft: draft}
	g.mu.Lock()
	d := g.descs[key]
	g.mu.Unlock()
	if d != nil && sameOverrides(d.overrides, ov) {
		return d.body, d.etag
	}
	b, err := cn.schema.MarshalDescriptionsWith(ov)
	if err != nil {
		return cn.descriptions, cn.etag
	}
	sum := sha256.Sum256(b)
	d = &descEntry{body: b, etag: `"` + hex.EncodeToString(sum[:]) + `"`, overrides: ov}
	g.mu.Lock()
	if g.descs == nil {
		g.descs = map[gqlKey]*descEntry{}
	}
	for k := range g.descs {
		if k.cn != cn {
			delete(g.descs, k)
		}
	}
	g.descs[key] = d
	g.mu.Unlock()
	return d.body, d.etag
}

// descEntry is model descriptions rendered with one set of overrides.
type descEntry struct {
	body      []byte
	etag      string
	overrides map[string][]schema.Relation
}
