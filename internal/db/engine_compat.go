package db

// Postgres, MySQL and SQLite name the engine, for tests and for branches
// written before the dialects.
//
// Deprecated: ask the dialect's methods or its features
// (internal/dialect/feature); an engine name check outside
// internal/dialect is what a new engine cannot plug into.
func (d Dialect) Postgres() bool { return d.Name() == "postgresql" }

// Deprecated: see Postgres.
func (d Dialect) MySQL() bool { return d.Name() == "mysql" }

// Deprecated: see Postgres.
func (d Dialect) SQLite() bool { return d.Name() == "sqlite" }
