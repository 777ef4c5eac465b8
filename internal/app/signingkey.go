package app

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/lumodash/lumodash/auth/devserver"
)

// EnvEphemeralKey set to 1 (or true) makes the embedded server's signing key ephemeral, as
// --ephemeral-key does.
const EnvEphemeralKey = "LUMODASH_EPHEMERAL_KEY"

// Ephemeral is SigningKey.File for a key made for this run and never stored.
const Ephemeral = "ephemeral"

// SigningKey is the embedded server's signing key: the file it is kept in, or Ephemeral; with
// Notice saying why a stored key could not be used (empty when it was not asked for).
type SigningKey struct {
	File   string
	Notice string
}

// ephemeralKey says whether the settings or LUMODASH_EPHEMERAL_KEY ask for an ephemeral key.
func (s Settings) ephemeralKey() (bool, error) {
	if s.EphemeralKey {
		return true, nil
	}
	v := s.getenv(EnvEphemeralKey)
	if v == "" {
		return false, nil
	}
	on, err := strconv.ParseBool(v)
	if err != nil {
		return false, configError(fmt.Errorf("%s=%q: want 1 (an ephemeral signing key) or 0 (the stored one)", EnvEphemeralKey, v))
	}
	return on, nil
}

// startDevserver starts the embedded server on addr with the signing key stored in the state
// directory (made there on the first start), or an ephemeral one when asked. A key file that
// cannot be used (no state directory, a file open to others, not a key…) is not fatal: the
// server starts with an ephemeral key and the SigningKey's notice says why.
func startDevserver(s Settings, cfg devserver.Config, addr string, opts ...devserver.Option) (*devserver.Server, SigningKey, error) {
	ephemeral, err := s.ephemeralKey()
	if err != nil {
		return nil, SigningKey{}, err
	}
	if ephemeral {
		dev, err := devserver.Start(cfg, addr, opts...)
		return dev, SigningKey{File: Ephemeral}, err
	}
	path, why := devserver.DefaultKeyFile(s.getenv)
	if why == nil {
		dev, err := devserver.Start(cfg, addr, append(opts, devserver.WithKeyFile(path))...)
		if kerr := (*devserver.KeyFileError)(nil); !errors.As(err, &kerr) {
			return dev, SigningKey{File: path}, err
		}
		why = err
	}
	key := SigningKey{File: Ephemeral, Notice: fmt.Sprintf("the embedded server's signing key is ephemeral for this run (its tokens will not verify after a restart): %v", why)}
	dev, err := devserver.Start(cfg, addr, opts...)
	return dev, key, err
}
