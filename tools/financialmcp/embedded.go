package financialmcp

import (
	"fmt"

	"github.com/lumodash/lumodash/auth/devserver"
)

// ServiceClient is the devserver client the embedded server introspects tokens as.
const ServiceClient = "financial-mcp"

// StartEmbedded starts the server on addr next to the embedded authorization server dev,
// wired as the demo world needs: trusting both of dev's issuers and its keys, introspecting
// every token as dev's financial-mcp client (when the world has one), refusing the calls
// dev's configuration marks jit_required for the resource, and known to dev by its URL as
// the resource's second name (RFC 8707 clients ask for a token for that URL). Fields set in
// opts (Resource, Timeouts, …) are kept; Issuer, Issuers, JWKSURL, Introspection and
// JITRequired come from dev.
func StartEmbedded(dev *devserver.Server, addr string, opts Options) (*Server, error) {
	opts.Issuer, opts.Issuers, opts.JWKSURL = dev.Issuer(), []string{dev.LegacyIssuer()}, dev.JWKSURL()
	if opts.Resource == "" {
		opts.Resource = DefaultResource
	}
	if id, secret, ok := dev.Credentials(ServiceClient); ok {
		opts.Introspection = &Introspection{URL: dev.Issuer() + "/oauth/introspect", ClientID: id, ClientSecret: secret}
	}
	res, ok := dev.Resource(opts.Resource)
	if !ok {
		return nil, fmt.Errorf("financialmcp: the devserver configuration has no resource %s (add it under resources:)", opts.Resource)
	}
	opts.JITRequired = nil
	for _, r := range res.JITRequired {
		opts.JITRequired = append(opts.JITRequired, JITRule{Metric: r.Metric, Period: r.Period, Reason: r.Reason})
	}
	if opts.JITCapability == "" {
		opts.JITCapability = res.Capability
	}
	srv, err := Start(opts, addr)
	if err != nil {
		return nil, err
	}
	if err := dev.AddResourceURI(opts.Resource, srv.URL()); err != nil {
		_ = srv.Close()
		return nil, err
	}
	return srv, nil
}
