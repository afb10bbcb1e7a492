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
// checks in config and the setup wizard, the benchmark report picking its
// PostgreSQL rows, schema reflection's dispatch and the deprecated
// db.Dialect.Postgres/MySQL/SQLite kept for branches in flight.
const maxEngineChecks = 12

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
