package dialects

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// maxEngineChecks bounds the engine-name checks outside internal/dialect
// (issue 13). What remains: "is an engine configured / did it change"
// checks in config, serve and the setup wizard, and the benchmark report
// picking its PostgreSQL rows.
const maxEngineChecks = 8

var engineCheck = regexp.MustCompile(`Postgres\(\)|MySQL\(\)|SQLite\(\)|\.Engine *(==|!=)|switch [a-z.]*[Ee]ngine`)

// TestEngineChecksStayInDialects counts engine-name checks in non-test Go
// files outside internal/dialect: code there asks for features.
func TestEngineChecksStayInDialects(t *testing.T) {
	root := filepath.Join("..", "..", "..")
	var hits []string
	err := filepath.WalkDir(root, func(path string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if e.IsDir() {
			switch e.Name() {
			case ".git", "testdata", "node_modules":
				return filepath.SkipDir
			}
			if rel, _ := filepath.Rel(root, path); rel == filepath.Join("internal", "dialect") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for i, line := range strings.Split(string(b), "\n") {
			if engineCheck.MatchString(line) {
				rel, _ := filepath.Rel(root, path)
				hits = append(hits, rel+":"+strconv.Itoa(i+1)+": "+strings.TrimSpace(line))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(hits) > maxEngineChecks {
		t.Errorf("%d engine-name checks outside internal/dialect, at most %d: ask a dialect method or feature instead\n%s",
			len(hits), maxEngineChecks, strings.Join(hits, "\n"))
	}
}

// maxEngineConstants bounds the references to the engine constants
// (config.EnginePostgres, EngineMySQL, EngineSQLite) in non-test Go files
// outside internal/dialect, internal/config (parsing), internal/tui (the
// setup wizard's choices), internal/testdb and scripts (fixtures and
// benchmark seeding) and the commands (cmd, internal/cmd): code there
// asks a dialect method or feature instead. What remains: the store
// opening its own SQLite file (internal/store), on purpose.
const maxEngineConstants = 1

var engineConstant = regexp.MustCompile(`Engine(Postgres|MySQL|SQLite)\b`)

// TestEngineConstantsStayInDialects counts the engine-constant references
// that TestEngineChecksStayInDialects does not see (x == config.EngineMySQL,
// case config.EnginePostgres:, maps keyed by engine).
func TestEngineConstantsStayInDialects(t *testing.T) {
	root := filepath.Join("..", "..", "..")
	allowed := map[string]bool{
		filepath.Join("internal", "dialect"): true,
		filepath.Join("internal", "config"):  true,
		filepath.Join("internal", "tui"):     true,
		filepath.Join("internal", "testdb"):  true,
		filepath.Join("internal", "cmd"):     true, // the commands, moved from cmd/jetbridge
		"cmd":                                true,
		"scripts":                            true,
	}
	var hits []string
	err := filepath.WalkDir(root, func(path string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if e.IsDir() {
			switch e.Name() {
			case ".git", "testdata", "node_modules":
				return filepath.SkipDir
			}
			if rel, _ := filepath.Rel(root, path); allowed[rel] {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for i, line := range strings.Split(string(b), "\n") {
			for range engineConstant.FindAllString(line, -1) {
				rel, _ := filepath.Rel(root, path)
				hits = append(hits, rel+":"+strconv.Itoa(i+1)+": "+strings.TrimSpace(line))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(hits) > maxEngineConstants {
		t.Errorf("%d engine-constant references outside internal/{dialect,config,tui,testdb,cmd}, scripts and cmd, at most %d: ask a dialect method or feature instead\n%s",
			len(hits), maxEngineConstants, strings.Join(hits, "\n"))
	}
}
