package rdfio

import (
	"errors"
	"io"
)

// newJSONLDReader is a placeholder until jsonld_read.go lands; delete this
// file then.
func newJSONLDReader(r io.Reader, opt ReadOptions) (Reader, error) {
	return nil, errors.New("rdfio: JSON-LD reader not implemented yet")
}
