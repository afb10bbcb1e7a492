package server

import "fmt"

// problem renders a failed connection for the log: the plain explanation of
// Options.DescribeDBError (what went wrong, what to do) when set, else the
// driver's error.
func (b *backend) problem(err error) []any {
	if b.describe != nil {
		if attrs := b.describe(err); len(attrs) > 0 {
			return attrs
		}
	}
	return []any{"err", err}
}

// problemKey identifies a problem, so that a retry loop logs it once and
// again only when it changes.
func problemKey(attrs []any) string { return fmt.Sprint(attrs...) }
