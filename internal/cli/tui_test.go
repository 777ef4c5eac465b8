package cli

import (
	"strings"
	"testing"
)

func TestPrintTranscriptsNamesEachSessionAndHowToReplayIt(t *testing.T) {
	var b strings.Builder
	printTranscripts(&b, []string{"/s/a.jsonl", "", "/s/b.jsonl"})
	out := b.String()
	for _, want := range []string{"transcript: /s/a.jsonl\n", "transcript: /s/b.jsonl\n", "lumodash replay", "lumodash export"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Count(out, "transcript:") != 2 {
		t.Errorf("an empty path was printed:\n%s", out)
	}
	b.Reset()
	printTranscripts(&b, nil)
	if b.Len() != 0 {
		t.Errorf("printed %q with no transcripts", b.String())
	}
}
