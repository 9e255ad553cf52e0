package api

import (
	_ "embed"

	"github.com/gin-gonic/gin"
)

// openAPIDoc is the OpenAPI 3 description of every route of the route
// table; TestOpenAPIMatchesRoutes keeps the two in step, so a new route
// needs its entry in openapi.json.
//
//go:embed openapi.json
var openAPIDoc []byte

// openAPI serves the description.
func (s *Server) openAPI(c *gin.Context) {
	writeDocument(c, "application/json", openAPIDoc)
}
