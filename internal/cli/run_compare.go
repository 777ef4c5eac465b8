package cli

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"

	"github.com/lumodash/lumodash/internal/app"
	"github.com/lumodash/lumodash/internal/present"
	"github.com/lumodash/lumodash/session"
)

// compareSide is one of the two sessions `run --compare` runs at once.
type compareSide struct {
	agent   string
	runner  *app.Runner
	out     *labelWriter // plain output, nil with --json
	outcome session.Outcome
	err     error // the session could not be built
}

// runCompare runs prompt as both agents at once, each session on a bus of its own, and ends
// with the worse of the two outcomes' exit codes (worseExit).
func runCompare(ctx context.Context, s app.Settings, asJSON bool, value string, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	agents, err := app.ParseCompare(value)
	if err != nil {
		return worldError(err)
	}
	prompt, err := readPrompt(args, stdin)
	if err != nil {
		return withCode(ExitConfig, err)
	}
	w, err := app.Open(ctx, s, app.ScopeSessions)
	if err != nil {
		return worldError(err)
	}
	defer w.Close()
	if err := w.CheckCompare(agents); err != nil {
		return worldError(err)
	}
	stderr = printTelemetryNotices(w, stderr)
	printNotices(stderr, w)
	out := &syncWriter{w: stdout}
	escalations := app.CompareEscalations(app.HeadlessEscalation(stdin, stderr), agents, stderr)
	width := max(len(agents[0]), len(agents[1]))
	sides := make([]*compareSide, 2)
	for i, agent := range agents {
		side := &compareSide{agent: agent}
		bus := w.NewSideBus()
		var printer session.Sink
		if asJSON {
			printer = session.NewJSONPrinter(out)
		} else {
			side.out = &labelWriter{label: fmt.Sprintf("%-*s │ ", width, agent), w: out}
			printer = present.NewPlainPrinter(side.out)
		}
		unsubscribe := bus.Subscribe(session.StampAgent(printer, agent))
		defer unsubscribe()
		side.runner, side.err = w.NewRunnerOn(bus, escalations[i], agent)
		sides[i] = side
	}
	var wg sync.WaitGroup
	for _, side := range sides {
		if side.err != nil {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			side.outcome = askOnce(ctx, side.runner, prompt)
		}()
	}
	wg.Wait()
	return endCompare(w, sides, asJSON, stderr)
}

// endCompare closes both sessions, says each one's outcome on stderr and returns the worse.
func endCompare(w *app.World, sides []*compareSide, asJSON bool, stderr io.Writer) error {
	var worst error
	for _, side := range sides {
		err := side.err
		if err != nil {
			err = worldError(err)
		} else {
			err = outcomeError(side.outcome)
			if closeErr := side.runner.Close(); err == nil && closeErr != nil {
				err = withCode(ExitError, fmt.Errorf("writing the transcript: %w", closeErr))
			}
			if side.out != nil {
				side.out.flush()
			}
			if !asJSON {
				fmt.Fprintf(stderr, "transcript (%s): %s\n", side.agent, side.runner.TranscriptPath())
			}
		}
		what := string(side.outcome)
		if side.err != nil {
			what = "not started"
		}
		fmt.Fprintf(stderr, "outcome (%s): %s, exit %d\n", side.agent, what, codeOf(err))
		if err != nil && worseExit(codeOf(err), codeOf(worst)) {
			worst = withCode(codeOf(err), fmt.Errorf("%s: %w", side.agent, err))
		}
	}
	endTelemetry(w, stderr)
	return worst
}

// codeOf is err's exit code, ExitOK for nil.
func codeOf(err error) int {
	if err == nil {
		return ExitOK
	}
	return exitCode(err)
}

// worseExit reports whether exit code a is worse than b in exitSeverity's order (a code not
// listed counts as the unexpected failure it is).
func worseExit(a, b int) bool { return severity(a) < severity(b) }

// severityHelp is exitSeverity as a list, worst first.
func severityHelp() string {
	codes := make([]string, len(exitSeverity))
	for i, c := range exitSeverity {
		codes[i] = strconv.Itoa(c)
	}
	return strings.Join(codes, ", ")
}

func severity(code int) int {
	for i, c := range exitSeverity {
		if c == code {
			return i
		}
	}
	return severity(ExitError)
}

// labelWriter writes whole lines, each after its label, so that two sessions printing at
// once into one stream never split each other's lines; a line still streaming is held back.
type labelWriter struct {
	label string
	w     io.Writer // whole lines go out in one Write each
	mu    sync.Mutex
	line  []byte
}

func (l *labelWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, b := range p {
		l.line = append(l.line, b)
		if b == '\n' {
			if err := l.emit(); err != nil {
				return 0, err
			}
		}
	}
	return len(p), nil
}

// emit writes the line held (a newline is added if it lacks one).
func (l *labelWriter) emit() error {
	if len(l.line) == 0 {
		return nil
	}
	if l.line[len(l.line)-1] != '\n' {
		l.line = append(l.line, '\n')
	}
	_, err := l.w.Write(append([]byte(l.label), l.line...))
	l.line = l.line[:0]
	return err
}

// flush writes what is left of an unfinished line.
func (l *labelWriter) flush() {
	l.mu.Lock()
	defer l.mu.Unlock()
	_ = l.emit()
}
