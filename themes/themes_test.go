package themes

import (
	"strings"
	"testing"
)

func TestLookup(t *testing.T) {
	for _, n := range append(Names(), "", "auto", "DARK") {
		p, err := Lookup(n)
		if err != nil {
			t.Fatalf("Lookup(%q): %v", n, err)
		}
		if p.Name == "" || p.Glamour == "" {
			t.Errorf("Lookup(%q) = incomplete palette %+v", n, p)
		}
	}
	_, err := Lookup("solarized")
	if err == nil || !strings.Contains(err.Error(), "high-contrast") {
		t.Fatalf("unknown theme error should list the choices, got %v", err)
	}
}

func TestNoColorHasNoColours(t *testing.T) {
	s := NewStyles(NoColor())
	out := s.Alarm.Render("denied")
	if strings.Contains(out, "38;") || strings.Contains(out, "48;") {
		t.Errorf("no-color rendered a colour: %q", out)
	}
	if !strings.Contains(NewStyles(Dark()).Alarm.Render("denied"), "38;") {
		t.Errorf("dark alarm should be coloured")
	}
}
