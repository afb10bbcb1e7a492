package schema

import (
	"regexp"
	"strings"
)

// Default types of the model description (spec §8.2).
const (
	DefaultDatetimeNow = "datetime_now"
	DefaultUUID        = "uuid"
	DefaultValue       = "value"
	DefaultSequence    = "sequence"
)

var (
	reNumber       = regexp.MustCompile(`^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$`)
	reCurrentStamp = regexp.MustCompile(`^(current_timestamp|localtimestamp|now)(\(\d*\))?$`)
)

// Upstream's two patterns (views/model_description.py map_column_default),
// applied to the catalog's default expression as it is.
var (
	reCastLiteral = regexp.MustCompile(`^'(.+)'::(.+)$`)
	reNextval     = regexp.MustCompile(`^nextval\((.+)\)$`)
)

// fillDefault sets c.DefaultType and c.DefaultValue from c.Default exactly as
// upstream describes a server default (the recording shows it): now() is
// datetime_now, uuid_generate_v4() uuid, true/false a boolean value,
// 'x'::type the value "x" (its text as written), nextval(...) a sequence
// with the text inside the parentheses. Other expressions, among them every
// MySQL and SQLite default ('draft', 1, CURRENT_TIMESTAMP), have no
// description form: the column still has a default (c.Default), so it is not
// required and a null written to it stores the default.
func fillDefault(c *Column) {
	c.DefaultType, c.DefaultValue = "", nil
	if c.Default == nil || c.Generated {
		return
	}
	e := strings.TrimSpace(*c.Default)
	switch strings.ToLower(e) {
	case "now()":
		c.DefaultType = DefaultDatetimeNow
		return
	case "uuid_generate_v4()":
		c.DefaultType = DefaultUUID
		return
	case "true", "false":
		c.DefaultType, c.DefaultValue = DefaultValue, strings.EqualFold(e, "true")
		return
	}
	if m := reCastLiteral.FindStringSubmatch(e); m != nil {
		c.DefaultType, c.DefaultValue = DefaultValue, m[1]
		return
	}
	if m := reNextval.FindStringSubmatch(e); m != nil {
		c.DefaultType, c.DefaultValue = DefaultSequence, m[1]
	}
}

// quoteLiteral writes s as an SQL string literal.
func quoteLiteral(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}
