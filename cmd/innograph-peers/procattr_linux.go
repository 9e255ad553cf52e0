package main

import "syscall"

// childAttr puts a child in its own process group and has the kernel kill
// it should this command die without stopping it.
func childAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}
