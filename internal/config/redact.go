package config

import (
	"fmt"
	"log/slog"
	"strings"
)

// setOrUnset stands in for a secret in logs.
func setOrUnset(v string) string {
	if v == "" {
		return "unset"
	}
	return "set"
}

// LogValue makes slog print the settings without secrets: Token and
// BearerAuthKey show as "set" or "unset".
func (s Settings) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("address", s.Address),
		slog.Int("port", s.Port),
		slog.String("config", s.ConfigPath),
		slog.Bool("config_found", s.ConfigFound),
		slog.Bool("read_only", s.ReadOnly),
		slog.Bool("cors_headers", s.CORSHeaders),
		slog.String("allow_origin", s.AllowOrigin),
		slog.String("project", s.Project),
		slog.String("token", setOrUnset(s.Token)),
		slog.String("environment", s.Environment),
		slog.String("environment_type", s.EnvironmentType),
		slog.String("bearer_auth_key", setOrUnset(s.BearerAuthKey)),
		slog.String("jwt_verify_key", setOrUnset(s.JWTVerifyKey)),
		slog.String("api_base_url", s.APIBaseURL),
		slog.String("web_base_url", s.WebBaseURL),
		slog.Bool("auto_open_register", s.AutoOpenRegister),
		slog.String("ssl_cert", s.SSLCert),
		slog.String("ssl_key", s.SSLKey),
		slog.Bool("disable_auth", s.DisableAuth),
		slog.Bool("debug", s.Debug),
		slog.Duration("sql_timeout", s.SQLTimeout),
		slog.String("media_base_url", s.MediaBaseURL),
		slog.String("media_root", s.MediaDir()),
		slog.Int("media_max_upload_mb", s.MediaMaxUploadMB),
		slog.Any("database", s.Database),
	)
}

// LogValue makes slog print the database settings without secrets: the
// password shows as "set" or "unset", DATABASE_URL and DATABASE_EXTRA with
// passwords masked.
func (d Database) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("engine", string(d.Engine)),
		slog.String("host", d.Host),
		slog.Int("port", d.Port),
		slog.String("user", d.User),
		slog.String("password", setOrUnset(d.Password)),
		slog.String("name", d.Name),
		slog.String("url", redactedURL(d.URL)),
		slog.String("schema", d.Schema),
		slog.String("only", strings.Join(d.Only, ",")),
		slog.String("except", strings.Join(d.Except, ",")),
		slog.Int("max_tables", d.MaxTables),
		slog.String("extra", redactQuery(d.Extra)),
		slog.String("timezone", d.Timezone),
		slog.String("ssl_ca", d.SSLCA),
		slog.String("ssl_cert", d.SSLCert),
		slog.String("ssl_key", d.SSLKey),
		slog.Int("connections", d.Connections),
	)
}

// String renders the settings without secrets, so that fmt's %v and %+v
// cannot leak them either.
func (s Settings) String() string { return renderGroup(s.LogValue()) }

// GoString is String for %#v.
func (s Settings) GoString() string { return s.String() }

// String renders the database settings without secrets.
func (d Database) String() string { return renderGroup(d.LogValue()) }

// GoString is String for %#v.
func (d Database) GoString() string { return d.String() }

// renderGroup formats a group value as {key:value ...}.
func renderGroup(v slog.Value) string {
	var b strings.Builder
	b.WriteByte('{')
	for i, a := range v.Group() {
		if i > 0 {
			b.WriteByte(' ')
		}
		if lv, ok := a.Value.Any().(slog.LogValuer); ok {
			fmt.Fprintf(&b, "%s:%s", a.Key, renderGroup(lv.LogValue()))
			continue
		}
		fmt.Fprintf(&b, "%s:%v", a.Key, a.Value)
	}
	b.WriteByte('}')
	return b.String()
}
