// Command lumodash is a terminal dashboard for AI-agent sessions governed by LumoAuth. The
// commands are in internal/cli; the world they run in is built by internal/app.
package main

import (
	"context"
	"os"

	"github.com/lumodash/lumodash/internal/cli"
)

func main() {
	os.Exit(cli.Run(context.Background(), os.Args[1:],
		cli.IO{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv}))
}
