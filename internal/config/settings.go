// Package config turns flags, environment variables and the jet.conf file into
// validated Settings. Option names follow the upstream Jet Bridge (spec §14.2).
package config

import "time"

// Engine names a database engine with upstream's DATABASE_ENGINE spelling.
type Engine string

// Supported engines.
const (
	EnginePostgres Engine = "postgresql"
	EngineMySQL    Engine = "mysql"
	EngineSQLite   Engine = "sqlite"
)

// Database holds the DATABASE_* settings and CONNECTIONS.
type Database struct {
	Engine      Engine
	Host        string
	Port        int
	User        string
	Password    string // secret: never log or print
	Name        string // database name, or the file path for sqlite
	URL         string // DATABASE_URL
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
	JWTVerifyKey     string
	APIBaseURL       string
	WebBaseURL       string
	AutoOpenRegister bool
	SSLCert          string
	SSLKey           string
	DisableAuth      bool
	Debug            bool
	SQLTimeout       time.Duration
	MediaBaseURL     string
	Database         Database
}
