package auth

import (
	"fmt"
	"strings"
)

// Permission types and model actions of §4.6.
const (
	PermModel   = "model"
	PermProject = "project"

	ActionRead   = "r"
	ActionWrite  = "w"
	ActionDelete = "d"

	ObjectProjectSettings      = "project_settings"
	ObjectProjectCustomization = "project_customization"
)

// Permission is what a route requires (§4.6). The zero value means "any
// member of the project".
type Permission struct {
	// Type is "model", "project", … or "" for no declared permission.
	Type string
	// Object is the model name for Type "model", e.g. "orders", or the
	// project permission, e.g. "project_settings".
	Object string
	// Actions is one of "r", "w", "d", or "".
	Actions string
	// Write marks a route that changes data or settings: it is refused when
	// the bridge runs with READ_ONLY and for read-only users, whatever the
	// declared permission (fixes quirks Q4 and Q5).
	Write bool
}

// ModelRead is the permission of list, retrieve, aggregate, group and
// get_siblings on a model.
func ModelRead(model string) Permission {
	return Permission{Type: PermModel, Object: model, Actions: ActionRead}
}

// ModelWrite is the permission of create, update, partial_update,
// bulk_create, reorder and reset_order on a model.
func ModelWrite(model string) Permission {
	return Permission{Type: PermModel, Object: model, Actions: ActionWrite, Write: true}
}

// ModelDelete is the permission of destroy on a model.
func ModelDelete(model string) Permission {
	return Permission{Type: PermModel, Object: model, Actions: ActionDelete, Write: true}
}

// ModelAction maps a model view action name (upstream's: list, retrieve,
// aggregate, group, get_siblings, create, update, partial_update, destroy,
// bulk_create, reorder, reset_order) to its permission; unknown actions need
// write, as upstream.
func ModelAction(model, action string) Permission {
	switch action {
	case "list", "retrieve", "aggregate", "group", "get_siblings":
		return ModelRead(model)
	case "destroy", "delete":
		return ModelDelete(model)
	default:
		return ModelWrite(model)
	}
}

// ReloadPermission is the permission of POST /api/reload/.
func ReloadPermission() Permission {
	return Permission{Type: PermProject, Object: ObjectProjectSettings}
}

// DiscoverPermission is the permission of the discover endpoints.
func DiscoverPermission() Permission {
	return Permission{Type: PermProject, Object: ObjectProjectCustomization}
}

// AnyMember is the permission of model_descriptions, sql, messages: any
// authenticated member of the project.
func AnyMember() Permission { return Permission{} }

// AnyMemberWrite is the permission of routes without a declared permission
// that change data or settings (table and column DDL, file upload,
// relationship overrides): any member that is not read-only.
func AnyMemberWrite() Permission { return Permission{Write: true} }

// String describes the permission in plain words, e.g.
// `write (w) on model "orders"`.
func (p Permission) String() string {
	switch {
	case p.Type == "":
		if p.Write {
			return "a change"
		}
		return "project membership"
	case p.Type == PermModel:
		return fmt.Sprintf("%s on model %q", actionWords(p.Actions), p.Object)
	case p.Actions == "":
		return fmt.Sprintf("%s permission %q", p.Type, p.Object)
	default:
		return fmt.Sprintf("%s on %s %q", actionWords(p.Actions), p.Type, p.Object)
	}
}

func actionWords(a string) string {
	switch a {
	case ActionRead:
		return "read (r)"
	case ActionWrite:
		return "write (w)"
	case ActionDelete:
		return "delete (d)"
	case "":
		return "access"
	}
	return fmt.Sprintf("actions %q", a)
}

// permItem is one decoded item of a JWT's permissions claim, kept only when
// it applies to this bridge (resource_token_hash matches or is absent).
type permItem struct {
	typ     string
	object  string // for models: the part after the first dot
	actions string
}

// allowedByItems is step 5 of §4.6.
func allowedByItems(items []permItem, need Permission) bool {
	for i := range items {
		it := &items[i]
		if it.typ == need.Type && it.object == need.Object && strings.Contains(it.actions, need.Actions) {
			return true
		}
	}
	return false
}

// readOnlyMay is step 3 of §4.6: what a read-only user may do.
func readOnlyMay(need Permission) bool {
	if need.Write {
		return false
	}
	switch need.Type {
	case PermModel:
		return strings.Trim(need.Actions, ActionRead) == ""
	case PermProject:
		return need.Object == ObjectProjectSettings
	}
	return false
}
