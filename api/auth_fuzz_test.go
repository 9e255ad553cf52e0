package api_test

import (
	"strings"
	"testing"

	"github.com/innograph/innograph/api"
)

// FuzzParseTokens: token lists never panic the parser, and an error never
// repeats a secret.
func FuzzParseTokens(f *testing.F) {
	f.Add("alice:" + writeSecret + ",bob:" + readSecret)
	f.Add("# comment\n" + writeSecret + "\n\n")
	f.Add("a:short,:" + writeSecret)
	f.Fuzz(func(t *testing.T, list string) {
		toks, err := api.ParseTokens(list)
		if err != nil {
			for _, entry := range strings.FieldsFunc(list, func(r rune) bool { return r == ',' || r == '\n' }) {
				_, secret, _ := strings.Cut(strings.TrimSpace(entry), ":")
				if len(secret) >= 8 && strings.Contains(err.Error(), secret) {
					t.Fatalf("error %q repeats a secret", err)
				}
			}
			return
		}
		ids := map[string]bool{}
		for _, tok := range toks {
			if tok.ID == "" || ids[tok.ID] {
				t.Fatalf("token id %q empty or repeated", tok.ID)
			}
			ids[tok.ID] = true
		}
	})
}
