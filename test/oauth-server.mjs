#!/usr/bin/env node
// A strict OAuth 2.0 authorization server for makemcp's tests, built on
// oauth2-mock-server (which nobody here wrote). Out of the box that server
// is lenient; its hooks make it behave like a real issuer:
//
//   - authorization codes are single-use, expire (--code-ttl), and are bound
//     to the client, the redirect URI and the PKCE S256 challenge; the
//     token request must carry the matching code_verifier;
//   - clients authenticate with client_secret_post when --client-secret is
//     set (confidential), with client_id alone otherwise (public);
//   - access tokens live --access-ttl seconds (JWT exp and expires_in);
//   - refresh tokens (--refresh rotate, the default) are single-use and
//     rotated on every refresh: reuse gets invalid_grant; --refresh keep
//     answers refreshes without a new refresh token and keeps the old one
//     valid; --refresh none issues none at all (like Make's public clients);
//   - /revoke (RFC 7009) really revokes refresh and access tokens, and
//     /userinfo accepts only live access tokens;
//   - --deny answers every authorization with error=access_denied.
//
// Tests read counters from GET /_admin/stats and a token's state from
// POST /_admin/token-status (form field token). The base URL is printed on
// stdout once the server listens. With --watch-stdin the server exits when
// its standard input closes, so it never outlives the test that started it.
//
//   node test/oauth-server.mjs [--port 0] [--client-id makemcp-test]
//       [--client-secret S] [--access-ttl 3600] [--code-ttl 60]
//       [--refresh rotate|keep|none] [--deny] [--watch-stdin]

import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';
import { OAuth2Server } from 'oauth2-mock-server';

const { values: opt } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    'client-id': { type: 'string', default: 'makemcp-test' },
    'client-secret': { type: 'string', default: '' },
    'access-ttl': { type: 'string', default: '3600' },
    'code-ttl': { type: 'string', default: '60' },
    refresh: { type: 'string', default: 'rotate' },
    deny: { type: 'boolean', default: false },
    'watch-stdin': { type: 'boolean', default: false },
  },
});
const clientId = opt['client-id'];
const clientSecret = opt['client-secret'];
const accessTtl = Number(opt['access-ttl']);
const codeTtl = Number(opt['code-ttl']);
if (!['rotate', 'keep', 'none'].includes(opt.refresh)) {
  console.error(`--refresh must be rotate, keep or none, not ${opt.refresh}`);
  process.exit(2);
}

const codes = new Map(); // code -> { clientId, redirectUri, challenge, scope, expires }
const refreshTokens = new Map(); // token -> { status, scope }
const accessTokens = new Map(); // token -> { expires, revoked }
const stats = {
  authorizations: 0,
  codeExchanges: 0,
  refreshes: 0,
  refreshesRejected: 0,
  tokenRejected: 0,
  revocations: 0,
  userinfo: 0,
};

const oauth = new OAuth2Server();
await oauth.issuer.keys.generate('RS256');
const service = oauth.service;

const equal = (a, b) =>
  typeof a === 'string' && typeof b === 'string' && a.length === b.length &&
  timingSafeEqual(Buffer.from(a), Buffer.from(b));
const s256 = (verifier) => createHash('sha256').update(verifier).digest('base64url');

service.on('beforeAuthorizeRedirect', (redirect, req) => {
  stats.authorizations++;
  const q = req.query;
  const url = redirect.url;
  const code = url.searchParams.get('code');
  const fail = (error, description) => {
    url.searchParams.delete('code');
    url.searchParams.set('error', error);
    url.searchParams.set('error_description', description);
  };
  if (opt.deny) return fail('access_denied', 'The resource owner denied the request.');
  if (q.client_id !== clientId) return fail('unauthorized_client', 'Unknown client_id.');
  if (q.code_challenge_method !== 'S256' || typeof q.code_challenge !== 'string' || q.code_challenge === '') {
    return fail('invalid_request', 'PKCE with code_challenge_method=S256 is required.');
  }
  codes.set(code, {
    clientId: q.client_id,
    redirectUri: q.redirect_uri,
    challenge: q.code_challenge,
    scope: typeof q.scope === 'string' ? q.scope : '',
    expires: Date.now() + codeTtl * 1000,
  });
});

service.on('beforeTokenSigning', (token) => {
  token.payload.exp = token.payload.iat + accessTtl;
  // Without a jti, two tokens signed in the same second are identical.
  token.payload.jti = randomUUID();
});

