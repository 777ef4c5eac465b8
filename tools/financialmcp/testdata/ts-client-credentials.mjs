// The MCP TypeScript SDK's own client, authorised by its stock ClientCredentialsProvider
// with nothing but an agent's client id and secret and the server's URL: everything else
// (the protected-resource metadata, the authorization server, its token endpoint) is
// discovered from the first 401. Run by TestTypeScriptSDKClientCredentials; prints one JSON
// line of what it saw. The token itself is never printed, only its claims.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { ClientCredentialsProvider } from "@modelcontextprotocol/sdk/client/auth-extensions.js";

const [url, clientId, clientSecret] = process.argv.slice(2);
const provider = new ClientCredentialsProvider({ clientId, clientSecret });
const client = new Client({ name: "lumodash-ts-sdk-test", version: "1.0.0" });
const out = {};
try {
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { authProvider: provider }));
  out.tools = (await client.listTools()).tools.map((t) => t.name).sort();
  const res = await client.callTool({ name: "get_metric", arguments: { metric: "EBITDA", period: "2026-Q3" } });
  out.text = res.content.map((c) => c.text).join("\n");
  out.isError = Boolean(res.isError);
  const token = provider.tokens()?.access_token ?? "";
  const claims = JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString() || "{}");
  out.claims = { iss: claims.iss, aud: claims.aud, scope: claims.scope, client_id: claims.client_id };
  try {
    await client.callTool({ name: "get_metric", arguments: { metric: "headcount" } });
    out.headcount = "allowed";
  } catch (err) {
    out.headcount = String(err?.message ?? err);
  }
  await client.close();
} catch (err) {
  out.error = String(err?.stack ?? err);
}
console.log(JSON.stringify(out));
