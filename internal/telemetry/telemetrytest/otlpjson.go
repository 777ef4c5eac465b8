package telemetrytest

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// The OTLP JSON the collector's file exporter writes, as much of it as the tests read.
type (
	// AnyValue is an attribute value.
	AnyValue struct {
		StringValue *string  `json:"stringValue"`
		IntValue    *string  `json:"intValue"` // int64 is a string in OTLP JSON
		BoolValue   *bool    `json:"boolValue"`
		DoubleValue *float64 `json:"doubleValue"`
		ArrayValue  *struct {
			Values []AnyValue `json:"values"`
		} `json:"arrayValue"`
	}
	// KeyValue is one attribute.
	KeyValue struct {
		Key   string   `json:"key"`
		Value AnyValue `json:"value"`
	}
	// Span is one span as the collector received it.
	Span struct {
		TraceID      string     `json:"traceId"`
		SpanID       string     `json:"spanId"`
		ParentSpanID string     `json:"parentSpanId"`
		Name         string     `json:"name"`
		Kind         int        `json:"kind"`
		Start        string     `json:"startTimeUnixNano"`
		End          string     `json:"endTimeUnixNano"`
		Attributes   []KeyValue `json:"attributes"`
		Events       []struct {
			Name       string     `json:"name"`
			Attributes []KeyValue `json:"attributes"`
		} `json:"events"`
		Status struct {
			Code    int    `json:"code"` // 2 = error
			Message string `json:"message"`
		} `json:"status"`
		Resource map[string]string `json:"-"` // the resource attributes of its batch
	}
	dataPoint struct {
		Attributes []KeyValue `json:"attributes"`
		Time       string     `json:"timeUnixNano"`
		Count      string     `json:"count"`
		Sum        *float64   `json:"sum"`
		AsInt      *string    `json:"asInt"`
		AsDouble   *float64   `json:"asDouble"`
	}
	otlpMetric struct {
		Name      string                            `json:"name"`
		Unit      string                            `json:"unit"`
		Histogram *struct{ DataPoints []dataPoint } `json:"histogram"`
		Sum       *struct{ DataPoints []dataPoint } `json:"sum"`
		Gauge     *struct{ DataPoints []dataPoint } `json:"gauge"`
	}
)

func (v AnyValue) String() string {
	switch {
	case v.StringValue != nil:
		return *v.StringValue
	case v.IntValue != nil:
		return *v.IntValue
	case v.BoolValue != nil:
		return strconv.FormatBool(*v.BoolValue)
	case v.DoubleValue != nil:
		return strconv.FormatFloat(*v.DoubleValue, 'f', -1, 64)
	case v.ArrayValue != nil:
		var parts []string
		for _, e := range v.ArrayValue.Values {
			parts = append(parts, e.String())
		}
		return "[" + strings.Join(parts, ",") + "]"
	}
	return ""
}

// AttrMap is attributes as a map of their values in text.
func AttrMap(kvs []KeyValue) map[string]string {
	m := map[string]string{}
	for _, kv := range kvs {
		m[kv.Key] = kv.Value.String()
	}
	return m
}

// Attr is the value of the span's attribute key ("" when it has none).
func (s Span) Attr(key string) string { return AttrMap(s.Attributes)[key] }

// Nanos reads one of the span's times (Start, End) as Unix nanoseconds.
func (s Span) Nanos(v string) int64 {
	n, _ := strconv.ParseInt(v, 10, 64)
	return n
}

// ReadSpans decodes every span the collector wrote.
func ReadSpans(t testing.TB, c *Collector) []Span {
	t.Helper()
	var out []Span
	for _, line := range c.Lines(t, "traces") {
		var batch struct {
			ResourceSpans []struct {
				Resource   struct{ Attributes []KeyValue } `json:"resource"`
				ScopeSpans []struct {
					Spans []Span `json:"spans"`
				} `json:"scopeSpans"`
			} `json:"resourceSpans"`
		}
		if err := json.Unmarshal(line, &batch); err != nil {
			t.Fatalf("collector trace output is not OTLP JSON: %v", err)
		}
		for _, rs := range batch.ResourceSpans {
			res := AttrMap(rs.Resource.Attributes)
			for _, ss := range rs.ScopeSpans {
				for _, s := range ss.Spans {
					s.Resource = res
					out = append(out, s)
				}
			}
		}
	}
	return out
}

// MetricPoint is one data point of a metric, with the latest value the collector received
// for its attribute set (the SDK sends cumulative values).
type MetricPoint struct {
	Attrs map[string]string
	Count int64   // histograms
	Sum   float64 // histograms: the sum; counters and gauges: the value
}

// ReadMetrics decodes the metrics the collector wrote, by name, latest point per attribute set.
func ReadMetrics(t testing.TB, c *Collector) map[string][]MetricPoint {
	t.Helper()
	type stamped struct {
		time int64
		p    MetricPoint
	}
	latest := map[string]map[string]stamped{}
	for _, line := range c.Lines(t, "metrics") {
		var batch struct {
			ResourceMetrics []struct {
				ScopeMetrics []struct {
					Metrics []otlpMetric `json:"metrics"`
				} `json:"scopeMetrics"`
			} `json:"resourceMetrics"`
		}
		if err := json.Unmarshal(line, &batch); err != nil {
			t.Fatalf("collector metric output is not OTLP JSON: %v", err)
		}
		for _, rm := range batch.ResourceMetrics {
			for _, sm := range rm.ScopeMetrics {
				for _, m := range sm.Metrics {
					for _, dp := range m.points() {
						p := MetricPoint{Attrs: AttrMap(dp.Attributes)}
						p.Count, _ = strconv.ParseInt(dp.Count, 10, 64)
						switch {
						case dp.Sum != nil:
							p.Sum = *dp.Sum
						case dp.AsDouble != nil:
							p.Sum = *dp.AsDouble
						case dp.AsInt != nil:
							p.Sum, _ = strconv.ParseFloat(*dp.AsInt, 64)
						}
						key := fmt.Sprint(sortedKeyValues(p.Attrs))
						at, _ := strconv.ParseInt(dp.Time, 10, 64)
						if latest[m.Name] == nil {
							latest[m.Name] = map[string]stamped{}
						}
						if prev, ok := latest[m.Name][key]; !ok || at >= prev.time {
							latest[m.Name][key] = stamped{at, p}
						}
					}
				}
			}
		}
	}
	out := map[string][]MetricPoint{}
	for name, byKey := range latest {
		for _, v := range byKey {
			out[name] = append(out[name], v.p)
		}
	}
	return out
}

func (m otlpMetric) points() []dataPoint {
	switch {
	case m.Histogram != nil:
		return m.Histogram.DataPoints
	case m.Sum != nil:
		return m.Sum.DataPoints
	case m.Gauge != nil:
		return m.Gauge.DataPoints
	}
	return nil
}

func sortedKeyValues(m map[string]string) []string {
	var kv []string
	for k, v := range m {
		kv = append(kv, k+"="+v)
	}
	sort.Strings(kv)
	return kv
}

// Find is the points of a metric whose attributes include want.
func Find(points []MetricPoint, want map[string]string) []MetricPoint {
	var out []MetricPoint
	for _, p := range points {
		match := true
		for k, v := range want {
			match = match && p.Attrs[k] == v
		}
		if match {
			out = append(out, p)
		}
	}
	return out
}