service.on('beforeResponse', (response, req) => {
  const b = req.body;
  const reject = (status, error, description) => {
    stats.tokenRejected++;
    response.statusCode = status;
    response.body = { error, error_description: description };
  };
  if (b.grant_type === 'authorization_code') stats.codeExchanges++;
  if (b.grant_type === 'refresh_token') stats.refreshes++;

  if (req.headers.authorization) return reject(401, 'invalid_client', 'Use client_secret_post, not HTTP Basic.');
  if (b.client_id !== clientId) return reject(401, 'invalid_client', 'Unknown client_id.');
  if (clientSecret !== '' && !equal(b.client_secret, clientSecret)) {
    return reject(401, 'invalid_client', 'Wrong or missing client_secret.');
  }
  if (clientSecret === '' && b.client_secret !== undefined) {
    return reject(401, 'invalid_client', 'This is a public client: send no client_secret.');
  }

  switch (b.grant_type) {
    case 'authorization_code': {
      const grant = codes.get(b.code);
      codes.delete(b.code); // single use, even when this exchange fails
      if (!grant) return reject(400, 'invalid_grant', 'Unknown or already used authorization code.');
      if (grant.expires < Date.now()) return reject(400, 'invalid_grant', 'The authorization code expired.');
      if (grant.clientId !== b.client_id) return reject(400, 'invalid_grant', 'The code was issued to another client.');
      if (grant.redirectUri !== b.redirect_uri) return reject(400, 'invalid_grant', 'redirect_uri does not match the authorization request.');
      if (typeof b.code_verifier !== 'string' || !/^[A-Za-z0-9\-._~]{43,128}$/.test(b.code_verifier)) {
        return reject(400, 'invalid_grant', 'A valid code_verifier is required.');
      }
      if (s256(b.code_verifier) !== grant.challenge) return reject(400, 'invalid_grant', 'code_verifier does not match the code_challenge.');
      return issue(response, grant.scope, false);
    }
    case 'refresh_token': {
      const grant = refreshTokens.get(b.refresh_token);
      if (!grant || grant.status !== 'active') {
        stats.refreshesRejected++;
        return reject(400, 'invalid_grant', 'Unknown, used or revoked refresh token.');
      }
      if (opt.refresh === 'rotate') grant.status = 'used';
      return issue(response, grant.scope, true);
    }
    default:
      return reject(400, 'unsupported_grant_type', `grant_type ${b.grant_type} is not supported here.`);
  }
});

function issue(response, scope, isRefresh) {
  const body = response.body;
  body.expires_in = accessTtl;
  if (scope) body.scope = scope;
  else delete body.scope;
  accessTokens.set(body.access_token, { expires: Date.now() + accessTtl * 1000, revoked: false });
  if (opt.refresh === 'none' || (isRefresh && opt.refresh === 'keep')) {
    delete body.refresh_token;
  } else {
    refreshTokens.set(body.refresh_token, { status: 'active', scope });
  }
}

service.on('beforeRevoke', (response, req) => {
  stats.revocations++;
  const f = req.form ?? {};
  if (f.client_id !== clientId || (clientSecret !== '' && !equal(f.client_secret, clientSecret))) {
    response.statusCode = 401;
    return;
  }
  const refresh = refreshTokens.get(f.token);
  if (refresh) refresh.status = 'revoked';
  const access = accessTokens.get(f.token);
  if (access) access.revoked = true;
});

service.on('beforeUserinfo', (response, req) => {
  stats.userinfo++;
  const m = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
  const t = m && accessTokens.get(m[1]);
  if (!t || t.revoked || t.expires < Date.now()) {
    response.statusCode = 401;
    response.body = { error: 'invalid_token' };
  }
});

function tokenStatus(token) {
  const r = refreshTokens.get(token);
  if (r) return { kind: 'refresh', status: r.status };
  const a = accessTokens.get(token);
  if (a) return { kind: 'access', status: a.revoked ? 'revoked' : a.expires < Date.now() ? 'expired' : 'active' };
  return { kind: 'unknown', status: 'unknown' };
}

async function readForm(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
}

const sendJSON = (res, status, body) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

const server = createServer(async (req, res) => {
  try {
    const path = new URL(req.url, 'http://x').pathname;
    if (req.method === 'GET' && path === '/_admin/stats') return sendJSON(res, 200, stats);
    if (req.method === 'POST' && path === '/_admin/token-status') {
      return sendJSON(res, 200, tokenStatus((await readForm(req)).token));
    }
    // The library does not parse /revoke's form body; parse it here so
    // the beforeRevoke hook can see which token to revoke.
    if (req.method === 'POST' && path === '/revoke') req.form = await readForm(req);
    service.requestHandler(req, res);
  } catch (err) {
    console.error(err);
    sendJSON(res, 500, { error: 'server_error' });
  }
});

server.listen(Number(opt.port), '127.0.0.1', () => {
  const base = `http://127.0.0.1:${server.address().port}`;
  oauth.issuer.url = base;
  process.stdout.write(base + '\n');
});

if (opt['watch-stdin']) {
  process.stdin.on('end', () => process.exit(0));
  process.stdin.on('error', () => process.exit(0));
  process.stdin.resume();
}
