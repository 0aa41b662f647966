// The parts of undici ferry loads: its HTTP/1.1 agent and `request`, and the ProxyAgent that
// @actions/http-client asks for. undici's index loads every part it has (fetch, WebSocket,
// EventSource, caches, mocks, both builds of its parser: 1.3 MB of the bundle) before ferry's first
// line runs, 50 ms of every start-up and 9 MiB of memory here (docs/performance.md). ferry imports
// this module; tsconfig.json maps its libraries' `undici` here too (the bundle honours it), and
// test/e2e/bundle.test.ts checks that the index never runs (tsx, which runs the tests, leaves the
// imports of node_modules alone, so only the bundle maps the libraries'). The paths are inside
// undici's package, not its API: package-lock.json holds its version, and a build fails where they
// moved. `request` is undici's own, given the URL as its index gives it.
import type { Agent as UndiciAgent, Dispatcher } from 'undici/types/index.js';
import AgentClass from 'undici/lib/dispatcher/agent.js';
import DispatcherClass from 'undici/lib/dispatcher/dispatcher.js';
import ProxyAgentClass from 'undici/lib/dispatcher/proxy-agent.js';
import api from 'undici/lib/api/index.js';
import { parseURL } from 'undici/lib/core/util.js';

// What undici's index does to every dispatcher, and all of it that is not fetch's and the rest's:
// request, stream, pipeline, upgrade and connect as methods (ProxyAgent tunnels through `connect`).
Object.assign(DispatcherClass.prototype, api);

export type { Dispatcher };
export type Agent = UndiciAgent;
export const Agent = AgentClass;
export const ProxyAgent = ProxyAgentClass;

/** undici's `request` with a dispatcher, the URL split into origin and path as its index does. */
export function request(
  url: string,
  options: { dispatcher: Dispatcher } & Omit<Dispatcher.RequestOptions, 'origin' | 'path' | 'method'> &
    Partial<Pick<Dispatcher.RequestOptions, 'method'>>,
): Promise<Dispatcher.ResponseData> {
  const target = parseURL(url);
  return options.dispatcher.request({
    ...options,
    origin: target.origin,
    path: target.search ? `${target.pathname}${target.search}` : target.pathname,
    method: options.method ?? (options.body ? 'PUT' : 'GET'),
  });
}
