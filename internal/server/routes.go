package server

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// routes registers the API of spec §1.2. Paths end with a slash, as upstream.
func (s *Server) routes() {
	e := s.echo
	e.GET("/", s.redirectToAPI)
	e.GET("/api/", s.apiInfo)
	e.GET("/api/register/", s.register)
	e.GET("/register/", s.register)

	e.GET("/api/model_descriptions/", s.member(s.modelDescriptions))
	e.POST("/api/reload/", s.withPermission(permProjectSettings, false, s.reload))
	e.POST("/api/sql/", s.member(s.sql))
	e.GET("/api/graphql/", s.member(s.graphQL))
	e.POST("/api/graphql/", s.member(s.graphQL))
	e.POST("/api/model_descriptions/relationship_overrides/", s.withPermission(permProjectSettings, true, s.relationOverrides))

	m := "/api/models/:model/"
	e.GET(m, s.modelRoute(actRead, s.list))
	e.POST(m, s.modelRoute(actWrite, s.create))
	e.GET(m+"aggregate/", s.modelRoute(actRead, s.aggregate))
	e.GET(m+"group/", s.modelRoute(actRead, s.group))
	e.POST(m+"reorder/", s.modelRoute(actWrite, s.reorder))
	e.POST(m+"reset_order/", s.modelRoute(actWrite, s.resetOrder))
	e.POST(m+"bulk_create/", s.modelRoute(actWrite, s.bulkCreate))
	e.GET(m+":pk/get_siblings/", s.modelRoute(actRead, s.siblings))
	e.GET(m+":pk/", s.modelRoute(actRead, s.retrieve))
	e.PUT(m+":pk/", s.modelRoute(actWrite, s.update))
	e.PATCH(m+":pk/", s.modelRoute(actWrite, s.partialUpdate))
	e.DELETE(m+":pk/", s.modelRoute(actDelete, s.destroy))

	// schema editing (§11)
	e.POST("/api/tables/", s.schemaChange(s.createTable))
	e.DELETE("/api/tables/:table/", s.schemaChange(s.dropTable))
	e.GET("/api/tables/:table/columns/", s.member(s.listColumns))
	e.POST("/api/tables/:table/columns/", s.schemaChange(s.addColumn))
	e.GET("/api/tables/:table/columns/:column/", s.member(s.getColumn))
	e.PUT("/api/tables/:table/columns/:column/", s.schemaChange(s.alterColumn(false)))
	e.PATCH("/api/tables/:table/columns/:column/", s.schemaChange(s.alterColumn(true)))
	e.DELETE("/api/tables/:table/columns/:column/", s.schemaChange(s.dropColumn))

	// files (§12.1-12.3)
	e.POST(uploadPath, s.fileUpload)
	e.GET("/api/image_resize/", s.imageResize)
	e.GET("/media/*", s.serveMedia)
	e.HEAD("/media/*", s.serveMedia)

	// OPTIONS is answered by the cors middleware; register it so the router
	// does not answer 405 first.
	e.OPTIONS("/*", func(c echo.Context) error { return c.NoContent(http.StatusNoContent) })
}

func (s *Server) redirectToAPI(c echo.Context) error {
	target := "/api/"
	if q := c.Request().URL.RawQuery; q != "" {
		target += "?" + q
	}
	c.Response().Header().Set(echo.HeaderContentType, "text/html; charset=UTF-8") // as upstream
	return c.Redirect(http.StatusFound, target)
}
