package devserver

import (
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
)

// KeyFileName is the signing key's file name in lumodash's state directory.
const KeyFileName = "devserver-signing-key.pem"

// DefaultKeyFile is where the embedded server keeps its signing key for the user:
// $XDG_STATE_HOME/lumodash/devserver-signing-key.pem, by default under ~/.local/state
// (%LOCALAPPDATA% on Windows). getenv reads the environment (os.Getenv; tests pass their own).
func DefaultKeyFile(getenv func(string) string) (string, error) {
	if dir := getenv("XDG_STATE_HOME"); filepath.IsAbs(dir) {
		return filepath.Join(dir, "lumodash", KeyFileName), nil
	}
	if runtime.GOOS == "windows" {
		if dir := getenv("LOCALAPPDATA"); dir != "" {
			return filepath.Join(dir, "lumodash", KeyFileName), nil
		}
	}
	home := getenv("HOME")
	if home == "" {
		return "", errors.New("no state directory for the signing key: neither XDG_STATE_HOME nor HOME is set (or ask for an ephemeral key)")
	}
	return filepath.Join(home, ".local", "state", "lumodash", KeyFileName), nil
}

// keyFromFile reads the RSA key in path, or makes one there when the file does not exist.
// A key file others may read, a link, or anything but a valid RSA key ≥ 2048 bits is refused
// with what to do: such a key could have been read (tokens forged) or replaced.
func keyFromFile(path string) (*rsa.PrivateKey, error) {
	fi, err := os.Lstat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return createKeyFile(path)
	}
	if err != nil {
		return nil, fmt.Errorf("signing key %s: %w", path, err)
	}
	switch {
	case fi.Mode()&fs.ModeSymlink != 0:
		return nil, fmt.Errorf("signing key %s is a symbolic link; lumodash only uses a regular file it made: remove the link and a new key is made", path)
	case !fi.Mode().IsRegular():
		return nil, fmt.Errorf("signing key %s is not a regular file", path)
	case othersMayAccess(fi.Mode()):
		return nil, fmt.Errorf("signing key %s has mode %04o: others may read it, and whoever reads it can forge tokens; run chmod 600 %s (or delete it to get a new key)",
			path, fi.Mode().Perm(), path)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("signing key %s: %w", path, err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, 64<<10))
	if err != nil {
		return nil, fmt.Errorf("signing key %s: %w", path, err)
	}
	priv, err := parseKeyPEM(data)
	if err != nil {
		return nil, fmt.Errorf("signing key %s is not a valid key (%v); delete it and a new one is made on the next start", path, err)
	}
	return priv, nil
}

// othersMayAccess says whether group or others have any permission (Unix modes only).
func othersMayAccess(m fs.FileMode) bool { return runtime.GOOS != "windows" && m.Perm()&0o077 != 0 }

func parseKeyPEM(data []byte) (*rsa.PrivateKey, error) {
	block, _ := pem.Decode(data)
	if block == nil {
		return nil, errors.New("no PEM block")
	}
	var key any
	var err error
	switch block.Type {
	case "PRIVATE KEY":
		key, err = x509.ParsePKCS8PrivateKey(block.Bytes)
	case "RSA PRIVATE KEY":
		key, err = x509.ParsePKCS1PrivateKey(block.Bytes)
	default:
		return nil, fmt.Errorf("PEM block %q, want PRIVATE KEY", block.Type)
	}
	if err != nil {
		return nil, err
	}
	priv, ok := key.(*rsa.PrivateKey)
	switch {
	case !ok:
		return nil, fmt.Errorf("a %T key, want RSA (RS256)", key)
	case priv.N.BitLen() < keyBits:
		return nil, fmt.Errorf("a %d-bit RSA key, want at least %d bits", priv.N.BitLen(), keyBits)
	}
	return priv, priv.Validate()
}

// createKeyFile makes a key and writes it to path (directory 0700, file 0600). The file is
// created exclusively: a key another process wrote at the same moment wins and is read.
func createKeyFile(path string) (*rsa.PrivateKey, error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("signing key directory %s: %w", dir, err)
	}
	if di, err := os.Stat(dir); err == nil && runtime.GOOS != "windows" && di.Mode().Perm()&0o022 != 0 {
		return nil, fmt.Errorf("signing key directory %s has mode %04o: others may replace the key in it; run chmod 700 %s",
			dir, di.Mode().Perm(), dir)
	}
	priv, err := generateKey()
	if err != nil {
		return nil, err
	}
	der, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		return nil, fmt.Errorf("encoding the signing key: %w", err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return keyFromFile(path)
	}
	if err != nil {
		return nil, fmt.Errorf("writing the signing key: %w", err)
	}
	werr := pem.Encode(f, &pem.Block{Type: "PRIVATE KEY", Bytes: der})
	if werr == nil {
		werr = f.Sync()
	}
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr != nil {
		_ = os.Remove(path)
		return nil, fmt.Errorf("writing the signing key %s: %w", path, werr)
	}
	return priv, nil
}
