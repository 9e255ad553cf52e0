package api

import (
	"bufio"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
)

// Token is one bearer token as the server holds it: an id for the audit log
// and the SHA-256 of the secret. The secret itself is never kept.
type Token struct {
	ID   string
	Hash [sha256.Size]byte
}

// minSecretLen is the shortest secret ParseTokens accepts: a token short
// enough to guess is no protection.
const minSecretLen = 16

// ParseTokens reads a token list: entries separated by commas or new lines,
// each "id:secret" or a bare secret (whose id is then the first 8 hex digits
// of its hash). Blank entries and lines starting with '#' are skipped. It
// returns an error naming the entry by position (never echoing it) for a
// secret shorter than 16 bytes, an id with characters other than letters,
// digits, '-', '_' and '.', or a repeated id.
func ParseTokens(list string) ([]Token, error) {
	var out []Token
	seen := make(map[string]bool)
	n := 0
	sc := bufio.NewScanner(strings.NewReader(list))
	sc.Buffer(make([]byte, 4096), 1<<20)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(line, "#") {
			continue
		}
		for _, entry := range strings.Split(line, ",") {
			entry = strings.TrimSpace(entry)
			if entry == "" {
				continue
			}
			n++
			id, secret, named := strings.Cut(entry, ":")
			if !named {
				id, secret = "", entry
			}
			if len(secret) < minSecretLen {
				return nil, fmt.Errorf("token %d: secret shorter than %d characters", n, minSecretLen)
			}
			tok := Token{Hash: sha256.Sum256([]byte(secret))}
			if id == "" {
				id = hex.EncodeToString(tok.Hash[:4])
			}
			if !validTokenID(id) {
				// The id is not echoed: with a mistyped entry it may be part of a secret.
				return nil, fmt.Errorf("token %d: the id before ':' may only hold letters, digits, '-', '_' and '.' (at most 64)", n)
			}
			if seen[id] {
				return nil, fmt.Errorf("token %d: its id is used by an earlier token", n)
			}
			seen[id] = true
			tok.ID = id
			out = append(out, tok)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read tokens: %w", err)
	}
	return out, nil
}

// ReadTokens is ParseTokens over a reader, such as a tokens file.
func ReadTokens(r io.Reader) ([]Token, error) {
	b, err := io.ReadAll(io.LimitReader(r, 1<<20))
	if err != nil {
		return nil, fmt.Errorf("read tokens: %w", err)
	}
	return ParseTokens(string(b))
}

func validTokenID(id string) bool {
	if len(id) > 64 {
		return false
	}
	for _, c := range id {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '-', c == '_', c == '.':
		default:
			return false
		}
	}
	return true
}

// match returns the id of the token whose hash equals the hash of secret.
// Every configured token is compared, in constant time, so the time taken
// says nothing about which token or how much of it matched.
func match(tokens []Token, secret string) (string, bool) {
	h := sha256.Sum256([]byte(secret))
	found := -1
	for i := range tokens {
		if subtle.ConstantTimeCompare(h[:], tokens[i].Hash[:]) == 1 {
			found = i
		}
	}
	if found < 0 {
		return "", false
	}
	return tokens[found].ID, true
}

// tokenIDKey holds the id of the token that authenticated a request.
const tokenIDKey = "token_id"

// bearer extracts the token of an "Authorization: Bearer" header.
func bearer(c *gin.Context) (string, bool) {
	h := c.GetHeader("Authorization")
	scheme, tok, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	tok = strings.TrimSpace(tok)
	return tok, tok != ""
}

// unauthorized is the 401 for a missing or unknown token (RFC 6750).
func unauthorized(detail, errCode string) error {
	challenge := `Bearer realm="innograph"`
	if errCode != "" {
		challenge += `, error="` + errCode + `"`
	}
	return &httpError{status: http.StatusUnauthorized, detail: detail,
		header: map[string]string{"WWW-Authenticate": challenge}}
}

// authenticate checks the request's bearer token against tokens and records
// the token id. Write tokens are accepted for reads too.
func (s *Server) authenticate(c *gin.Context, tokens []Token, what string) error {
	secret, ok := bearer(c)
	if !ok {
		if c.GetHeader("Authorization") != "" {
			return unauthorized(what+" need an \"Authorization: Bearer <token>\" header; this one has another scheme or no token", "invalid_request")
		}
		return unauthorized(what+" need an \"Authorization: Bearer <token>\" header", "")
	}
	id, ok := match(tokens, secret)
	if !ok {
		return unauthorized("the bearer token is not one configured for "+what, "invalid_token")
	}
	c.Set(tokenIDKey, id)
	return nil
}

// requireWrite guards every write route. With no write token configured,
// writes are off: 403 saying how to turn them on, never an open door.
func (s *Server) requireWrite(c *gin.Context) {
	if err := s.authorizeWrite(c); err != nil {
		s.writeError(c, err)
		return
	}
	c.Next()
}

// authorizeWrite is requireWrite's check, for a handler that only knows
// once it has read the request whether it writes (a SPARQL update).
func (s *Server) authorizeWrite(c *gin.Context) error {
	if s.cfg.ReadOnly {
		return s.readOnlyError(c)
	}
	if len(s.cfg.WriteTokens) == 0 {
		return &httpError{status: http.StatusForbidden,
			detail: "writes are disabled on this server: start it with INNOGRAPH_WRITE_TOKENS=id:secret (comma-separated) or INNOGRAPH_WRITE_TOKENS_FILE=path to enable them"}
	}
	return s.authenticate(c, s.cfg.WriteTokens, "writes")
}
