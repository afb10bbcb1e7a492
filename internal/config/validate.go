package config

import (
	"fmt"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/jetbridge/jetbridge/internal/dialect/dialects"
	"github.com/jetbridge/jetbridge/internal/dialect/feature"
)

// Validate checks that the settings can be used: required values present,
// numbers in range, files that exist, parseable URLs and time zones. With
// needDatabase false the DATABASE_* settings are not checked (e.g. serve
// --demo, which brings its own database). The error is a *Problems listing
// every problem; it never contains a secret.
func (s Settings) Validate(needDatabase bool) error {
	var p Problems
	if s.Port < 0 || s.Port > 65535 {
		p.add("PORT=%d is out of range: set %s to a port number from 0 to 65535", s.Port, howToSet("PORT"))
	}
	if s.SQLTimeout <= 0 {
		p.add("SQL_TIMEOUT is not positive: set %s to a number of seconds (45) or a duration (45s, 2m)", howToSet("SQL_TIMEOUT"))
	}
	if s.ProjectAuthTimeout <= 0 {
		p.add("PROJECT_AUTH_TIMEOUT is not positive: set %s to a number of seconds (5) or a duration (5s, 1500ms)", howToSet("PROJECT_AUTH_TIMEOUT"))
	}
	switch {
	case s.SSLCert != "" && s.SSLKey == "":
		p.add("SSL_CERT is set but SSL_KEY is not: set %s to the TLS private key file, or unset SSL_CERT", howToSet("SSL_KEY"))
	case s.SSLKey != "" && s.SSLCert == "":
		p.add("SSL_KEY is set but SSL_CERT is not: set %s to the TLS certificate file, or unset SSL_KEY", howToSet("SSL_CERT"))
	}
	checkFile(&p, "SSL_CERT", s.SSLCert)
	checkFile(&p, "SSL_KEY", s.SSLKey)
	checkBaseURL(&p, "API_BASE_URL", s.APIBaseURL)
	checkBaseURL(&p, "WEB_BASE_URL", s.WebBaseURL)
	if s.PublicURL != "" {
		checkBaseURL(&p, "PUBLIC_URL", s.PublicURL)
	}
	if needDatabase {
		s.Database.validate(&p)
	}
	return p.err()
}

func (d Database) validate(p *Problems) {
	switch {
	case d.Engine == "":
		p.add("DATABASE_ENGINE is not set: set %s to postgresql, mysql or sqlite", howToSet("DATABASE_ENGINE"))
	case !d.Engine.Supported():
		p.add("DATABASE_ENGINE=%q is not supported by jetbridge: use postgresql, mysql or sqlite", string(d.Engine))
	}
	dl, _ := dialects.For(string(d.Engine)) // nil: unsupported, reported above
	file := dl != nil && dl.Has(feature.FileDatabase)
	if strings.TrimSpace(d.Name) == "" {
		what := "the database name"
		if file {
			what = "the SQLite file path"
		}
		p.add("DATABASE_NAME is not set: set %s to %s", howToSet("DATABASE_NAME"), what)
	}
	if d.Port < 0 || d.Port > 65535 {
		p.add("DATABASE_PORT=%d is out of range: set %s to a port number from 1 to 65535", d.Port, howToSet("DATABASE_PORT"))
	}
	if d.Connections < 1 {
		p.add("CONNECTIONS=%d is too small: set %s to 1 or more", d.Connections, howToSet("CONNECTIONS"))
	}
	if d.MaxTables < 0 {
		p.add("DATABASE_MAX_TABLES=%d is negative: set %s to 0 (no limit) or more", d.MaxTables, howToSet("DATABASE_MAX_TABLES"))
	}
	if d.Extra != "" && !file {
		if _, err := url.ParseQuery(d.Extra); err != nil {
			p.add("DATABASE_EXTRA is not a query string: set it like sslmode=require&application_name=jetbridge")
		}
	}
	if dl != nil {
		if msg := dl.UserProblem(d.User); msg != "" {
			p.add("%s", msg)
		}
	}
	if d.Timezone != "" {
		if _, err := time.LoadLocation(d.Timezone); err != nil {
			p.add("DATABASE_TIMEZONE=%q is not a known time zone: set it to an IANA name such as Europe/Berlin or UTC", d.Timezone)
		}
	}
	checkFile(p, "DATABASE_SSL_CA", d.SSLCA)
	checkFile(p, "DATABASE_SSL_CERT", d.SSLCert)
	checkFile(p, "DATABASE_SSL_KEY", d.SSLKey)
}

// checkFile reports a set file path that cannot be read.
func checkFile(p *Problems, key, path string) {
	if path == "" {
		return
	}
	st, err := os.Stat(path)
	switch {
	case err != nil:
		p.add("%s=%q cannot be read (%v): set %s to an existing file", key, path, unwrapPathErr(err), key)
	case st.IsDir():
		p.add("%s=%q is a directory: set %s to a file", key, path, key)
	}
}

// unwrapPathErr drops the path an *fs.PathError repeats.
func unwrapPathErr(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}

func checkBaseURL(p *Problems, key, v string) {
	u, err := url.Parse(v)
	if v == "" || err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		p.add("%s=%q is not an http(s) URL: set %s to a URL like %s", key, v, howToSet(key), fmt.Sprint(exampleURL(key)))
	}
}

func exampleURL(key string) string {
	if key == "API_BASE_URL" {
		return Defaults().APIBaseURL
	}
	return Defaults().WebBaseURL
}
