import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildTestApp } from './test-app.ts';

describe('GET /health', () => {
  it('answers 200 when every component is ready', async () => {
    const t = await buildTestApp();
    try {
      const response = await t.app.inject({ method: 'GET', url: '/health' });
      assert.equal(response.statusCode, 200);
      assert.deepEqual(response.json(), { status: 'ok', components: { transport: { ok: true } } });
    } finally {
      await t.app.close();
    }
  });

  it('answers 503 with per-component status when a component is down', async () => {
    const t = await buildTestApp();
    try {
      t.health = {
        ready: false,
        components: { transport: { ok: false, detail: 'broker unreachable' }, history: { ok: true } },
      };
      const response = await t.app.inject({ method: 'GET', url: '/health' });
      assert.equal(response.statusCode, 503);
      assert.equal(response.json().status, 'unavailable');
      assert.deepEqual(response.json().components.transport, { ok: false, detail: 'broker unreachable' });
    } finally {
      await t.app.close();
    }
  });

  it('answers 503 when the health check itself fails', async () => {
    const t = await buildTestApp({
      health: async () => {
        throw new Error('probe crashed');
      },
    });
    try {
      const response = await t.app.inject({ method: 'GET', url: '/health' });
      assert.equal(response.statusCode, 503);
      assert.equal(response.json().components.health.ok, false);
    } finally {
      await t.app.close();
    }
  });
});

describe('GET /openapi.json', () => {
  it('documents the public API from the route schemas', async () => {
    const t = await buildTestApp();
    try {
      const response = await t.app.inject({ method: 'GET', url: '/openapi.json' });
      assert.equal(response.statusCode, 200);
      const document = response.json();
      assert.match(document.openapi, /^3\./);
      const post = document.paths['/v1/messages']?.post;
      assert.ok(post, 'POST /v1/messages is documented');
      assert.deepEqual(post.security, [{ bearerAuth: [] }]);
      const schema = post.requestBody.content['application/json'].schema;
      assert.equal(schema.properties.recipients.maxItems, 100);
      assert.ok(post.responses['202'].headers['idempotent-replayed'], 'the replay header is documented');
      assert.ok(post.responses['409'], 'HERALD_IDEMPOTENCY_IN_PROGRESS is documented');
      const key = post.parameters.find((p: { name: string }) => p.name === 'idempotency-key');
      assert.match(key.description, /HERALD_IDEMPOTENCY_KEY_REUSED/);
      assert.ok(schema.properties.dedup.properties.windowSeconds.maximum > 0);
      assert.ok(document.paths['/v1/requests/{id}']?.get);
      assert.ok(document.paths['/admin/config']?.put);
      assert.equal(document.components.securitySchemes.bearerAuth.scheme, 'bearer');
      assert.equal(document.paths['/_sim/stats'], undefined);
    } finally {
      await t.app.close();
    }
  });
});

describe('GET /_sim/stats', () => {
  it('is absent unless simulators run in-process', async () => {
    const t = await buildTestApp();
    try {
      const response = await t.app.inject({ method: 'GET', url: '/_sim/stats' });
      assert.equal(response.statusCode, 404);
      assert.equal(response.json().error.code, 'HERALD_NOT_FOUND');
    } finally {
      await t.app.close();
    }
  });

  it('reports what each simulator received', async () => {
    const stats = { vendors: { 'sim-sms-a': { received: 3, distinct: 2, duplicates: 1 } } };
    const t = await buildTestApp({ simulatorStats: () => stats });
    try {
      const response = await t.app.inject({ method: 'GET', url: '/_sim/stats' });
      assert.equal(response.statusCode, 200);
      assert.deepEqual(response.json(), stats);
    } finally {
      await t.app.close();
    }
  });
});

describe('GET /metrics', () => {
  it('serves the registry text when metrics are given', async () => {
    const registry = { contentType: 'text/plain; version=0.0.4', metrics: async () => 'herald_up 1\n' };
    const t = await buildTestApp({ metrics: { registry } });
    try {
      const response = await t.app.inject({ method: 'GET', url: '/metrics' });
      assert.equal(response.statusCode, 200);
      assert.equal(response.body, 'herald_up 1\n');
      assert.match(response.headers['content-type'] as string, /^text\/plain/);
    } finally {
      await t.app.close();
    }
  });
});
