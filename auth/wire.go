package auth

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"time"
)

// flexInt reads a JSON integer that a server may send as a float, a string or null.
type flexInt int64

func (n *flexInt) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if string(b) == "null" {
		return nil
	}
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		b = []byte(s)
	}
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return fmt.Errorf("expected a number, got %s", bodySnippet(b))
	}
	*n = flexInt(f)
	return nil
}

// flexTime reads an RFC 3339 string or Unix seconds; null or "" is the zero time.
type flexTime time.Time

func (t *flexTime) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if string(b) == "null" || string(b) == `""` {
		return nil
	}
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		p, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			return fmt.Errorf("expected an RFC 3339 time, got %q", s)
		}
		*t = flexTime(p)
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return fmt.Errorf("expected a time, got %s", bodySnippet(b))
	}
	*t = flexTime(unixTime(n))
	return nil
}

// seconds reads a duration sent as a number of seconds.
type seconds time.Duration

func (s *seconds) UnmarshalJSON(b []byte) error {
	var n flexInt
	if err := n.UnmarshalJSON(b); err != nil {
		return err
	}
	*s = seconds(time.Duration(n) * time.Second)
	return nil
}
