package auth

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
)

const usageEndpoint = "/agents/me/usage"

// ReportUsage tells the server how many model tokens one turn spent (lumodash's extension,
// POST {prefix}/agents/me/usage). A server without the endpoint answers 404: reporting is then
// switched off for good, said once (ReportUsageUnsupported), and later calls return nil at once.
// A 429 comes back as an *OAuthError for which IsBudgetExceeded is true.
func (a *Agent) ReportUsage(ctx context.Context, model string, prompt, completion int64) error {
	if a.usageOff.Load() {
		return nil
	}
	path := a.cfg.path(usageEndpoint)
	if prompt < 0 || completion < 0 {
		return &OAuthError{Endpoint: path, Code: "invalid_request",
			Description: fmt.Sprintf("token counts must not be negative (prompt %d, completion %d)", prompt, completion)}
	}
	body := map[string]any{"model": strings.TrimSpace(model), "prompt_tokens": prompt, "completion_tokens": completion}
	ans, err := a.authedJSON(ctx, http.MethodPost, usageEndpoint, body, nil)
	var oe *OAuthError
	if errors.As(err, &oe) && oe.Status == http.StatusNotFound {
		if a.usageOff.CompareAndSwap(false, true) {
			a.report(Report{Kind: ReportUsageUnsupported, Duration: ans.duration, Method: http.MethodPost,
				Endpoint: path, Status: ans.status, Detail: "the server has no usage endpoint; usage stays local"})
		}
		return nil
	}
	if err != nil {
		a.report(Report{Kind: ReportUsageReported, Duration: ans.duration, Method: http.MethodPost,
			Endpoint: path, Status: ans.status, Err: err, Detail: "usage report failed"})
		return err
	}
	a.mu.Lock()
	a.infoStale = true // the budget moved; the next Info asks the server
	a.mu.Unlock()
	a.report(Report{Kind: ReportUsageReported, Duration: ans.duration, Method: http.MethodPost, Endpoint: path,
		Status: ans.status, Detail: fmt.Sprintf("%s · %d prompt + %d completion tokens", model, prompt, completion)})
	return nil
}
