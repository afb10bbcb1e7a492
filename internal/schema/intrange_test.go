package schema

import (
	"math"
	"testing"
)

func TestIntFits(t *testing.T) {
	tests := []struct {
		bits     int
		unsigned bool
		in       []int64
		out      []int64
		rng      string
	}{
		{32, false, []int64{math.MinInt32, 0, math.MaxInt32}, []int64{math.MaxInt32 + 1, math.MinInt32 - 1}, "from -2147483648 to 2147483647"},
		{16, false, []int64{-32768, 32767}, []int64{32768, -32769}, "from -32768 to 32767"},
		{8, true, []int64{0, 255}, []int64{-1, 256}, "from 0 to 255"},
		{24, false, []int64{-8388608, 8388607}, []int64{8388608}, "from -8388608 to 8388607"},
		{64, false, []int64{math.MinInt64, math.MaxInt64}, nil, "from -9223372036854775808 to 9223372036854775807"},
		{0, false, []int64{math.MinInt64, math.MaxInt64}, nil, "from -9223372036854775808 to 9223372036854775807"}, // SQLite
		{64, true, []int64{0, math.MaxInt64}, []int64{-1}, "from 0 to 18446744073709551615"},
	}
	for _, tc := range tests {
		c := &Column{Name: "n", Kind: KindInteger, IntBits: tc.bits, Unsigned: tc.unsigned}
		for _, n := range tc.in {
			if !c.IntFits(n) {
				t.Errorf("%d bits unsigned %v: %d does not fit", tc.bits, tc.unsigned, n)
			}
		}
		for _, n := range tc.out {
			if c.IntFits(n) {
				t.Errorf("%d bits unsigned %v: %d fits", tc.bits, tc.unsigned, n)
			}
		}
		if got := c.IntRange(); got != tc.rng {
			t.Errorf("%d bits unsigned %v: range %q, want %q", tc.bits, tc.unsigned, got, tc.rng)
		}
	}
	if c := (&Column{IntBits: 32, Unsigned: true}); !c.UintFits(math.MaxUint32) || c.UintFits(math.MaxUint32+1) {
		t.Error("UintFits of INT UNSIGNED")
	}
}
