//go:build !unix

package config

import "os"

// ServiceUser is the user the packaged service runs as (Unix only).
const ServiceUser = "jetbridge"

func keepOwner(*os.File, string) {}

// ServiceUserWarning is "" outside Unix: there is no packaged service user.
func ServiceUserWarning(string) string { return "" }
