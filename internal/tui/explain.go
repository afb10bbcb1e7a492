package tui

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"syscall"

	gomysql "github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/jetbridge/jetbridge/internal/config"
)

// Kind classifies a failed connection test.
type Kind string

// Kinds of connection failures that get their own hint.
const (
	KindWrongPassword   Kind = "wrong-password"
	KindUnknownUser     Kind = "unknown-user"
	KindUnreachable     Kind = "unreachable"
	KindUnknownHost     Kind = "unknown-host"
	KindDatabaseMissing Kind = "database-missing"
	KindSchemaMissing   Kind = "schema-missing"
	KindTLSRequired     Kind = "tls-required"
	KindTLSUnsupported  Kind = "tls-unsupported"
	KindCertificate     Kind = "certificate"
	KindPermission      Kind = "permission"
	KindNotSQLite       Kind = "not-sqlite"
	KindTooMany         Kind = "too-many-connections"
	KindOther           Kind = "other"
)

// Failure is a failed connection test in plain words.
type Failure struct {
	Kind Kind
	// Title says what went wrong: "Wrong password for user app".
	Title string
	// Hint says what to do about it.
	Hint string
	// Detail is the database's own message (never holds the password).
	Detail string
}

func (f *Failure) Error() string {
	return f.Title + ": " + f.Detail
}

