package ontology

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// spelling is the one transliteration table of the service, for the
// letters that lose more than a mark when folded: how minted IRIs (Slug)
// and search (Fold) spell them in ASCII. With german, ä, ö and ü are
// spelled ae, oe and ue; without, they fold to a, o and u like any other
// letter with a mark. It returns "" for every other rune.
func spelling(r rune, german bool) string {
	switch r {
	case 'æ':
		return "ae"
	case 'ø', 'œ':
		return "oe"
	case 'å':
		return "aa"
	case 'ß':
		return "ss"
	// Letters with a stroke or without a dot: Unicode gives them no
	// decomposition to drop a mark from.
	case 'đ', 'ð':
		return "d"
	case 'ħ':
		return "h"
	case 'ı':
		return "i"
	case 'ł', 'ŀ':
		return "l"
	case 'ŧ':
		return "t"
	}
	if german {
		switch r {
		case 'ä':
			return "ae"
		case 'ö':
			return "oe"
		case 'ü':
			return "ue"
		}
	}
	return ""
}

// foldRune appends the folded form of the lower-case rune r to b: ASCII as
// it is, the letters of spelling spelled out, any other Latin letter
// decomposed (NFD) without its combining marks, so é is e and ǹ is n.
func foldRune(b *strings.Builder, r rune, german bool) {
	if r < 0x80 {
		b.WriteRune(r)
		return
	}
	if s := spelling(r, german); s != "" {
		b.WriteString(s)
		return
	}
	switch {
	case unicode.Is(unicode.Mn, r):
		return // a combining mark of text already decomposed
	case !unicode.Is(unicode.Latin, r):
		b.WriteRune(r) // a letter of another script, marks and all
		return
	}
	for _, d := range norm.NFD.String(string(r)) {
		if !unicode.Is(unicode.Mn, d) {
			b.WriteRune(d)
		}
	}
}

// Fold prepares text for search: lower case, æ, ø, å, œ and ß spelled out
// (ae, oe, aa, oe, ss), letters with a stroke as their base letter (ł as
// l), and every other diacritic of a Latin letter dropped (é as e; ä, ö and ü as a, o and u,
// or, with german, as ae, oe and ue), so that "Tvaerspor" finds
// "Tværspor" and "Thueringen" finds "Thüringen" when both spellings are
// tried. Other characters are kept.
func Fold(s string, german bool) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range strings.ToLower(s) {
		foldRune(&b, r, german)
	}
	return b.String()
}
