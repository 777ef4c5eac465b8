package devserver

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

// keySet is the server's RS256 signing key and its public JWKS.
type keySet struct {
	private *rsa.PrivateKey
	kid     string
	signer  jose.Signer
	jwks    []byte
}

// loadKeySet reads the key kept in path, making it when absent; path "" = a fresh key that is
// never stored.
func loadKeySet(path string) (*keySet, error) {
	var priv *rsa.PrivateKey
	var err error
	if path == "" {
		priv, err = generateKey()
	} else if priv, err = keyFromFile(path); err != nil {
		return nil, &KeyFileError{Path: path, Err: err}
	}
	if err != nil {
		return nil, err
	}
	return newKeySet(priv)
}

// KeyFileError is a key file WithKeyFile names that cannot be used (unreadable, a link, open
// to others, not an RSA key…): the caller may start with an ephemeral key instead and say why.
type KeyFileError struct {
	Path string
	Err  error // says what is wrong and what to do
}

func (e *KeyFileError) Error() string { return e.Err.Error() }
func (e *KeyFileError) Unwrap() error { return e.Err }

// keyBits is the size of a generated signing key (RS256, LumoAuth's default).
const keyBits = 2048

func generateKey() (*rsa.PrivateKey, error) {
	priv, err := rsa.GenerateKey(rand.Reader, keyBits)
	if err != nil {
		return nil, fmt.Errorf("generating the signing key: %w", err)
	}
	return priv, nil
}

func newKeySet(priv *rsa.PrivateKey) (*keySet, error) {
	pub := jose.JSONWebKey{Key: &priv.PublicKey, Algorithm: string(jose.RS256), Use: "sig"}
	thumb, err := pub.Thumbprint(crypto.SHA256)
	if err != nil {
		return nil, fmt.Errorf("computing the key id: %w", err)
	}
	// RFC 7638 thumbprint as the kid: stable for a stored key, new with a new key.
	pub.KeyID = base64.RawURLEncoding.EncodeToString(thumb)
	signer, err := jose.NewSigner(
		jose.SigningKey{Algorithm: jose.RS256, Key: jose.JSONWebKey{Key: priv, KeyID: pub.KeyID}},
		(&jose.SignerOptions{}).WithType("at+jwt"))
	if err != nil {
		return nil, fmt.Errorf("creating the signer: %w", err)
	}
	jwks, err := json.Marshal(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{pub}})
	if err != nil {
		return nil, fmt.Errorf("encoding the JWKS: %w", err)
	}
	return &keySet{private: priv, kid: pub.KeyID, signer: signer, jwks: jwks}, nil
}

func (k *keySet) sign(claims any) (string, error) {
	return jwt.Signed(k.signer).Claims(claims).Serialize()
}

// parse checks the signature (RS256 only, so never alg none) and decodes the claims.
// Time, issuer and audience checks are the caller's.
func (k *keySet) parse(raw string, dst any) error {
	tok, err := jwt.ParseSigned(raw, []jose.SignatureAlgorithm{jose.RS256})
	if err != nil {
		return err
	}
	return tok.Claims(&k.private.PublicKey, dst)
}

// randomID returns prefix + n random bytes in hex, e.g. jit_3f9a….
func randomID(prefix string, n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on supported platforms
	return prefix + hex.EncodeToString(b)
}

// randomSecret returns a fresh 256-bit client secret.
func randomSecret() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return "lds_" + base64.RawURLEncoding.EncodeToString(b)
}
