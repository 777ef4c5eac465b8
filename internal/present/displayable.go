package present

import (
	"reflect"

	"github.com/lumodash/lumodash/internal/safetext"
	"github.com/lumodash/lumodash/session"
)

// Displayable returns e with every string in it — text, names, ids, statuses, the agent, the
// parts, the token's claims, the error — cleaned by safetext: no escape sequence, C0 or C1
// control, or bidi override or isolate. Every view (the dashboard, --plain, the Markdown
// export) takes events through it, so a live session and the replay of a doctored transcript
// are equally clean whatever field the hostile text is in. e is not changed: what it points
// to is copied before cleaning (the transcript and --json keep the text as it came).
func Displayable(e session.Event) session.Event {
	if e.Kind == session.KindModelDelta { // the hot path while an answer streams
		e.Text = safetext.Clean(e.Text)
		return e
	}
	cleanValue(reflect.ValueOf(&e).Elem())
	return e
}

// displayableSummary is Displayable for a whole summary: every string in it, the events it
// keeps included, cleaned once, so that a report need not clean every event of a transcript
// (most of which, the streamed deltas, it does not keep).
func displayableSummary(s session.Summary) session.Summary {
	cleanValue(reflect.ValueOf(&s).Elem())
	return s
}

// cleanValue cleans every settable string reachable from v, copying pointed-to structs and
// slices first.
func cleanValue(v reflect.Value) {
	switch v.Kind() {
	case reflect.String:
		if s := v.String(); s != "" {
			if c := safetext.Clean(s); c != s {
				v.SetString(c)
			}
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if f := v.Field(i); f.CanSet() {
				cleanValue(f)
			}
		}
	case reflect.Pointer:
		if v.IsNil() {
			return
		}
		cp := reflect.New(v.Elem().Type())
		cp.Elem().Set(v.Elem())
		cleanValue(cp.Elem())
		v.Set(cp)
	case reflect.Slice:
		if v.Len() == 0 {
			return
		}
		cp := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
		reflect.Copy(cp, v)
		for i := range cp.Len() {
			cleanValue(cp.Index(i))
		}
		v.Set(cp)
	}
}
