package sqlapi

import (
	"strings"

	"github.com/jetbridge/jetbridge/internal/dialect"
)

// stmtInfo is what the guard learns from the code tokens of a query
// (literals, quoted identifiers and comments are skipped).
type stmtInfo struct {
	statements int    // non-empty statements separated by ';'
	first      string // first keyword of the first statement, upper case ("" if none)
	target     string // for EXPLAIN/DESCRIBE: the first keyword of the explained statement
	deny       string // the first data-changing keyword found anywhere, upper case
	returning  bool   // a RETURNING clause is present
}

// readFirst are the statements a non-admin caller may run.
var readFirst = map[string]bool{
	"SELECT": true, "WITH": true, "VALUES": true, "TABLE": true,
	"SHOW": true, "EXPLAIN": true, "DESCRIBE": true, "DESC": true,
}

// readTarget are the statements EXPLAIN may look at.
var readTarget = map[string]bool{"SELECT": true, "WITH": true, "VALUES": true, "TABLE": true}

// explainOptions are the words allowed between EXPLAIN and its statement.
var explainOptions = map[string]bool{
	"ANALYZE": true, "ANALYSE": true, "VERBOSE": true, "QUERY": true, "PLAN": true,
	"EXTENDED": true, "PARTITIONS": true, "FORMAT": true, "JSON": true, "TREE": true,
	"TRADITIONAL": true, "TEXT": true, "XML": true, "YAML": true,
}

// denyWords are keywords that change data or schema, or take row locks,
// wherever they appear in a statement (PostgreSQL allows INSERT/UPDATE/
// DELETE inside WITH; SELECT ... INTO creates a table or writes a file;
// FOR UPDATE locks rows). A word directly followed by '(' is a function
// call (MySQL's INSERT() and REPLACE() string functions) and is not counted.
var denyWords = map[string]bool{
	"INSERT": true, "UPDATE": true, "DELETE": true, "MERGE": true, "UPSERT": true,
	"TRUNCATE": true, "DROP": true, "ALTER": true, "CREATE": true, "GRANT": true,
	"REVOKE": true, "INTO": true, "PRAGMA": true, "ATTACH": true, "DETACH": true,
}

// dmlWords mark a WITH statement that writes (for choosing Exec in admin mode).
var dmlWords = map[string]bool{"INSERT": true, "UPDATE": true, "DELETE": true, "MERGE": true}

// analyze tokenizes the code of a query and fills stmtInfo.
func analyze(s string, lx dialect.Lexing) stmtInfo {
	var info stmtInfo
	var spans [16]span
	inStmt := false   // a token of the current statement was seen
	var prev byte     // the previous code byte that is not a space
	pendingWord := "" // the last word, not yet known to be followed by '('
	stage := 0        // 0: before first keyword, 1: in EXPLAIN options, 2: done
	parenDepth := 0   // parentheses of EXPLAIN (options)
	flush := func(next byte) {
		if pendingWord == "" {
			return
		}
		w := pendingWord
		pendingWord = ""
		if next == '(' {
			return
		}
		if info.deny == "" && denyWords[w] {
			info.deny = w
		}
	}
	for _, x := range lexSpans(s, lx, spans[:0]) {
		if x.kind != spanCode {
			if x.kind != spanComment && !inStmt {
				inStmt = true
				info.statements++
			}
			if x.kind != spanComment {
				flush(0)
				if stage < 2 && info.statements == 1 {
					stage = 2 // a literal before the first keyword or inside EXPLAIN options
				}
			}
			continue
		}
		for i := x.start; i < x.end; i++ {
			c := s[i]
			if c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' {
				continue
			}
			if c == ';' {
				flush(c)
				inStmt = false
				prev = c
				continue
			}
			if !inStmt {
				inStmt = true
				info.statements++
			}
			if isIdentStart(c) && c != '$' && !(prev == '.' || prev == '@' || prev == ':' || prev == '$') {
				j := i + 1
				for j < x.end && isIdentByte(s[j]) {
					j++
				}
				flush(0)
				w := strings.ToUpper(s[i:j])
				i = j - 1
				prev = 'a'
				if info.statements == 1 {
					switch stage {
					case 0:
						info.first = w
						stage = 2
						if w == "EXPLAIN" || w == "DESCRIBE" || w == "DESC" {
							stage = 1
						}
					case 1:
						if parenDepth == 0 && !explainOptions[w] {
							info.target = w
							stage = 2
						}
					}
				}
				if w == "RETURNING" {
					info.returning = true
				}
				pendingWord = w
				continue
			}
			if isIdentByte(c) { // digits, $1, a word after '.' or '@'
				j := i + 1
				for j < x.end && isIdentByte(s[j]) {
					j++
				}
				flush(0)
				i = j - 1
				prev = 'a'
				continue
			}
			flush(c)
			if info.statements == 1 && stage == 1 {
				switch c {
				case '(':
					parenDepth++
				case ')':
					if parenDepth > 0 {
						parenDepth--
					}
				}
			}
			prev = c
		}
	}
	flush(0)
	return info
}

// readOnlyStatement reports whether the query is exactly one statement that
// only reads: its first keyword is a read statement (an EXPLAIN explains
// one) and no data-changing keyword occurs anywhere in its code.
func (i stmtInfo) readOnlyStatement() bool {
	if i.statements != 1 || !readFirst[i.first] || i.deny != "" {
		return false
	}
	switch i.first {
	case "EXPLAIN":
		return readTarget[i.target]
	case "DESCRIBE", "DESC":
		// DESC table, or DESCRIBE <statement> (MySQL's EXPLAIN synonym)
		return i.target == "" || readTarget[i.target] || !statementVerb[i.target]
	}
	return true
}

// returnsRows reports whether an admin statement should be run as a query
// (it yields rows) rather than executed for a row count.
func (i stmtInfo) returnsRows() bool {
	if i.returning {
		return true
	}
	switch i.first {
	case "WITH":
		return !dmlWords[i.deny]
	case "SELECT", "VALUES", "TABLE", "SHOW", "EXPLAIN", "DESCRIBE", "DESC", "PRAGMA", "CALL":
		return i.deny != "INTO" || i.first != "SELECT"
	}
	return false
}

// statementVerb are keywords that start a statement.
var statementVerb = map[string]bool{
	"SELECT": true, "WITH": true, "VALUES": true, "TABLE": true, "INSERT": true, "UPDATE": true,
	"DELETE": true, "MERGE": true, "REPLACE": true, "CREATE": true, "DROP": true, "ALTER": true,
	"TRUNCATE": true, "GRANT": true, "REVOKE": true, "CALL": true, "DO": true, "EXECUTE": true,
	"COPY": true, "SET": true, "LOCK": true, "LOAD": true, "HANDLER": true,
}

// trimTrailingSemicolons removes ';' (and what follows it: spaces and
// comments) from the end of the query, so it can be wrapped in a subquery.
func trimTrailingSemicolons(s string, lx dialect.Lexing) string {
	var spans [16]span
	sp := lexSpans(s, lx, spans[:0])
	end := len(s)
	for k := len(sp) - 1; k >= 0; k-- {
		x := sp[k]
		if x.kind == spanComment {
			continue
		}
		if x.kind != spanCode {
			break
		}
		j := x.end - 1
		for ; j >= x.start; j-- {
			c := s[j]
			if c == ';' {
				end = j
				continue
			}
			if c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v' {
				break
			}
		}
		if j >= x.start {
			break
		}
	}
	return s[:end]
}
