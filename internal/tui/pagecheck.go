package tui

import "errors"

// PageProblem checks the answers of a question step with the validators of
// its fields once more, after the page was submitted: keys typed faster than
// the form redraws could move past a field whose check failed (five Enters
// at once skipped an empty User). nil when every answer is valid.
func (f *Flow) PageProblem(step Step) error {
	a := &f.A
	var checks []error
	switch step {
	case StepServer:
		checks = []error{ValidateHost(a.Host), ValidatePort(a.Port), Required("user")(a.User), Required("database name")(a.Name)}
	case StepTLS:
		checks = []error{ValidateOptionalFile(a.SSLCA)}
	case StepSQLitePath:
		checks = []error{ValidateSQLitePath(a.Path)}
	case StepProject:
		checks = []error{ValidateProject(a.Project)}
	case StepConfigPath:
		checks = []error{ValidateConfigPath(a.ConfigPath)}
	case StepEngine:
		if !a.Engine.Supported() {
			checks = []error{errors.New("choose a database engine")}
		}
	}
	for _, err := range checks {
		if err != nil {
			return err
		}
	}
	return nil
}
