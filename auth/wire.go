package auth

import (
	"bytes"
	"encoding/json"
	"errors"
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
	if errors.Is(err, strconv.ErrRange) {
		err = nil // ±Inf for a number beyond float64: saturated below like any other
	}
	if err != nil || math.IsNaN(f) {
		return fmt.Errorf("expected a number, got %s", bodySnippet(b))
	}
	*n = flexInt(saturatingInt(f))
	return nil
}

// saturatingInt converts f to int64, holding values beyond the range at its ends: a plain
// conversion of an out-of-range float is undefined and wraps on amd64, so a hostile
// "tokens_used_today": 1e300 would read as a negative count that no limit reaches.
func saturatingInt(f float64) int64 {
	switch {
	case f >= math.MaxInt64:
		return math.MaxInt64
	case f <= math.MinInt64:
		return math.MinInt64
	}
	return int64(f)
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
	// Bounded before multiplying, so a huge count cannot wrap into a negative duration.
	const limit = int64(math.MaxInt64 / int64(time.Second))
	*s = seconds(time.Duration(max(-limit, min(int64(n), limit))) * time.Second)
	return nil
}
