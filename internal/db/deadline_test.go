package db_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	gomysql "github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/jetbridge/jetbridge/internal/db"
)

func TestTimedOut(t *testing.T) {
	live := context.Background()
	expired, cancel := db.Deadline(live, -db.DeadlineGrace)
	defer cancel()
	<-expired.Done()
	gone, stop := context.WithCancel(live)
	stop()
	goneExpired, cancel2 := db.Deadline(gone, time.Hour)
	defer cancel2()
	fresh, cancel3 := db.Deadline(live, time.Hour)
	defer cancel3()
	other := errors.New("syntax error")
	for _, tc := range []struct {
		name        string
		parent, ctx context.Context
		err         error
		want        bool
	}{
		{"no error", live, expired, nil, false},
		{"deadline passed", live, expired, fmt.Errorf("read: %w", context.DeadlineExceeded), true},
		{"client went away", gone, goneExpired, context.Canceled, false},
		{"other error in time", live, fresh, other, false},
		{"PostgreSQL statement timeout", live, fresh, &pgconn.PgError{Code: "57014", Message: "canceling statement due to statement timeout"}, true},
		{"PostgreSQL user cancel", live, fresh, &pgconn.PgError{Code: "57014", Message: "canceling statement due to user request"}, false},
		{"MariaDB max_statement_time", live, fresh, fmt.Errorf("x: %w", &gomysql.MySQLError{Number: 1969}), true},
		{"MySQL max_execution_time", live, fresh, &gomysql.MySQLError{Number: 3024}, true},
		{"MySQL other", live, fresh, &gomysql.MySQLError{Number: 1064}, false},
	} {
		if got := db.TimedOut(tc.parent, tc.ctx, tc.err); got != tc.want {
			t.Errorf("%s: TimedOut = %v, want %v", tc.name, got, tc.want)
		}
	}
}
