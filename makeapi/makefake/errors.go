package makefake

import (
	"encoding/json"
	"net/http"
	"strconv"
)

// apiError is an error answer in Make's one error shape:
// {"detail", "message", "code", "suberrors": [{"message"}]}.
type apiError struct {
	status    int
	Detail    string     `json:"detail"`
	Message   string     `json:"message"`
	Code      string     `json:"code"`
	Suberrors []suberror `json:"suberrors,omitempty"`
	// ExecutionID names the execution a timed-out run goes on as.
	ExecutionID string `json:"executionId,omitempty"`
}

type suberror struct {
	Message string `json:"message"`
}

func (e *apiError) Error() string { return e.Detail }

func writeError(w http.ResponseWriter, e *apiError) {
	writeJSON(w, e.status, e)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"detail":"Internal server error.","message":"Internal Server Error","code":"SC500"}`)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// The error answers below use the texts Make documents where it documents
// them ("Access denied.", "Requests limit for organization exceeded, please
// try again later.", the validation messages of the /scenarios listing);
// the rest follow the same pattern.

func errUnauthorized() *apiError {
	return &apiError{status: http.StatusUnauthorized, Detail: "Invalid credentials.", Message: "Unauthorized", Code: "SC401"}
}

func errForbidden(subs ...string) *apiError {
	e := &apiError{status: http.StatusForbidden, Detail: "Access denied.", Message: "Permission denied", Code: "SC403"}
	for _, s := range subs {
		e.Suberrors = append(e.Suberrors, suberror{s})
	}
	return e
}

func errNotFound(what string) *apiError {
	return &apiError{status: http.StatusNotFound, Detail: what + " not found.", Message: "Not found", Code: "SC404"}
}

func errBadRequest(detail string, subs ...string) *apiError {
	e := &apiError{status: http.StatusBadRequest, Detail: detail, Message: "Bad request", Code: "SC400"}
	for _, s := range subs {
		e.Suberrors = append(e.Suberrors, suberror{s})
	}
	return e
}

func errRateLimited() *apiError {
	return &apiError{status: http.StatusTooManyRequests,
		Detail: "Requests limit for organization exceeded, please try again later.", Message: "Too many requests", Code: "SC429"}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func cmpOr[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}
