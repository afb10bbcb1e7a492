package tui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jetbridge/jetbridge/internal/config"
	"github.com/jetbridge/jetbridge/internal/db"
	"github.com/jetbridge/jetbridge/internal/jetadmin"
	"github.com/jetbridge/jetbridge/internal/register"
)

// Backend is what the installer does to the outside world. Production uses
// NewBackend; tests of the screens use a fake.
type Backend interface {
	// TestConnection connects, reads the server version and counts the
	// tables the bridge would serve, then disconnects.
	TestConnection(ctx context.Context, d config.Database) (ConnInfo, error)
	// Register makes sure the bridge has a Project Token: the one in the
	// settings or the database when there is one, otherwise a new one from
	// the Jet Admin API stored in the database (table __jet__token).
	Register(ctx context.Context, s config.Settings) (Registration, error)
	// WriteConfig writes jet.conf (mode 0600, atomically).
	WriteConfig(path string, s config.Settings) error
	// OpenBrowser opens url in the user's browser.
	OpenBrowser(url string) error
}

// ConnInfo is what a successful connection test found.
type ConnInfo struct {
	Version string // "PostgreSQL 15.4", "MariaDB 10.11.6", "SQLite 3.41.2"
	Schema  string // the schema that is served
	Tables  int    // tables and views in that schema
}

// Registration is the outcome of Backend.Register.
type Registration struct {
	// Token is the full Project Token (secret: show only masked, or on a
	// terminal).
	Token string
	// Existing is true when a token was already there (nothing registered).
	Existing bool
	// Source says where the token is kept: register.SourceSettings,
	// register.SourceDatabase, or "config" when the database refused the
	// table and the token goes into jet.conf (TOKEN) instead.
	Source string
	// Activated is true when Jet Admin said the token is activated.
	Activated bool
	// ActivationURL is the Jet Admin page that activates the token ("" when
	// activated or unknown). It holds the full token.
	ActivationURL string
	// Warning, when set, says what could not be done (API unreachable...);
	// the installer goes on.
	Warning string
}

// SourceConfig is Registration.Source when the token is written to jet.conf
// because the database user may not create the token table.
const SourceConfig = "config file (TOKEN)"

// realBackend is the production Backend.
type realBackend struct {
	newClient   func(apiBaseURL string) *jetadmin.Client
	openBrowser func(url string) error
	write       func(path string, s config.Settings) error
}

// NewBackend returns the production Backend: db.Open for the connection,
// the Jet Admin API at the settings' API_BASE_URL, register's token store,
// config.WriteFile and register.OpenBrowser.
func NewBackend() Backend {
	return &realBackend{
		newClient:   func(base string) *jetadmin.Client { return jetadmin.New(base) },
		openBrowser: register.OpenBrowser,
		write:       config.WriteFile,
	}
}

func (b *realBackend) TestConnection(ctx context.Context, d config.Database) (ConnInfo, error) {
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	d.Connections = 1
	x, err := db.Open(ctx, d)
	if err != nil {
		return ConnInfo{}, err
	}
	defer x.Close()
	info := ConnInfo{Version: displayVersion(d.Engine, x.Version), Schema: x.Schema}
	if q := x.Dialect.SchemaExistsSQL(); q != "" && d.Schema != "" {
		var ok bool
		if err := x.QueryRow(ctx, q, []any{d.Schema}, &ok); err != nil {
			return info, fmt.Errorf("check schema %s: %w", d.Schema, err)
		}
		if !ok {
			return info, &Failure{Kind: KindSchemaMissing, Title: fmt.Sprintf("Schema %s does not exist", d.Schema),
				Hint:   "Check the schema name, or leave it empty for the user's default schema (usually public).",
				Detail: fmt.Sprintf("no schema named %q in database %s", d.Schema, d.Name)}
		}
	}
	n, err := CountTables(ctx, x)
	if err != nil {
		return info, err
	}
	info.Tables = n
	return info, nil
}

