// Drives the demo endpoint with the official openai npm SDK (v6): two tool-calling
// conversations through the SDK's own streaming tool runner, with the tools run by the
// Go test's real tools (TOOL_URL), then each malformed request, recording the error class,
// status, code, param and type the SDK reports. Prints one JSON object.
const OpenAI = require('openai');

const client = new OpenAI({ baseURL: process.env.BASE_URL, apiKey: 'unused', maxRetries: 0 });
const model = process.env.MODEL;

async function runTool(name, args) {
  const res = await fetch(process.env.TOOL_URL, { method: 'POST', body: JSON.stringify({ name, arguments: args }) });
  return res.text();
}

const toolDefs = [
  { name: 'search_company_documents', description: 'Search internal company documents.',
    parameters: { type: 'object', properties: { query: { type: 'string' } }, required: ['query'] } },
  { name: 'query_financial_mcp', description: 'Query the secured financial metrics MCP server.',
    parameters: { type: 'object', properties: { metric: { type: 'string' }, period: { type: 'string' } }, required: ['metric'] } },
];

async function conversation(question) {
  const calls = [];
  const deltas = {}; // call index → what its deltas carried
  const runner = client.chat.completions.runTools({
    model, stream: true, stream_options: { include_usage: true },
    messages: [{ role: 'user', content: question }],
    tools: toolDefs.map((d) => ({ type: 'function', function: { ...d, function: (args) => runTool(d.name, args) } })),
  });
  runner.on('chunk', (chunk) => {
    for (const choice of chunk.choices) {
      for (const tc of choice.delta.tool_calls ?? []) {
        const key = chunk.id + ':' + tc.index;
        const d = (deltas[key] ??= { fragments: 0, idOnFirst: false, idLater: false, seen: 0 });
        if (d.seen === 0) d.idOnFirst = !!tc.id && !!tc.function?.name;
        else if (tc.id) d.idLater = true;
        if (d.seen > 0 && tc.function?.arguments) d.fragments++;
        d.seen++;
      }
    }
  });
  const answer = await runner.finalContent();
  for (const m of runner.messages) {
    if (m.role === 'assistant' && m.tool_calls?.length) {
      calls.push(m.tool_calls.map((tc) => tc.function.name + ' ' + tc.function.arguments));
    }
  }
  const usage = await runner.totalUsage();
  return { calls, answer, usage, deltas: Object.values(deltas) };
}

async function failure(name, fn) {
  try {
    await fn();
    return { name, class: 'none' };
  } catch (e) {
    return { name, class: e.constructor.name, status: e.status, code: e.code ?? null, param: e.param ?? null, type: e.type ?? null, message: e.error?.message ?? e.message };
  }
}

const user = [{ role: 'user', content: 'hi' }];

(async () => {
  const out = {};
  out.comparison = await conversation('How did revenue and EBITDA change from Q2 to Q3 2026?');
  out.document = await conversation('What did the board memo say about Q4 priorities?');
  out.errors = [
    await failure('missing model', () => client.chat.completions.create({ messages: user })),
    await failure('unknown model', () => client.chat.completions.create({ model: 'gpt-nope', messages: user })),
    await failure('unknown role', () => client.chat.completions.create({ model, messages: [{ role: 'bogus', content: 'hi' }] })),
    await failure('missing messages', () => client.chat.completions.create({ model })),
    await failure('empty messages', () => client.chat.completions.create({ model, messages: [] })),
    await failure('tool without function', () => client.chat.completions.create({ model, messages: user, tools: [{ type: 'function' }] })),
    await failure('tools not an array', () => client.chat.completions.create({ model, messages: user, tools: 'none' })),
    await failure('n of 0', () => client.chat.completions.create({ model, messages: user, n: 0 })),
    await failure('unknown parameter', () => client.chat.completions.create({ model, messages: user, zzz_unknown: 1 })),
    await failure('invalid JSON', () => client.post('/chat/completions', { body: '{"model":', headers: { 'content-type': 'application/json' } })),
    await failure('unknown model, streamed', async () => {
      const s = await client.chat.completions.create({ model: 'gpt-nope', messages: user, stream: true });
      for await (const _ of s) { /* drain */ }
    }),
    await failure('retrieve an unknown model', () => client.models.retrieve('gpt-nope')),
  ];
  const list = await client.models.list();
  out.models = { list: list.data.map((m) => m.id), retrieved: (await client.models.retrieve(model)).id };
  process.stdout.write(JSON.stringify(out));
})().catch((e) => {
  process.stderr.write(String(e && e.stack || e));
  process.exit(1);
});
