package jetadmin

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/jetbridge/jetbridge/internal/values"
)

// ProjectToken is a newly issued project token.
type ProjectToken struct {
	// Token as the API sent it (a UUID, usually with dashes; upstream stores
	// it without dashes).
	Token string
	// DateAdd is when the API issued it; the time of the answer when the
	// API did not say.
	DateAdd time.Time
}

// CreateProjectToken asks the API for a new project token
// (POST {base}/project_tokens/, legacy registration flow §7.2).
func (c *Client) CreateProjectToken(ctx context.Context) (ProjectToken, error) {
	const call = "create project token"
	a, err := c.do(ctx, request{call: call, method: http.MethodPost, path: "/project_tokens/"})
	if err != nil {
		return ProjectToken{}, err
	}
	if !ok2xx(a.status) {
		return ProjectToken{}, refused(call, a, nil)
	}
	var v struct {
		Token   any    `json:"token"`
		DateAdd string `json:"date_add"`
	}
	if err := decode(a.body, &v); err != nil {
		return ProjectToken{}, garbage(call, a)
	}
	tok, _ := v.Token.(string)
	tok = strings.TrimSpace(tok)
	if tok == "" {
		return ProjectToken{}, &Error{Call: call, Status: a.status, Tries: a.tries,
			Reason: fmt.Sprintf("server answered %d without a token", a.status)}
	}
	pt := ProjectToken{Token: tok, DateAdd: time.Now()}
	if v.DateAdd != "" {
		t, ok := parseTime(v.DateAdd)
		if !ok {
			return ProjectToken{}, &Error{Call: call, Status: a.status, Tries: a.tries,
				Reason: fmt.Sprintf("server answered %d with an unreadable date_add %q", a.status, clip(v.DateAdd, 40))}
		}
		pt.DateAdd = t
	}
	return pt, nil
}

// ProjectTokenActivated reports whether a project token has been activated
// (GET {base}/project_tokens/{token}/). A 4xx answer (e.g. unknown token)
// means not activated; network errors and 5xx are errors.
func (c *Client) ProjectTokenActivated(ctx context.Context, token string) (bool, error) {
	const call = "check project token activation"
	if token == "" {
		return false, &Error{Call: call, Reason: "no token given"}
	}
	a, err := c.do(ctx, request{call: call, method: http.MethodGet,
		path: "/project_tokens/" + url.PathEscape(token) + "/", secrets: []string{token}})
	if err != nil {
		return false, err
	}
	return activated(call, a, token)
}

// CheckResourceToken reports whether the project token is activated for the
// project (POST {base}/check_resource_token/, current flow §7.1). A 4xx answer
// means not activated; network errors and 5xx are errors.
func (c *Client) CheckResourceToken(ctx context.Context, project, token string) (bool, error) {
	const call = "check resource token"
	form := url.Values{"project": {project}, "token": {token}}
	a, err := c.do(ctx, request{call: call, method: http.MethodPost, path: "/check_resource_token/",
		form: form, secrets: []string{token}})
	if err != nil {
		return false, err
	}
	return activated(call, a, token)
}

func activated(call string, a answer, token string) (bool, error) {
	if a.status >= 400 {
		return false, nil
	}
	if !ok2xx(a.status) {
		return false, refused(call, a, []string{token})
	}
	var v struct {
		Activated *bool `json:"activated"`
	}
	if err := decode(a.body, &v); err != nil || v.Activated == nil {
		return false, garbage(call, a)
	}
	return *v.Activated, nil
}

// ProjectAuthRequest holds the form fields of POST {base}/project_auth/ (§4.4).
// The three permission fields are sent only when PermissionType is set;
// ProjectChild only when set.
type ProjectAuthRequest struct {
	ProjectToken      string
	Token             string
	PermissionType    string
	PermissionObject  string
	PermissionActions string
	ProjectChild      string
}

// ProjectAuthResult is the API's decision on a user token.
type ProjectAuthResult struct {
	Allowed bool
	// Warning is the API's optional warning text.
	Warning string
	// Status is the HTTP status of the answer.
	Status int
}

// ProjectAuth asks the API whether a user token may do what the request
// describes (POST {base}/project_auth/). A 4xx answer or access_disabled:true
// is a denial (Allowed false, nil error); network errors, 5xx and unreadable
// 2xx answers are errors.
func (c *Client) ProjectAuth(ctx context.Context, r ProjectAuthRequest) (ProjectAuthResult, error) {
	const call = "project auth"
	form := url.Values{"project_token": {r.ProjectToken}, "token": {r.Token}}
	if r.PermissionType != "" {
		form.Set("permission_type", r.PermissionType)
		form.Set("permission_object", r.PermissionObject)
		form.Set("permission_actions", r.PermissionActions)
	}
	if r.ProjectChild != "" {
		form.Set("project_child", r.ProjectChild)
	}
	a, err := c.do(ctx, request{call: call, method: http.MethodPost, path: "/project_auth/",
		form: form, secrets: []string{r.Token, r.ProjectToken}})
	if err != nil {
		return ProjectAuthResult{}, err
	}
	res := ProjectAuthResult{Status: a.status}
	if a.status >= 400 {
		return res, nil
	}
	if !ok2xx(a.status) {
		return res, refused(call, a, []string{r.Token, r.ProjectToken})
	}
	var v struct {
		AccessDisabled bool   `json:"access_disabled"`
		Warning        string `json:"warning"`
	}
	if err := decode(a.body, &v); err != nil {
		return res, garbage(call, a)
	}
	res.Allowed = !v.AccessDisabled
	res.Warning = v.Warning
	return res, nil
}

func ok2xx(status int) bool { return status >= 200 && status < 300 }

// decode reads a JSON object answer.
func decode(body []byte, v any) error {
	body = bytes.TrimSpace(body)
	if len(body) == 0 || body[0] != '{' {
		return fmt.Errorf("not a JSON object")
	}
	return json.Unmarshal(body, v)
}

func garbage(call string, a answer) *Error {
	return &Error{Call: call, Status: a.status, Tries: a.tries,
		Reason: fmt.Sprintf("server answered %d with a body that is not the expected JSON", a.status)}
}

// refused describes an answer that is neither success nor a 5xx, with the
// API's "detail" text when there is one.
func refused(call string, a answer, secrets []string) *Error {
	reason := fmt.Sprintf("server answered %d %s", a.status, http.StatusText(a.status))
	var v struct {
		Detail string `json:"detail"`
	}
	if decode(a.body, &v) == nil && v.Detail != "" {
		reason += ": " + clip(v.Detail, 200)
	}
	return &Error{Call: call, Status: a.status, Tries: a.tries, Reason: redact(reason, secrets)}
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// parseTime reads the API's timestamps (values.APITimestamp: ISO 8601 as
// Django REST framework writes them, with or without offset and fraction).
func parseTime(s string) (time.Time, bool) {
	t, _, ok := values.ParseDateTimeForm(s, values.APITimestamp, time.UTC)
	return t, ok
}