// CountTables counts the tables and views of the database's served schema
// (the bridge's own __jet__ tables left out).
func CountTables(ctx context.Context, x *db.DB) (int, error) {
	var q string
	args := []any{x.Schema}
	switch x.Dialect.Engine {
	case config.EnginePostgres:
		q = `SELECT count(*) FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
			WHERE n.nspname = $1 AND c.relkind IN ('r','v','m','f','p') AND c.relname NOT LIKE '\_\_jet\_\_%'`
	case config.EngineMySQL:
		q = `SELECT count(*) FROM information_schema.tables WHERE table_schema = ? AND table_name NOT LIKE '\_\_jet\_\_%'`
	case config.EngineSQLite:
		q = `SELECT count(*) FROM sqlite_master WHERE type IN ('table','view') AND name NOT LIKE 'sqlite\_%' ESCAPE '\' AND name NOT LIKE '\_\_jet\_\_%' ESCAPE '\'`
		args = nil
	default:
		return 0, fmt.Errorf("count tables: unsupported engine %q", x.Dialect.Engine)
	}
	var n int
	if err := x.QueryRow(ctx, q, args, &n); err != nil {
		return 0, fmt.Errorf("count tables: %w", err)
	}
	return n, nil
}

// displayVersion prefixes a bare version number with the product's name.
func displayVersion(e config.Engine, v string) string {
	v = strings.TrimSpace(v)
	switch e {
	case config.EnginePostgres:
		if !strings.HasPrefix(v, "PostgreSQL") {
			if i := strings.IndexByte(v, ' '); i > 0 {
				v = v[:i] // "15.4 (Debian 15.4-1)" -> "15.4"
			}
			return "PostgreSQL " + v
		}
	case config.EngineMySQL:
		base, _, _ := strings.Cut(v, "-")
		if strings.Contains(strings.ToLower(v), "mariadb") {
			return "MariaDB " + base
		}
		return "MySQL " + base
	}
	return v
}

func (b *realBackend) Register(ctx context.Context, s config.Settings) (Registration, error) {
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	x, err := db.Open(ctx, s.Database)
	if err != nil {
		return Registration{}, fmt.Errorf("open the database to store the project token: %w", err)
	}
	defer x.Close()
	st := register.NewStore(x)
	client := b.newClient(s.APIBaseURL)

	var r Registration
	token, source, err := register.Resolve(ctx, s, st)
	switch {
	case err == nil:
		r.Token, r.Source, r.Existing = token, source, true
		activated, aerr := register.CheckActivated(ctx, s, client, token)
		if aerr == nil && activated {
			r.Activated = true
			return r, nil
		}
	case errors.Is(err, register.ErrNoToken):
		pt, err := client.CreateProjectToken(ctx)
		if err != nil {
			if ctx.Err() != nil && errors.Is(ctx.Err(), context.Canceled) {
				return r, ctx.Err()
			}
			r.Warning = "No Project Token could be registered (" + err.Error() + "). jetbridge serve tries again at start, or run `jetbridge token rotate` later."
			return r, nil
		}
		token, err := register.NormalizeToken(pt.Token)
		if err != nil {
			return r, fmt.Errorf("the Jet Admin API issued an unusable project token: %w", err)
		}
		r.Token = token
		err = st.Save(ctx, register.Token{Project: strings.TrimSpace(s.Project), Token: token, DateAdd: pt.DateAdd})
		switch {
		case err == nil:
			r.Source = register.SourceDatabase
		case errors.Is(err, register.ErrPermissionDenied):
			r.Source = SourceConfig
			r.Warning = "The database user may not create table " + register.TableName + ", so the token is kept in the config file (TOKEN) instead."
		default:
			return r, err
		}
	default:
		return r, err
	}
	link, err := register.ActivationURL(s, r.Token)
	if err == nil {
		r.ActivationURL = link
	}
	return r, nil
}

func (b *realBackend) WriteConfig(path string, s config.Settings) error { return b.write(path, s) }

func (b *realBackend) OpenBrowser(url string) error { return b.openBrowser(url) }
