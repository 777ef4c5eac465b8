package cli

import (
	"os"
	"syscall"
)

// stopSignals end a session cleanly (the request cancelled, the transcript closed with
// session.finish): Ctrl+C, a kill, and the terminal going away (SIGHUP: a closed window or a
// dropped SSH connection), which would otherwise end the process at once.
var stopSignals = []os.Signal{os.Interrupt, syscall.SIGTERM, syscall.SIGHUP}
