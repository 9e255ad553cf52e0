package main

import (
	"bytes"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"text/template"
	"time"
)

// nginxConf is a caching reverse proxy in front of the innograph servers,
// as docs/scale.md recommends: revalidation with If-None-Match, the cache
// status in X-Cache-Status, reads asking for a generation never answered
// from the cache.
var nginxConf = template.Must(template.New("nginx").Parse(`daemon off;
master_process off;
worker_processes 1;
pid {{.Dir}}/nginx.pid;
error_log {{.Dir}}/error.log warn;
events { worker_connections 256; }
http {
  access_log {{.Dir}}/access.log;
  client_body_temp_path {{.Dir}}/client_body;
  proxy_temp_path {{.Dir}}/proxy;
  fastcgi_temp_path {{.Dir}}/fastcgi;
  uwsgi_temp_path {{.Dir}}/uwsgi;
  scgi_temp_path {{.Dir}}/scgi;
  proxy_cache_path {{.Dir}}/cache levels=1:2 keys_zone=innograph:10m max_size=256m inactive=10m use_temp_path=off;
  upstream innograph {
{{- range .Upstreams}}
    server {{.}};
{{- end}}
    keepalive 16;
  }
  server {
    listen {{.Listen}};
    location / {
      proxy_pass http://innograph;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      proxy_cache innograph;
      proxy_cache_revalidate on;
      proxy_cache_lock on;
      proxy_cache_bypass $http_innograph_min_generation;
      proxy_no_cache $http_innograph_min_generation;
      add_header X-Cache-Status $upstream_cache_status always;
    }
  }
}
`))

// startNginx runs nginx in front of upstreams (host:port) and returns its
// base URL. It skips without nginx, and fails under CI=true.
func startNginx(t *testing.T, upstreams ...string) string {
	t.Helper()
	bin, err := exec.LookPath("nginx")
	if err != nil {
		if _, serr := os.Stat("/usr/sbin/nginx"); serr == nil {
			bin, err = "/usr/sbin/nginx", nil
		}
	}
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("nginx is needed under CI=true (apt-get install nginx)")
		}
		t.Skip("nginx not installed")
	}
	dir := t.TempDir()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	listen := ln.Addr().String()
	ln.Close()
	var conf bytes.Buffer
	if err := nginxConf.Execute(&conf, map[string]any{"Dir": dir, "Listen": listen, "Upstreams": upstreams}); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "nginx.conf"), conf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	cmd := exec.Command(bin, "-p", dir, "-c", filepath.Join(dir, "nginx.conf"), "-e", filepath.Join(dir, "error.log"))
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			cmd.Process.Kill()
			<-done
		}
	})
	base := "http://" + listen
	for start := time.Now(); ; time.Sleep(20 * time.Millisecond) {
		if c, err := net.Dial("tcp", listen); err == nil {
			c.Close()
			return base
		}
		if time.Since(start) > 10*time.Second {
			log, _ := os.ReadFile(filepath.Join(dir, "error.log"))
			t.Fatalf("nginx did not listen on %s within 10 s: %s\n%s", listen, out.String(), log)
		}
	}
}

// cacheStatus fetches url through nginx and returns the status, nginx's
// cache status and the body.
func cacheStatus(t *testing.T, url string, header map[string]string) (int, string, string) {
	t.Helper()
	if header == nil {
		header = map[string]string{}
	}
	if header["Accept"] == "" {
		header["Accept"] = "text/turtle"
	}
	resp, body := httpDo(t, "GET", url, header, "")
	return resp.StatusCode, resp.Header.Get("X-Cache-Status"), body
}

