package tui

import (
	"fmt"

	"github.com/charmbracelet/huh"

	"github.com/jetbridge/jetbridge/internal/config"
	"github.com/jetbridge/jetbridge/internal/dialect/feature"
)

// pageOptions says how a page's fields are built.
type pageOptions struct {
	// accessible builds line prompts: titles carry their defaults, and an
	// empty answer keeps the default (and is validated as such).
	accessible bool
	// plainPassword asks the password as a plain line (accessible mode with
	// a non-terminal standard input, where nothing is echoed anyway).
	plainPassword bool
	// reveal shows the activation link whole (the output is a terminal).
	reveal bool
}

// Fields builds the questions of a question step, bound to the flow's
// answers. Action steps (StepTest, StepApply) and StepDone have none.
func (f *Flow) Fields(step Step, o pageOptions) []huh.Field {
	a := &f.A
	switch step {
	case StepEngine:
		if !a.Engine.Supported() {
			a.Engine = config.EnginePostgres
		}
		return []huh.Field{
			huh.NewSelect[config.Engine]().
				Title("Which database do you want to connect?").
				Description("Jet Admin will work with this database through the bridge.").
				Options(
					huh.NewOption("PostgreSQL", config.EnginePostgres),
					huh.NewOption("MySQL / MariaDB", config.EngineMySQL),
					huh.NewOption("SQLite (a database file on this machine)", config.EngineSQLite),
				).
				Value(&a.Engine),
		}
	case StepServer:
		fields := []huh.Field{
			input(o, "Host", "Name or IP address of the database server.", &a.Host, ValidateHost),
			input(o, "Port", fmt.Sprintf("%s listens on %d unless configured otherwise.", EngineTitle(a.Engine), a.Engine.DefaultPort()), &a.Port, ValidatePort),
			input(o, "User", "The database user the bridge logs in as.", &a.User, Required("user")),
			password(o, a),
			input(o, "Database name", "", &a.Name, Required("database name")),
		}
		if a.Has(feature.Schemas) {
			in := input(o, "Schema", "Leave empty for the user's default schema (usually public).", &a.Schema, nil)
			in.Placeholder("public")
			fields = append(fields, in)
		}
		fields = append(fields, huh.NewConfirm().
			Title("Connect with TLS?").
			Description("Choose yes when the server is on another machine or requires encryption.").
			Affirmative("Yes").Negative("No").
			Value(&a.TLS))
		return fields
	case StepTLS:
		var opts []huh.Option[string]
		if a.Has(feature.SSLModeParam) {
			opts = []huh.Option[string]{
				huh.NewOption("require: encrypt, do not check the certificate", PGRequire),
				huh.NewOption("verify-ca: encrypt and check the certificate's CA", PGVerifyCA),
				huh.NewOption("verify-full: check the CA and the host name too", PGVerifyFull),
			}
		} else {
			opts = []huh.Option[string]{
				huh.NewOption("verify: encrypt and check the server's certificate", MySQLVerify),
				huh.NewOption("skip-verify: encrypt, do not check the certificate", MySQLSkipVerify),
			}
		}
		return []huh.Field{
			huh.NewSelect[string]().Title("TLS mode").Options(opts...).Value(&a.SSLMode),
			input(o, "CA certificate file (optional)", "PEM file of the CA that signed the server's certificate; empty uses the system's CAs.", &a.SSLCA, ValidateOptionalFile),
		}
	case StepSQLitePath:
		return []huh.Field{
			input(o, "SQLite database file", "Path of the file; a missing file can be created.", &a.Path, ValidateSQLitePath),
		}
	case StepSQLiteCreate:
		return []huh.Field{
			huh.NewConfirm().
				Title(fmt.Sprintf("%s does not exist. Create an empty SQLite database there?", a.Path)).
				Affirmative("Create it").Negative("Choose another file").
				Value(&a.CreateFile),
		}
	case StepFailed:
		what := "Edit the connection settings"
		if a.File() {
			what = "Choose another file"
		}
		fields := []huh.Field{}
		if o.accessible && f.Failure != nil {
			fields = append(fields, huh.NewNote().
				Title("Connection failed: "+f.Failure.Title).
				Description(f.Failure.Detail+"\nHint: "+f.Failure.Hint))
		}
		return append(fields, huh.NewSelect[string]().
			Title("What now?").
			Options(
				huh.NewOption(what+" (your answers are kept)", ChoiceEdit),
				huh.NewOption("Choose another database engine", ChoiceEngine),
				huh.NewOption("Quit without saving anything", ChoiceQuit),
			).
			Value(&f.Choice))
	case StepProject:
		in := input(o, "Jet Admin project (optional)",
			"The project's unique name, as in app.jetadmin.io/builder/<project>/. Leave empty to pick it when you activate the bridge.",
			&a.Project, ValidateProject)
		fields := []huh.Field{in}
		if f.Base.BearerAuthKey == "" && a.BearerKey != "" {
			fields = append(fields, huh.NewConfirm().
				Title("Generate a Bearer key to call the bridge yourself?").
				Description("curl and scripts send it as Authorization: Bearer <key>; Jet Admin does not need it. It is saved as BEARER_AUTH_KEY.").
				Affirmative("Yes").Negative("No").
				Value(&a.NewBearerKey))
		}
		return fields
	case StepConfigPath:
		return []huh.Field{
			input(o, "Save the settings to", "The file holds the password, so it is written readable by you only (mode 0600).", &a.ConfigPath, ValidateConfigPath),
		}
	case StepOverwrite:
		return []huh.Field{
			huh.NewConfirm().
				Title(fmt.Sprintf("%s already exists. Replace it?", a.ConfigPath)).
				Description("Its values were the defaults of this wizard; choose no to save elsewhere.").
				Affirmative("Replace it").Negative("No").
				Value(&a.Overwrite),
		}
	case StepActivate:
		fields := []huh.Field{}
		if o.accessible {
			fields = append(fields, huh.NewNote().
				Title("Activate the bridge in Jet Admin").
				Description(f.activationLink(o.reveal)))
		}
		return append(fields, huh.NewConfirm().
			Title("Open the activation page in your browser?").
			Affirmative("Open it").Negative("Not now").
			Value(&a.OpenBrowser))
	}
	return nil
}

