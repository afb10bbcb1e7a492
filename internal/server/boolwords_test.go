package server

import (
	"encoding/json"
	"net/url"
	"strconv"
	"testing"

	"github.com/jetbridge/jetbridge/internal/config"
)

// A boolean word means the same in a write and in a filter, on every
// engine: the row written with a word is found by filtering on that word,
// and a word a write refused is refused as a filter too.
func TestBooleanWordsAgree(t *testing.T) {
	words := []struct {
		word string
		want bool
	}{
		{"No", false}, {"no", false}, {"Yes", true}, {"yes", true}, {"off", false}, {"on", true},
		{"0", false}, {"1", true}, {"f", false}, {"t", true}, {"false", false}, {"true", true},
		{"N", false}, {"Y", true},
	}
	engines(t, func(t *testing.T, engine config.Engine) {
		e := newEnv(t, engine, nil)
		for i, w := range words {
			title := "boolword " + strconv.Itoa(i) // distinct where titles compare case-insensitively
			body, _ := json.Marshal(map[string]any{"title": title, "active": w.word})
			status, _, resp := e.do("POST", "/api/models/items/", string(body))
			filter := "/api/models/items/?title=" + url.QueryEscape(title) + "&active=" + url.QueryEscape(w.word)
			fstatus, _, fresp := e.do("GET", filter, "")
			if status != 201 {
				if status != 400 || fstatus != 400 {
					t.Errorf("%q: write %d %s, filter %d %s; want both refused (400)", w.word, status, resp, fstatus, fresp)
				}
				continue
			}
			row := decode[map[string]json.RawMessage](t, resp)
			var stored bool
			if err := json.Unmarshal(row["active"], &stored); err != nil {
				t.Fatalf("%q: active is %s", w.word, row["active"])
			}
			if stored != w.want {
				t.Errorf("%q: write stored %v, want %v", w.word, stored, w.want)
			}
			if fstatus != 200 {
				t.Errorf("%q: filter %d %s after the write accepted it", w.word, fstatus, fresp)
				continue
			}
			list := decode[struct {
				Count   int               `json:"count"`
				Results []json.RawMessage `json:"results"`
			}](t, fresp)
			if list.Count != 1 || len(list.Results) != 1 {
				t.Errorf("%q: filter found %d rows (%s), want the row written with it", w.word, list.Count, fresp)
			}
		}
	})
}
