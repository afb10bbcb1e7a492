package config

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jetbridge/jetbridge/internal/values"
)

// kind is how an option's text is parsed.
type kind int

const (
	kindString kind = iota
	kindSecret      // a string never shown anywhere
	kindInt
	kindBool
	kindDuration
	kindList // comma-separated, items trimmed, empty items dropped
)

// typeName is what flag help shows as the value's type.
func (k kind) typeName() string {
	switch k {
	case kindInt:
		return "int"
	case kindBool:
		return "bool"
	case kindDuration:
		return "duration"
	case kindList:
		return "strings"
	}
	return "string"
}

// typed reports whether an empty value means "not set" rather than "".
func (k kind) typed() bool { return k == kindInt || k == kindBool || k == kindDuration }

// option is one setting: its upstream key (environment variable and jet.conf
// key), its flag, and how it reads and writes a Settings field.
type option struct {
	key  string // DATABASE_ENGINE
	flag string // database-engine
	kind kind
	help string
	// expect completes "set KEY to ..." in problem messages.
	expect   string
	min, max int // inclusive bounds for kindInt
	str      func(*Settings) *string
	num      func(*Settings) *int
	boolean  func(*Settings) *bool
	dur      func(*Settings) *time.Duration
	list     func(*Settings) *[]string
}

func flagName(key string) string { return strings.ToLower(strings.ReplaceAll(key, "_", "-")) }

func strOpt(key, help string, f func(*Settings) *string) option {
	return option{key: key, flag: flagName(key), kind: kindString, help: help, str: f}
}

func secretOpt(key, help string, f func(*Settings) *string) option {
	return option{key: key, flag: flagName(key), kind: kindSecret, help: help, str: f}
}

func intOpt(key, help string, lo, hi int, expect string, f func(*Settings) *int) option {
	return option{key: key, flag: flagName(key), kind: kindInt, help: help, min: lo, max: hi, expect: expect, num: f}
}

func boolOpt(key, help string, f func(*Settings) *bool) option {
	return option{key: key, flag: flagName(key), kind: kindBool, help: help, boolean: f}
}

func listOpt(key, help string, f func(*Settings) *[]string) option {
	return option{key: key, flag: flagName(key), kind: kindList, help: help, list: f}
}

