package schema

import (
	"strconv"
	"strings"
)

// DeclaredScale reads s from a "NUMERIC(p, s)" / "DECIMAL(p,s)" type, or -1
// when the type declares none.
func (c *Column) DeclaredScale() int {
	t := c.InternalType
	i := strings.IndexByte(t, ',')
	j := strings.IndexByte(t, ')')
	if i < 0 || j < i {
		return -1
	}
	n, err := strconv.Atoi(strings.TrimSpace(t[i+1 : j]))
	if err != nil || n < 0 || n > 30 {
		return -1
	}
	return n
}
