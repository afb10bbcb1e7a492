package sqlapi

import (
	"github.com/jetbridge/jetbridge/internal/dialect/feature"
	"github.com/jetbridge/jetbridge/internal/jsonw"

	"context"
	"errors"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5/pgconn"
)

// result is what the statements of one request produced.
type result struct {
	rowCount  int64
	data      *sink // the "data" array
	columns   []column
	count     int64
	hasCount  bool
	dataTime  time.Duration
	countTime time.Duration
}

// run executes a plan in a session and encodes the response.
func (r *Runner) run(ctx context.Context, s *session, p *plan, data *sink) (*Response, error) {
	res := result{data: data}
	start := time.Now()
	if p.exec {
		err := s.fly.do(func() error {
			out, err := s.q.ExecContext(ctx, p.data, p.dataArgs...)
			if err != nil {
				return err
			}
			if n, err := out.RowsAffected(); err == nil {
				res.rowCount = n
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		res.data.mem = append(res.data.mem, "[]"...)
	} else if err := r.readRows(ctx, s, p, &res); err != nil {
		return nil, err
	}
	res.dataTime = time.Since(start)
	if p.count != "" {
		r.runCount(ctx, s, p, &res)
	}
	head, tail := r.encodeResponse(&res, p)
	return &Response{head: head, data: res.data, tail: tail}, nil
}

// runCount runs the count statement after the data statement; its errors
// are swallowed and the keys left out (§10.2). (A failed count can only
// spoil a read-only transaction, which is rolled back anyway; writable
// sessions run in autocommit mode.)
func (r *Runner) runCount(ctx context.Context, s *session, p *plan, res *result) {
	start := time.Now()
	var n int64
	err := s.fly.do(func() error {
		rows, err := s.q.QueryContext(ctx, p.count, p.countArgs...)
		if err != nil {
			return err
		}
		defer rows.Close()
		if rows.Next() {
			if err := rows.Scan(&n); err != nil {
				return err
			}
		}
		return rows.Err()
	})
	if err == nil {
		res.count, res.hasCount, res.countTime = n, true, time.Since(start)
	}
}

// readRows runs the data statement and encodes its rows as arrays.
func (r *Runner) readRows(ctx context.Context, s *session, p *plan, res *result) error {
	d := r.d.Dialect.Dialect
	return s.fly.do(func() error {
		// a refused result cancels its statement in the database before
		// the rows are closed (closing would otherwise read them all)
		stop := s.fly.fire
		rows, err := s.q.QueryContext(ctx, p.data, p.dataArgs...)
		if err != nil {
			return err
		}
		defer rows.Close()
		types, err := rows.ColumnTypes()
		if err != nil {
			return err
		}
		cols := make([]column, len(types))
		for i, t := range types {
			c := &cols[i]
			c.name = t.Name()
			c.nullName = c.name == "?column?" && r.d.Dialect.Has(feature.AnonymousColumnName)
			c.dbType = strings.ToUpper(t.DatabaseTypeName())
			c.enc, c.elem = classify(d, c.dbType)
			if i < len(p.groupDate) && p.groupDate[i] && c.enc != encAware && c.enc != encDate {
				c.enc = encGroupDate
			}
			if i < len(p.groupDay) && p.groupDay[i] {
				c.enc = encGroupDay
			}
		}
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		out := res.data
		if out.mem == nil {
			out.mem = make([]byte, 0, 512)
		}
		out.mem = append(out.mem, '[')
		maxValue := int(r.opt.MaxValueBytes)
		var n int64
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				return err
			}
			if n > 0 {
				out.mem = append(out.mem, ',')
			}
			out.mem = append(out.mem, '[')
			for i := range vals {
				if i > 0 {
					out.mem = append(out.mem, ',')
				}
				before := len(out.mem)
				out.mem = appendValue(out.mem, &cols[i], vals[i], &s.zones)
				vals[i] = nil
				if len(out.mem)-before > maxValue {
					stop()
					return errValueTooLarge{limit: r.opt.MaxValueBytes, column: cols[i].name}
				}
			}
			out.mem = append(out.mem, ']')
			n++
			if err := out.grew(); err != nil {
				stop()
				return err
			}
		}
		if err := rows.Err(); err != nil {
			return err
		}
		out.mem = append(out.mem, ']')
		res.rowCount = n
		res.columns = cols
		return nil
	})
}

// encodeResponse writes §10.3's object, keys in the spec's order, as the
// bytes before the rows and the bytes after them.
func (r *Runner) encodeResponse(res *result, p *plan) (head, tail []byte) {
	head = append(make([]byte, 0, 40), `{"row_count":`...)
	head = strconv.AppendInt(head, res.rowCount, 10)
	head = append(head, `,"data":`...)
	b := make([]byte, 0, 64+24*len(res.columns))
	b = append(b, `,"columns":[`...)
	for i := range res.columns {
		if i > 0 {
			b = append(b, ',')
		}
		if res.columns[i].nullName {
			b = append(b, "null"...)
		} else {
			b = jsonw.AppendString(b, res.columns[i].name)
		}
	}
	b = append(b, ']')
	if r.d.Dialect.Has(feature.ColumnDescriptions) {
		b = append(b, `,"column_descriptions":{`...)
		written := map[string]bool{}
		first := true
		for i := range res.columns {
			c := &res.columns[i]
			if written[c.name] {
				continue
			}
			written[c.name] = true
			if !first {
				b = append(b, ',')
			}
			first = false
			b = jsonw.AppendString(b, c.name)
			b = append(b, `:{"field":`...)
			if f := pgFieldType(c.dbType); f != "" {
				b = jsonw.AppendString(b, f)
			} else {
				b = append(b, "null"...)
			}
			b = append(b, '}')
		}
		b = append(b, '}')
	}
	if res.hasCount {
		b = append(b, `,"count":`...)
		b = strconv.AppendInt(b, res.count, 10)
	}
	if p.wrapped {
		b = append(b, `,"limit":`...)
		if p.hasLimit {
			b = strconv.AppendInt(b, p.limit, 10)
		} else {
			b = append(b, "null"...)
		}
	}
	b = append(b, `,"data_query_time":`...)
	b = append(b, seconds(res.dataTime)...)
	if res.hasCount {
		b = append(b, `,"count_query_time":`...)
		b = append(b, seconds(res.countTime)...)
	}
	return head, append(b, '}')
}

// seconds formats a duration as upstream does: seconds rounded to 3 places.
func seconds(d time.Duration) string {
	return pyFloat(math.Round(d.Seconds()*1000) / 1000)
}

// dbMessage extracts the database's own message from a driver error.
func dbMessage(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		msg := pe.Message
		if pe.Detail != "" {
			msg += "\nDETAIL:  " + pe.Detail
		}
		if pe.Hint != "" {
			msg += "\nHINT:  " + pe.Hint
		}
		return msg
	}
	var me *mysql.MySQLError
	if errors.As(err, &me) {
		return me.Message
	}
	return err.Error()
}
