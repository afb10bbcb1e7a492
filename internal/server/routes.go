package server

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// routes registers the API of spec §1.2. Paths end with a slash, as upstream.
func (s *Server) routes() {
	e := s.echo
	s.get("/", s.redirectToAPI)
	s.get("/api/", s.apiInfo)
	s.get("/api/register/", s.register)
	s.get("/register/", s.register)

	s.get("/api/model_descriptions/", s.member(s.modelDescriptions))
	e.POST("/api/reload/", s.withPermission(permProjectSettings, false, s.reload))
	e.POST("/api/sql/", s.member(s.sql))
	s.get("/api/graphql/", s.member(s.graphQL))
	e.POST("/api/graphql/", s.member(s.graphQL))
	e.POST("/api/model_descriptions/relationship_overrides/", s.withPermission(permProjectSettings, true, s.relationOverrides))

	m := "/api/models/:model/"
	s.get(m, s.modelRoute(actRead, s.list))
	e.POST(m, s.modelRoute(actWrite, s.create))
	s.get(m+"aggregate/", s.modelRoute(actRead, s.aggregate))
	s.get(m+"group/", s.modelRoute(actRead, s.group))
	e.POST(m+"reorder/", s.modelRoute(actWrite, s.reorder))
	e.POST(m+"reset_order/", s.modelRoute(actWrite, s.resetOrder))
	e.POST(m+"bulk_create/", s.modelRoute(actWrite, s.bulkCreate))
	s.get(m+":pk/get_siblings/", s.modelRoute(actRead, s.siblings))
	s.get(m+":pk/", s.modelRoute(actRead, s.retrieve))
	e.PUT(m+":pk/", s.modelRoute(actWrite, s.update))
	e.PATCH(m+":pk/", s.modelRoute(actWrite, s.partialUpdate))
	e.DELETE(m+":pk/", s.modelRoute(actDelete, s.destroy))

	// schema editing (§11)
	e.POST("/api/tables/", s.schemaChange(s.createTable))
	e.DELETE("/api/tables/:table/", s.schemaChange(s.dropTable))
	s.get("/api/tables/:table/columns/", s.member(s.listColumns))
	e.POST("/api/tables/:table/columns/", s.schemaChange(s.addColumn))
	s.get("/api/tables/:table/columns/:column/", s.member(s.getColumn))
	e.PUT("/api/tables/:table/columns/:column/", s.schemaChange(s.alterColumn(false)))
	e.PATCH("/api/tables/:table/columns/:column/", s.schemaChange(s.alterColumn(true)))
	e.DELETE("/api/tables/:table/columns/:column/", s.schemaChange(s.dropColumn))

	// files (§12.1-12.3)
	e.POST(uploadPath, s.fileUpload)
	s.get("/api/image_resize/", s.imageResize)
	s.get("/media/*", s.serveMedia)

	// OPTIONS is answered by the cors middleware; register it so the router
	// does not answer 405 first.
	e.OPTIONS("/*", func(c echo.Context) error { return c.NoContent(http.StatusNoContent) })
}

// get registers a GET route for HEAD too: HEAD answers as GET would,
// without the body (net/http sends the headers only; isHead lets handlers
// skip producing one).
func (s *Server) get(path string, h echo.HandlerFunc) {
	s.echo.Match([]string{http.MethodGet, http.MethodHead}, path, h)
}

func (s *Server) redirectToAPI(c echo.Context) error {
	target := "/api/"
	if q := c.Request().URL.RawQuery; q != "" {
		target += "?" + q
	}
	c.Response().Header().Set(echo.HeaderContentType, "text/html; charset=UTF-8") // as upstream
	return c.Redirect(http.StatusFound, target)
}
