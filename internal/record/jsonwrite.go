package record

import "github.com/jetbridge/jetbridge/internal/jsonw"

// AppendString appends s as a JSON string (see jsonw.AppendString).
func AppendString(b []byte, s string) []byte { return jsonw.AppendString(b, s) }

// AppendFloat appends f as a JSON number, or null for NaN and infinities.
func AppendFloat(b []byte, f float64, bits int) []byte { return jsonw.AppendFloat(b, f, bits) }