// allOptions lists every setting jetbridge reads, in the order WriteFile
// writes them and the settings table documents them. (A function, not a
// package variable, so that nothing can change the table.)
func allOptions() []option {
	return []option{
		strOpt("DATABASE_ENGINE", "database engine: postgresql, mysql (MariaDB too) or sqlite", func(s *Settings) *string { return (*string)(&s.Database.Engine) }),
		strOpt("DATABASE_HOST", "database server host (default localhost)", func(s *Settings) *string { return &s.Database.Host }),
		intOpt("DATABASE_PORT", "database server port (default 5432 for postgresql, 3306 for mysql)", 1, 65535, "a port number from 1 to 65535", func(s *Settings) *int { return &s.Database.Port }),
		strOpt("DATABASE_USER", "database user", func(s *Settings) *string { return &s.Database.User }),
		secretOpt("DATABASE_PASSWORD", "database password (prefer the environment variable: flags show in ps)", func(s *Settings) *string { return &s.Database.Password }),
		strOpt("DATABASE_NAME", "database name, or the file path for sqlite", func(s *Settings) *string { return &s.Database.Name }),
		secretOpt("DATABASE_URL", "connection URL (postgresql://user:pass@host:port/db, mysql://..., sqlite:///path); fills the DATABASE_* settings left unset", func(s *Settings) *string { return &s.Database.URL }),
		strOpt("DATABASE_SCHEMA", "schema to reflect (postgresql; default: the current schema)", func(s *Settings) *string { return &s.Database.Schema }),
		listOpt("DATABASE_ONLY", "comma-separated tables to serve (default: all)", func(s *Settings) *[]string { return &s.Database.Only }),
		listOpt("DATABASE_EXCEPT", "comma-separated tables to leave out", func(s *Settings) *[]string { return &s.Database.Except }),
		intOpt("DATABASE_MAX_TABLES", "reflect at most this many tables (0 = no limit)", 0, 1<<31-1, "a whole number, 0 for no limit", func(s *Settings) *int { return &s.Database.MaxTables }),
		strOpt("DATABASE_EXTRA", "extra driver parameters as a query string, e.g. sslmode=require", func(s *Settings) *string { return &s.Database.Extra }),
		strOpt("DATABASE_TIMEZONE", "IANA time zone of naive database timestamps, e.g. Europe/Berlin (default: detected)", func(s *Settings) *string { return &s.Database.Timezone }),
		strOpt("DATABASE_SSL_CA", "CA certificate file for the database connection", func(s *Settings) *string { return &s.Database.SSLCA }),
		strOpt("DATABASE_SSL_CERT", "client certificate file for the database connection", func(s *Settings) *string { return &s.Database.SSLCert }),
		strOpt("DATABASE_SSL_KEY", "client key file for the database connection", func(s *Settings) *string { return &s.Database.SSLKey }),
		intOpt("CONNECTIONS", "database connection pool size", 1, 10000, "a whole number from 1 to 10000", func(s *Settings) *int { return &s.Database.Connections }),
		strOpt("ADDRESS", "address to listen on", func(s *Settings) *string { return &s.Address }),
		intOpt("PORT", "port to listen on (0 = any free port)", 0, 65535, "a port number from 0 to 65535", func(s *Settings) *int { return &s.Port }),
		strOpt("CONFIG", "config file (INI, section [JET])", func(s *Settings) *string { return &s.ConfigPath }),
		boolOpt("READ_ONLY", "refuse every write with 403", func(s *Settings) *bool { return &s.ReadOnly }),
		boolOpt("CORS_HEADERS", "send CORS headers", func(s *Settings) *bool { return &s.CORSHeaders }),
		strOpt("ALLOW_ORIGIN", "CORS allowed origin", func(s *Settings) *string { return &s.AllowOrigin }),
		strOpt("PROJECT", "Jet Admin project unique name", func(s *Settings) *string { return &s.Project }),
		secretOpt("TOKEN", "Jet Admin project token (prefer the environment variable)", func(s *Settings) *string { return &s.Token }),
		strOpt("ENVIRONMENT", "Jet Admin environment name", func(s *Settings) *string { return &s.Environment }),
		strOpt("ENVIRONMENT_TYPE", "environment type passed to the register page, e.g. docker", func(s *Settings) *string { return &s.EnvironmentType }),
		secretOpt("BEARER_AUTH_KEY", "key accepted as Authorization: Bearer <key> (prefer the environment variable)", func(s *Settings) *string { return &s.BearerAuthKey }),
		strOpt("JWT_VERIFY_KEY", "PEM public key verifying Jet Admin JWTs (default: the embedded Jet Admin key)", func(s *Settings) *string { return &s.JWTVerifyKey }),
		strOpt("API_BASE_URL", "Jet Admin API base URL", func(s *Settings) *string { return &s.APIBaseURL }),
		strOpt("WEB_BASE_URL", "Jet Admin web app base URL", func(s *Settings) *string { return &s.WebBaseURL }),
		boolOpt("AUTO_OPEN_REGISTER", "open the browser to register the token when it is not activated", func(s *Settings) *bool { return &s.AutoOpenRegister }),
		strOpt("SSL_CERT", "TLS certificate file: with SSL_KEY, serve HTTPS", func(s *Settings) *string { return &s.SSLCert }),
		strOpt("SSL_KEY", "TLS private key file: with SSL_CERT, serve HTTPS", func(s *Settings) *string { return &s.SSLKey }),
		boolOpt("DISABLE_AUTH", "serve without authentication (trusted networks only)", func(s *Settings) *bool { return &s.DisableAuth }),
		boolOpt("DEBUG", "debug logging", func(s *Settings) *bool { return &s.Debug }),
		{key: "SQL_TIMEOUT", flag: "sql-timeout", kind: kindDuration, help: "longest a database statement may run: seconds (45) or a duration (45s, 2m)", dur: func(s *Settings) *time.Duration { return &s.SQLTimeout }},
		{key: "PROJECT_AUTH_TIMEOUT", flag: "project-auth-timeout", kind: kindDuration, help: "longest a Jet Admin check of a user's token may take: seconds (5) or a duration (5s)", dur: func(s *Settings) *time.Duration { return &s.ProjectAuthTimeout }},
		strOpt("MEDIA_BASE_URL", "public URL prefix of uploaded media", func(s *Settings) *string { return &s.MediaBaseURL }),
		strOpt("PUBLIC_URL", "public base URL of the bridge behind a reverse proxy, e.g. https://bridge.example.com (links and media URLs; default: from the request)", func(s *Settings) *string { return &s.PublicURL }),
		intOpt("BODY_BUFFER_BYTES", "bytes of request bodies buffered at once across all requests (default 64 MiB; 0 = default)", 0, 1<<40, "a number of bytes (at least 10485760), 0 for the default", func(s *Settings) *int { return &s.BodyBufferBytes }),
		intOpt("SQL_MAX_RESPONSE_BYTES", "largest /api/sql/ response body in bytes (default 64 MiB; 0 = default)", 0, 1<<40, "a number of bytes, 0 for the default", func(s *Settings) *int { return &s.SQLMaxResponseBytes }),
		intOpt("SQL_MAX_VALUE_BYTES", "largest single value in an /api/sql/ response in bytes (default 16 MiB; 0 = default)", 0, 1<<40, "a number of bytes, 0 for the default", func(s *Settings) *int { return &s.SQLMaxValueBytes }),
		strOpt("MEDIA_ROOT", "folder for uploaded files (default: media next to the config file)", func(s *Settings) *string { return &s.MediaRoot }),
		intOpt("MEDIA_MAX_UPLOAD_MB", "largest file upload in megabytes", 1, 1<<20, "a whole number of megabytes from 1 to 1048576", func(s *Settings) *int { return &s.MediaMaxUploadMB }),
		strOpt("STORE_PATH", "local SQLite file for relation overrides when the database role may not create tables", func(s *Settings) *string { return &s.StorePath }),
	}
}

