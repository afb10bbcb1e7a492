package tui

import (
	"context"
	"crypto/x509"
	"database/sql"
	"errors"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	gomysql "github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/jetbridge/jetbridge/internal/config"
	"github.com/jetbridge/jetbridge/internal/db"
	"github.com/jetbridge/jetbridge/internal/testdb"
)

func errPGWrongPassword(user string) error {
	return fmt.Errorf("connect to postgresql: %w", &pgconn.PgError{Severity: "FATAL", Code: "28P01",
		Message: fmt.Sprintf("password authentication failed for user %q", user)})
}

func TestExplain(t *testing.T) {
	a := Answers{Engine: config.EnginePostgres, Host: "db", Port: "5432", User: "app", Password: "hunter22", Name: "shop", Schema: "s", Path: "x.db"}
	my := a
	my.Engine, my.Port = config.EngineMySQL, "3306"
	lite := Answers{Engine: config.EngineSQLite, Path: "x.db"}
	tests := []struct {
		name  string
		err   error
		a     Answers
		kind  Kind
		title string
	}{
		{"pg wrong password", errPGWrongPassword("app"), a, KindWrongPassword, "Wrong password for user app"},
		{"pg no tls entry", &pgconn.PgError{Code: "28000", Message: `no pg_hba.conf entry for host "1.2.3.4", user "app", database "shop", no encryption`}, a, KindTLSRequired, "The server requires TLS"},
		{"pg unknown role", &pgconn.PgError{Code: "28000", Message: `role "app" does not exist`}, a, KindUnknownUser, "User app does not exist"},
		{"pg database missing", &pgconn.PgError{Code: "3D000", Message: `database "shop" does not exist`}, a, KindDatabaseMissing, "Database shop does not exist"},
		{"pg too many", &pgconn.PgError{Code: "53300", Message: "sorry, too many clients already"}, a, KindTooMany, "too many connections"},
		{"pg other code", &pgconn.PgError{Code: "57P03", Message: "the database system is starting up"}, a, KindOther, "(57P03)"},
		{"mysql access denied", &gomysql.MySQLError{Number: 1045, Message: "Access denied for user 'app'@'x' (using password: YES)"}, my, KindWrongPassword, "Wrong password for user app"},
		{"mysql unknown database", &gomysql.MySQLError{Number: 1049, Message: "Unknown database 'shop'"}, my, KindDatabaseMissing, "Database shop does not exist"},
		{"mysql secure transport", &gomysql.MySQLError{Number: 3159, Message: "Connections using insecure transport are prohibited"}, my, KindTLSRequired, "requires TLS"},
		{"mysql no tls", fmt.Errorf("connect: %w", gomysql.ErrNoTLS), my, KindTLSUnsupported, "does not offer TLS"},
		{"pg refused tls", errors.New("failed to connect: server refused TLS connection"), a, KindTLSUnsupported, "does not offer TLS"},
		{"certificate", fmt.Errorf("tls: %w", x509.UnknownAuthorityError{}), a, KindCertificate, "certificate was not accepted"},
		{"refused", &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}, a, KindUnreachable, "Nothing answers at db:5432"},
		{"dns", &net.DNSError{Err: "no such host", Name: "db", IsNotFound: true}, a, KindUnknownHost, "Host db not found"},
		{"timeout", fmt.Errorf("connect: %w", context.DeadlineExceeded), a, KindUnreachable, "did not answer in time"},
		{"not sqlite", errors.New("file is not a database (26)"), lite, KindNotSQLite, "x.db is not a SQLite database"},
		{"other", errors.New("something odd with hunter22"), a, KindOther, "The connection failed"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := Explain(tc.err, tc.a)
			if f.Kind != tc.kind || !strings.Contains(f.Title, tc.title) {
				t.Errorf("got %s %q, want %s %q", f.Kind, f.Title, tc.kind, tc.title)
			}
			if f.Hint == "" {
				t.Error("no hint")
			}
			if strings.Contains(f.Hint, "below") {
				t.Errorf("hint %q points below: every screen shows the message above the hint", f.Hint)
			}
			if strings.Contains(f.Title+f.Detail+f.Hint, "hunter22") {
				t.Errorf("the password leaked: %+v", f)
			}
		})
	}
	if Explain(nil, a) != nil {
		t.Error("Explain(nil) is not nil")
	}
}

