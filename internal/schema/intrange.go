package schema

import (
	"fmt"
	"math"
)

// IntFits reports whether n fits the integer column (see IntBits); any
// int64 fits a column of unknown size.
func (c *Column) IntFits(n int64) bool {
	lo, hi := c.intBounds()
	if n < 0 {
		return lo < 0 && n >= lo
	}
	return uint64(n) <= hi
}

// UintFits is IntFits for an unsigned value.
func (c *Column) UintFits(u uint64) bool {
	_, hi := c.intBounds()
	return u <= hi
}

// OutOfRange is the message for an integer the column cannot hold:
// "out of range: INTEGER holds integers from -2147483648 to 2147483647".
func (c *Column) OutOfRange() string {
	t := c.InternalType
	if t == "" {
		t = "the column"
	}
	return "out of range: " + t + " holds integers " + c.IntRange()
}

// IntRange says in words which integers the column holds, for messages:
// "from -2147483648 to 2147483647".
func (c *Column) IntRange() string {
	lo, hi := c.intBounds()
	return fmt.Sprintf("from %d to %d", lo, hi)
}

func (c *Column) intBounds() (int64, uint64) {
	bits := c.IntBits
	if bits <= 0 || bits > 64 {
		bits = 64
	}
	switch {
	case c.Unsigned && bits == 64:
		return 0, math.MaxUint64
	case c.Unsigned:
		return 0, uint64(1)<<bits - 1
	case bits == 64:
		return math.MinInt64, math.MaxInt64
	}
	return -(int64(1) << (bits - 1)), uint64(1)<<(bits-1) - 1
}