// TestNginxCache puts a real nginx, caching, in front of two innograph
// servers (a read-write one on the primary and a read-only one on the
// standby): a document fetched twice is a cache hit the second time; after
// a write, the first fetch past max-age revalidates and gets the new
// content; reads carrying a token are never cached. It also measures the
// hit ratio of a crawl over a few documents.
func TestNginxCache(t *testing.T) {
	primary, standby := replicaDSNs(t)
	const maxAge = 2 * time.Second
	args := []string{"-cache-max-age", maxAge.String(), "-cache-stale", "10s"}
	w := startServer(t, append([]string{"-backend", "postgres", "-dsn", primary, "-write-tokens", "w:" + scaleWriteSecret}, args...)...)
	waitReplayed(t, openDB(t, primary), openDB(t, standby))
	r := startServer(t, append([]string{"-backend", "postgres", "-dsn", standby, "-read-only", "-primary-url", w.url + "/"}, args...)...)
	proxy := startNginx(t, strings.TrimPrefix(w.url, "http://"), strings.TrimPrefix(r.url, "http://"))

	doc := proxy + replicaDoc
	code, first, body := cacheStatus(t, doc, nil)
	if code != 200 || first != "MISS" {
		t.Fatalf("first fetch through nginx = %d %s, want 200 MISS\n%.500s", code, first, body)
	}
	code, second, again := cacheStatus(t, doc, nil)
	if code != 200 || second != "HIT" || again != body {
		t.Errorf("second fetch = %d %s (same body: %v), want 200 HIT with the same body", code, second, again == body)
	}

	t.Run("a write is served once max-age has passed", func(t *testing.T) {
		note := "cached " + time.Now().Format(time.RFC3339Nano)
		wrote := time.Now()
		commentWrite(t, w.url, note)
		// Within max-age the cache may answer what it holds; past it,
		// never: it must ask a server, which has the write. nginx counts
		// freshness in whole seconds of its own clock (an entry is stale
		// once its expiry second is before the current one): one more
		// second.
		time.Sleep(time.Until(wrote.Add(maxAge + 1500*time.Millisecond)))
		code, status, body := cacheStatus(t, doc, nil)
		if code != 200 || !strings.Contains(body, note) {
			t.Fatalf("fetch %v after the write (max-age %v) = %d %s without the write: a stale answer", time.Since(wrote), maxAge, code, status)
		}
		if status != "EXPIRED" && status != "MISS" {
			t.Errorf("fetch past max-age = %s, want EXPIRED (revalidated, new content)", status)
		}
		if _, status, _ = cacheStatus(t, doc, nil); status != "HIT" {
			t.Errorf("the fetch after that = %s, want HIT on the new content", status)
		}
	})

	t.Run("unchanged documents revalidate with 304", func(t *testing.T) {
		other := proxy + "/doc/org/errin"
		resp, _ := httpDo(t, "GET", other, map[string]string{"Accept": "text/turtle"}, "")
		time.Sleep(maxAge + 1500*time.Millisecond)
		// Nothing was written since: both servers answer 304 to nginx's
		// If-None-Match, whichever one it asks.
		again, _ := httpDo(t, "GET", other, map[string]string{"Accept": "text/turtle"}, "")
		if status := again.Header.Get("X-Cache-Status"); again.StatusCode != 200 || status != "REVALIDATED" {
			t.Errorf("fetch past max-age of an unchanged document = %d %s (generation %s, before %s), want 200 REVALIDATED",
				again.StatusCode, status, again.Header.Get("Innograph-Generation"), resp.Header.Get("Innograph-Generation"))
		}
	})

	t.Run("authenticated reads are never cached", func(t *testing.T) {
		tok := map[string]string{"Authorization": "Bearer " + scaleWriteSecret}
		for i := 0; i < 3; i++ {
			code, status, _ := cacheStatus(t, proxy+"/doc/org/euha", tok)
			if code != 200 || status == "HIT" {
				t.Errorf("authenticated fetch %d = %d %s, want 200 from a server", i+1, code, status)
			}
		}
		if _, status, _ := cacheStatus(t, proxy+"/doc/org/euha", nil); status == "HIT" {
			t.Errorf("an anonymous fetch after authenticated ones = HIT: the cache kept an authenticated answer")
		}
	})

	t.Run("hit ratio", func(t *testing.T) {
		// A crawler's pattern: a few documents, fetched again and again.
		docs := []string{"region/dk04", "org/errin", "org/euha", "org/european-commission", "org/force-technology", "project/resist", "strategy/samspil-2030", "person/dorte-stigaard"}
		hits, total := 0, 0
		for round := 0; round < 10; round++ {
			for _, d := range docs {
				code, status, _ := cacheStatus(t, proxy+"/doc/"+d, map[string]string{"Accept": "application/n-quads"})
				if code >= 500 {
					t.Fatalf("GET /doc/%s through nginx = %d", d, code)
				}
				total++
				if status == "HIT" {
					hits++
				}
			}
		}
		t.Logf("nginx cache: %d of %d fetches were hits (%.0f%%), %d documents, 10 rounds within max-age %v", hits, total, 100*float64(hits)/float64(total), len(docs), maxAge)
		if hits < total-len(docs)*2 {
			t.Errorf("%d hits of %d, want at least %d", hits, total, total-len(docs)*2)
		}
	})
}
