package server

import (
	"strings"
	"testing"

	"github.com/jetbridge/jetbridge/internal/config"
)

// TestRelationNeedsReadOfJoinedTables (issue 17 L2): _relation and _m2m
// read other tables' rows, so the user needs read permission on them too.
func TestRelationNeedsReadOfJoinedTables(t *testing.T) {
	e := newAuthEnv(t, config.EngineSQLite, true, nil)
	e.fake.AllowUserToken("only-orderitems", "model:OrderItems:r")
	e.fake.AllowUserToken("orderitems-and-orders", "model:OrderItems:r", "model:orders:r")
	path := "/api/models/OrderItems/?_relation=order_id.orders.id|customer_id.1"
	status, _, body := e.do("GET", path, "", "Authorization", "Token only-orderitems")
	if status != 403 || !strings.Contains(body, "through _relation") {
		t.Errorf("_relation through orders without read on orders: %d %s", status, clip(body))
	}
	if status, _, body := e.do("GET", path, "", "Authorization", "Token orderitems-and-orders"); status != 200 {
		t.Errorf("_relation with read on both: %d %s", status, clip(body))
	}
	if status, _, body := e.do("GET", "/api/models/OrderItems/", "", "Authorization", "Token only-orderitems"); status != 200 {
		t.Errorf("plain list: %d %s", status, clip(body))
	}
}
