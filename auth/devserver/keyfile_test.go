package devserver

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

func startWithKey(t testing.TB, addr, keyFile string) *Server {
	t.Helper()
	var opts []Option
	if keyFile != "" {
		opts = append(opts, WithKeyFile(keyFile))
	}
	s, err := Start(DefaultConfig(), addr, opts...)
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	return s
}

// A restart with the stored key (same address, as `serve` restarts) still accepts the tokens
// issued before it; an ephemeral key does not.
func TestKeyFileKeepsTokensVerifiableAcrossRestarts(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "state", "lumodash", KeyFileName)
	first := startWithKey(t, "127.0.0.1:0", path)
	addr := strings.TrimPrefix(first.URL(), "http://")
	tok := tokenFor(t, first, "research-analyst")
	kid := first.KeyID()
	_ = first.Close()
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v mode %v", err, fi.Mode())
	}
	if fi, err := os.Stat(filepath.Dir(path)); err != nil || fi.Mode().Perm() != 0o700 {
		t.Fatalf("key directory: %v mode %v", err, fi.Mode())
	}

	again := startWithKey(t, addr, path)
	if again.KeyID() != kid {
		t.Errorf("kid %s after restart, was %s", again.KeyID(), kid)
	}
	if r := callJSON(t, "GET", api(again)+"/oauth/userinfo", tok, nil); r.status != 200 {
		t.Errorf("token issued before the restart = %d %v", r.status, r.body)
	}
	_ = again.Close()

	ephemeral := startWithKey(t, addr, "")
	defer ephemeral.Close()
	if ephemeral.KeyID() == kid {
		t.Error("an ephemeral start reused the stored key")
	}
	wantError(t, callJSON(t, "GET", api(ephemeral)+"/oauth/userinfo", tok, nil), 401, "invalid_token", "not a JWT signed by this server")
}

func writeKey(t *testing.T, path string, block *pem.Block, mode os.FileMode) {
	t.Helper()
	if err := os.WriteFile(path, pem.EncodeToMemory(block), mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil {
		t.Fatal(err)
	}
}

func TestKeyFileRefusesWhatItCannotTrust(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Unix file modes")
	}
	dir := t.TempDir()
	good := filepath.Join(dir, "good.pem")
	startWithKey(t, "127.0.0.1:0", good).Close()
	data, _ := os.ReadFile(good)
	block, _ := pem.Decode(data)

	small, _ := rsa.GenerateKey(rand.Reader, 1024)
	ec, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	ecDER, _ := x509.MarshalPKCS8PrivateKey(ec)
	cases := map[string]struct {
		prepare func(path string)
		mention string
	}{
		"group readable": {func(p string) { writeKey(t, p, block, 0o640) }, "chmod 600"},
		"world readable": {func(p string) { writeKey(t, p, block, 0o604) }, "others may read it"},
		"garbage":        {func(p string) { _ = os.WriteFile(p, []byte("not a key\n"), 0o600) }, "not a valid key"},
		"1024-bit RSA": {func(p string) {
			writeKey(t, p, &pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(small)}, 0o600)
		}, "at least 2048 bits"},
		"EC key":   {func(p string) { writeKey(t, p, &pem.Block{Type: "PRIVATE KEY", Bytes: ecDER}, 0o600) }, "want RSA"},
		"symlink":  {func(p string) { _ = os.Symlink(good, p) }, "symbolic link"},
		"a folder": {func(p string) { _ = os.Mkdir(p, 0o700) }, "not a regular file"},
	}
	for name, tc := range cases {
		path := filepath.Join(dir, strings.ReplaceAll(name, " ", "-")+".pem")
		tc.prepare(path)
		_, err := Start(DefaultConfig(), "127.0.0.1:0", WithKeyFile(path))
		if err == nil || !strings.Contains(err.Error(), tc.mention) || !strings.Contains(err.Error(), path) {
			t.Errorf("%s: err = %v, want it to name the file and say %q", name, err, tc.mention)
		}
		if kerr := (*KeyFileError)(nil); !errors.As(err, &kerr) || kerr.Path != path {
			t.Errorf("%s: err = %#v, want a *KeyFileError for %s (callers fall back to an ephemeral key on it)", name, err, path)
		}
	}
	open := filepath.Join(dir, "shared")
	_ = os.Mkdir(open, 0o777)
	_ = os.Chmod(open, 0o777)
	if _, err := Start(DefaultConfig(), "127.0.0.1:0", WithKeyFile(filepath.Join(open, KeyFileName))); err == nil || !strings.Contains(err.Error(), "chmod 700") {
		t.Errorf("world-writable directory: %v", err)
	}
}

func TestDefaultKeyFile(t *testing.T) {
	env := func(kv map[string]string) func(string) string { return func(k string) string { return kv[k] } }
	if p, err := DefaultKeyFile(env(map[string]string{"XDG_STATE_HOME": "/xdg", "HOME": "/home/u"})); err != nil || p != filepath.Join("/xdg", "lumodash", KeyFileName) {
		t.Errorf("XDG: %q %v", p, err)
	}
	// A relative XDG_STATE_HOME is invalid by the XDG spec and ignored.
	if p, err := DefaultKeyFile(env(map[string]string{"XDG_STATE_HOME": "rel", "HOME": "/home/u"})); err != nil || p != filepath.Join("/home/u", ".local", "state", "lumodash", KeyFileName) {
		t.Errorf("HOME: %q %v", p, err)
	}
	if runtime.GOOS != "windows" {
		if _, err := DefaultKeyFile(env(nil)); err == nil || !strings.Contains(err.Error(), "ephemeral") {
			t.Errorf("no home: %v", err)
		}
	}
}

// BenchmarkStartKey alternates a start with the stored key and one that generates its key,
// so both see the same load, and reports the ratio (issue 16 item 1).
func BenchmarkStartKey(b *testing.B) {
	path := filepath.Join(b.TempDir(), KeyFileName)
	startWithKey(b, "127.0.0.1:0", path).Close() // make the stored key
	var stored, generated time.Duration
	for b.Loop() {
		t0 := time.Now()
		startWithKey(b, "127.0.0.1:0", path).Close()
		t1 := time.Now()
		startWithKey(b, "127.0.0.1:0", "").Close()
		stored, generated = stored+t1.Sub(t0), generated+time.Since(t1)
	}
	b.ReportMetric(float64(stored.Microseconds())/float64(b.N), "stored-µs/start")
	b.ReportMetric(float64(generated.Microseconds())/float64(b.N), "generated-µs/start")
	b.ReportMetric(float64(generated)/float64(stored), "generated/stored")
}
