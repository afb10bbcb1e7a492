package serve

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/jetbridge/jetbridge/internal/config"
	"github.com/jetbridge/jetbridge/internal/dialect/dialects"
	"github.com/jetbridge/jetbridge/internal/dialect/feature"
)

// checkSQLiteFile refuses a SQLite database file that does not exist. The
// driver would create an empty file there and the bridge would serve no
// tables: a typo, or a relative path read from another folder, must not look
// like an empty database. Only `serve --demo` and `init` create files.
func checkSQLiteFile(d config.Database) error {
	if dl, err := dialects.For(string(d.Engine)); err != nil || !dl.Has(feature.FileDatabase) {
		return nil
	}
	name := strings.TrimSpace(d.Name)
	if name == "" || name == ":memory:" || strings.HasPrefix(name, "file:") {
		return nil
	}
	abs, err := filepath.Abs(name)
	if err != nil {
		abs = name
	}
	from := ""
	if !filepath.IsAbs(name) {
		wd, _ := os.Getwd()
		from = fmt.Sprintf(" (DATABASE_NAME=%q is relative: it is read from the current folder %s)", name, wd)
	}
	st, err := os.Stat(abs)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("the SQLite database %s does not exist%s: set DATABASE_NAME to the path of your database file, "+
			"create one with `jetbridge init`, or try the sample database with `jetbridge serve --demo`", abs, from)
	case err != nil:
		return fmt.Errorf("cannot read the SQLite database %s: %v", abs, unwrapPathError(err))
	case st.IsDir():
		return fmt.Errorf("the SQLite database %s is a folder: set DATABASE_NAME to the database file", abs)
	}
	return nil
}

func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
