package sqlapi

import "fmt"

// forbiddenReason is the message of a query refused by the read-only guard:
// upstream's "forbidden query" and why, so that a typo (SELEC 1) does not
// look like a permission problem.
func (i stmtInfo) forbiddenReason() string {
	const why = " (this request may only read: READ_ONLY, a read-only user, or not in admin mode)"
	switch {
	case i.statements == 0:
		return "forbidden query: it holds no statement"
	case i.statements > 1:
		return fmt.Sprintf("forbidden query: %d statements; send one statement per query", i.statements)
	case i.first == "":
		return "forbidden query: it does not start with a statement keyword such as SELECT"
	case !readFirst[i.first] && !statementVerb[i.first] && !denyWords[i.first]:
		return fmt.Sprintf("forbidden query: %q is not a statement a read-only query may start with "+
			"(SELECT, WITH, VALUES, TABLE, SHOW, EXPLAIN, DESCRIBE): is it a typo?", i.first)
	case !readFirst[i.first]:
		return fmt.Sprintf("forbidden query: %s is not a read statement%s", i.first, why)
	case i.deny != "":
		return fmt.Sprintf("forbidden query: %s is not allowed in a read statement%s", i.deny, why)
	case i.first == "EXPLAIN" || i.first == "DESCRIBE" || i.first == "DESC":
		return fmt.Sprintf("forbidden query: %s of a statement that is not a read%s", i.first, why)
	}
	return "forbidden query" + why
}