// input is a text field; in accessible mode its title shows the default and
// an empty answer keeps (and validates) the default.
func input(o pageOptions, title, desc string, v *string, validate func(string) error) *huh.Input {
	in := huh.NewInput().Title(title).Value(v)
	if desc != "" {
		in.Description(desc)
	}
	if o.accessible {
		if *v != "" {
			in.Title(fmt.Sprintf("%s [%s]:", title, *v))
		} else {
			in.Title(title + ":")
		}
	}
	if validate != nil {
		in.Validate(keepDefault(o, *v, validate))
	}
	return in
}

// keepDefault validates the default in place of an empty accessible answer.
func keepDefault(o pageOptions, def string, validate func(string) error) func(string) error {
	if !o.accessible {
		return validate
	}
	return func(s string) error {
		if s == "" && def != "" {
			return validate(def)
		}
		return validate(s)
	}
}

// password is the password field, masked unless o.plainPassword.
func password(o pageOptions, a *Answers) *huh.Input {
	in := huh.NewInput().Key(passwordKey).Title("Password").Value(&a.Password)
	if o.accessible {
		if a.Password != "" {
			in.Title("Password (Enter keeps the saved one):")
		} else {
			in.Title("Password (Enter for none):")
		}
	} else {
		in.Description("Typed characters are hidden.")
	}
	if !o.plainPassword {
		in.EchoMode(huh.EchoModePassword)
	}
	return in
}

// passwordKey is the key of the password field.
const passwordKey = "password"
