// A bring-your-own MCP server that trusts nothing of lumodash's but the authorization
// server's JWKS: every request's bearer token is verified with jose (createRemoteJWKSet,
// jwtVerify: signature, issuer, audience, expiry) before the MCP TypeScript SDK serves it.
// Usage: node jose-server.mjs ISSUER JWKS_URL AUDIENCE — prints "listening PORT".
import http from "node:http";
import { createRemoteJWKSet, jwtVerify } from "jose";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";

const [issuer, jwksURL, audience] = process.argv.slice(2);
const jwks = createRemoteJWKSet(new URL(jwksURL));

function refuse(res, status, error, description) {
  res.writeHead(status, {
    "WWW-Authenticate": `Bearer error="${error}", error_description="${description}"`,
    "Content-Type": "application/json",
  });
  res.end(JSON.stringify({ error, error_description: description }));
}

const server = http.createServer(async (req, res) => {
  const auth = req.headers.authorization || "";
  if (!auth.startsWith("Bearer ")) {
    return refuse(res, 401, "invalid_request", "a bearer token is required");
  }
  let claims;
  try {
    ({ payload: claims } = await jwtVerify(auth.slice(7), jwks, { issuer, audience }));
  } catch (e) {
    return refuse(res, 401, "invalid_token", String(e.code || e.message));
  }
  // Stateless: a server and transport per request (the SDK's stateless pattern).
  const mcp = new McpServer({ name: "jose-reports", version: "1.0.0" });
  mcp.registerTool(
    "token_claims",
    { description: "Says who the verified token was issued to and for whom it acts." },
    async () => ({
      content: [{ type: "text", text: JSON.stringify({ sub: claims.sub, aud: claims.aud, act: claims.act, scope: claims.scope }) }],
    }),
  );
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
  res.on("close", () => { transport.close(); mcp.close(); });
  await mcp.connect(transport);
  let body = "";
  for await (const chunk of req) body += chunk;
  await transport.handleRequest(req, res, body ? JSON.parse(body) : undefined);
});
server.listen(0, "127.0.0.1", () => console.log("listening " + server.address().port));
