package record

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"strconv"
	"unsafe"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/jetbridge/jetbridge/internal/schema"
)

// pgxReader reads through a pgx connection and encodes rows from the raw
// wire values. It asks for the result formats pgx's database/sql driver asks
// for, and converts each value the way that driver does - so the JSON is
// byte for byte what Encoder.AppendRow makes of database/sql's values - but
// the common column types skip the conversion to a Go value altogether.
type pgxReader struct {
	conn   *pgx.Conn
	args   []any
	argBuf [8]any
}

// sqlResultFormats are the formats of pgx's database/sql driver: binary for
// the types it converts itself, text for everything else.
var sqlResultFormats = pgx.QueryResultFormatsByOID{
	pgtype.BoolOID: pgx.BinaryFormatCode, pgtype.ByteaOID: pgx.BinaryFormatCode, pgtype.CIDOID: pgx.BinaryFormatCode,
	pgtype.DateOID: pgx.BinaryFormatCode, pgtype.Float4OID: pgx.BinaryFormatCode, pgtype.Float8OID: pgx.BinaryFormatCode,
	pgtype.Int2OID: pgx.BinaryFormatCode, pgtype.Int4OID: pgx.BinaryFormatCode, pgtype.Int8OID: pgx.BinaryFormatCode,
	pgtype.OIDOID: pgx.BinaryFormatCode, pgtype.TimestampOID: pgx.BinaryFormatCode, pgtype.TimestamptzOID: pgx.BinaryFormatCode,
	pgtype.XIDOID: pgx.BinaryFormatCode,
}

// withFormats prepends the result formats to args, reusing one slice per reader.
func (r *pgxReader) withFormats(args []any) []any {
	if r.args == nil {
		r.args = r.argBuf[:0]
	}
	r.args = append(append(r.args[:0], sqlResultFormats), args...)
	return r.args
}

func (r *pgxReader) AppendRows(ctx context.Context, e *Encoder, b []byte, stmt string, args ...any) ([]byte, int, error) {
	rows, err := r.conn.Query(ctx, stmt, r.withFormats(args)...)
	if err != nil {
		return b, 0, err
	}
	defer rows.Close()
	var d *pgxRowDecoder
	b = append(b, '[')
	n := 0
	for rows.Next() {
		if d == nil {
			if d, err = e.pgxDecoder(r.conn.TypeMap(), rows.FieldDescriptions()); err != nil {
				return b, n, err
			}
		}
		if n > 0 {
			b = append(b, ',')
		}
		if b, err = d.appendRow(b, rows.RawValues()); err != nil {
			return b, n, err
		}
		n++
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return b, n, err
	}
	return append(b, ']'), n, nil
}

func (r *pgxReader) AppendOne(ctx context.Context, e *Encoder, b []byte, stmt string, args ...any) ([]byte, bool, error) {
	rows, err := r.conn.Query(ctx, stmt, r.withFormats(args)...)
	if err != nil {
		return b, false, err
	}
	defer rows.Close()
	if !rows.Next() {
		rows.Close()
		return b, false, rows.Err()
	}
	d, err := e.pgxDecoder(r.conn.TypeMap(), rows.FieldDescriptions())
	if err != nil {
		return b, false, err
	}
	out, err := d.appendRow(b, rows.RawValues())
	if err != nil {
		return b, false, err
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return b, false, err
	}
	return out, true, nil
}

func (r *pgxReader) Int(ctx context.Context, stmt string, args ...any) (int64, bool, error) {
	var n pgtype.Int8
	if err := r.conn.QueryRow(ctx, stmt, args...).Scan(&n); err != nil {
		if err == pgx.ErrNoRows {
			return 0, false, nil
		}
		return 0, false, err
	}
	return n.Int64, n.Valid, nil
}

// How a column's wire value becomes JSON.
type pgxMode uint8

const (
	pgxGeneric        pgxMode = iota // convert as database/sql would, then AppendValue
	pgxInt                           // binary int2/int4/int8 of an integer or float column
	pgxString                        // a text-format value database/sql hands over as a string
	pgxBool                          // binary bool of a boolean column
	pgxTimestamp                     // binary timestamptz of a datetime column
	pgxTimestampNaive                // binary timestamp of a datetime column
	pgxJSON                          // text json/jsonb of a JSON column
)

// pgxColumn decodes one result column.
type pgxColumn struct {
	mode  pgxMode
	oid   uint32
	plan  pgtype.ScanPlan
	tstz  pgtype.Timestamptz
	ts    pgtype.Timestamp
	value func(src []byte) (any, error) // pgxGeneric, built on first use
	m     *pgtype.Map
	fmt   int16
}

