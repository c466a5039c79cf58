#!/usr/bin/env node
// An MCP host in a few lines: the official TypeScript SDK's Client and
// StdioClientTransport start a server and play a plan of steps against
// it, so that Go tests can check what a real client sees.
//
//   node test/mcp-client.mjs PLAN.json
//
// The plan is one JSON object:
//
//   {
//     "command": "/path/to/makemcp", "args": ["serve", "--demo"],
//     "env": {"MAKEMCP_CONFIG_DIR": "..."},   // added to the SDK's default environment
//     "stdoutFile": "/tmp/raw.jsonl",          // optional: every byte the server wrote to stdout
//     "timeoutMs": 20000,                      // per request (default 20 s)
//     "steps": [
//       {"op": "listTools"},                   // every page
//       {"op": "callTool", "name": "scenarios_list", "arguments": {}},
//       {"op": "callTool", "name": "scenarios_run", "arguments": {...}, "abortAfterMs": 500},
//       {"op": "listResourceTemplates"},
//       {"op": "readResource", "uri": "make://scenarios/5001/blueprint"},
//       {"op": "ping"},
//       {"op": "sleep", "ms": 100}
//     ]
//   }
//
// It prints one JSON object on stdout: what initialize returned (server,
// capabilities, instructions, protocolVersion), one entry per step
// ({op, result} or {op, error: {code, message}}, the JSON-RPC ids of the
// requests it sent, and aborted for a cancelled call), the server's
// stderr and how it exited after the client closed stdin. A step that
// fails does not end the plan: the next steps show whether the server
// survived. The exit status is 0 unless the plan itself could not run
// (bad plan, server did not start or initialize).

import { readFileSync, appendFileSync } from 'node:fs';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';

// RecordingTransport is the SDK's stdio transport that also keeps the raw
// bytes the server writes to stdout and the way the server exits, which
// the SDK does not expose. _process is the SDK's own field for the child.
class RecordingTransport extends StdioClientTransport {
  constructor(params, stdoutFile) {
    super(params);
    this.stdoutFile = stdoutFile;
    this.requests = [];
    this.exited = new Promise((resolve) => {
      this.resolveExit = resolve;
    });
  }

  async start() {
    await super.start();
    const child = this._process;
    if (!child?.stdout) {
      throw new Error('the SDK transport no longer keeps its child in _process: update test/mcp-client.mjs');
    }
    if (this.stdoutFile) {
      child.stdout.on('data', (chunk) => appendFileSync(this.stdoutFile, chunk));
    }
    child.on('exit', (code, signal) => this.resolveExit({ code, signal }));
  }

  // send records the ids of the requests the client sends, so that a
  // test can find the server's answer to each step in the raw stdout.
  send(message) {
    if (message.method !== undefined && message.id !== undefined) this.requests.push(message.id);
    return super.send(message);
  }

  // The client calls this with the version initialize agreed on.
  setProtocolVersion(version) {
    this.protocolVersion = version;
  }
}

const planFile = process.argv[2];
if (!planFile) {
  console.error('usage: node test/mcp-client.mjs PLAN.json');
  process.exit(2);
}
const plan = JSON.parse(readFileSync(planFile, 'utf8'));
const timeout = plan.timeoutMs ?? 20000;

const transport = new RecordingTransport(
  { command: plan.command, args: plan.args ?? [], env: plan.env ?? {}, stderr: 'pipe' },
  plan.stdoutFile,
);
let stderr = '';
transport.stderr.on('data', (chunk) => {
  stderr += chunk.toString('utf8');
});

const client = new Client({ name: 'makemcp-e2e', version: '1.0.0' }, { capabilities: {} });
const out = { steps: [] };

// A hung server must not hang the test: give up, say so, and stop it.
const guard = setTimeout(async () => {
  out.fatal = `the plan did not finish within ${plan.deadlineMs ?? 60000} ms`;
  await finish(1);
}, plan.deadlineMs ?? 60000);

function errorOf(err) {
  return { code: err?.code ?? null, message: String(err?.message ?? err) };
}

async function runStep(step, entry) {
  const opts = { timeout };
  switch (step.op) {
    case 'listTools': {
      const tools = [];
      let cursor;
      do {
        const page = await client.listTools(cursor ? { cursor } : {}, opts);
        tools.push(...page.tools);
        cursor = page.nextCursor;
      } while (cursor);
      return { tools };
    }
    case 'callTool': {
      const ac = new AbortController();
      let timer;
      if (step.abortAfterMs !== undefined) {
        timer = setTimeout(() => ac.abort('cancelled by the test'), step.abortAfterMs);
      }
      try {
        return await client.callTool({ name: step.name, arguments: step.arguments ?? {} }, undefined, {
          ...opts,
          signal: ac.signal,
        });
      } finally {
        clearTimeout(timer);
        if (ac.signal.aborted) entry.aborted = true;
      }
    }
    case 'listResourceTemplates':
      return client.listResourceTemplates({}, opts);
    case 'listResources':
      return client.listResources({}, opts);
    case 'readResource':
      return client.readResource({ uri: step.uri }, opts);
    case 'ping':
      return client.ping(opts);
    case 'sleep':
      await new Promise((resolve) => setTimeout(resolve, step.ms));
      return {};
    default:
      throw new Error(`unknown step op ${step.op}`);
  }
}

let finishing = false;
async function finish(status) {
  if (finishing) return;
  finishing = true;
  clearTimeout(guard);
  // client.close closes stdin, then escalates to SIGTERM and SIGKILL
  // after 2 s each: out.exit says which ended the server.
  await client.close().catch(() => {});
  out.exit = await Promise.race([
    transport.exited,
    new Promise((resolve) => setTimeout(() => resolve({ code: null, signal: 'still running' }), 10000)),
  ]);
  out.stderr = stderr;
  process.stdout.write(JSON.stringify(out) + '\n', () => process.exit(status));
}

try {
  await client.connect(transport, { timeout });
} catch (err) {
  out.fatal = `connect: ${errorOf(err).message}`;
  await finish(1);
}
if (!finishing) {
  out.initialize = {
    server: client.getServerVersion(),
    capabilities: client.getServerCapabilities(),
    instructions: client.getInstructions(),
    protocolVersion: transport.protocolVersion,
  };
  for (const step of plan.steps ?? []) {
    const entry = { op: step.op, name: step.name };
    const sent = transport.requests.length;
    try {
      entry.result = await runStep(step, entry);
    } catch (err) {
      entry.error = errorOf(err);
    }
    entry.requestIds = transport.requests.slice(sent);
    out.steps.push(entry);
  }
  await finish(0);
}
