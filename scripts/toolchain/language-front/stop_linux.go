package main

import (
	"os/exec"
	"syscall"
)

// stopWithParent ends the host when this front is killed (the CLI kills language hosts it is done with).
func stopWithParent(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
