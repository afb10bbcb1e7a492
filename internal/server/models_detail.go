package server

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/jetbridge/jetbridge/internal/apierr"
	"github.com/jetbridge/jetbridge/internal/query"
	"github.com/jetbridge/jetbridge/internal/record"
	"github.com/jetbridge/jetbridge/internal/schema"
)

// readError maps a database error on the read path: the client's fault is
// a 400 with the database's message, an unreachable database a 503.
func readError(err error, m *schema.Model) error {
	return record.Classify(err, m)
}

// pkValue parses {pk} with the key column's parser (400 when it cannot be
// that column's value).
func pkValue(c echo.Context, m *schema.Model) (any, error) {
	if m.PK() == nil {
		return nil, apierr.NotFound("Not found: " + m.Name + " has no columns to address rows by")
	}
	v, err := query.ParseValue(m.PK(), pathParam(c, "pk"))
	if errors.Is(err, query.ErrOutOfRange) {
		return nil, record.ErrNotFound // no row has a key the column cannot hold
	}
	return v, err
}

// writeRow re-reads a row by key and sends it.
func (s *Server) writeRow(c echo.Context, cn *conn, m *schema.Model, pk any, status int) error {
	rd := cn.read(m)
	enc, stmt := rd.enc, rd.byPK
	buf := s.bufs.get()
	defer s.bufs.put(buf)
	ctx := c.Request().Context()
	var found bool
	err := record.Read(ctx, cn.db, func(r record.Reader) error {
		b, ok, err := r.AppendOne(ctx, enc, (*buf)[:0], stmt, pk)
		*buf, found = b, ok
		return err
	})
	if err != nil {
		return readError(err, m)
	}
	if !found {
		return record.ErrNotFound
	}
	return writeRaw(c, status, *buf)
}

// GET /api/models/{model}/{pk}/ (spec §9.3). Unlike upstream, list filters
// in the query string do not apply to the lookup (quirk Q31).
func (s *Server) retrieve(c echo.Context, cn *conn, m *schema.Model) error {
	pk, err := pkValue(c, m)
	if err != nil {
		return err
	}
	return s.writeRow(c, cn, m, pk, http.StatusOK)
}

func (s *Server) body(c echo.Context) (map[string]any, error) {
	raw, err := readBody(c)
	if err != nil {
		return nil, err
	}
	return record.DecodeBody(raw)
}

func (s *Server) writer(cn *conn) *record.Writer {
	return &record.Writer{DB: cn.db, Dec: record.Decoder{Engine: cn.db.Dialect.Engine, Loc: cn.loc}}
}

// POST /api/models/{model}/: 201 with the row as stored.
func (s *Server) create(c echo.Context, cn *conn, m *schema.Model) error {
	body, err := s.body(c)
	if err != nil {
		return err
	}
	pk, err := s.writer(cn).Insert(c.Request().Context(), m, body)
	if err != nil {
		return err
	}
	if pk == nil {
		return c.NoContent(http.StatusCreated)
	}
	return s.writtenRow(c, cn, m, pk, http.StatusCreated)
}

func (s *Server) change(c echo.Context, cn *conn, m *schema.Model, partial bool) error {
	pk, err := pkValue(c, m)
	if err != nil {
		return err
	}
	body, err := s.body(c)
	if err != nil {
		return err
	}
	if err := s.writer(cn).Update(c.Request().Context(), m, pk, body, partial); err != nil {
		return err
	}
	// the key itself may have changed
	if v, ok := body[m.PK().Name]; ok && v != nil {
		if nv, msg := (record.Decoder{Engine: cn.db.Dialect.Engine, Loc: cn.loc}).Value(m.PK(), v); msg == "" {
			pk = nv
		}
	}
	return s.writtenRow(c, cn, m, pk, http.StatusOK)
}

// PUT /api/models/{model}/{pk}/
func (s *Server) update(c echo.Context, cn *conn, m *schema.Model) error {
	return s.change(c, cn, m, false)
}

// PATCH /api/models/{model}/{pk}/
func (s *Server) partialUpdate(c echo.Context, cn *conn, m *schema.Model) error {
	return s.change(c, cn, m, true)
}

// DELETE /api/models/{model}/{pk}/: 204.
func (s *Server) destroy(c echo.Context, cn *conn, m *schema.Model) error {
	pk, err := pkValue(c, m)
	if err != nil {
		return err
	}
	if err := s.writer(cn).Delete(c.Request().Context(), m, pk); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
