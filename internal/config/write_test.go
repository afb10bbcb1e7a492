package config

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestWriteFileMode(t *testing.T) {
	dir := t.TempDir()
	fresh := filepath.Join(dir, "new.conf")
	old := filepath.Join(dir, "old.conf")
	writeTo(t, old, "[JET]\nPORT=1\n")
	if err := chmod(old, 0o644); err != nil {
		t.Fatal(err)
	}
	s := validDB()
	s.Database.Password = "pw"
	for _, path := range []string{fresh, old} {
		if err := WriteFile(path, s); err != nil {
			t.Fatal(err)
		}
		st, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm() != 0o600 {
			t.Fatalf("%s mode %04o, want 0600", path, st.Mode().Perm())
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		t.Fatalf("temporary files left behind: %v", entries)
	}
}

func TestWriteFileContent(t *testing.T) {
	path := filepath.Join(t.TempDir(), "jet.conf")
	s := validDB()
	s.Port = 9000
	s.Database.Port = 5432 // the engine default: not written
	if err := WriteFile(path, s); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	want := []string{"[JET]", "DATABASE_ENGINE=postgresql", "DATABASE_NAME=shop", "PORT=9000"}
	if !reflect.DeepEqual(lines[1:], want) {
		t.Fatalf("file:\n%s\nwant lines %q", b, want)
	}
	if !strings.HasPrefix(lines[0], "#") {
		t.Fatalf("first line %q", lines[0])
	}
	// an empty engine and name are still written, so the file says what is missing
	if err := WriteFile(path, Defaults()); err != nil {
		t.Fatal(err)
	}
	m, err := ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(m, map[string]string{"DATABASE_ENGINE": "", "DATABASE_NAME": ""}) {
		t.Fatalf("defaults wrote %q", m)
	}
}

func TestWriteFileRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "jet.conf")
	s := Settings{
		Address: "127.0.0.1", Port: 9443, ConfigPath: path, ReadOnly: true, CORSHeaders: false,
		AllowOrigin: "https://app.example", Project: "shop", Token: "tok#en;with%signs", Environment: "prod",
		EnvironmentType: "docker", BearerAuthKey: "b:e=a@r", JWTVerifyKey: "-----BEGIN PUBLIC KEY-----\nMFkw\nEwYH\n-----END PUBLIC KEY-----",
		APIBaseURL: "https://api.example/api", WebBaseURL: "http://web.example", AutoOpenRegister: false,
		SSLCert: "cert.pem", SSLKey: "key.pem", DisableAuth: true, Debug: true, SQLTimeout: 90 * time.Second, ProjectAuthTimeout: 1500 * time.Millisecond,
		MediaBaseURL: "https://cdn.example/media/", MediaRoot: "/srv/jet media", MediaMaxUploadMB: 200,
		Database: Database{
			Engine: EngineMySQL, Host: "db.example", Port: 3307, User: "root", Password: "p@ss:w/rd? #1",
			Name: "chinook", URL: "mysql://other@h/d", Schema: "s", Only: []string{"a", "b"}, Except: []string{"c"},
			MaxTables: 10, Extra: "tls=skip-verify&x=1", Timezone: "Europe/Berlin", SSLCA: "ca.pem",
			SSLCert: "c.pem", SSLKey: "k.pem", Connections: 12,
		},
		ConfigFound: true,
	}
	if err := WriteFile(path, s); err != nil {
		t.Fatal(err)
	}
	got, err := Load(nil, env(map[string]string{"CONFIG": path}))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, s) {
		t.Fatalf("round trip\n got %#v\nwant %#v", got, s)
	}
	// defaults and sqlite round-trip as well
	d := Defaults()
	d.ConfigPath, d.ConfigFound = path, true
	d.Database.Engine, d.Database.Name = EngineSQLite, "./data/shop.db"
	if err := WriteFile(path, d); err != nil {
		t.Fatal(err)
	}
	got, err = Load(nil, env(map[string]string{"CONFIG": path}))
	if err != nil || !reflect.DeepEqual(got, d) {
		t.Fatalf("sqlite round trip: %v\n got %#v\nwant %#v", err, got, d)
	}
}

func TestWriteFileRefusesLossyValues(t *testing.T) {
	path := filepath.Join(t.TempDir(), "jet.conf")
	for _, pw := range []string{" Zq1", "Zq2 ", "Zq3\n\nZq3", "Zq4\rZq4", "Zq5\n#Zq5"} {
		s := validDB()
		s.Database.Password = pw
		err := WriteFile(path, s)
		if err == nil || !strings.Contains(err.Error(), "DATABASE_PASSWORD") || strings.Contains(err.Error(), strings.TrimSpace(pw)) {
			t.Fatalf("password %q: err %v", pw, err)
		}
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Fatalf("a refused write left a file: %v", err)
	}
}

func TestWriteFileKeepsSymlink(t *testing.T) {
	dir := t.TempDir()
	real := filepath.Join(dir, "real.conf")
	link := filepath.Join(dir, "jet.conf")
	writeTo(t, real, "[JET]\n")
	if err := os.Symlink(real, link); err != nil {
		t.Skip("no symlinks:", err)
	}
	if err := WriteFile(link, validDB()); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Lstat(link); err != nil || st.Mode()&os.ModeSymlink == 0 {
		t.Fatalf("symlink replaced: %v %v", st.Mode(), err)
	}
	if m, err := ReadFile(real); err != nil || m["DATABASE_NAME"] != "shop" {
		t.Fatalf("target not written: %q %v", m, err)
	}
}

func TestWriteFileMissingDir(t *testing.T) {
	if err := WriteFile(filepath.Join(t.TempDir(), "no", "jet.conf"), validDB()); err == nil {
		t.Fatal("no error for a missing folder")
	}
}
