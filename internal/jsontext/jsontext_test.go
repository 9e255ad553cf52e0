package jsontext

import (
	"encoding/json"
	"testing"
)

// TestAppendString checks the string escaping against
// encoding/json's.
func TestAppendString(t *testing.T) {
	for _, s := range []string{"", "plain", `q"uo\te`, "tab\tnew\nline\r", "\x00\x1f\x7f", "<a href='x'>&</a>",
		"Århus ø ß 日本", "\u2028\u2029", "bad \xff utf8 \xe2\x82", "https://w3id.org/innograph/id/org/x?y=1#z"} {
		want, _ := json.Marshal(s)
		if got := AppendString(nil, s); string(got) != string(want) {
			t.Errorf("AppendString(%q) = %s, want %s", s, got, want)
		}
	}
	for c := range 256 { // every byte alone, and amid plain text
		for _, s := range []string{string([]byte{byte(c)}), "a" + string([]byte{byte(c)}) + "b"} {
			want, _ := json.Marshal(s)
			if got := AppendString(nil, s); string(got) != string(want) {
				t.Errorf("AppendString(%q) = %s, want %s", s, got, want)
			}
		}
	}
}