type pgxRowDecoder struct {
	e    *Encoder
	cols []pgxColumn
}

// stringKinds are the column kinds whose encoding of a string value is
// AppendString itself (AppendValue has no string case for them).
func stringKind(k schema.Kind) bool {
	switch k {
	case schema.KindInteger, schema.KindFloat, schema.KindBoolean, schema.KindDateTime, schema.KindJSON, schema.KindArray:
		return false
	}
	return true
}

// driverConverted lists the types pgx's database/sql driver converts to
// something other than a string.
func driverConverted(oid uint32) bool {
	switch oid {
	case pgtype.BoolOID, pgtype.ByteaOID, pgtype.CIDOID, pgtype.OIDOID, pgtype.XIDOID, pgtype.DateOID,
		pgtype.Float4OID, pgtype.Float8OID, pgtype.Int2OID, pgtype.Int4OID, pgtype.Int8OID,
		pgtype.JSONOID, pgtype.JSONBOID, pgtype.TimestampOID, pgtype.TimestamptzOID, pgtype.XMLOID:
		return true
	}
	return false
}

func (e *Encoder) pgxDecoder(m *pgtype.Map, fds []pgconn.FieldDescription) (*pgxRowDecoder, error) {
	if len(fds) != len(e.cols) {
		return nil, fmt.Errorf("the query returned %d columns for %d model columns", len(fds), len(e.cols))
	}
	d := &pgxRowDecoder{e: e, cols: make([]pgxColumn, len(fds))}
	for i, fd := range fds {
		c := &d.cols[i]
		c.oid, c.m, c.fmt = fd.DataTypeOID, m, fd.Format
		kind := e.cols[i].Kind
		bin := fd.Format == pgx.BinaryFormatCode
		switch {
		case bin && (fd.DataTypeOID == pgtype.Int2OID || fd.DataTypeOID == pgtype.Int4OID || fd.DataTypeOID == pgtype.Int8OID) &&
			(kind == schema.KindInteger || kind == schema.KindFloat):
			c.mode = pgxInt
		case bin && fd.DataTypeOID == pgtype.BoolOID && kind == schema.KindBoolean:
			c.mode = pgxBool
		case bin && fd.DataTypeOID == pgtype.TimestamptzOID && kind == schema.KindDateTime:
			c.mode, c.plan = pgxTimestamp, m.PlanScan(fd.DataTypeOID, fd.Format, &c.tstz)
		case bin && fd.DataTypeOID == pgtype.TimestampOID && kind == schema.KindDateTime:
			c.mode, c.plan = pgxTimestampNaive, m.PlanScan(fd.DataTypeOID, fd.Format, &c.ts)
		case !bin && (fd.DataTypeOID == pgtype.JSONOID || fd.DataTypeOID == pgtype.JSONBOID) && kind == schema.KindJSON:
			c.mode = pgxJSON
		case !bin && !driverConverted(fd.DataTypeOID) && stringKind(kind):
			c.mode = pgxString
		}
	}
	return d, nil
}

