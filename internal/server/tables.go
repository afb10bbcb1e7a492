package server

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/jetbridge/jetbridge/internal/apierr"
	"github.com/jetbridge/jetbridge/internal/auth"
	"github.com/jetbridge/jetbridge/internal/ddl"
	"github.com/jetbridge/jetbridge/internal/dialect/dialects"
	"github.com/jetbridge/jetbridge/internal/dialect/feature"
	"github.com/jetbridge/jetbridge/internal/schema"
)

// The builder's schema editing (spec §11). Changes need project-settings
// rights and are refused under READ_ONLY (fix of quirks Q4/Q5); after every
// change, successful or not, the schema is reflected again so that model
// descriptions and every route agree with the database.

// permSchemaChange: project-settings rights, and not a read-only user (who
// may reload, but not change the schema).
var permSchemaChange = auth.Permission{Type: auth.PermProject, Object: auth.ObjectProjectSettings, Write: true}

// schemaChange wraps a §11 write handler.
func (s *Server) schemaChange(h func(c echo.Context, cn *conn, ed *ddl.Editor) error) echo.HandlerFunc {
	return s.withPermission(permSchemaChange, true, func(c echo.Context, cn *conn) error {
		s.ddlMu.Lock()
		defer s.ddlMu.Unlock()
		cn, err := s.backend.get() // the newest schema, now that no other change runs
		if err != nil {
			return err
		}
		ed := &ddl.Editor{DB: cn.db, Schema: cn.schema, Timeout: s.settings.SQLTimeout}
		herr := h(c, cn, ed)
		if ed.Touched {
			s.reflectAfterChange(c.Request().Context())
		}
		return herr
	})
}

// reflectAfterChange re-reads the schema; it runs even when the client has
// gone (the change may have happened).
func (s *Server) reflectAfterChange(ctx context.Context) {
	ctx = context.WithoutCancel(ctx)
	if err := s.backend.reloadAfterDDL(ctx, s.settings.SQLTimeout); err != nil {
		s.log.Warn("reflect the schema after a schema change", "err", err)
	}
}

// reloadAfterDDL re-reflects after a schema change. On PostgreSQL the pool
// is replaced too: its connections cache prepared statements whose result
// types a change can invalidate ("cached plan must not change result
// type"); the old pool closes once requests already holding it are done.
func (b *backend) reloadAfterDDL(ctx context.Context, grace time.Duration) error {
	if dl, err := dialects.For(string(b.cfg.Engine)); err != nil || !dl.Has(feature.CachedPlans) {
		_, err := b.reload(ctx)
		return err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	c, err := b.build(ctx, nil)
	if err != nil {
		return err
	}
	old := b.cur.Swap(c)
	if old != nil {
		time.AfterFunc(grace+5*time.Second, func() { _ = old.db.Close() })
	}
	return nil
}

func readObject(c echo.Context) (map[string]json.RawMessage, error) {
	raw, err := readBody(c)
	if err != nil {
		return nil, err
	}
	return ddl.ParseObject(raw)
}

func tableModel(cn *conn, name string) (*schema.Model, error) {
	m := cn.schema.Model(name)
	if m == nil {
		return nil, apierr.NotFound("Not found: no table named " + strconv.Quote(name))
	}
	return m, nil
}

func tableColumn(cn *conn, c echo.Context) (*schema.Model, *schema.Column, error) {
	m, err := tableModel(cn, pathParam(c, "table"))
	if err != nil {
		return nil, nil, err
	}
	name := pathParam(c, "column")
	col := m.Column(name)
	if col == nil {
		return nil, nil, apierr.NotFound("Not found: " + m.Name + " has no column named " + strconv.Quote(name))
	}
	return m, col, nil
}

// POST /api/tables/
func (s *Server) createTable(c echo.Context, _ *conn, ed *ddl.Editor) error {
	body, err := readObject(c)
	if err != nil {
		return err
	}
	t, echoBody, err := ddl.ParseTable(body)
	if err != nil {
		return err
	}
	if err := ed.CreateTable(c.Request().Context(), t); err != nil {
		return err
	}
	return writeJSON(c, http.StatusCreated, echoBody)
}

// DELETE /api/tables/{table}/
func (s *Server) dropTable(c echo.Context, cn *conn, ed *ddl.Editor) error {
	m, err := tableModel(cn, pathParam(c, "table"))
	if err != nil {
		return err
	}
	if err := ed.DropTable(c.Request().Context(), m); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// GET /api/tables/{table}/columns/
func (s *Server) listColumns(c echo.Context, cn *conn) error {
	m, err := tableModel(cn, pathParam(c, "table"))
	if err != nil {
		return err
	}
	return writeRaw(c, http.StatusOK, cn.schema.MarshalFields(m))
}

// GET /api/tables/{table}/columns/{column}/
func (s *Server) getColumn(c echo.Context, cn *conn) error {
	m, col, err := tableColumn(cn, c)
	if err != nil {
		return err
	}
	return writeRaw(c, http.StatusOK, cn.schema.MarshalField(m, col))
}

// POST /api/tables/{table}/columns/
func (s *Server) addColumn(c echo.Context, cn *conn, ed *ddl.Editor) error {
	body, err := readObject(c)
	if err != nil {
		return err
	}
	col, echoBody, err := ddl.ParseColumn(body, false)
	if err != nil {
		return err
	}
	name := pathParam(c, "table")
	m := cn.schema.Model(name)
	if m == nil {
		// upstream answers 400 here (not 404)
		return apierr.NonField("Not Found: no table named " + strconv.Quote(name))
	}
	if err := ed.AddColumn(c.Request().Context(), m, col); err != nil {
		return err
	}
	return writeJSON(c, http.StatusCreated, echoBody)
}

// PUT and PATCH /api/tables/{table}/columns/{column}/
func (s *Server) alterColumn(partial bool) func(c echo.Context, cn *conn, ed *ddl.Editor) error {
	return func(c echo.Context, cn *conn, ed *ddl.Editor) error {
		m, old, err := tableColumn(cn, c)
		if err != nil {
			return err
		}
		body, err := readObject(c)
		if err != nil {
			return err
		}
		col, echoBody, err := ddl.ParseColumn(body, partial)
		if err != nil {
			return err
		}
		if err := ed.AlterColumn(c.Request().Context(), m, old, col, partial); err != nil {
			return err
		}
		return writeJSON(c, http.StatusOK, echoBody)
	}
}

// DELETE /api/tables/{table}/columns/{column}/
func (s *Server) dropColumn(c echo.Context, cn *conn, ed *ddl.Editor) error {
	m, col, err := tableColumn(cn, c)
	if err != nil {
		return err
	}
	if err := ed.DropColumn(c.Request().Context(), m, col); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
