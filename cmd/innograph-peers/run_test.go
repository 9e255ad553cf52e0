package main

import (
	"io"
	"strings"
	"testing"
)

func TestParseConfig(t *testing.T) {
	getenv := func(string) string { return "" }
	cases := []struct {
		args []string
		err  string // "" for none
	}{
		{nil, ""},
		{[]string{"-quads", "1000000", "-clients", "1,8", "-load-reps", "3"}, ""},
		{[]string{"-systems", "innograph,innograph-sparql,oxigraph"}, ""},
		{[]string{"-systems", "oxigraph,virtuoso", "-questions", "shortest"}, ""},
		{[]string{"-systems", "innograph,jena"}, `unknown system "jena"`},
		{[]string{"-systems", "oxigraph,oxigraph"}, "oxigraph twice"},
		{[]string{"-systems", "innograph-sparql,oxigraph"}, "needs innograph"},
		{[]string{"-questions", "pairs"}, `unknown question "pairs"`},
		{[]string{"-clients", "1,zero"}, `"zero" is not a positive number`},
		{[]string{"-quads", "100"}, "at least 1300"},
		{[]string{"-reps", "0"}, "at least 1"},
		{[]string{"extra"}, "unexpected arguments"},
	}
	for _, c := range cases {
		cfg, err := parseConfig(c.args, getenv, io.Discard)
		switch {
		case c.err == "" && err != nil:
			t.Errorf("parseConfig(%q): %v", c.args, err)
		case c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)):
			t.Errorf("parseConfig(%q) = %v, want an error saying %q", c.args, err, c.err)
		case c.err == "" && (len(cfg.systems) == 0 || len(cfg.questions) == 0 || len(cfg.clients) == 0):
			t.Errorf("parseConfig(%q) = %+v: no systems, questions or clients", c.args, cfg)
		}
	}
	cfg, _ := parseConfig(nil, func(k string) string {
		if k == "TMPDIR" {
			return "/scratch"
		}
		return ""
	}, io.Discard)
	if cfg.dir != "/scratch/innograph-peers" || strings.Join(cfg.systems, ",") != "innograph,oxigraph,virtuoso" || cfg.inputs != 50 || cfg.reps != 6 {
		t.Errorf("defaults: %+v", cfg)
	}
}
