/** smoke's HTTP probe against a real server on 127.0.0.1: it follows redirects as the kubelet's httpGet probe does. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probe } from '../../src/cli/smoke.js';

let server: http.Server;
let base: string;
const hosts: string[] = [];

beforeAll(async () => {
  server = http.createServer((request, response) => {
    hosts.push(request.headers.host ?? '');
    const routes: Record<string, [number, string?]> = {
      '/health/': [200],
      '/api/v0/health/': [302, '/health/'],
      '/absolute/': [301, 'http://svc.example.com/health/'],
      '/elsewhere/': [302, 'http://other.example.org/health/'],
      '/broken/': [302, '/down/'],
      '/down/': [503],
      '/loop/': [302, '/loop/'],
    };
    const [status, location] = routes[request.url ?? ''] ?? [404];
    response.writeHead(status, location ? { Location: location } : {});
    response.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('smoke probe', () => {
  it.each([
    { path: '/health/', status: 200, why: 'the endpoint itself' },
    { path: '/api/v0/health/', status: 200, why: 'a same-host relative redirect is followed' },
    { path: '/absolute/', status: 200, why: 'an absolute redirect to the Host header host is followed' },
    {
      path: '/elsewhere/',
      status: 302,
      why: 'a redirect to another host is the answer (the kubelet does not follow it)',
    },
    { path: '/broken/', status: 503, why: 'the target answers for the redirect' },
    { path: '/loop/', status: 302, why: 'at most 10 redirects' },
  ])('$path: $status ($why)', async ({ path, status }) => {
    hosts.length = 0;
    expect(await probe(`${base}${path}`, 'svc.example.com')).toBe(status);
    expect(new Set(hosts)).toEqual(new Set(['svc.example.com']));
  });
});
