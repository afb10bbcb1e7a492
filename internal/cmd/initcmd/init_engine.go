package initcmd

import (
	"fmt"
	"strings"

	"github.com/spf13/pflag"

	"github.com/jetbridge/jetbridge/internal/config"
)

// engineSpecificKeys are the settings of an existing config file that belong
// to its engine: a password, connection parameters (DATABASE_EXTRA such as
// sslmode=disable), a schema, TLS files and a port mean nothing, or harm, on
// another engine. Between SQLite and a server the name, host and user do too.
func engineSpecificKeys(from, to config.Engine) []string {
	keys := []string{"DATABASE_PASSWORD", "DATABASE_EXTRA", "DATABASE_SCHEMA", "DATABASE_SSL_CA",
		"DATABASE_SSL_CERT", "DATABASE_SSL_KEY", "DATABASE_PORT", "DATABASE_URL"}
	if from == config.EngineSQLite || to == config.EngineSQLite {
		keys = append(keys, "DATABASE_NAME", "DATABASE_HOST", "DATABASE_USER")
	}
	return keys
}

// dropStaleEngineSettings forgets the engine-specific values an existing
// config file holds for another engine than the one chosen on the command
// line or in the environment, unless the command line or the environment set
// them too; a warning lists what was dropped. fileValues is the file's
// KEY=value map (nil when there is no file).
func dropStaleEngineSettings(s config.Settings, fileValues map[string]string, flags *pflag.FlagSet, lookupEnv func(string) (string, bool)) config.Settings {
	from := config.ParseEngine(fileValues["DATABASE_ENGINE"])
	to := s.Database.Engine
	if from == "" || to == "" || from == to {
		return s
	}
	setHere := func(key string) bool {
		if _, ok := lookupEnv(key); ok {
			return true
		}
		f := flags.Lookup(strings.ToLower(strings.ReplaceAll(key, "_", "-")))
		return f != nil && f.Changed
	}
	d := &s.Database
	var dropped []string
	for _, key := range engineSpecificKeys(from, to) {
		if _, inFile := fileValues[key]; !inFile || setHere(key) {
			continue
		}
		switch key {
		case "DATABASE_PASSWORD":
			d.Password = ""
		case "DATABASE_EXTRA":
			d.Extra = ""
		case "DATABASE_SCHEMA":
			d.Schema = ""
		case "DATABASE_SSL_CA":
			d.SSLCA = ""
		case "DATABASE_SSL_CERT":
			d.SSLCert = ""
		case "DATABASE_SSL_KEY":
			d.SSLKey = ""
		case "DATABASE_PORT":
			d.Port = to.DefaultPort()
		case "DATABASE_URL":
			d.URL = ""
		case "DATABASE_NAME":
			d.Name = ""
		case "DATABASE_HOST":
			d.Host = ""
		case "DATABASE_USER":
			d.User = ""
		}
		dropped = append(dropped, key)
	}
	if len(dropped) > 0 {
		s.Warnings = append(s.Warnings, fmt.Sprintf("%s is set up for %s, not %s: its %s %s not used (set them for %s if you need them)",
			s.ConfigPath, from, to, strings.Join(dropped, ", "), isAre(len(dropped)), to))
	}
	return s
}

func isAre(n int) string {
	if n == 1 {
		return "is"
	}
	return "are"
}
