// Package tui is the `jetbridge init` installer: a full-screen wizard (huh
// forms inside one bubbletea program), the same questions line by line for
// screen readers and piped answers (accessible mode), and a non-interactive
// twin that takes every answer from the settings (--no-input).
//
// The three share the step logic (Flow), the validators, the connection test
// with its plain-words failure hints (Explain) and the final apply step
// (register the Project Token, store it, write jet.conf) behind Backend.
package tui

import (
	"net/url"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/jetbridge/jetbridge/internal/config"
	"github.com/jetbridge/jetbridge/internal/dialect/dialects"
	"github.com/jetbridge/jetbridge/internal/dialect/feature"
)

// TLS modes offered for PostgreSQL (libpq's sslmode values).
const (
	PGRequire    = "require"
	PGVerifyCA   = "verify-ca"
	PGVerifyFull = "verify-full"
)

// TLS modes offered for MySQL / MariaDB.
const (
	MySQLVerify     = "verify"      // tls=true, or the CA file when given
	MySQLSkipVerify = "skip-verify" // tls=skip-verify: encrypted, certificate not checked
)

// Answers is what the wizard asks, kept as typed so that a failed connection
// test can send the user back to the same values.
type Answers struct {
	Engine   config.Engine
	Host     string
	Port     string
	User     string
	Password string // secret
	Name     string // database name (postgresql, mysql)
	Schema   string // postgresql only; "" = the user's current schema
	TLS      bool
	SSLMode  string // one of the PG* or MySQL* constants
	SSLCA    string // CA certificate file; optional
	Path     string // SQLite file
	// CreateFile is the answer to "create the SQLite file?".
	CreateFile bool
	Project    string
	ConfigPath string
	// Overwrite is the answer to "replace the existing config file?".
	Overwrite bool
	// OpenBrowser is the answer to "open the activation page?".
	OpenBrowser bool
	// NewBearerKey is the answer to "generate a Bearer key?", asked when
	// the settings have no BEARER_AUTH_KEY; BearerKey is the key offered.
	NewBearerKey bool
	BearerKey    string // secret
}

// AnswersFrom starts the answers from loaded settings (an existing jet.conf,
// flags and environment): every value the settings hold is prefilled.
func AnswersFrom(s config.Settings) Answers {
	d := s.Database
	a := Answers{
		Engine:      d.Engine,
		Host:        d.Host,
		User:        d.User,
		Password:    d.Password,
		Schema:      d.Schema,
		SSLCA:       d.SSLCA,
		Project:     strings.TrimSpace(s.Project),
		ConfigPath:  s.ConfigPath,
		OpenBrowser: true,
	}
	if !a.Engine.Supported() {
		a.Engine = ""
	}
	if a.File() {
		a.Path = d.Name
	} else {
		a.Name = d.Name
	}
	if d.Port != 0 {
		a.Port = strconv.Itoa(d.Port)
	}
	if a.Host == "" {
		a.Host = "localhost"
	}
	extra, _ := url.ParseQuery(d.Extra)
	switch {
	case a.Has(feature.SSLModeParam):
		switch m := extra.Get("sslmode"); m {
		case PGRequire, PGVerifyCA, PGVerifyFull:
			a.TLS, a.SSLMode = true, m
		default:
			if d.SSLCA != "" {
				a.TLS, a.SSLMode = true, PGVerifyFull
			}
		}
	case a.Has(feature.TLSParam):
		switch extra.Get("tls") {
		case "true":
			a.TLS, a.SSLMode = true, MySQLVerify
		case "skip-verify":
			a.TLS, a.SSLMode = true, MySQLSkipVerify
		default:
			if d.SSLCA != "" {
				a.TLS, a.SSLMode = true, MySQLVerify
			}
		}
	}
	if a.ConfigPath == "" {
		a.ConfigPath = config.DefaultConfigPath
	}
	a.normalizeSSLMode()
	return a
}

// SetEngine switches the engine, moving the port to the new engine's default
// when it was empty or another engine's default.
func (a *Answers) SetEngine(e config.Engine) {
	a.Engine = e
	switch a.Port {
	case "", "0", strconv.Itoa(config.EnginePostgres.DefaultPort()), strconv.Itoa(config.EngineMySQL.DefaultPort()):
		if p := e.DefaultPort(); p != 0 {
			a.Port = strconv.Itoa(p)
		} else {
			a.Port = ""
		}
	}
	if a.Host == "" {
		a.Host = "localhost"
	}
	a.normalizeSSLMode()
}

