package config

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

func secretSettings() Settings {
	s := validDB()
	s.Token = "TOK-s3cr3t"
	s.BearerAuthKey = "KEY-s3cr3t"
	s.Database.Password = "PW-s3cr3t"
	s.Database.URL = "postgres://u:URLPW-s3cr3t@h/d?sslpassword=SSLPW-s3cr3t&sslmode=require"
	s.Database.Extra = "password=EXTRAPW-s3cr3t&sslmode=require"
	return s
}

var secrets = []string{"TOK-s3cr3t", "KEY-s3cr3t", "PW-s3cr3t", "URLPW-s3cr3t", "SSLPW-s3cr3t", "EXTRAPW-s3cr3t"}

func TestLogValueHidesSecrets(t *testing.T) {
	s := secretSettings()
	for _, h := range []struct {
		name string
		new  func(*bytes.Buffer) slog.Handler
	}{
		{"json", func(b *bytes.Buffer) slog.Handler { return slog.NewJSONHandler(b, nil) }},
		{"text", func(b *bytes.Buffer) slog.Handler { return slog.NewTextHandler(b, nil) }},
	} {
		t.Run(h.name, func(t *testing.T) {
			var buf bytes.Buffer
			log := slog.New(h.new(&buf))
			log.Info("settings", "settings", s)
			log.Info("db", "db", s.Database)
			log.Info("inline", slog.Any("s", s))
			out := buf.String()
			for _, sec := range secrets {
				if strings.Contains(out, sec) {
					t.Fatalf("secret %q logged:\n%s", sec, out)
				}
			}
			for _, want := range []string{"shop", "postgresql", "sslmode=require"} {
				if !strings.Contains(out, want) {
					t.Fatalf("log lacks %q:\n%s", want, out)
				}
			}
		})
	}
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("x", "settings", s)
	var rec struct {
		Settings struct {
			Token, BearerAuthKey string `json:"-"`
			TokenV               string `json:"token"`
			KeyV                 string `json:"bearer_auth_key"`
			Database             struct {
				Password string `json:"password"`
				URL      string `json:"url"`
				Port     int    `json:"port"`
			} `json:"database"`
		} `json:"settings"`
	}
	if err := json.Unmarshal(buf.Bytes(), &rec); err != nil {
		t.Fatal(err)
	}
	if rec.Settings.TokenV != "set" || rec.Settings.KeyV != "set" || rec.Settings.Database.Password != "set" ||
		rec.Settings.Database.Port != 0 || !strings.HasPrefix(rec.Settings.Database.URL, "postgres://u:xxxxx@h/d?") {
		t.Fatalf("log record %+v from %s", rec, buf.String())
	}
	buf.Reset()
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("x", "settings", Defaults())
	if !strings.Contains(buf.String(), `"token":"unset"`) || !strings.Contains(buf.String(), `"password":"unset"`) {
		t.Fatalf("unset secrets: %s", buf.String())
	}
}

func TestFormatHidesSecrets(t *testing.T) {
	s := secretSettings()
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		for _, x := range []any{s, s.Database, &s} {
			out := fmt.Sprintf(verb, x)
			for _, sec := range secrets {
				if strings.Contains(out, sec) {
					t.Fatalf("%s of %T shows %q: %s", verb, x, sec, out)
				}
			}
			if !strings.Contains(out, "name:shop") {
				t.Fatalf("%s of %T lost the content: %s", verb, x, out)
			}
		}
	}
}
