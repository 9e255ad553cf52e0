package graph

import "github.com/innograph/innograph/ontology"

// Fold prepares text for search: lower case, the Nordic letters spelled
// out (æ as ae, ø as oe, å as aa, ß as ss) and every other diacritic of a
// Latin letter dropped (é as e, ü as u), so "Tvaerspor" finds "Tværspor"
// and "aarhus universitet" finds "Aarhus Universitet". Labels are also
// matched in the German spelling (ü as ue), see foldGerman. The table is
// the one minted IRIs use (ontology.Fold).
func Fold(s string) string { return ontology.Fold(s, false) }

// foldGerman is Fold with ä, ö and ü spelled ae, oe and ue, so that
// "Thueringen" finds "Thüringen" as well as "Thuringen" does.
func foldGerman(s string) string { return ontology.Fold(s, true) }
