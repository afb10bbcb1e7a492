package register

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/jetbridge/jetbridge/internal/config"
)

func TestRegisterRedirect(t *testing.T) {
	base := config.Defaults()
	base.Database.Engine = config.EnginePostgres
	current := base
	current.Project = "acme"
	current.Token = "ab12"

	with := func(s config.Settings, f func(*config.Settings)) config.Settings { f(&s); return s }

	tests := []struct {
		name       string
		s          config.Settings
		request    string
		token      string
		want       string
		wantStatus int
		wantBody   string
	}{
		{
			// The spec's example (§7.1). Its Location starts with https although
			// the request came over http; the spec's own rule (and upstream's
			// register view) downgrade the web base then, so the scheme is http.
			name:    "spec example",
			s:       current,
			request: "http://localhost:8888/api/register/?token=ab12",
			token:   "ab12",
			want:    "http://app.jetadmin.io/builder/acme/resources/database/create/#engine=postgresql&referrer=http%3A//localhost%3A8888/api/register/%3Ftoken%3Dab12&token=ab12",
		},
		{
			name:    "https request keeps https web base",
			s:       current,
			request: "https://bridge.example.com/api/register/?token=ab12",
			token:   "ab12",
			want:    "https://app.jetadmin.io/builder/acme/resources/database/create/#engine=postgresql&referrer=https%3A//bridge.example.com/api/register/%3Ftoken%3Dab12&token=ab12",
		},
		{
			name: "no token parameter, environment and environment type",
			s: with(current, func(s *config.Settings) {
				s.Environment = "prod"
				s.EnvironmentType = "docker"
				s.WebBaseURL = "https://web.example/"
			}),
			request: "https://h:1/register/",
			want:    "https://web.example/builder/acme/prod/resources/database/create/#engine=postgresql&referrer=https%3A//h%3A1/register/&environment_type=docker",
		},
		{
			name:    "values are percent-encoded",
			s:       with(current, func(s *config.Settings) { s.Database.Engine = config.EngineSQLite; s.EnvironmentType = "a b&c" }),
			request: "https://h/api/register/?token=x%26y",
			token:   "x&y=z é",
			want:    "https://app.jetadmin.io/builder/acme/resources/database/create/#engine=sqlite&referrer=https%3A//h/api/register/%3Ftoken%3Dx%2526y&token=x%26y%3Dz%20%C3%A9&environment_type=a%20b%26c",
		},
		{
			name:    "http web base is never upgraded",
			s:       with(current, func(s *config.Settings) { s.WebBaseURL = "http://localhost:4200" }),
			request: "https://h/api/register/",
			want:    "http://localhost:4200/builder/acme/resources/database/create/#engine=postgresql&referrer=https%3A//h/api/register/",
		},
		{
			name:       "current flow without token",
			s:          with(current, func(s *config.Settings) { s.Token = "" }),
			request:    "http://localhost:8888/api/register/?token=ab12",
			token:      "ab12",
			wantStatus: http.StatusBadRequest,
			wantBody:   "Project token is not set",
		},
		{
			name:       "environment without project",
			s:          with(base, func(s *config.Settings) { s.Environment = "prod"; s.Token = "ab12" }),
			request:    "http://localhost:8888/api/register/",
			wantStatus: http.StatusBadRequest,
			wantBody:   "Project name is not set",
		},
		{
			name:    "legacy flow with token",
			s:       base,
			request: "http://localhost:8888/api/register/?token=0123456789abcdef0123456789abcdef",
			token:   "0123456789abcdef0123456789abcdef",
			want:    "http://app.jetadmin.io/projects/register/0123456789abcdef0123456789abcdef?referrer=http%3A%2F%2Flocalhost%3A8888%2Fapi%2Fregister%2F%3Ftoken%3D0123456789abcdef0123456789abcdef",
		},
		{
			name:    "legacy flow without token",
			s:       base,
			request: "https://h/register/",
			want:    "https://app.jetadmin.io/projects/register?referrer=https%3A%2F%2Fh%2Fregister%2F",
		},
		{
			name:    "legacy flow escapes the token in the path",
			s:       base,
			request: "https://h/register/",
			token:   "../x?y",
			want:    "https://app.jetadmin.io/projects/register/..%2Fx%3Fy?referrer=https%3A%2F%2Fh%2Fregister%2F",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u, err := url.Parse(tt.request)
			if err != nil {
				t.Fatal(err)
			}
			got, aerr := RegisterRedirect(tt.s, u, tt.token)
			if tt.wantStatus != 0 {
				if aerr == nil {
					t.Fatalf("got Location %q, want %d %q", got, tt.wantStatus, tt.wantBody)
				}
				if aerr.Status != tt.wantStatus || aerr.Body != tt.wantBody {
					t.Fatalf("got %d %v, want %d %q", aerr.Status, aerr.Body, tt.wantStatus, tt.wantBody)
				}
				return
			}
			if aerr != nil {
				t.Fatalf("unexpected error %v", aerr)
			}
			if got != tt.want {
				t.Errorf("Location\n got %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestBridgeRegisterURL(t *testing.T) {
	tests := []struct {
		address string
		port    int
		cert    string
		want    string
	}{
		{"0.0.0.0", 8888, "", "http://localhost:8888/api/register/?token=t"},
		{"", 0, "", "http://localhost:8888/api/register/?token=t"},
		{"::", 9000, "c.pem", "https://localhost:9000/api/register/?token=t"},
		{"127.0.0.1", 80, "", "http://127.0.0.1:80/api/register/?token=t"},
		{"::1", 8888, "", "http://[::1]:8888/api/register/?token=t"},
	}
	for _, tt := range tests {
		s := config.Defaults()
		s.Address, s.Port, s.SSLCert = tt.address, tt.port, tt.cert
		if got := BridgeRegisterURL(s, "t").String(); got != tt.want {
			t.Errorf("BridgeRegisterURL(%q, %d, %q) = %s, want %s", tt.address, tt.port, tt.cert, got, tt.want)
		}
	}
}

func TestActivationURL(t *testing.T) {
	const tok = "0123456789abcdef0123456789abcdef"
	s := config.Defaults()
	s.Database.Engine = config.EngineMySQL
	got, err := ActivationURL(s, tok)
	if err != nil {
		t.Fatal(err)
	}
	want := "http://app.jetadmin.io/projects/register/" + tok + "?referrer=http%3A%2F%2Flocalhost%3A8888%2Fapi%2Fregister%2F%3Ftoken%3D" + tok
	if got != want {
		t.Errorf("legacy: got %s\nwant %s", got, want)
	}
	s.Project = "acme"
	got, err = ActivationURL(s, tok)
	if err != nil {
		t.Fatal(err)
	}
	want = "http://app.jetadmin.io/builder/acme/resources/database/create/#engine=mysql&referrer=http%3A//localhost%3A8888/api/register/%3Ftoken%3D" + tok + "&token=" + tok
	if got != want {
		t.Errorf("current: got %s\nwant %s", got, want)
	}
	s.Project, s.Environment = "", "prod"
	if _, err := ActivationURL(s, tok); err == nil {
		t.Error("ENVIRONMENT without PROJECT: want an error")
	}
}

func TestQuoteMatchesPythonQuote(t *testing.T) {
	// Python: urllib.parse.quote(s) with the default safe='/'
	tests := map[string]string{
		"abc-_.~/XYZ09": "abc-_.~/XYZ09",
		"a b+c":         "a%20b%2Bc",
		"?=&#%:@":       "%3F%3D%26%23%25%3A%40",
		"é":             "%C3%A9",
	}
	for in, want := range tests {
		if got := quote(in); got != want {
			t.Errorf("quote(%q) = %q, want %q", in, got, want)
		}
	}
}
