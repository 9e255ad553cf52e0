package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// docBlock is one ```sh block of a document.
type docBlock struct {
	file string
	line int
	text string
}

// shBlocks returns the ```sh blocks of the README and of docs/*.md.
func shBlocks(t *testing.T) []docBlock {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join("..", "..", "docs", "*.md"))
	files = append([]string{filepath.Join("..", "..", "README.md")}, files...)
	var out []docBlock
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var cur *docBlock
		for i, line := range strings.Split(string(data), "\n") {
			switch {
			case cur == nil && strings.TrimSpace(line) == "```sh":
				cur = &docBlock{file: filepath.Base(f), line: i + 1}
			case cur != nil && strings.TrimSpace(line) == "```":
				out = append(out, *cur)
				cur = nil
			case cur != nil:
				cur.text += line + "\n"
			}
		}
	}
	return out
}

// startsServer matches the lines of an example that build or start the
// program (the test runs the server itself).
var startsServer = regexp.MustCompile(`^\s*(INNOGRAPH_\w+=\S+\s+)*go (run|test|build)\b`)

// TestDocExamples runs every shell example of the README and docs/ that
// talks to the server, verbatim but for the address (localhost:8080 becomes
// the test server's), against the real server with the seed graph and the
// write tokens the examples use, from a directory holding docs/examples.
// Every request must succeed, except in an example that shows the problem
// it gets (it mentions "problems/"), whose requests must fail with a 4xx.
func TestDocExamples(t *testing.T) {
	if _, err := exec.LookPath("curl"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("curl is required under CI: %v", err)
		}
		t.Skip("curl not installed")
	}
	srv := startServer(t, "-data", filepath.Join(t.TempDir(), "data"), "-gizmo",
		"-write-tokens", "alice:a-secret-of-16-chars+,bob:s3cret-at-least-16-chars")
	addr := strings.TrimPrefix(srv.url, "http://")
	work := t.TempDir()
	if err := os.MkdirAll(filepath.Join(work, "docs", "examples"), 0o700); err != nil {
		t.Fatal(err)
	}
	examples, _ := filepath.Glob(filepath.Join("..", "..", "docs", "examples", "*"))
	for _, f := range examples {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(work, "docs", "examples", filepath.Base(f)), data, 0o600)
	}
	status := regexp.MustCompile(`(?m)^HTTP (\d{3})$`)
	assign := regexp.MustCompile(`^[A-Z]\w*=`)
	ran := 0
	vars := map[string]string{} // a document's variables (B=...), set by earlier blocks
	for _, b := range shBlocks(t) {
		var lines []string
		for _, l := range strings.Split(b.text, "\n") {
			if startsServer.MatchString(l) {
				continue
			}
			lines = append(lines, l)
			if assign.MatchString(l) && !strings.Contains(l, "$(") {
				vars[b.file] += l + "\n"
			}
		}
		script := strings.Join(lines, "\n")
		if !strings.Contains(script, "curl ") {
			continue
		}
		script = vars[b.file] + script
		script = strings.NewReplacer("localhost:8080", addr, "127.0.0.1:8080", addr).Replace(script)
		name := b.file + ":" + itoa(b.line)
		t.Run(name, func(t *testing.T) {
			cmd := exec.Command("bash", "-c", "set -eo pipefail\ncurl() { command curl -w '%{stderr}HTTP %{http_code}\\n' \"$@\"; }\n"+script)
			cmd.Dir = work
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			if err := cmd.Run(); err != nil {
				t.Fatalf("example failed: %v\n%s\nstderr:\n%s", err, script, stderr.String())
			}
			codes := status.FindAllStringSubmatch(stderr.String(), -1)
			if len(codes) == 0 {
				t.Fatalf("example made no request:\n%s\n%s", script, stderr.String())
			}
			wantError := strings.Contains(b.text, "problems/")
			for _, c := range codes {
				ok := c[1] >= "200" && c[1] < "400"
				if wantError {
					ok = c[1] >= "400" && c[1] < "500"
				}
				if !ok {
					t.Errorf("a request answered %s:\n%s\noutput:\n%.2000s", c[1], script, stdout.String())
				}
			}
		})
		ran++
	}
	if ran < 10 {
		t.Errorf("only %d examples ran", ran)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
