package record

import (
	"bytes"
	"encoding/json"
	"math/big"
)

type bigFloat = big.Float

func decodeJSON(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	return dec.Decode(v)
}
