package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/innograph/innograph/graph"
)

func TestProblemFor(t *testing.T) {
	tests := []struct {
		name       string
		err        error
		status     int
		detailHas  string
		detailLack string
	}{
		{"invalid", graph.Errorf("parse", graph.Invalid, "bad cursor %q", "zz"), 400, "bad cursor", ""},
		{"not found", graph.E("entity", graph.NotFound, nil), 404, "entity", ""},
		{"too large", graph.Errorf("load", graph.TooLarge, "body over 10 MB"), 413, "10 MB", ""},
		{"unprocessable", graph.Errorf("paths", graph.Unprocessable, "no path"), 422, "no path", ""},
		{"timeout", graph.E("query", graph.Timeout, context.DeadlineExceeded), 503, "deadline", ""},
		{"bare deadline", fmt.Errorf("wrapped: %w", context.DeadlineExceeded), 503, "", ""},
		{"internal hides detail", graph.Errorf("write", graph.Internal, "pq: password authentication failed for secret"), 500, "request id", "secret"},
		{"unknown error hides detail", fmt.Errorf("disk /var/secret full"), 500, "", "secret"},
		{"http level", &httpError{status: http.StatusNotAcceptable, detail: "no format fits", offered: []string{"text/turtle"}}, 406, "no format", ""},
		{"unauthorized", unauthorized("writes need a token", "invalid_token"), 401, "need a token", ""},
		{"shape violations", graph.E("validate", graph.Unprocessable, &graph.ValidationError{Violations: []graph.Violation{{Focus: "https://example.org/r", Constraint: "sh:MinCountConstraintComponent"}}}), 422, "1 shape violation", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := problemFor(tc.err)
			if p.Status != tc.status || !strings.Contains(p.Detail, tc.detailHas) || (tc.detailLack != "" && strings.Contains(p.Detail, tc.detailLack)) {
				t.Errorf("problemFor(%v) = %+v, want status %d, detail with %q without %q", tc.err, p, tc.status, tc.detailHas, tc.detailLack)
			}
			var ve *graph.ValidationError
			if errors.As(tc.err, &ve) && len(p.Violations) != len(ve.Violations) {
				t.Errorf("problemFor(%v) violations = %v, want %v", tc.err, p.Violations, ve.Violations)
			}
			if p.Title != http.StatusText(tc.status) || !strings.HasPrefix(p.Type, problemType) {
				t.Errorf("problemFor(%v) title/type = %q %q", tc.err, p.Title, p.Type)
			}
		})
	}
}
