// Package config turns flags, environment variables and the jet.conf file into
// validated Settings. Option names follow the upstream Jet Bridge (spec §14.2).
//
// Precedence, lowest first: defaults, the config file, flags given on the
// command line, environment variables. (Upstream let the file override
// explicit flags; here an explicit flag beats the file, spec §15 Q24.)
package config

import (
	"path/filepath"
	"time"

	"github.com/jetbridge/jetbridge/internal/dialect/dialects"
)

// Engine names a database engine with upstream's DATABASE_ENGINE spelling.
type Engine string

// Supported engines.
const (
	EnginePostgres Engine = "postgresql"
	EngineMySQL    Engine = "mysql"
	EngineSQLite   Engine = "sqlite"
)

// DefaultConfigPath is the config file read when neither CONFIG nor --config
// names one; a missing default file is silently ignored.
const DefaultConfigPath = "jet.conf"

// Database holds the DATABASE_* settings and CONNECTIONS.
type Database struct {
	Engine      Engine
	Host        string
	Port        int // 0 = the engine's default port
	User        string
	Password    string // secret: never log or print
	Name        string // database name, or the file path for sqlite
	URL         string // DATABASE_URL; may hold a password: never log unredacted
	Schema      string
	Only        []string
	Except      []string
	MaxTables   int // 0 = no limit
	Extra       string
	Timezone    string
	SSLCA       string
	SSLCert     string
	SSLKey      string
	Connections int // pool size, default 5
	// StatementTimeout, when positive, is enforced by the database on every
	// pooled connection (PostgreSQL statement_timeout, MariaDB
	// max_statement_time, MySQL max_execution_time). Not a setting of its
	// own: the server sets it from SQL_TIMEOUT.
	StatementTimeout time.Duration
}

// Settings is the complete, validated configuration of one jetbridge process.
type Settings struct {
	Address          string
	Port             int
	ConfigPath       string
	ReadOnly         bool
	CORSHeaders      bool
	AllowOrigin      string
	Project          string
	Token            string // secret
	Environment      string
	EnvironmentType  string
	BearerAuthKey    string // secret
	JWTVerifyKey     string // "" = the embedded Jet Admin public key
	APIBaseURL       string
	WebBaseURL       string
	AutoOpenRegister bool
	SSLCert          string
	SSLKey           string
	DisableAuth      bool
	Debug            bool
	SQLTimeout       time.Duration
	// ProjectAuthTimeout bounds one Jet Admin project_auth check of a
	// user's token (jetbridge only; not an upstream setting).
	ProjectAuthTimeout time.Duration
	MediaBaseURL       string
	Database           Database
	// PublicURL is the bridge's public base URL (PUBLIC_URL), used for the
	// links it writes instead of the request's Host.
	PublicURL string
	// BodyBufferBytes bounds the request-body bytes buffered at once across
	// all in-flight requests (BODY_BUFFER_BYTES).
	BodyBufferBytes int
	// SQLMaxResponseBytes and SQLMaxValueBytes bound an /api/sql/ answer and
	// each value in it (SQL_MAX_RESPONSE_BYTES, SQL_MAX_VALUE_BYTES).
	SQLMaxResponseBytes int
	SQLMaxValueBytes    int
	// MediaRoot is the folder uploads are stored in; "" means a folder
	// "media" next to the config file (see MediaDir).
	MediaRoot string
	// MediaMaxUploadMB is the largest file upload in megabytes.
	MediaMaxUploadMB int
	// StorePath is the local store (relation overrides) used when the
	// database role may not create the __jet__ table.
	StorePath string

	// ConfigFound reports that the file at ConfigPath existed and was read.
	ConfigFound bool
	// Warnings lists things Load noticed but did not reject, such as unknown
	// keys in the config file; the caller logs them.
	Warnings []string
}

// Defaults returns the settings used when no source sets anything.
func Defaults() Settings {
	return Settings{
		Address:            "0.0.0.0",
		Port:               8888,
		ConfigPath:         DefaultConfigPath,
		CORSHeaders:        true,
		AllowOrigin:        "*",
		APIBaseURL:         "https://api.jetadmin.io/api",
		WebBaseURL:         "https://app.jetadmin.io",
		AutoOpenRegister:   true,
		SQLTimeout:         30 * time.Second,
		ProjectAuthTimeout: 5 * time.Second,
		StorePath:          "jet_bridge_store.sqlite3",
		Database:           Database{Connections: 5},

		BodyBufferBytes:     64 << 20,
		SQLMaxResponseBytes: 64 << 20,
		SQLMaxValueBytes:    16 << 20,
		MediaMaxUploadMB:    50,
	}
}

// DefaultPort returns the engine's usual TCP port, or 0 (sqlite, unknown).
func (e Engine) DefaultPort() int {
	if dl, err := dialects.For(string(e)); err == nil {
		return dl.DefaultPort()
	}
	return 0
}

// Supported reports whether jetbridge can serve this engine.
func (e Engine) Supported() bool {
	_, err := dialects.For(string(e))
	return err == nil
}

// MediaDir is the media folder: MEDIA_ROOT, or "media" next to the config file.
func (s Settings) MediaDir() string {
	if s.MediaRoot != "" {
		return s.MediaRoot
	}
	dir := "."
	if s.ConfigPath != "" {
		dir = filepath.Dir(s.ConfigPath)
	}
	return filepath.Join(dir, "media")
}
