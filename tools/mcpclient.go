//lint:file-ignore SA1019 roots, logging and sampling are deprecated only from protocol version 2026-07-28 (SEP-2577); servers of the current versions (server-everything) still send them

package tools

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/lumodash/lumodash/internal/safetext"
)

// ClientHooks are how lumodash's MCP client answers what a server sends it: the roots it
// lists, where notifications and request outcomes go, who answers an elicitation.
type ClientHooks struct {
	// Roots are the folders answered to roots/list (none by default).
	Roots []string
	// Events receives progress, log messages and the server requests answered (nil = none).
	Events func(ServerEvent)
	// Elicit asks the user to answer a server's elicitation/create; nil declines it, as a
	// headless run must.
	Elicit func(ctx context.Context, q Elicitation) ElicitAnswer
}

// Elicitation is a server's question to the user (elicitation/create, form mode).
type Elicitation struct {
	Server  string
	Message string         // control sequences stripped
	Schema  map[string]any // the requested schema, flat properties
}

// ElicitAnswer is the user's answer: accepted with Content, or declined with a reason.
type ElicitAnswer struct {
	Accept  bool
	Content map[string]any
	Reason  string // why declined, for the log
}

// ServerEventKind names a ServerEvent.
type ServerEventKind string

// Server event kinds.
const (
	ServerProgress ServerEventKind = "progress" // notifications/progress of a tool call
	ServerLog      ServerEventKind = "log"      // notifications/message
	ServerRequest  ServerEventKind = "request"  // a request the server made and how it was answered
)

// ServerEvent is something an MCP server sent the client.
type ServerEvent struct {
	Kind   ServerEventKind
	Server string
	CallID string // progress: the gated call it belongs to
	Tool   string // progress: the server's tool name
	// Progress and Total are the progress so far and its total (0 = unknown).
	Progress, Total float64
	Method          string // request: roots/list, elicitation/create, sampling/createMessage
	Level           string // log: the message's level; request: answered, accepted or declined
	Text            string // progress message, log data or the request's outcome; control sequences stripped
}

// declineSampling is what a server asking for the session's model is told.
const declineSampling = "lumodash declines sampling/createMessage: MCP servers may not use the session's model or budget"

// progressCalls ties progress tokens to the gated calls that sent them. A token outlives its
// call a little: the last notification may be handled after the result (the SDK dispatches
// notifications on their own), so the last keptTokens tokens are remembered.
type progressCalls struct {
	mu    sync.Mutex
	next  atomic.Int64
	calls map[string]progressCall
	order []string
}

type progressCall struct{ callID, tool string }

const keptTokens = 64

func (p *progressCalls) add(callID, tool string) (token string) {
	token = "lumodash-" + strconv.FormatInt(p.next.Add(1), 10)
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.calls == nil {
		p.calls = map[string]progressCall{}
	}
	p.calls[token] = progressCall{callID, tool}
	p.order = append(p.order, token)
	if len(p.order) > keptTokens {
		delete(p.calls, p.order[0])
		p.order = p.order[1:]
	}
	return token
}

func (p *progressCalls) lookup(token any) (progressCall, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	c, ok := p.calls[fmt.Sprint(token)]
	return c, ok
}

// newClient is the go-sdk client of conn: roots (answered, none unless configured),
// elicitation (asked or declined) and sampling (declined) advertised and handled; progress
// and log notifications reported.
func (c *mcpConn) newClient() *mcp.Client {
	h := c.hooks
	emit := func(e ServerEvent) {
		if h.Events != nil {
			e.Server, e.Text = c.server, safetext.Clean(e.Text)
			h.Events(e)
		}
	}
	opts := &mcp.ClientOptions{
		Capabilities: &mcp.ClientCapabilities{RootsV2: &mcp.RootCapabilities{}},
		ProgressNotificationHandler: func(_ context.Context, r *mcp.ProgressNotificationClientRequest) {
			if call, ok := c.progress.lookup(r.Params.ProgressToken); ok {
				emit(ServerEvent{Kind: ServerProgress, CallID: call.callID, Tool: call.tool,
					Progress: r.Params.Progress, Total: r.Params.Total, Text: r.Params.Message})
			}
		},
		LoggingMessageHandler: func(_ context.Context, r *mcp.LoggingMessageRequest) {
			text, ok := r.Params.Data.(string)
			if !ok {
				b, _ := json.Marshal(r.Params.Data)
				text = string(b)
			}
			if r.Params.Logger != "" {
				text = r.Params.Logger + ": " + text
			}
			emit(ServerEvent{Kind: ServerLog, Level: string(r.Params.Level), Text: text})
		},
		ElicitationHandler: func(ctx context.Context, r *mcp.ElicitRequest) (*mcp.ElicitResult, error) {
			q := Elicitation{Server: c.server, Message: safetext.Clean(r.Params.Message), Schema: schemaMap(r.Params.RequestedSchema)}
			ans := ElicitAnswer{Reason: "no one to ask: a headless run declines what a server asks the user; use the dashboard to answer"}
			if h.Elicit != nil {
				ans = h.Elicit(ctx, q)
			}
			if !ans.Accept {
				emit(ServerEvent{Kind: ServerRequest, Method: "elicitation/create", Level: "declined", Text: q.Message + " — " + ans.Reason})
				return &mcp.ElicitResult{Action: "decline"}, nil
			}
			emit(ServerEvent{Kind: ServerRequest, Method: "elicitation/create", Level: "accepted", Text: q.Message})
			return &mcp.ElicitResult{Action: "accept", Content: ans.Content}, nil
		},
		CreateMessageHandler: func(context.Context, *mcp.CreateMessageRequest) (*mcp.CreateMessageResult, error) {
			emit(ServerEvent{Kind: ServerRequest, Method: "sampling/createMessage", Level: "declined", Text: declineSampling})
			return nil, errors.New(declineSampling)
		},
	}
	client := mcp.NewClient(&mcp.Implementation{Name: "lumodash", Version: "1"}, opts)
	roots := rootsOf(h.Roots)
	client.AddRoots(roots...)
	client.AddReceivingMiddleware(func(next mcp.MethodHandler) mcp.MethodHandler {
		return func(ctx context.Context, method string, req mcp.Request) (mcp.Result, error) {
			res, err := next(ctx, method, req)
			if method == "roots/list" {
				emit(ServerEvent{Kind: ServerRequest, Method: method, Level: "answered", Text: fmt.Sprintf("%d root(s) listed", len(roots))})
			}
			return res, err
		}
	})
	return client
}

// rootsOf turns folders into file:// roots named by their last element.
func rootsOf(dirs []string) []*mcp.Root {
	out := make([]*mcp.Root, 0, len(dirs))
	for _, d := range dirs {
		abs, err := filepath.Abs(d)
		if err != nil {
			abs = d
		}
		out = append(out, &mcp.Root{URI: (&url.URL{Scheme: "file", Path: filepath.ToSlash(abs)}).String(), Name: filepath.Base(abs)})
	}
	return out
}
