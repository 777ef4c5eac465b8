package numfmt

import (
	"math"
	"testing"
	"time"
)

func TestGroup(t *testing.T) {
	for n, want := range map[int64]string{
		0: "0", 12: "12", 999: "999", 1000: "1,000", 61000: "61,000", 100000: "100,000",
		1234567: "1,234,567", -1000: "-1,000", -999: "-999",
		math.MaxInt64: "9,223,372,036,854,775,807", math.MinInt64: "-9,223,372,036,854,775,808",
	} {
		if got := Group(n); got != want {
			t.Errorf("Group(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestCompact(t *testing.T) {
	for n, want := range map[int64]string{
		0: "0", 950: "950", 999: "999", 1000: "1k", 1049: "1k", 1050: "1.1k", 1234: "1.2k",
		15_599: "15.6k", 61_000: "61k", 99_949: "99.9k", 99_950: "100k", 100_000: "100k",
		250_400: "250k", 999_499: "999k", 999_500: "1M", 1_500_000: "1.5M", 12_345_678: "12.3M",
		123_456_789: "123M", 4_200_000_000: "4.2B", -1234: "-1.2k", -999: "-999",
		math.MaxInt64: "9.2E", math.MinInt64: "-9.2E",
	} {
		if got := Compact(n); got != want {
			t.Errorf("Compact(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestPercent(t *testing.T) {
	for p, want := range map[float64]string{
		0: "0%", 15.599: "16%", 15.4: "15%", 0.3: "<1%", 0.5: "1%", 99.4: "99%", 99.5: "100%", 100: "100%",
		250: "250%", 999.4: "999%", 1e9: ">999%", math.Inf(1): ">999%", -0.3: "0%", -12: "-12%",
		math.Inf(-1): "<-999%", math.NaN(): "—",
	} {
		if got := Percent(p); got != want {
			t.Errorf("Percent(%v) = %q, want %q", p, got, want)
		}
	}
}

// TestCountAndPercentRoundAlike pins the one rounding rule: the compact count and the
// percentage of the same value round the same way.
func TestCountAndPercentRoundAlike(t *testing.T) {
	for _, c := range []struct {
		used, limit int64
		count, pct  string
	}{
		{15_599, 100_000, "15.6k", "16%"}, {15_549, 100_000, "15.5k", "16%"}, {61_000, 100_000, "61k", "61%"},
		{99_950, 100_000, "100k", "100%"}, {1, 100_000, "1", "<1%"}, {0, 100_000, "0", "0%"},
	} {
		if got := Compact(c.used) + " " + Percent(100*float64(c.used)/float64(c.limit)); got != c.count+" "+c.pct {
			t.Errorf("%d of %d reads %q, want %q", c.used, c.limit, got, c.count+" "+c.pct)
		}
	}
}

func TestUSD(t *testing.T) {
	for v, want := range map[float64]string{
		0: "$0.0000", 0.0021: "$0.0021", 0.00021: "$0.0002", 0.00004: "<$0.0001", 0.99996: "$1.00",
		1: "$1.00", 7.25: "$7.25", 20: "$20.00", 1234.5: "$1,234.50", -0.5: "-$0.5000",
		1e30: "$1.00e+30", math.NaN(): "$?", math.Inf(1): "$?",
	} {
		if got := USD(v); got != want {
			t.Errorf("USD(%v) = %q, want %q", v, got, want)
		}
	}
}

func TestDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{
		0: "0s", -time.Hour: "0s", math.MinInt64: "0s", 1: "<1ms", 300 * time.Microsecond: "<1ms",
		600 * time.Microsecond: "1ms", 2781 * time.Microsecond: "3ms", 12 * time.Millisecond: "12ms",
		999*time.Millisecond + 600*time.Microsecond: "1s", 1500 * time.Millisecond: "1.5s",
		9960 * time.Millisecond: "10s", 45 * time.Second: "45s", 59600 * time.Millisecond: "1m",
		90 * time.Second: "1m30s", 5 * time.Minute: "5m", 4*time.Minute + 59*time.Second: "4m59s",
		9*time.Minute + 59*time.Second + 600*time.Millisecond: "10m", 15 * time.Minute: "15m",
		59*time.Minute + 30*time.Second: "1h", 59*time.Minute + 29*time.Second: "59m",
		time.Hour: "1h", 2*time.Hour + 5*time.Minute: "2h05m", 14*time.Hour + 29*time.Minute: "14h29m",
		24 * time.Hour: "1d", 76 * time.Hour: "3d04h", math.MaxInt64: "106751d23h",
	} {
		if got := Duration(d); got != want {
			t.Errorf("Duration(%v) = %q, want %q", d, got, want)
		}
	}
}

func TestTimes(t *testing.T) {
	at := time.Date(2026, 11, 27, 12, 28, 51, 698170645, time.FixedZone("CET", 3600))
	if got := TimeOfDay(at); got != "12:28:51" {
		t.Errorf("TimeOfDay = %q", got)
	}
	if got := HourMinute(at); got != "12:28" {
		t.Errorf("HourMinute = %q", got)
	}
	if got := Stamp(at); got != "2026-11-27 11:28:51 UTC" {
		t.Errorf("Stamp = %q", got)
	}
	if TimeOfDay(time.Time{}) != "--:--:--" || HourMinute(time.Time{}) != "--:--" || Stamp(time.Time{}) != "unknown" {
		t.Error("an unknown time must say so")
	}
}
