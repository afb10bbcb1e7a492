package conformance

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/jetbridge/jetbridge/internal/config"
)

// set is one recorded set: testdata/<name>/{requests,golden,reset}_<engine>.*.
type set struct {
	name string
	// configure adjusts the bridge's settings for the set; dir is a fresh
	// temporary folder the set may use (MEDIA_ROOT, STORE_PATH, ...).
	configure func(s *config.Settings, dir string)
	// exactDeviations: a deviation listed for a request that matches
	// upstream without it fails the test (the list only shrinks, like the
	// gap lists); sets whose deviations cover engines broadly leave it off.
	exactDeviations bool
	// resetFrom names another set whose reset script builds this set's
	// state (the recording ships one script for both); "" is the set itself.
	resetFrom string
}

// resetPath is the reset script that builds the set's state.
func (st set) resetPath(e config.Engine) string {
	if st.resetFrom != "" {
		return set{name: st.resetFrom}.path("reset", e, ".sql")
	}
	return st.path("reset", e, ".sql")
}

// sets lists the replayed sets. Adding a set: copy its files into
// testdata/<name>/ (named requests_<engine>.jsonl, golden_<engine>.jsonl,
// reset_<engine>.sql) and add a row here.
var sets = []set{
	{name: "main", exactDeviations: true},
	{name: "graphql", configure: storeIn, exactDeviations: true},
	// relations runs on the state of reset_graphql (the recording's
	// reset_relations scripts are the same SQL under another header)
	{name: "relations", resetFrom: "graphql", configure: storeIn, exactDeviations: true},
	// ddl and files run on the state of reset_ddl (Chinook, the scratch
	// tables and the odd-named table); files keeps its uploads in a fresh
	// MEDIA_ROOT.
	{name: "ddl"},
	{name: "files", resetFrom: "ddl", configure: func(s *config.Settings, dir string) { s.MediaRoot = dir }},
}

// storeIn gives the bridge a fresh local store (relation overrides).
func storeIn(s *config.Settings, dir string) { s.StorePath = filepath.Join(dir, "store.sqlite3") }

// request is one recorded request.
type request struct {
	ID       string            `json:"id"`
	Category string            `json:"category"`
	Method   string            `json:"method"`
	Path     string            `json:"path"`
	Body     json.RawMessage   `json:"body"`
	Headers  map[string]string `json:"headers"`
	RawBody  *string           `json:"raw_body"`
	// Multipart is a multipart/form-data body (files set).
	Multipart *multipartBody `json:"multipart"`
	// Binary "image" compares only the image facts of a binary answer.
	Binary string `json:"binary"`
}

type multipartBody struct {
	Fields map[string]string        `json:"fields"`
	Files  map[string]multipartFile `json:"files"` // form name -> file
}

type multipartFile struct {
	Filename    string `json:"filename"`
	ContentType string `json:"content_type"`
	Base64      string `json:"base64"`
}

// golden is upstream's recorded answer.
type golden struct {
	ID       string            `json:"id"`
	Status   int               `json:"status"`
	Headers  map[string]string `json:"headers"`
	BodyKind string            `json:"body_kind"` // json, text, empty, binary
	Body     json.RawMessage   `json:"body"`
}

// engineFile is the recording's spelling of an engine in file names.
func engineFile(e config.Engine) string { return string(e) } // postgresql, mysql, sqlite

func (st set) path(kind string, e config.Engine, ext string) string {
	return filepath.Join("testdata", st.name, kind+"_"+engineFile(e)+ext)
}

// load reads the set's requests and golden answers for the engine.
func (st set) load(e config.Engine) ([]request, map[string]golden, error) {
	var reqs []request
	if err := readJSONL(st.path("requests", e, ".jsonl"), func(b []byte) error {
		var r request
		if err := json.Unmarshal(b, &r); err != nil {
			return err
		}
		reqs = append(reqs, r)
		return nil
	}); err != nil {
		return nil, nil, err
	}
	gold := make(map[string]golden, len(reqs))
	if err := readJSONL(st.path("golden", e, ".jsonl"), func(b []byte) error {
		var g golden
		if err := json.Unmarshal(b, &g); err != nil {
			return err
		}
		gold[g.ID] = g
		return nil
	}); err != nil {
		return nil, nil, err
	}
	for _, r := range reqs {
		if _, ok := gold[r.ID]; !ok {
			return nil, nil, fmt.Errorf("request %s has no golden answer", r.ID)
		}
	}
	return reqs, gold, nil
}

func readJSONL(path string, fn func([]byte) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 1<<20), 64<<20)
	for n := 1; sc.Scan(); n++ {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		if err := fn(line); err != nil {
			return fmt.Errorf("%s:%d: %w", path, n, err)
		}
	}
	return sc.Err()
}
