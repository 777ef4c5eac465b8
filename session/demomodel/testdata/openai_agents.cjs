// One @openai/agents (0.12) agent turn against the demo endpoint over Chat Completions, with
// the two analyst tools as function tools run by the Go test's real tools (TOOL_URL).
// Prints the tool calls the run made and its final output as JSON.
const OpenAI = require('openai');
const { Agent, run, tool, OpenAIChatCompletionsModel, setTracingDisabled } = require('@openai/agents');
const { z } = require('zod');

setTracingDisabled(true);
const client = new OpenAI({ baseURL: process.env.BASE_URL, apiKey: 'unused', maxRetries: 0 });

async function runTool(name, args) {
  const res = await fetch(process.env.TOOL_URL, { method: 'POST', body: JSON.stringify({ name, arguments: JSON.stringify(args) }) });
  return res.text();
}

const search = tool({
  name: 'search_company_documents', description: 'Search internal company documents.',
  parameters: z.object({ query: z.string() }),
  execute: (args) => runTool('search_company_documents', args),
});
const financial = tool({
  name: 'query_financial_mcp', description: 'Query the secured financial metrics MCP server.',
  parameters: z.object({ metric: z.string(), period: z.string() }),
  execute: (args) => runTool('query_financial_mcp', args),
});

(async () => {
  const agent = new Agent({
    name: 'Research analyst', instructions: 'You are a senior analyst. Use tools to search documents and query financial metrics.',
    model: new OpenAIChatCompletionsModel(client, process.env.MODEL), tools: [search, financial],
  });
  const result = await run(agent, process.env.QUESTION, { stream: true });
  for await (const _ of result) { /* the stream drives the run */ }
  await result.completed;
  const calls = result.newItems.filter((i) => i.type === 'tool_call_item').map((i) => i.rawItem.name + ' ' + i.rawItem.arguments);
  process.stdout.write(JSON.stringify({ calls, answer: result.finalOutput, usage: result.state.usage }));
})().catch((e) => {
  process.stderr.write(String(e && e.stack || e));
  process.exit(1);
});
