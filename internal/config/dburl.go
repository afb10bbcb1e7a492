package config

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// ParseEngine maps a DATABASE_ENGINE value (or a URL scheme) to an Engine:
// case-insensitive, with the aliases postgres, mariadb and sqlite3 and
// SQLAlchemy driver suffixes (postgresql+psycopg2, mysql+pymysql). Values it
// does not know are returned lower-cased; Engine.Supported tells them apart.
func ParseEngine(v string) Engine {
	v = strings.ToLower(strings.TrimSpace(v))
	base, _, _ := strings.Cut(v, "+")
	switch base {
	case "postgresql", "postgres", "pgsql":
		return EnginePostgres
	case "mysql", "mariadb":
		return EngineMySQL
	case "sqlite", "sqlite3":
		return EngineSQLite
	}
	return Engine(v)
}

// withURL returns d with the fields left unset filled from d.URL. Errors
// never contain the URL itself (it may hold a password).
func (d Database) withURL() (Database, error) {
	if strings.TrimSpace(d.URL) == "" {
		return d, nil
	}
	u, err := url.Parse(strings.TrimSpace(d.URL))
	if err != nil || u.Scheme == "" || u.Opaque != "" {
		return d, fmt.Errorf("DATABASE_URL is not a URL: set it like postgresql://user:password@host:5432/name (percent-encode special characters in the password)")
	}
	engine := ParseEngine(u.Scheme)
	if !engine.Supported() {
		return d, fmt.Errorf("DATABASE_URL scheme %q is not supported by jetbridge: use postgresql://, mysql:// or sqlite:///path", u.Scheme)
	}
	if d.Engine == "" {
		d.Engine = engine
	} else if ParseEngine(string(d.Engine)) != engine {
		return d, fmt.Errorf("DATABASE_URL is a %s URL but DATABASE_ENGINE is %s: unset one of them", engine, d.Engine)
	}
	if engine == EngineSQLite {
		if d.Name == "" {
			name := u.Host + u.Path
			if u.Host == "" {
				name = strings.TrimPrefix(u.Path, "/")
			}
			d.Name = name
		}
		return d, nil
	}
	if d.Host == "" {
		d.Host = u.Hostname()
	}
	if d.Port == 0 && u.Port() != "" {
		p, err := strconv.Atoi(u.Port())
		if err != nil || p < 1 || p > 65535 {
			return d, fmt.Errorf("DATABASE_URL has a bad port: use a number from 1 to 65535")
		}
		d.Port = p
	}
	if u.User != nil {
		if d.User == "" {
			d.User = u.User.Username()
		}
		if pw, ok := u.User.Password(); ok && d.Password == "" {
			d.Password = pw
		}
	}
	if d.Name == "" {
		d.Name = strings.TrimPrefix(u.Path, "/")
	}
	if d.Extra == "" {
		d.Extra = u.RawQuery
	}
	return d, nil
}

// redactedURL returns the URL with its password replaced, or "set" when it
// cannot be parsed.
func redactedURL(raw string) string {
	if raw == "" {
		return ""
	}
	u, err := url.Parse(raw)
	if err != nil || u.Scheme == "" {
		return "set"
	}
	u.RawQuery = redactQuery(u.RawQuery)
	return u.Redacted()
}

// redactQuery hides the values of query parameters that look like secrets
// (password=..., sslpassword=..., token=...).
func redactQuery(q string) string {
	if q == "" {
		return ""
	}
	parts := strings.Split(q, "&")
	for i, p := range parts {
		k, _, found := strings.Cut(p, "=")
		lk := strings.ToLower(k)
		if found && (strings.Contains(lk, "pass") || strings.Contains(lk, "secret") || strings.Contains(lk, "token") || lk == "pwd") {
			parts[i] = k + "=xxxxx"
		}
	}
	return strings.Join(parts, "&")
}
