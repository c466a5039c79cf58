#!/usr/bin/env node
// A real MCP host (the official TypeScript SDK's Client over its stdio
// transport) that also writes bad lines into the server's stdin, each
// followed by a request that must be answered, to show that one bad line
// does not end the session.
//
//   node test/mcp-badlines.mjs PLAN.json
//
// The plan is one JSON object:
//
//   {
//     "command": "/path/to/makemcp", "args": ["serve", "--demo"],
//     "env": {"MAKEMCP_CONFIG_DIR": "..."},
//     "lines": ["hello", "{not json", ...],   // written as they are, each with a newline
//     "bigLine": 16777300                     // also a line of this many bytes, if set
//   }
//
// It prints one JSON object: per line {line, ping: "ok" | error}, the
// result of a tool call after all of them, every line the server wrote
// to stdout, the errors the client reported (answers it could not match
// to a request), the server's stderr and how it exited.

import { readFileSync } from 'node:fs';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';

const plan = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const transport = new StdioClientTransport({
  command: plan.command,
  args: plan.args ?? [],
  env: plan.env ?? {},
  stderr: 'pipe',
});
let stderr = '';
transport.stderr.on('data', (chunk) => {
  stderr += chunk.toString('utf8');
});
const client = new Client({ name: 'makemcp-badlines', version: '1.0.0' }, { capabilities: {} });
const out = { steps: [], clientErrors: [], stdout: [] };
client.onerror = (err) => out.clientErrors.push(String(err?.message ?? err));

const guard = setTimeout(() => finish(1, 'the plan did not finish within 60 s'), 60000);

let finishing = false;
async function finish(status, fatal) {
  if (finishing) return;
  finishing = true;
  clearTimeout(guard);
  if (fatal) out.fatal = fatal;
  const child = transport._process;
  const exited = new Promise((resolve) => {
    if (!child || child.exitCode !== null) resolve({ code: child?.exitCode ?? null, signal: null });
    else child.on('exit', (code, signal) => resolve({ code, signal }));
  });
  await client.close().catch(() => {});
  out.exit = await Promise.race([exited, new Promise((r) => setTimeout(() => r({ code: null, signal: 'still running' }), 10000))]);
  out.stderr = stderr;
  process.stdout.write(JSON.stringify(out) + '\n', () => process.exit(status));
}

// write puts raw bytes on the server's stdin, as a broken host would.
function write(text) {
  return new Promise((resolve, reject) => transport._process.stdin.write(text, (err) => (err ? reject(err) : resolve())));
}

try {
  await client.connect(transport, { timeout: 20000 });
} catch (err) {
  await finish(1, `connect: ${err?.message ?? err}`);
}
const child = transport._process;
if (!child?.stdin) {
  await finish(1, 'the SDK transport no longer keeps its child in _process: update test/mcp-badlines.mjs');
}
let partial = '';
child.stdout.on('data', (chunk) => {
  partial += chunk.toString('utf8');
  const lines = partial.split('\n');
  partial = lines.pop();
  out.stdout.push(...lines);
});

const lines = [...(plan.lines ?? [])];
if (plan.bigLine) lines.push({ big: plan.bigLine });
for (const line of lines) {
  const step = { line: typeof line === 'string' ? line : `<${line.big} bytes>` };
  try {
    await write((typeof line === 'string' ? line : 'x'.repeat(line.big)) + '\n');
    await client.ping({ timeout: 10000 });
    step.ping = 'ok';
  } catch (err) {
    step.ping = String(err?.message ?? err);
  }
  out.steps.push(step);
}
try {
  const res = await client.callTool({ name: 'scenarios_list', arguments: { limit: 1 } }, undefined, { timeout: 20000 });
  out.toolCall = res.isError ? `tool error: ${JSON.stringify(res.content)}` : 'ok';
} catch (err) {
  out.toolCall = String(err?.message ?? err);
}
await finish(0);