// optionsByKey indexes opts by upstream key.
func optionsByKey(opts []option) map[string]option {
	m := make(map[string]option, len(opts))
	for _, o := range opts {
		m[o.key] = o
	}
	return m
}

// normKey turns a jet.conf key or flag name into the upstream key:
// upper case, '-' as '_' (upstream's option names are case-insensitive).
func normKey(k string) string {
	return strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(k), "-", "_"))
}

// text renders the option's current value as it is written to jet.conf.
func (o option) text(s *Settings) string {
	switch {
	case o.str != nil:
		return *o.str(s)
	case o.num != nil:
		return strconv.Itoa(*o.num(s))
	case o.boolean != nil:
		return strconv.FormatBool(*o.boolean(s))
	case o.dur != nil:
		return o.dur(s).String()
	case o.list != nil:
		return strings.Join(*o.list(s), ",")
	}
	return ""
}

// set parses v into the option's field. The error text completes a sentence
// that starts with the key and the value; it never contains the value.
func (o option) set(s *Settings, v string) error {
	switch o.kind {
	case kindString, kindSecret:
		*o.str(s) = v
	case kindInt:
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil {
			return fmt.Errorf("is not a whole number: set %s to %s", o.key, o.expect)
		}
		if n < o.min || n > o.max {
			return fmt.Errorf("is out of range: set %s to %s", o.key, o.expect)
		}
		*o.num(s) = n
	case kindBool:
		b, ok := parseBool(v)
		if !ok {
			return fmt.Errorf("is not a boolean: set %s to true or false (1/0, yes/no, on/off are accepted too)", o.key)
		}
		*o.boolean(s) = b
	case kindDuration:
		d, err := parseDuration(v)
		if err != nil {
			return fmt.Errorf("%v: set %s to a number of seconds (45) or a duration (45s, 2m)", err, o.key)
		}
		*o.dur(s) = d
	case kindList:
		*o.list(s) = splitList(v)
	}
	return nil
}

// parseBool accepts true/false/1/0/yes/no/on/off/t/f/y/n in any case.
func parseBool(v string) (bool, bool) { return values.Word(v) }

// parseDuration accepts Go durations ("45s", "1m30s") and plain seconds
// ("45", "2.5"); the result must be positive.
func parseDuration(v string) (time.Duration, error) {
	v = strings.TrimSpace(v)
	d, err := time.ParseDuration(v)
	if err != nil {
		secs, ferr := strconv.ParseFloat(v, 64)
		if ferr != nil || secs != secs || secs > 1e9 {
			return 0, fmt.Errorf("is not a duration")
		}
		d = time.Duration(secs * float64(time.Second))
	}
	if d <= 0 {
		return 0, fmt.Errorf("is not positive")
	}
	return d, nil
}

// splitList splits a comma-separated list, trimming items and dropping empty
// ones; nil when nothing is left.
func splitList(v string) []string {
	var out []string
	for _, item := range strings.Split(v, ",") {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}
