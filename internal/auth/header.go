package auth

import "strings"

// Authorization types of the header grammar (§4.1); case-sensitive.
const (
	TypeJWT          = "JWT"
	TypeToken        = "Token"
	TypeProjectToken = "ProjectToken"
	TypeBearer       = "Bearer"
)

// credential is the piece of an Authorization header that is used.
type credential struct {
	typ          string
	value        string
	projectChild string
}

// parseHeader reads an Authorization header (§4.1): pieces separated by ',',
// each "<type> <value>[;name=value...]". A JWT piece wins; otherwise the type
// that appeared first (a repeated type overwrites its value). It returns false
// when no piece is well-formed.
//
// Fixes of quirk Q33: spaces around pieces and params are tolerated (upstream
// drops a piece after ", "), and a param value may contain '=' (upstream drops
// all params then). It works on substrings of h and does not allocate.
func parseHeader(h string) (credential, bool) {
	var (
		first, jwt     credential
		haveFirst, hav bool
	)
	for rest := h; rest != ""; {
		var piece string
		piece, rest, _ = strings.Cut(rest, ",")
		c, ok := parsePiece(piece)
		if !ok {
			continue
		}
		if !haveFirst {
			first, haveFirst = c, true
		} else if c.typ == first.typ {
			first = c
		}
		if c.typ == TypeJWT {
			jwt, hav = c, true
		}
	}
	if hav {
		return jwt, true
	}
	return first, haveFirst
}

func parsePiece(piece string) (credential, bool) {
	piece = strings.TrimSpace(piece)
	typ, data, ok := strings.Cut(piece, " ")
	if !ok || typ == "" {
		return credential{}, false
	}
	value, params, _ := strings.Cut(data, ";")
	value = strings.TrimSpace(value)
	if value == "" || strings.ContainsAny(value, " \t") {
		return credential{}, false
	}
	c := credential{typ: typ, value: value}
	for params != "" {
		var p string
		p, params, _ = strings.Cut(params, ";")
		name, val, _ := strings.Cut(p, "=")
		if strings.TrimSpace(name) == "project_child" {
			c.projectChild = strings.TrimSpace(val)
		}
	}
	return c, true
}
