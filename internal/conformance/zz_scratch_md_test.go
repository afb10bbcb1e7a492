package conformance

import (
	"bufio"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/jetbridge/jetbridge/internal/testdb"
)

func TestScratchModelDescriptions(t *testing.T) {
	for _, e := range testdb.Engines {
		t.Run(string(e), func(t *testing.T) {
			f, err := os.Open("/work/shared/conformance/golden_relations_" + string(e) + ".jsonl")
			if err != nil {
				t.Skip(err)
			}
			defer f.Close()
			var want []any
			sc := bufio.NewScanner(f)
			sc.Buffer(make([]byte, 1<<20), 64<<20)
			for sc.Scan() {
				if !strings.Contains(sc.Text(), `"relations.before_descriptions"`) {
					continue
				}
				var g golden
				json.Unmarshal(sc.Bytes(), &g)
				v, _ := decodeJSON(g.Body)
				want = v.([]any)
			}
			base := startBridge(t, sets[0], e)
			req, _ := http.NewRequest("GET", base+"/api/model_descriptions/", nil)
			req.Header.Set("Authorization", "Bearer "+bearerKey)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			gv, _ := decodeJSON(b)
			got := map[string]any{}
			for _, m := range gv.([]any) {
				mm := m.(map[string]any)
				got[mm["model"].(string)] = mm
			}
			j := judge{engine: e, category: "model_descriptions"}
			for _, m := range want {
				mm := m.(map[string]any)
				name := mm["model"].(string)
				g, ok := got[name]
				if !ok {
					t.Logf("model %s missing", name)
					continue
				}
				for _, d := range j.value("$."+name, mm, g) {
					t.Log(d)
				}
			}
		})
	}
}
