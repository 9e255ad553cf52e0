package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// proc is a child process the command started and must stop: a server
// (innograph serve, node, virtuoso-t). It runs in its own process group,
// so that stopping it stops whatever it started, and on Linux it is killed
// if this command dies without stopping it.
type proc struct {
	name string
	cmd  *exec.Cmd
	log  *tail
	done chan struct{} // closed when the process has exited
	err  error         // Wait's error, once done is closed
}

// startProc starts argv in dir, its output going to logPath and to the
// process's tail (for error messages); lines also go to watch, if set,
// until it returns false.
func startProc(name, dir, logPath string, watch func(line string) bool, argv ...string) (*proc, error) {
	logFile, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Dir = dir
	cmd.SysProcAttr = childAttr()
	// stdin stays open until the process is stopped: the Oxigraph script
	// exits when it closes.
	stdin, err := cmd.StdinPipe()
	if err != nil {
		logFile.Close()
		return nil, err
	}
	pr, pw := io.Pipe()
	cmd.Stdout, cmd.Stderr = pw, pw
	p := &proc{name: name, cmd: cmd, log: &tail{}, done: make(chan struct{})}
	if err := cmd.Start(); err != nil {
		logFile.Close()
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	copied := make(chan struct{})
	go func() {
		defer close(copied)
		defer logFile.Close()
		sc := bufio.NewScanner(pr)
		sc.Buffer(make([]byte, 64<<10), 4<<20)
		for sc.Scan() {
			line := sc.Text()
			fmt.Fprintln(logFile, line)
			p.log.add(line)
			if watch != nil && !watch(line) {
				watch = nil
			}
		}
		io.Copy(io.Discard, pr)
	}()
	go func() {
		p.err = cmd.Wait()
		stdin.Close()
		pw.Close()
		<-copied
		close(p.done)
	}()
	return p, nil
}

// pid is the process id.
func (p *proc) pid() int { return p.cmd.Process.Pid }

// exited reports whether the process has ended.
func (p *proc) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// failure describes an unexpected exit, with the last lines of output.
func (p *proc) failure() error {
	return fmt.Errorf("%s exited (%v); its last output:\n%s", p.name, p.err, p.log.String())
}

// stop asks the process group to end (SIGTERM), waits up to grace and
// then kills it. Stopping an ended process does nothing.
func (p *proc) stop(grace time.Duration) {
	if p == nil || p.exited() {
		return
	}
	syscall.Kill(-p.pid(), syscall.SIGTERM)
	select {
	case <-p.done:
		return
	case <-time.After(grace):
	}
	syscall.Kill(-p.pid(), syscall.SIGKILL)
	<-p.done
}

// tail keeps the last lines a process wrote.
type tail struct {
	mu    sync.Mutex
	lines []string
}

func (t *tail) add(line string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.lines = append(t.lines, line)
	if len(t.lines) > 40 {
		t.lines = t.lines[len(t.lines)-20:]
	}
}

func (t *tail) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return strings.Join(t.lines[max(0, len(t.lines)-20):], "\n")
}

// memory is what /proc/PID/status says of a process's resident memory, in
// bytes: VmRSS (everything resident, a memory-mapped store file's pages
// included), RssAnon (anonymous memory only: heaps, buffers) and VmHWM
// (the peak of VmRSS since the process started).
type memory struct {
	RSS  int64 `json:"rss"`
	Anon int64 `json:"anon"`
	Peak int64 `json:"peak"`
}

// memoryOf reads /proc/pid/status.
func memoryOf(pid int) (memory, error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return memory{}, err
	}
	return parseStatus(data)
}

// parseStatus reads the memory fields of a /proc/PID/status document.
func parseStatus(data []byte) (memory, error) {
	var m memory
	found := 0
	for _, line := range bytes.Split(data, []byte("\n")) {
		name, rest, ok := strings.Cut(string(line), ":")
		if !ok {
			continue
		}
		var dst *int64
		switch name {
		case "VmRSS":
			dst = &m.RSS
		case "RssAnon":
			dst = &m.Anon
		case "VmHWM":
			dst = &m.Peak
		default:
			continue
		}
		f := strings.Fields(rest)
		if len(f) != 2 || f[1] != "kB" {
			return memory{}, fmt.Errorf("/proc status: %s: unexpected %q", name, rest)
		}
		kb, err := strconv.ParseInt(f[0], 10, 64)
		if err != nil {
			return memory{}, fmt.Errorf("/proc status: %s: %w", name, err)
		}
		*dst = kb * 1024
		found++
	}
	if found != 3 {
		return memory{}, errors.New("/proc status: VmRSS, RssAnon or VmHWM missing")
	}
	return m, nil
}

// freePort returns a TCP port on 127.0.0.1 that nothing listens on now.
func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// waitFor calls ready every 100 ms until it returns true, the process
// exits, ctx ends or limit passes.
func waitFor(ctx context.Context, p *proc, limit time.Duration, what string, ready func() bool) error {
	deadline := time.Now().Add(limit)
	for {
		if ready() {
			return nil
		}
		if p.exited() {
			return p.failure()
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s: not %s after %s; its last output:\n%s", p.name, what, limit, p.log.String())
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// loadAverage is the 1-minute load average of /proc/loadavg.
func loadAverage() float64 {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return -1
	}
	f := strings.Fields(string(data))
	if len(f) == 0 {
		return -1
	}
	v, err := strconv.ParseFloat(f[0], 64)
	if err != nil {
		return -1
	}
	return v
}
