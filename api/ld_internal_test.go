package api

import "testing"

func TestURIToIRI(t *testing.T) {
	tests := []struct{ in, want string }{
		{"org/aarhus-university", "org/aarhus-university"},
		{"org/%C3%A6r%C3%B8", "org/ærø"},
		{"org/%c3%a6", "org/æ"},
		{"org/a%2Fb", "org/a%2Fb"},         // ASCII stays encoded: it is part of the IRI
		{"org/a%20b", "org/a%20b"},         // likewise
		{"org/%FF", "org/%FF"},             // not UTF-8
		{"org/%E6%97%A5x%E6", "org/日x%E6"}, // a truncated sequence stays encoded
		{"org/100%", "org/100%"},
	}
	for _, tc := range tests {
		if got := uriToIRI(tc.in); got != tc.want {
			t.Errorf("uriToIRI(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestAcceptsGzip(t *testing.T) {
	tests := []struct {
		header string
		want   bool
	}{
		{"", false},
		{"gzip", true},
		{"deflate, gzip;q=0.5", true},
		{"gzip;q=0", false},
		{"identity", false},
		{"x-gzip", true},
		{"br, GZIP ; q=0.8", true},
	}
	for _, tc := range tests {
		if got := acceptsGzip(tc.header); got != tc.want {
			t.Errorf("acceptsGzip(%q) = %v, want %v", tc.header, got, tc.want)
		}
	}
}
