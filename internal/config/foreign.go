package config

import (
	"fmt"
	"strings"
)

// upstreamIgnored lists upstream Jet Bridge options that make no difference
// to jetbridge (process model, caches, tracking, cookies...). A jet.conf
// written for the Python bridge may hold them; they are skipped silently.
func upstreamIgnored(key string) bool {
	switch key {
	case "WORKERS", "THREADS", "USE_DEFAULT_CONFIG", "MEDIA_STORAGE",
		"CONNECTIONS_OVERFLOW", "CACHE_METADATA", "CACHE_METADATA_PATH",
		"CACHE_MODEL_DESCRIPTIONS", "COOKIE_SAMESITE", "COOKIE_SECURE", "COOKIE_DOMAIN",
		"COOKIE_COMPRESS", "TRACK_DATABASES", "TRACK_DATABASES_ENDPOINT", "TRACK_DATABASES_AUTH",
		"TRACK_MODELS_ENDPOINT", "TRACK_MODELS_AUTH", "TRACK_QUERY_SLOW_TIME",
		"TRACK_QUERY_HIGH_MEMORY", "RELEASE_INACTIVE_GRAPHQL_SCHEMAS_TIMEOUT", "SENTRY_DSN",
		"POSSIBLE_HOST", "DATABASE_REFLECT_MAX_RECORDS", "BASE_URL", "ARGS":
		return true
	}
	return false
}

// unsupportedHint explains upstream options that change behaviour but that
// jetbridge does not implement; set to a non-empty value they give a warning.
func unsupportedHint(key string) (string, bool) {
	switch key {
	case "DATABASE_SSH_HOST", "DATABASE_SSH_PORT", "DATABASE_SSH_USER", "DATABASE_SSH_PRIVATE_KEY":
		return "open the tunnel yourself (ssh -N -L 15432:dbhost:5432 user@sshhost) and point DATABASE_HOST and DATABASE_PORT at it", true
	case "BLACKLIST_HOSTS":
		return "jetbridge only connects to the configured database", true
	case "DATABASE_RLS_TYPE", "DATABASE_RLS_SSO", "DATABASE_RLS_USER_PROPERTY":
		return "row-level security roles are not switched per request", true
	case "SSO_APPLICATIONS":
		return "SSO applications are not supported", true
	}
	return "", false
}

// unsupportedKeys are the keys unsupportedHint knows, for the environment check.
func unsupportedKeys() []string {
	return []string{"DATABASE_SSH_HOST", "DATABASE_SSH_PORT", "DATABASE_SSH_USER", "DATABASE_SSH_PRIVATE_KEY",
		"BLACKLIST_HOSTS", "DATABASE_RLS_TYPE", "DATABASE_RLS_SSO", "DATABASE_RLS_USER_PROPERTY", "SSO_APPLICATIONS"}
}

// foreignKeyWarning returns the warning for a key jetbridge does not read, or
// "" when the key is silently ignored. It never includes the value.
func foreignKeyWarning(key, value, from string) string {
	if upstreamIgnored(key) {
		return ""
	}
	if hint, ok := unsupportedHint(key); ok {
		v := strings.TrimSpace(value)
		if v == "" || (key == "SSO_APPLICATIONS" && v == "{}") {
			return ""
		}
		return fmt.Sprintf("%s (%s) is not supported by jetbridge and is ignored: %s", key, from, hint)
	}
	msg := fmt.Sprintf("%s: unknown setting %s is ignored", from, key)
	if near := nearestKey(key); near != "" {
		msg += fmt.Sprintf(" (did you mean %s?)", near)
	}
	return msg
}

// nearestKey returns the known key closest to key when it is a likely typo.
func nearestKey(key string) string {
	best, bestDist := "", 3
	for _, o := range allOptions() {
		if d := editDistance(key, o.key); d < bestDist {
			best, bestDist = o.key, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
