package config

import (
	"fmt"

	"github.com/spf13/pflag"
)

// rawValue is a flag value kept as text: Load parses it with the other
// sources so that every bad value is reported at once.
type rawValue struct {
	text string
	kind kind
}

func (v *rawValue) String() string     { return v.text }
func (v *rawValue) Set(s string) error { v.text = s; return nil }
func (v *rawValue) Type() string       { return v.kind.typeName() }

// IsBoolFlag lets "--read-only" stand alone; "--read-only=false" still works.
func (v *rawValue) IsBoolFlag() bool { return v.kind == kindBool }

// Bind registers one flag per setting on fs, named after the upstream key in
// kebab case (--database-engine for DATABASE_ENGINE). Boolean flags accept
// "--read-only" alone and "--read-only=false". Load reads the flags the user
// gave (fs.Changed); flags left out do not override the config file.
func Bind(fs *pflag.FlagSet) {
	def := Defaults()
	for _, o := range allOptions() {
		text := ""
		if o.kind != kindSecret && o.kind != kindList {
			text = o.text(&def)
		}
		if o.key == "DATABASE_PORT" {
			text = "" // depends on the engine; the help says so
		}
		f := fs.VarPF(&rawValue{text: text, kind: o.kind}, o.flag, "", fmt.Sprintf("%s [env %s]", o.help, o.key))
		if o.kind == kindBool {
			f.NoOptDefVal = "true"
		}
	}
}
