package main

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/go-sql-driver/mysql"

	"github.com/jetbridge/jetbridge/internal/config"
	"github.com/jetbridge/jetbridge/internal/testdb"
)

// mysqlDSN returns the go-sql-driver DSN of adminDSN for database name, with
// multi-statement scripts allowed.
func mysqlDSN(adminDSN, name string) (string, error) {
	cfg, err := mysql.ParseDSN(adminDSN)
	if err != nil {
		return "", fmt.Errorf("MariaDB DSN: %w", err)
	}
	cfg.DBName = name
	cfg.MultiStatements = true
	cfg.ParseTime = true
	return cfg.FormatDSN(), nil
}

// mysqlEnv returns the bridge's DATABASE_* settings for a MariaDB database.
func mysqlEnv(adminDSN, name string) ([]string, error) {
	cfg, err := mysql.ParseDSN(adminDSN)
	if err != nil {
		return nil, fmt.Errorf("MariaDB DSN: %w", err)
	}
	host, port := cfg.Addr, "3306"
	if i := strings.LastIndexByte(cfg.Addr, ':'); i >= 0 {
		host, port = cfg.Addr[:i], cfg.Addr[i+1:]
	}
	env := []string{"DATABASE_ENGINE=mysql", "DATABASE_HOST=" + host, "DATABASE_PORT=" + port,
		"DATABASE_USER=" + cfg.User, "DATABASE_NAME=" + name}
	if cfg.Passwd != "" {
		env = append(env, "DATABASE_PASSWORD="+cfg.Passwd)
	}
	return env, nil
}

// seedMySQL fills database name with Chinook and the two benchmark tables,
// and database name+"_reflect" with the 2,000 reflection tables, unless
// they hold this seed version already.
func seedMySQL(ctx context.Context, adminDSN, name string, force bool, logf func(string, ...any)) error {
	dsn, err := mysqlDSN(adminDSN, "")
	if err != nil {
		return err
	}
	admin, err := sql.Open("mysql", dsn)
	if err != nil {
		return err
	}
	defer admin.Close()
	admin.SetMaxOpenConns(1)
	if !force {
		var v int
		err := admin.QueryRowContext(ctx, "SELECT max(version) FROM `"+name+"_reflect`.bench_reflect_meta").Scan(&v)
		if err == nil && v == seedVersion {
			return nil
		}
	}
	for _, db := range []string{name, name + "_reflect"} {
		if _, err := admin.ExecContext(ctx, "DROP DATABASE IF EXISTS `"+db+"`"); err != nil {
			return fmt.Errorf("drop database %s: %w", db, err)
		}
		if _, err := admin.ExecContext(ctx, "CREATE DATABASE `"+db+"` CHARACTER SET utf8mb4"); err != nil {
			return fmt.Errorf("create database %s: %w", db, err)
		}
	}
	run := func(db, what string, scripts ...string) error {
		dsn, err := mysqlDSN(adminDSN, db)
		if err != nil {
			return err
		}
		c, err := sql.Open("mysql", dsn)
		if err != nil {
			return err
		}
		defer c.Close()
		c.SetMaxOpenConns(1) // session settings must hold for every script
		t0 := time.Now()
		for _, s := range scripts {
			if _, err := c.ExecContext(ctx, s); err != nil {
				return fmt.Errorf("seed %s: %w", what, err)
			}
		}
		logf("seeded MariaDB %s in %s", what, time.Since(t0).Round(time.Millisecond))
		return nil
	}
	if err := run(name, "Chinook", testdb.LoadChinookSQL(config.EngineMySQL)); err != nil {
		return err
	}
	if err := run(name, "bench_items and bench_categories", myItemsSQL); err != nil {
		return err
	}
	batches := reflectDDL(config.EngineMySQL, 100)
	batches[0] = "SET SESSION foreign_key_checks = 0;\n" + batches[0]
	batches = append(batches, fmt.Sprintf("CREATE TABLE bench_reflect_meta (version integer NOT NULL); INSERT INTO bench_reflect_meta VALUES (%d);", seedVersion))
	return run(name+"_reflect", fmt.Sprintf("%d reflection tables", reflectTables), batches...)
}

var myItemsSQL = fmt.Sprintf(`
SET SESSION foreign_key_checks = 0;
CREATE TABLE bench_categories (
  id int NOT NULL PRIMARY KEY,
  name varchar(100) NOT NULL,
  created_at datetime(6) NOT NULL
);
INSERT INTO bench_categories
SELECT seq, CONCAT('Category ', seq), TIMESTAMP '2020-01-01 00:00:00' + INTERVAL seq HOUR FROM seq_1_to_%[2]d;
CREATE TABLE bench_items (
  id bigint NOT NULL AUTO_INCREMENT PRIMARY KEY,
  category_id int NOT NULL,
  name varchar(100) NOT NULL,
  description text,
  price decimal(12,2) NOT NULL,
  quantity int NOT NULL,
  created_at datetime(6) NOT NULL,
  active boolean NOT NULL,
  attrs json
);
INSERT INTO bench_items
SELECT seq, 1 + (seq * 7919) %% %[2]d,
       CONCAT('Item ', seq),
       CASE WHEN seq %% 5 = 0 THEN NULL ELSE CONCAT('Description of item ', seq, ' with some text') END,
       ((seq * 37) %% 100000) / 100.0,
       (seq * 13) %% 1000,
       TIMESTAMP '2020-01-01 00:00:00' + INTERVAL (seq * 37) SECOND + INTERVAL (seq %% 1000) * 1000 MICROSECOND,
       seq %% 3 <> 0,
       CONCAT('{"color": "', ELT(1 + seq %% 3, 'red', 'green', 'blue'), '", "size": ', seq %% 50, ', "tags": ["a", ', seq %% 7, ']}')
FROM seq_1_to_%[1]d;
ALTER TABLE bench_items ADD KEY bench_items_category_idx (category_id), ADD KEY bench_items_created_idx (created_at),
  ADD CONSTRAINT bench_items_category_fk FOREIGN KEY (category_id) REFERENCES bench_categories (id);
SET SESSION foreign_key_checks = 1;
ANALYZE TABLE bench_categories, bench_items;
`, itemRows, categoryRows)
