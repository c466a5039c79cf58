// Prints, as one JSON document, the requests Make's own SDK (@makehq/sdk)
// sends for the documented examples of every tool in its catalogue, so
// that makemcp's tests can check that its tools of the same names send
// the same requests for the same arguments.
//
// Nothing leaves the machine: the SDK's request function is replaced by
// one that records the request and answers an empty JSON object. A tool
// that then fails on the empty answer has still sent its request.
import { Make } from '@makehq/sdk';
import { MakeTools } from '@makehq/sdk/tools';

const out = [];
for (const tool of MakeTools) {
  const examples = [];
  for (const args of tool.examples ?? []) {
    const requests = [];
    const make = new Make('00000000-0000-4000-8000-000000000000', '127.0.0.1');
    make.handleRequest = async (url, init) => {
      const u = new URL(url);
      const headers = new Headers(init.headers);
      let body = null;
      if (typeof init.body === 'string') body = init.body;
      else if (init.body) body = Buffer.from(init.body).toString('base64');
      requests.push({
        method: init.method ?? 'GET',
        path: u.pathname.replace(/^\/api\/v2/, ''),
        query: u.search.replace(/^\?/, ''),
        body,
        contentType: headers.get('content-type') ?? '',
        accept: headers.get('accept') ?? '',
      });
      return new Response('{}', { status: 200, headers: { 'content-type': 'application/json' } });
    };
    let error = '';
    try {
      await tool.execute(make, structuredClone(args));
    } catch (e) {
      error = String(e?.message ?? e);
    }
    examples.push({ args, requests, error });
  }
  out.push({ name: tool.name, scope: tool.scope ?? '', annotations: tool.annotations, examples });
}
process.stdout.write(JSON.stringify(out));
