// Package register owns the bridge's Project Token: where it is kept (table
// __jet__token in the user's database, or TOKEN in the settings), how a new
// one is registered with the Jet Admin API and checked for activation at serve
// start, and where GET /api/register/ sends the browser (spec §7).
package register

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/jetbridge/jetbridge/internal/db"
)

// TableName is the table holding the stored Project Token (spec §7.2).
const TableName = "__jet__token"

// rowID is the id of the one row the table holds: every save writes this id,
// so concurrent saves cannot leave two rows behind.
const rowID = 1

// saveTries bounds the retries of a save that lost a deadlock.
const saveTries = 5

// Token is a stored Project Token.
type Token struct {
	Project string
	// Token is 32 lower-case hex characters (a UUID without dashes).
	Token   string
	DateAdd time.Time
}

// tokenRow is the GORM model of __jet__token: id, project, token, date_add.
type tokenRow struct {
	ID      int64     `gorm:"column:id;primaryKey;autoIncrement:false"`
	Project string    `gorm:"column:project;size:64;not null"`
	Token   string    `gorm:"column:token;size:32;not null"`
	DateAdd time.Time `gorm:"column:date_add;not null"`
}

func (tokenRow) TableName() string { return TableName }

// Store keeps the Project Token in the configured database.
type Store struct {
	d *db.DB
}

// NewStore returns the token store of an open database.
func NewStore(d *db.DB) *Store { return &Store{d: d} }

// EnsureTable creates __jet__token when it is missing. When the database user
// may not create tables the error says so and points to TOKEN in the config
// (a *PermissionError; errors.Is(err, ErrPermissionDenied) holds).
func (s *Store) EnsureTable(ctx context.Context) error {
	return s.d.Session(ctx, func(g *gorm.DB) error {
		if g.Migrator().HasTable(TableName) {
			return nil
		}
		if err := g.Migrator().CreateTable(&tokenRow{}); err != nil {
			// another process may have created it in the meantime
			if g.Migrator().HasTable(TableName) {
				return nil
			}
			if permissionDenied(err) {
				return &PermissionError{Action: "create table " + TableName, Grant: "CREATE on the schema", Err: err}
			}
			return fmt.Errorf("create table %s: %w", TableName, err)
		}
		return nil
	})
}

// Get returns the stored token; found is false when the table is missing or
// empty. It never creates the table.
func (s *Store) Get(ctx context.Context) (t Token, found bool, err error) {
	var rows []tokenRow
	err = s.d.Session(ctx, func(g *gorm.DB) error { return g.Order("id").Limit(1).Find(&rows).Error })
	if err != nil {
		if tableMissing(err) {
			return Token{}, false, nil
		}
		if permissionDenied(err) {
			return Token{}, false, &PermissionError{Action: "read table " + TableName, Grant: "SELECT on " + TableName, Err: err}
		}
		return Token{}, false, fmt.Errorf("read the project token from %s: %w", TableName, err)
	}
	if len(rows) == 0 {
		return Token{}, false, nil
	}
	r := rows[0]
	return Token{Project: r.Project, Token: r.Token, DateAdd: r.DateAdd.UTC()}, true, nil
}

// Save stores t as the one token, replacing whatever was stored, in one
// transaction (the table is created first when missing). The token is
// normalized (dashes removed, lower case) and must be 32 hex characters.
func (s *Store) Save(ctx context.Context, t Token) error {
	tok, err := NormalizeToken(t.Token)
	if err != nil {
		return err
	}
	if len(t.Project) > 64 {
		return fmt.Errorf("project name is longer than 64 characters")
	}
	if err := s.EnsureTable(ctx); err != nil {
		return err
	}
	date := t.DateAdd
	if date.IsZero() {
		date = time.Now()
	}
	row := tokenRow{ID: rowID, Project: t.Project, Token: tok, DateAdd: date.UTC().Truncate(time.Second)}
	replace := func(tx *gorm.DB) error {
		if err := tx.Where("id <> ?", rowID).Delete(&tokenRow{}).Error; err != nil {
			return err
		}
		return tx.Clauses(clause.OnConflict{
			Columns:   []clause.Column{{Name: "id"}},
			DoUpdates: clause.AssignmentColumns([]string{"project", "token", "date_add"}),
		}).Create(&row).Error
	}
	// Concurrent saves may deadlock (MySQL's upsert locks); the loser retries.
	for try := 1; ; try++ {
		err = s.d.Write(ctx, replace)
		if err == nil || try == saveTries || !retryable(err) {
			break
		}
		if serr := sleepCtx(ctx, time.Duration(try)*20*time.Millisecond); serr != nil {
			break
		}
	}
	if err != nil {
		if permissionDenied(err) {
			return &PermissionError{Action: "write table " + TableName, Grant: "SELECT, INSERT, UPDATE and DELETE on " + TableName, Err: err}
		}
		return fmt.Errorf("store the project token in %s: %w", TableName, err)
	}
	return nil
}

// ErrPermissionDenied is matched (errors.Is) by a PermissionError.
var ErrPermissionDenied = errors.New("permission denied")

// PermissionError says the database user may not create, read or write the
// token table, and what to do instead.
type PermissionError struct {
	Action string // e.g. "create table __jet__token"
	Grant  string // the privilege that is missing, e.g. "CREATE on the schema"
	Err    error
}

func (e *PermissionError) Error() string {
	return fmt.Sprintf("cannot %s: the database user is not allowed to (permission denied). "+
		"Grant it %s, or keep the token in the config instead: "+
		"TOKEN=<token> in jet.conf or the environment variable TOKEN (database error: %v)", e.Action, e.Grant, e.Err)
}

func (e *PermissionError) Unwrap() []error { return []error{ErrPermissionDenied, e.Err} }

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
