package sqlapi

import (
	"strings"

	"github.com/jetbridge/jetbridge/internal/dialect"
)

// token is a name or punctuation of a query's code, for the refusals below.
type token struct {
	text   string // a word or quoted identifier, lower case; or one punctuation byte
	name   bool   // a word or a quoted identifier
	called bool   // a name directly followed by '(' (a function call)
}

// codeTokens lists the names and punctuation of a query (not its literals
// or comments), each name marked when it is called as a function.
func codeTokens(s string, lx dialect.Lexing) []token {
	var spans [16]span
	var out []token
	for _, x := range lexSpans(s, lx, spans[:0]) {
		switch x.kind {
		case spanComment, spanString:
			out = append(out, token{text: "'"})
			continue
		case spanIdent:
			body := s[x.start:x.end]
			if len(body) >= 2 {
				body = body[1 : len(body)-1]
			}
			out = append(out, token{text: strings.ToLower(body), name: true})
			continue
		}
		for i := x.start; i < x.end; i++ {
			c := s[i]
			switch {
			case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
			case isIdentByte(c):
				j := i + 1
				for j < x.end && isIdentByte(s[j]) {
					j++
				}
				out = append(out, token{text: strings.ToLower(s[i:j]), name: true})
				i = j - 1
			default:
				if c == '(' && len(out) > 0 && out[len(out)-1].name {
					out[len(out)-1].called = true
				}
				out = append(out, token{text: string(c)})
			}
		}
	}
	return out
}

// refusal is why a request may not run, beyond the statement guard, or "".
// Non-admin statements may not touch the bridge's own tables (__jet__*:
// the Project Token), nor what the dialect's Refusals name: functions that
// read or write server files, run SQL given as text (so that any name can
// be hidden in a string), reach other databases or sessions, or change the
// server, credential tables and system schemas (issue 17 M1, M2); nor
// dblink*() anywhere, nor take locking reads that block the application's
// writes (issue 17 M1-M3).
// Nobody may write the bridge's tables through the SQL API.
func (r *Runner) refusal(req *request) string {
	d := r.d.Dialect
	ownTables := strings.Contains(strings.ToLower(req.query), "__jet__")
	if req.admin {
		if ownTables && !req.info.readOnlyStatement() {
			return "forbidden query: the bridge's own tables (__jet__*) cannot be changed through the SQL API"
		}
		return ""
	}
	if ownTables {
		return "forbidden query: the bridge's own tables (__jet__*) cannot be read through the SQL API"
	}
	refused := d.Refusals()
	toks := codeTokens(req.query, d.Lexing())
	for i, t := range toks {
		if !t.name {
			continue
		}
		if t.called && (refused.Functions[t.text] || strings.HasPrefix(t.text, "dblink")) {
			return "forbidden query: function " + t.text + "() is not available to non-admin SQL"
		}
		if refused.Tables[t.text] {
			return "forbidden query: " + t.text + " is not available to non-admin SQL"
		}
		next := func(k int) string {
			if i+k < len(toks) {
				return toks[i+k].text
			}
			return ""
		}
		if refused.Schemas[t.text] && next(1) == "." {
			return "forbidden query: the " + t.text + " system schema is not available to non-admin SQL"
		}
		if t.text == "share" && i > 0 && (toks[i-1].text == "for" || toks[i-1].text == "key" || toks[i-1].text == "in") {
			return "forbidden query: locking reads (FOR SHARE, LOCK IN SHARE MODE) block the application's writes"
		}
	}
	return ""
}
