package privatefile

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCreateIsPrivateAndRefusesLinksAndSpecialFiles(t *testing.T) {
	dir := t.TempDir()
	existing := filepath.Join(dir, "report.md")
	if err := os.WriteFile(existing, []byte("old content"), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := Create(existing)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = f.WriteString("new")
	f.Close()
	if st, _ := os.Stat(existing); st.Mode().Perm() != 0o600 {
		t.Errorf("existing file mode %v, want 0600", st.Mode().Perm())
	}
	if b, _ := os.ReadFile(existing); string(b) != "new" {
		t.Errorf("not truncated: %q", b)
	}
	link := filepath.Join(dir, "link.md")
	if err := os.Symlink(existing, link); err != nil {
		t.Fatal(err)
	}
	if _, err := Create(link); err == nil || !strings.Contains(err.Error(), "symbolic link") {
		t.Errorf("a link: %v", err)
	}
	if _, err := Create(dir); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("a directory: %v", err)
	}
}
