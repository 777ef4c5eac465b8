package provideremu

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

const alnum = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

func randomString(alphabet string, n int) string {
	var b strings.Builder
	for range n {
		b.WriteByte(alphabet[rand.IntN(len(alphabet))])
	}
	return b.String()
}

func alnumID(prefix string, n int) func(int) string {
	return func(int) string { return prefix + randomString(alnum, n) }
}

func hexID(prefix string, n int) func(int) string {
	return func(int) string { return prefix + randomString("0123456789abcdef", n) }
}

func digitsID(n int) func(int) string {
	return func(int) string { return randomString("123456789", 1) + randomString("0123456789", n-1) }
}

func alnumChunkID() string  { return "chatcmpl-" + randomString(alnum, 29) }
func hexChunkID() string    { return "chatcmpl-" + randomString("0123456789abcdef", 32) }
func ollamaChunkID() string { return fmt.Sprintf("chatcmpl-%d", rand.IntN(999)) } // middleware/openai.go

func uuidChunkID() string {
	h := randomString("0123456789abcdef", 32)
	return "chatcmpl-" + h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}