// unsafeString views b as a string for the duration of one call that does
// not keep it.
func unsafeString(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

func (d *pgxRowDecoder) appendRow(b []byte, vals [][]byte) ([]byte, error) {
	e := d.e
	b = append(b, e.head...)
	if len(e.cols) == 0 {
		return append(append(b, '{', '}'), e.tail...), nil
	}
	for i := range d.cols {
		b = append(b, e.keys[i]...)
		src := vals[i]
		if src == nil {
			b = append(b, "null"...)
			continue
		}
		c := &d.cols[i]
		switch c.mode {
		case pgxInt:
			var n int64
			switch len(src) {
			case 2:
				n = int64(int16(binary.BigEndian.Uint16(src)))
			case 4:
				n = int64(int32(binary.BigEndian.Uint32(src)))
			case 8:
				n = int64(binary.BigEndian.Uint64(src))
			default:
				return b, fmt.Errorf("column %s: %d-byte integer", e.cols[i].Name, len(src))
			}
			b = strconv.AppendInt(b, n, 10)
			continue
		case pgxBool:
			if len(src) != 1 {
				return b, fmt.Errorf("column %s: %d-byte boolean", e.cols[i].Name, len(src))
			}
			b = strconv.AppendBool(b, src[0] != 0)
			continue
		case pgxTimestamp:
			if err := c.plan.Scan(src, &c.tstz); err != nil {
				return b, fmt.Errorf("column %s: %w", e.cols[i].Name, err)
			}
			if c.tstz.Valid && c.tstz.InfinityModifier == pgtype.Finite {
				b = appendDateTime(b, c.tstz.Time, e.cols[i].HasTimezone, e.Loc)
				continue
			}
		case pgxTimestampNaive:
			if err := c.plan.Scan(src, &c.ts); err != nil {
				return b, fmt.Errorf("column %s: %w", e.cols[i].Name, err)
			}
			if c.ts.Valid && c.ts.InfinityModifier == pgtype.Finite {
				b = appendDateTime(b, c.ts.Time, e.cols[i].HasTimezone, e.Loc)
				continue
			}
		case pgxJSON:
			// jsonb is PostgreSQL's own rendering, valid by construction
			if c.oid == pgtype.JSONBOID || json.Valid(src) {
				b = append(b, bytes.TrimSpace(src)...)
				continue
			}
		case pgxString:
			b = AppendString(b, unsafeString(src))
			continue
		}
		v, err := c.generic(src)
		if err != nil {
			return b, fmt.Errorf("column %s: %w", e.cols[i].Name, err)
		}
		b = e.appendCol(b, i, v)
	}
	return append(append(b, '}'), e.tail...), nil
}

// generic converts src to the value pgx's database/sql driver produces for
// the column's type and format.
func (c *pgxColumn) generic(src []byte) (any, error) {
	if c.value == nil {
		c.value = driverValueFunc(c.m, c.oid, c.fmt)
	}
	return c.value(src)
}

func driverValueFunc(m *pgtype.Map, oid uint32, format int16) func(src []byte) (any, error) {
	switch oid {
	case pgtype.BoolOID:
		var d bool
		p := m.PlanScan(oid, format, &d)
		return func(src []byte) (any, error) { err := p.Scan(src, &d); return d, err }
	case pgtype.ByteaOID, pgtype.JSONOID, pgtype.JSONBOID, pgtype.XMLOID:
		var d []byte
		p := m.PlanScan(oid, format, &d)
		return func(src []byte) (any, error) {
			if err := p.Scan(src, &d); err != nil {
				return nil, err
			}
			return bytes.Clone(d), nil // database/sql hands out a copy
		}
	case pgtype.CIDOID, pgtype.OIDOID, pgtype.XIDOID:
		var d pgtype.Uint32
		p := m.PlanScan(oid, format, &d)
		return func(src []byte) (any, error) {
			if err := p.Scan(src, &d); err != nil {
				return nil, err
			}
			return d.Value()
		}
	case pgtype.DateOID:
		var d pgtype.Date
		p := m.PlanScan(oid, format, &d)
		return func(src []byte) (any, error) {
			if err := p.Scan(src, &d); err != nil {
				return nil, err
			}
			return d.Value()
		}
	case pgtype.Float4OID:
		var d float32
		p := m.PlanScan(oid, format, &d)
		return func(src []byte) (any, error) { err := p.Scan(src, &d); return float64(d), err }
	case pgtype.Float8OID:
		var d float64
		p := m.PlanScan(oid, format, &d)
		return func(src []byte) (any, error) { err := p.Scan(src, &d); return d, err }
	case pgtype.Int2OID:
		var d int16
		p := m.PlanScan(oid, format, &d)
		return func(src []byte) (any, error) { err := p.Scan(src, &d); return int64(d), err }
	case pgtype.Int4OID:
		var d int32
		p := m.PlanScan(oid, format, &d)
		return func(src []byte) (any, error) { err := p.Scan(src, &d); return int64(d), err }
	case pgtype.Int8OID:
		var d int64
		p := m.PlanScan(oid, format, &d)
		return func(src []byte) (any, error) { err := p.Scan(src, &d); return d, err }
	case pgtype.TimestampOID:
		var d pgtype.Timestamp
		p := m.PlanScan(oid, format, &d)
		return func(src []byte) (any, error) {
			if err := p.Scan(src, &d); err != nil {
				return nil, err
			}
			return d.Value()
		}
	case pgtype.TimestamptzOID:
		var d pgtype.Timestamptz
		p := m.PlanScan(oid, format, &d)
		return func(src []byte) (any, error) {
			if err := p.Scan(src, &d); err != nil {
				return nil, err
			}
			return d.Value()
		}
	}
	var d string
	p := m.PlanScan(oid, format, &d)
	return func(src []byte) (any, error) { err := p.Scan(src, &d); return d, err }
}