// Explain turns a connection error into a Failure for the answers that
// produced it: it reads PostgreSQL SQLSTATE codes, MySQL error numbers and
// network errors. The result never contains the password.
func Explain(err error, a Answers) *Failure {
	if err == nil {
		return nil
	}
	f := &Failure{Kind: KindOther, Detail: redact(err.Error(), a.Password)}
	addr := a.Host + ":" + a.Port
	user := a.User
	if user == "" {
		user = "(none)"
	}

	var pgErr *pgconn.PgError
	var myErr *gomysql.MySQLError
	var dnsErr *net.DNSError
	var certErr *x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var invalidCert x509.CertificateInvalidError
	switch {
	case errors.As(err, &pgErr):
		f.Detail = redact(pgErr.Message, a.Password)
		switch {
		case pgErr.Code == "28P01":
			f.Kind, f.Title = KindWrongPassword, fmt.Sprintf("Wrong password for user %s", user)
			f.Hint = "Check the password (it is case-sensitive) and that this user may log in with a password."
		case pgErr.Code == "28000" && strings.Contains(pgErr.Message, "no encryption"):
			f.Kind, f.Title = KindTLSRequired, "The server requires TLS"
			f.Hint = "Answer yes to \"Connect with TLS?\" (mode require, or verify-full with the server's CA file)."
		case pgErr.Code == "28000" && strings.Contains(pgErr.Message, "does not exist"):
			f.Kind, f.Title = KindUnknownUser, fmt.Sprintf("User %s does not exist", user)
			f.Hint = "Check the user name, or create the role: CREATE ROLE name LOGIN PASSWORD '...';"
		case pgErr.Code == "28000":
			f.Kind, f.Title = KindPermission, fmt.Sprintf("The server does not let user %s in", user)
			f.Hint = "The server's pg_hba.conf has no entry for this host, user and database: ask its administrator to allow it."
		case pgErr.Code == "3D000":
			f.Kind, f.Title = KindDatabaseMissing, fmt.Sprintf("Database %s does not exist", a.Name)
			f.Hint = "Check the database name (list them with psql -l), or create it: CREATE DATABASE " + a.Name + ";"
		case pgErr.Code == "3F000":
			f.Kind, f.Title = KindSchemaMissing, fmt.Sprintf("Schema %s does not exist", a.Schema)
			f.Hint = "Check the schema name, or leave it empty for the user's default schema (usually public)."
		case pgErr.Code == "42501":
			f.Kind, f.Title = KindPermission, fmt.Sprintf("User %s lacks a permission", user)
			f.Hint = "Grant the user CONNECT on the database and USAGE on the schema."
		case pgErr.Code == "53300":
			f.Kind, f.Title = KindTooMany, "The server has too many connections"
			f.Hint = "Close idle connections or raise max_connections, then try again."
		default:
			f.Title = "PostgreSQL refused the connection (" + pgErr.Code + ")"
			f.Hint = "Read the server's message above; check the answers and try again."
		}
	case errors.As(err, &myErr):
		f.Detail = redact(myErr.Message, a.Password)
		switch myErr.Number {
		case 1045:
			f.Kind, f.Title = KindWrongPassword, fmt.Sprintf("Wrong password for user %s (or the user may not connect from here)", user)
			f.Hint = "Check the password (it is case-sensitive) and that the user is allowed from this host ('user'@'%' or 'user'@'this host')."
		case 1044:
			f.Kind, f.Title = KindPermission, fmt.Sprintf("User %s may not use database %s", user, a.Name)
			f.Hint = "GRANT ALL ON " + a.Name + ".* TO the user, or use another database."
		case 1049:
			f.Kind, f.Title = KindDatabaseMissing, fmt.Sprintf("Database %s does not exist", a.Name)
			f.Hint = "Check the database name (SHOW DATABASES;), or create it: CREATE DATABASE " + a.Name + ";"
		case 3159:
			f.Kind, f.Title = KindTLSRequired, "The server requires TLS"
			f.Hint = "Answer yes to \"Connect with TLS?\"."
		case 1130:
			f.Kind, f.Title = KindPermission, "The server does not accept connections from this host"
			f.Hint = "Create the user for this host ('user'@'%'), or connect from an allowed host."
		case 1040:
			f.Kind, f.Title = KindTooMany, "The server has too many connections"
			f.Hint = "Close idle connections or raise max_connections, then try again."
		default:
			f.Title = fmt.Sprintf("MySQL refused the connection (error %d)", myErr.Number)
			f.Hint = "Read the server's message above; check the answers and try again."
		}
	case errors.Is(err, gomysql.ErrNoTLS) || strings.Contains(err.Error(), "server refused TLS connection"):
		f.Kind, f.Title = KindTLSUnsupported, "The server does not offer TLS"
		f.Hint = "Answer no to \"Connect with TLS?\", or enable TLS on the server."
	case errors.As(err, &certErr) || errors.As(err, &hostErr) || errors.As(err, &invalidCert) || strings.Contains(err.Error(), "x509:") || strings.Contains(err.Error(), "tls: failed to verify"):
		f.Kind, f.Title = KindCertificate, "The server's TLS certificate was not accepted"
		f.Hint = "Give the CA file that signed the server's certificate, or choose a mode that does not verify it (require / skip-verify)."
	case errors.As(err, &dnsErr):
		f.Kind, f.Title = KindUnknownHost, fmt.Sprintf("Host %s not found", a.Host)
		f.Hint = "Check the host name for typos; use an IP address or localhost when the database runs here."
	case errors.Is(err, syscall.ECONNREFUSED) || strings.Contains(err.Error(), "connection refused"):
		f.Kind, f.Title = KindUnreachable, fmt.Sprintf("Nothing answers at %s", addr)
		f.Hint = fmt.Sprintf("Is the %s server running, and listening on port %s? Check the host and port.", EngineTitle(a.Engine), a.Port)
	case isTimeout(err):
		f.Kind, f.Title = KindUnreachable, fmt.Sprintf("%s did not answer in time", addr)
		f.Hint = "A firewall may be in the way, or the host is wrong: check the host and port, and that the server accepts remote connections."
	case errors.Is(err, syscall.EHOSTUNREACH) || errors.Is(err, syscall.ENETUNREACH) || strings.Contains(err.Error(), "no route to host"):
		f.Kind, f.Title = KindUnreachable, fmt.Sprintf("Host %s cannot be reached", a.Host)
		f.Hint = "Check the host name and your network (VPN?)."
	case a.File() && (strings.Contains(err.Error(), "file is not a database") || strings.Contains(err.Error(), "(26)")):
		f.Kind, f.Title = KindNotSQLite, fmt.Sprintf("%s is not a SQLite database", a.Path)
		f.Hint = "Choose the right file, or a new file name to start an empty database."
	case a.File() && (errors.Is(err, os.ErrPermission) || strings.Contains(err.Error(), "readonly") || strings.Contains(err.Error(), "unable to open")):
		f.Kind, f.Title = KindPermission, fmt.Sprintf("Cannot open %s", a.Path)
		f.Hint = "Check that the file and its folder are readable and writable by you."
	default:
		f.Title = "The connection failed"
		f.Hint = "Read the message above; check the answers and try again."
	}
	return f
}

func isTimeout(err error) bool {
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, os.ErrDeadlineExceeded) {
		return true
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return true
	}
	return strings.Contains(err.Error(), "i/o timeout") || strings.Contains(err.Error(), "timeout:")
}

// redact removes the password from a message.
func redact(s, password string) string {
	if len(password) < 3 {
		return s
	}
	return strings.ReplaceAll(s, password, "*****")
}

// LogAttrs explains a failed connection to database d for a log line (the
// serve command's): slog attributes "problem" and "hint", plus "detail"
// with the database's own message when it says more than the problem (never
// a password; a network error's repeated address lines are left out).
func LogAttrs(err error, d config.Database) []any {
	f := Explain(err, AnswersFrom(config.Settings{Database: d}))
	attrs := []any{"problem", f.Title, "hint", f.Hint}
	switch f.Kind {
	case KindUnreachable, KindUnknownHost:
	default:
		if f.Detail != "" {
			attrs = append(attrs, "detail", f.Detail)
		}
	}
	return attrs
}
