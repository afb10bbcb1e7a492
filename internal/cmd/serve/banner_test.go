package serve

import (
	"bytes"
	"strings"
	"testing"

	"github.com/jetbridge/jetbridge/internal/config"
)

func TestServeBanner(t *testing.T) {
	const key = "5ecr3t5ecr3t5ecr3t5ecr3t5ecr3t00"
	tests := []struct {
		name    string
		mutate  func(*config.Settings)
		want    []string
		wantNot []string
	}{
		{"key set: how to call, never the key", func(s *config.Settings) { s.BearerAuthKey = key },
			[]string{`curl -H "Authorization: Bearer $BEARER_AUTH_KEY" http://localhost:8888/api/model_descriptions/`, "(5ecr…3t00)",
				"wants to access other apps and services on this device", "LocalNetworkAccessAllowedForUrls", "must be HTTPS"},
			[]string{key}},
		{"no key: say how to get one", nil,
			[]string{"No BEARER_AUTH_KEY is set", "jetbridge init"}, []string{"curl -H"}},
		{"loopback only: no LAN advice", func(s *config.Settings) { s.Address = "127.0.0.1" },
			[]string{"choose Allow"}, []string{"must be HTTPS"}},
		{"DISABLE_AUTH listens on loopback: no LAN advice", func(s *config.Settings) { s.DisableAuth = true },
			[]string{"choose Allow"}, []string{"must be HTTPS"}},
		{"HTTPS already: no LAN advice", func(s *config.Settings) { s.SSLCert, s.SSLKey = "c.pem", "k.pem" },
			[]string{"choose Allow"}, []string{"must be HTTPS"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := config.Defaults()
			s.Database.Engine = config.EngineSQLite
			if tc.mutate != nil {
				tc.mutate(&s)
			}
			var b bytes.Buffer
			printServeBanner(&b, s, "http://localhost:8888/api/")
			for _, w := range tc.want {
				if !strings.Contains(b.String(), w) {
					t.Errorf("banner lacks %q:\n%s", w, b.String())
				}
			}
			for _, w := range tc.wantNot {
				if strings.Contains(b.String(), w) {
					t.Errorf("banner holds %q:\n%s", w, b.String())
				}
			}
		})
	}
}
