package tui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestValidators(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "ca.pem")
	if err := os.WriteFile(file, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		fn      func(string) error
		in      string
		wantErr string // "" = valid
	}{
		{"port ok", ValidatePort, "5432", ""},
		{"port spaces ok", ValidatePort, " 3306 ", ""},
		{"port empty", ValidatePort, "", "port is required"},
		{"port word", ValidatePort, "abc", "must be a number"},
		{"port zero", ValidatePort, "0", "from 1 to 65535"},
		{"port too big", ValidatePort, "65536", "from 1 to 65535"},
		{"host ok", ValidateHost, "db.example.com", ""},
		{"host ip", ValidateHost, "10.0.0.1", ""},
		{"host empty", ValidateHost, "  ", "host is required"},
		{"host url", ValidateHost, "postgres://db", "no scheme"},
		{"host space", ValidateHost, "db host", "no spaces"},
		{"required", Required("user"), "", "user is required"},
		{"required ok", Required("user"), "app", ""},
		{"project empty ok", ValidateProject, "", ""},
		{"project ok", ValidateProject, "acme-shop_2", ""},
		{"project space", ValidateProject, "acme shop", "only letters"},
		{"project long", ValidateProject, strings.Repeat("a", 65), "at most 64"},
		{"ca empty ok", ValidateOptionalFile, "", ""},
		{"ca exists", ValidateOptionalFile, file, ""},
		{"ca missing", ValidateOptionalFile, filepath.Join(dir, "nope.pem"), "does not exist"},
		{"ca is a folder", ValidateOptionalFile, dir, "is a folder"},
		{"sqlite new file", ValidateSQLitePath, filepath.Join(dir, "new.db"), ""},
		{"sqlite existing", ValidateSQLitePath, file, ""},
		{"sqlite empty", ValidateSQLitePath, "", "required"},
		{"sqlite folder", ValidateSQLitePath, dir, "is a folder"},
		{"sqlite missing folder", ValidateSQLitePath, filepath.Join(dir, "no", "x.db"), "does not exist: create it first"},
		{"config ok", ValidateConfigPath, filepath.Join(dir, "jet.conf"), ""},
		{"config missing folder", ValidateConfigPath, filepath.Join(dir, "no", "jet.conf"), "does not exist"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.fn(tc.in)
			switch {
			case tc.wantErr == "" && err != nil:
				t.Errorf("%q: unexpected error %v", tc.in, err)
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Errorf("%q: error %v, want one containing %q", tc.in, err, tc.wantErr)
			}
		})
	}
}
