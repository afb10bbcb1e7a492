package schema

// MarshalField renders one field object of m exactly as it appears in the
// model descriptions (GET /api/tables/{table}/columns/{column}/, §11.2).
func (s *Schema) MarshalField(m *Model, c *Column) []byte {
	return s.appendField(make([]byte, 0, 512), m, c)
}

// MarshalFields renders the field objects of m as a JSON array
// (GET /api/tables/{table}/columns/).
func (s *Schema) MarshalFields(m *Model) []byte {
	b := make([]byte, 0, 420*len(m.Columns)+2)
	b = append(b, '[')
	for i, c := range m.Columns {
		if i > 0 {
			b = append(b, ',')
		}
		b = s.appendField(b, m, c)
	}
	return append(b, ']')
}
