// The parts of undici ferry loads (src/registry/undici.ts), alone in a process of their own, as the
// bundle has them: the test runner's other modules load undici's index, which would mend what they lack.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, it } from 'node:test';

const undiciModule = path.resolve(import.meta.dirname, '..', '..', 'src', 'registry', 'undici.ts');

/** Runs `body` (an async function's body, given the module as `undici`) in a new Node with tsx; returns what it printed as JSON. */
function alone(body: string): Record<string, unknown> {
  const script = `
    import { createServer } from 'node:http';
    import { createRequire } from 'node:module';
    import { connect } from 'node:net';
    const undici = await import(${JSON.stringify(undiciModule)});
    const result = await (async () => { ${body} })();
    const loaded = Object.keys(createRequire(${JSON.stringify(undiciModule)}).cache);
    result.indexLoaded = loaded.some((file) => file.endsWith('/node_modules/undici/index.js'));
    result.agentLoaded = loaded.some((file) => file.endsWith('/node_modules/undici/lib/dispatcher/agent.js'));
    console.log(JSON.stringify(result));
  `;
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    encoding: 'utf8',
    timeout: 30_000,
    cwd: path.dirname(undiciModule),
  });
  assert.equal(run.status, 0, run.stderr);
  return JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, unknown>;
}

describe("undici's parts", () => {
  it('tunnels through a proxy with CONNECT, as @actions/http-client asks its ProxyAgent to, with no index loaded', () => {
    const result = alone(`
      const target = createServer((request, response) => response.end(request.url));
      await new Promise((resolve) => target.listen(0, '127.0.0.1', resolve));
      const tunnels = [];
      const proxy = createServer();
      proxy.on('connect', (request, socket, head) => {
        tunnels.push(request.url);
        const [host, port] = request.url.split(':');
        const upstream = connect(Number(port), host, () => {
          socket.write('HTTP/1.1 200 Connection Established\\r\\n\\r\\n');
          upstream.write(head);
          upstream.pipe(socket);
          socket.pipe(upstream);
        });
      });
      await new Promise((resolve) => proxy.listen(0, '127.0.0.1', resolve));
      const agent = new undici.ProxyAgent('http://127.0.0.1:' + proxy.address().port);
      const response = await undici.request('http://127.0.0.1:' + target.address().port + '/v2/x/tags/list?n=2&last=a', { dispatcher: agent });
      const body = await response.body.text();
      await agent.close();
      target.close();
      proxy.close();
      return { status: response.statusCode, body, tunnels: tunnels.length };
    `);
    assert.deepEqual(result, { status: 200, body: '/v2/x/tags/list?n=2&last=a', tunnels: 1, indexLoaded: false, agentLoaded: true });
  });
});
