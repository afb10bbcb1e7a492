// Package serve is `jetbridge serve`: the Jet Bridge API over the configured
// database, or over the sample one with --demo.
package serve

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	_ "net/http/pprof" // served only with --pprof, on loopback
	"strconv"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/jetbridge/jetbridge/internal/cli/cmdutil"
	"github.com/jetbridge/jetbridge/internal/cli/iostreams"
	"github.com/jetbridge/jetbridge/internal/config"
	"github.com/jetbridge/jetbridge/internal/demo"
	"github.com/jetbridge/jetbridge/internal/server"
	"github.com/jetbridge/jetbridge/internal/tui"
)

// ServeOptions are what serve runs with: flags, settings and streams.
type ServeOptions struct {
	IO *iostreams.IOStreams
	// Settings are the loaded and validated settings (flags, environment,
	// config file); with Demo the database is replaced by the sample one.
	Settings config.Settings
	Log      *slog.Logger
	Demo     bool
	DemoPath string
	Pprof    string
	// Listening, when set, receives the bound address (tests).
	Listening func(addr string)
}

// NewCmdServe builds `jetbridge serve`; runF, when set, replaces the run
// (tests).
func NewCmdServe(f *cmdutil.Factory, runF func(context.Context, *ServeOptions) error) *cobra.Command {
	opts := &ServeOptions{}
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the Jet Bridge API over the configured database",
		Long: `Serve the Jet Bridge API over the configured database.

Settings come from flags, environment variables (the upstream Jet Bridge
names: DATABASE_ENGINE, DATABASE_HOST, ...) and the jet.conf file; the
environment wins over flags, flags over the file.

With --demo it serves a sample SQLite database instead, created on first use.`,
		Example: `  jetbridge serve --demo
  DATABASE_ENGINE=postgresql DATABASE_HOST=127.0.0.1 DATABASE_NAME=shop DATABASE_USER=app jetbridge serve
  jetbridge serve --config /etc/jetbridge/jet.conf`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			s, err := loadServeSettings(f, cmd.Flags(), opts.Demo)
			if err != nil {
				return err
			}
			opts.IO, opts.Settings = f.IOStreams, s
			opts.Log = f.NewLogger(f.IOStreams.ErrOut, s.Debug)
			tuneGC(f.LookupEnv)
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return serveRun(cmd.Context(), opts)
		},
	}
	config.Bind(cmd.Flags())
	cmd.Flags().BoolVar(&opts.Demo, "demo", false, "serve the built-in sample SQLite database (created on first use)")
	cmd.Flags().StringVar(&opts.DemoPath, "demo-path", "", "where --demo keeps its database (default: the user cache folder)")
	cmd.Flags().StringVar(&opts.Pprof, "pprof", "", "serve Go pprof profiles on this loopback address, e.g. 127.0.0.1:6060")
	return cmd
}

// loadServeSettings loads and validates the settings; the database settings
// are required unless demo.
func loadServeSettings(f *cmdutil.Factory, flags *pflag.FlagSet, demo bool) (config.Settings, error) {
	settings, err := f.LoadSettings(flags, !demo)
	if err != nil {
		var p *config.Problems
		if errors.As(err, &p) {
			if !settings.ConfigFound && settings.Database.Engine == "" && !demo {
				err = fmt.Errorf("%w\nNo config file was found (%s): run `jetbridge init` to set up the bridge, "+
					"or `jetbridge serve --demo` to try it on a sample database", err, settings.ConfigPath)
			}
			return settings, cmdutil.Usage(err)
		}
		return settings, err
	}
	if !demo {
		if err := checkSQLiteFile(settings.Database); err != nil {
			return settings, cmdutil.Usage(err)
		}
	}
	return settings, nil
}

func serveRun(ctx context.Context, opts *ServeOptions) error {
	settings, log := opts.Settings, opts.Log
	for _, w := range settings.Warnings {
		log.Warn(w)
	}

	if opts.Demo {
		path := opts.DemoPath
		if path == "" {
			path = demo.DefaultPath()
		}
		created, err := demo.Ensure(ctx, path)
		if err != nil {
			return fmt.Errorf("prepare the demo database: %w", err)
		}
		if created {
			log.Info("demo database created", "path", path)
		}
		settings.Database = config.Database{Engine: config.EngineSQLite, Name: path, Connections: settings.Database.Connections}
		if settings.BearerAuthKey == "" {
			settings.BearerAuthKey = randomKey()
		}
	}
	if settings.DisableAuth {
		log.Warn(server.DisableAuthWarning)
	}

	ready := make(chan struct{})
	db := settings.Database
	srv, err := server.New(server.Options{Settings: settings, Logger: log, Ready: ready,
		DescribeDBError: func(err error) []any { return tui.LogAttrs(err, db) }})
	if err != nil {
		return cmdutil.Usage(err)
	}
	addr := net.JoinHostPort(server.ListenHost(settings), strconv.Itoa(settings.Port))
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w (is another jetbridge running? set PORT or --port)", addr, err)
	}
	srv.Start(ctx)
	if opts.Pprof != "" {
		if err := startPprof(ctx, opts.Pprof, log); err != nil {
			return err
		}
	}
	if !opts.Demo {
		srv.RegisterInBackground(ctx, ready)
	}
	scheme := "http"
	if settings.SSLCert != "" || settings.SSLKey != "" {
		scheme = "https"
	}
	host := server.ListenHost(settings)
	if host == "0.0.0.0" || host == "" || host == "::" {
		host = "localhost"
	}
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	base := fmt.Sprintf("%s://%s/api/", scheme, net.JoinHostPort(host, port))
	if opts.Listening != nil {
		opts.Listening(ln.Addr().String())
	}
	log.Info("jetbridge serving", "url", base, "engine", settings.Database.Engine)
	if opts.Demo {
		printDemoBanner(opts.IO.Out, settings, base)
	} else {
		printServeBanner(opts.IO.Out, settings, base)
	}
	return srv.Serve(ctx, ln)
}

func randomKey() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func startPprof(ctx context.Context, addr string, log *slog.Logger) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return cmdutil.Usage(fmt.Errorf("--pprof %q: %w", addr, err))
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return cmdutil.Usage(fmt.Errorf("--pprof must be a loopback address such as 127.0.0.1:6060, not %q", addr))
	}
	hs := &http.Server{Addr: addr, Handler: http.DefaultServeMux, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		<-ctx.Done()
		_ = hs.Close()
	}()
	go func() {
		log.Info("pprof listening", "addr", addr)
		if err := hs.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Warn("pprof stopped", "err", err)
		}
	}()
	return nil
}