// normalizeSSLMode keeps SSLMode one of the current engine's modes.
func (a *Answers) normalizeSSLMode() {
	valid := map[config.Engine][]string{
		config.EnginePostgres: {PGRequire, PGVerifyCA, PGVerifyFull},
		config.EngineMySQL:    {MySQLVerify, MySQLSkipVerify},
	}[a.Engine]
	for _, m := range valid {
		if a.SSLMode == m {
			return
		}
	}
	if len(valid) > 0 {
		a.SSLMode = valid[0]
		if a.SSLMode == PGRequire && a.SSLCA != "" {
			a.SSLMode = PGVerifyFull
		}
	}
}

// Server reports whether the engine is reached over the network.
func (a Answers) Server() bool {
	return a.Has(feature.ServerDatabase)
}

// Apply returns base with the answers put in: the database settings, PROJECT
// and the config path. The database URL is dropped (every part is explicit
// now); TLS is expressed as DATABASE_EXTRA (sslmode / tls) and
// DATABASE_SSL_CA, keeping any other DATABASE_EXTRA parameter.
func (a Answers) Apply(base config.Settings) config.Settings {
	s := base
	d := s.Database
	if d.Engine != "" && d.Engine != a.Engine {
		// another engine's connection parameters (sslmode=disable breaks
		// MySQL) and TLS files: nothing in the wizard shows them
		d.Extra, d.SSLCert, d.SSLKey = "", "", ""
	}
	d.Engine = a.Engine
	d.URL = ""
	if a.File() {
		d.Name = AbsPath(a.Path)
		d.Host, d.Port, d.User, d.Password, d.Schema = "", 0, "", "", ""
		d.SSLCA, d.SSLCert, d.SSLKey, d.Extra = "", "", "", ""
	} else {
		d.Host = strings.TrimSpace(a.Host)
		d.Port, _ = strconv.Atoi(strings.TrimSpace(a.Port))
		d.User = strings.TrimSpace(a.User)
		d.Password = a.Password
		d.Name = strings.TrimSpace(a.Name)
		d.Schema = ""
		if a.Has(feature.Schemas) {
			d.Schema = strings.TrimSpace(a.Schema)
		}
		d.Extra, d.SSLCA = a.tlsExtra(d.Extra)
		if !a.TLS {
			d.SSLCert, d.SSLKey = "", ""
		}
	}
	s.Database = d
	if s.BearerAuthKey == "" && a.NewBearerKey {
		s.BearerAuthKey = a.BearerKey
	}
	s.Project = strings.TrimSpace(a.Project)
	if p := strings.TrimSpace(a.ConfigPath); p != "" {
		s.ConfigPath = p
	}
	return s
}

// tlsExtra returns DATABASE_EXTRA and DATABASE_SSL_CA for the TLS answers.
func (a Answers) tlsExtra(extra string) (string, string) {
	q, err := url.ParseQuery(extra)
	if err != nil {
		q = url.Values{}
	}
	ca := strings.TrimSpace(a.SSLCA)
	switch {
	case a.Has(feature.SSLModeParam):
		if a.TLS {
			q.Set("sslmode", a.SSLMode)
		} else {
			switch q.Get("sslmode") {
			case PGRequire, PGVerifyCA, PGVerifyFull:
				q.Del("sslmode") // keep disable / allow / prefer
			}
			ca = ""
		}
	case a.Has(feature.TLSParam):
		switch q.Get("tls") {
		case "true", "skip-verify", "custom", "jetbridge":
			q.Del("tls") // keep false / preferred when TLS is off
		}
		switch {
		case !a.TLS:
			ca = ""
		case a.SSLMode == MySQLSkipVerify:
			q.Set("tls", "skip-verify")
			ca = ""
		case ca == "":
			q.Set("tls", "true")
		}
	}
	return q.Encode(), ca
}

// Where names the database in plain words: "database shop on
// db.example.com:5432" or "SQLite file ./data.db".
func (a Answers) Where() string {
	if a.File() {
		return "SQLite file " + a.Path
	}
	return "database " + a.Name + " on " + a.Host + ":" + a.Port
}

// EngineTitle is the engine's name for people.
func EngineTitle(e config.Engine) string {
	if dl, err := dialects.For(string(e)); err == nil {
		return dl.Title()
	}
	return string(e)
}

// AbsPath is path, trimmed, made absolute against the current folder: the
// SQLite path init stores must not depend on the folder serve starts in.
// ":memory:" and "file:" URIs are kept as they are.
func AbsPath(path string) string {
	p := strings.TrimSpace(path)
	if p == "" || p == ":memory:" || strings.HasPrefix(p, "file:") {
		return p
	}
	if abs, err := filepath.Abs(p); err == nil {
		return abs
	}
	return p
}