// Errors from the real servers map to the right kind.
func TestExplainRealServers(t *testing.T) {
	ctx := context.Background()
	b := NewBackend()

	t.Run("nothing listening", func(t *testing.T) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		port := ln.Addr().(*net.TCPAddr).Port
		_ = ln.Close()
		d := config.Database{Engine: config.EnginePostgres, Host: "127.0.0.1", Port: port, User: "x", Name: "x"}
		_, err = b.TestConnection(ctx, d)
		a := AnswersFrom(config.Settings{Database: d})
		if f := Explain(err, a); f.Kind != KindUnreachable {
			t.Errorf("got %+v for %v", f, err)
		}
	})
	t.Run("postgres database missing", func(t *testing.T) {
		d := testdb.Config(t, config.EnginePostgres)
		d.Name += "_missing"
		_, err := b.TestConnection(ctx, d)
		if f := Explain(err, AnswersFrom(config.Settings{Database: d})); f.Kind != KindDatabaseMissing || !strings.Contains(f.Title, d.Name) {
			t.Errorf("got %+v for %v", f, err)
		}
	})
	t.Run("postgres schema missing", func(t *testing.T) {
		d := testdb.Config(t, config.EnginePostgres)
		d.Schema = "nope"
		_, err := b.TestConnection(ctx, d)
		var f *Failure
		if !errors.As(err, &f) || f.Kind != KindSchemaMissing {
			t.Errorf("got %v", err)
		}
	})
	t.Run("postgres TLS that cannot be verified", func(t *testing.T) {
		// The test server has either no TLS or a self-signed certificate:
		// verify-full fails either way, each with its own hint.
		d := testdb.Config(t, config.EnginePostgres)
		d.Extra = "sslmode=verify-full"
		_, err := b.TestConnection(ctx, d)
		if err == nil {
			t.Fatal("verify-full against the test server succeeded")
		}
		if f := Explain(err, AnswersFrom(config.Settings{Database: d})); f.Kind != KindCertificate && f.Kind != KindTLSUnsupported {
			t.Errorf("got %+v for %v", f, err)
		}
	})
	t.Run("mysql wrong password and missing database", func(t *testing.T) {
		d := testdb.Config(t, config.EngineMySQL)
		admin, err := sql.Open("mysql", fmt.Sprintf("%s:%s@tcp(%s)/", d.User, d.Password, net.JoinHostPort(d.Host, strconv.Itoa(d.Port))))
		if err != nil {
			t.Fatal(err)
		}
		defer admin.Close()
		user := "jbt_u" + strconv.FormatInt(time.Now().UnixNano()%1e9, 36)
		for _, q := range []string{
			"CREATE USER '" + user + "'@'%' IDENTIFIED BY 'right-pass'",
			"CREATE USER '" + user + "'@'localhost' IDENTIFIED BY 'right-pass'",
			"GRANT ALL ON " + d.Name + ".* TO '" + user + "'@'%'",
			"GRANT ALL ON " + d.Name + ".* TO '" + user + "'@'localhost'",
		} {
			if _, err := admin.ExecContext(ctx, q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		t.Cleanup(func() {
			_, _ = admin.ExecContext(ctx, "DROP USER '"+user+"'@'%'")
			_, _ = admin.ExecContext(ctx, "DROP USER '"+user+"'@'localhost'")
		})
		d.User, d.Password = user, "wrong-pass"
		_, err = b.TestConnection(ctx, d)
		if f := Explain(err, AnswersFrom(config.Settings{Database: d})); f.Kind != KindWrongPassword || strings.Contains(f.Detail, "wrong-pass") {
			t.Errorf("got %+v for %v", f, err)
		}
		d.Password = "right-pass"
		info, err := b.TestConnection(ctx, d)
		if err != nil || !strings.HasPrefix(info.Version, "MariaDB ") && !strings.HasPrefix(info.Version, "MySQL ") {
			t.Errorf("right password: %+v %v", info, err)
		}
		d.Name += "_missing"
		_, err = b.TestConnection(ctx, d)
		if f := Explain(err, AnswersFrom(config.Settings{Database: d})); f.Kind != KindDatabaseMissing && f.Kind != KindPermission {
			t.Errorf("got %+v for %v", f, err)
		}
	})
}

// The connection test reports the version and counts tables and views,
// leaving out the bridge's own tables.
func TestTestConnectionCountsTables(t *testing.T) {
	ctx := context.Background()
	for _, e := range testdb.Engines {
		t.Run(string(e), func(t *testing.T) {
			cfg := testdb.Config(t, e)
			x, err := db.Open(ctx, cfg)
			if err != nil {
				t.Fatal(err)
			}
			testdb.Exec(t, x, "CREATE TABLE a (id INTEGER PRIMARY KEY);\nCREATE TABLE b (id INTEGER PRIMARY KEY);\nCREATE VIEW v AS SELECT id FROM a;\nCREATE TABLE __jet__token (id INTEGER PRIMARY KEY);\n")
			_ = x.Close()
			info, err := NewBackend().TestConnection(ctx, cfg)
			if err != nil {
				t.Fatal(err)
			}
			if info.Tables != 3 {
				t.Errorf("tables %d, want 3", info.Tables)
			}
			prefix := map[config.Engine]string{config.EnginePostgres: "PostgreSQL ", config.EngineSQLite: "SQLite ", config.EngineMySQL: "M"}[e]
			if !strings.HasPrefix(info.Version, prefix) {
				t.Errorf("version %q", info.Version)
			}
		})
	}
}

// serve logs a failed connection with the wizard's explanation: the problem
// and the hint, the server's message when it adds something, never the
// driver's repeated address lines or the password.
func TestLogAttrs(t *testing.T) {
	d := config.Database{Engine: config.EnginePostgres, Host: "db", Port: 5432, User: "app", Password: "hunter22", Name: "shop"}
	refused := &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}
	got := LogAttrs(fmt.Errorf("failed to connect:\n\tdb:5432: %w\n\tdb:5432: %w", refused, refused), d)
	if len(got) != 4 || got[1] != "Nothing answers at db:5432" || !strings.Contains(got[3].(string), "listening on port 5432") {
		t.Errorf("refused: %v", got)
	}
	pw := LogAttrs(&pgconn.PgError{Code: "28P01", Message: `password authentication failed for user "app" hunter22`}, d)
	if len(pw) != 6 || pw[1] != "Wrong password for user app" || pw[4] != "detail" || strings.Contains(fmt.Sprint(pw...), "hunter22") {
		t.Errorf("wrong password: %v", pw)
	}
}
