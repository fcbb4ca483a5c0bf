import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ALL_ROLES } from '../../src/app/herald.ts';
import { backgroundNiceIncrement } from '../../src/cli/background-priority.ts';

describe('backgroundNiceIncrement', () => {
  it('lowers the priority of a worker that runs only batch or ad lanes', () => {
    assert.equal(backgroundNiceIncrement({ api: false, lanes: ['batch'], retryLanes: [] }, 10), 10);
    assert.equal(backgroundNiceIncrement({ api: false, lanes: ['batch', 'ad'], retryLanes: [] }, 7), 7);
  });

  it('lowers the priority of the history writer, alone or with background lanes', () => {
    const writer = { api: false, lanes: [], retryLanes: [], historyWriter: true } as const;
    assert.equal(backgroundNiceIncrement(writer, 10), 10);
    assert.equal(backgroundNiceIncrement({ ...writer, lanes: ['ad'] }, 10), 10);
  });

  it('leaves alone a process with no background work (a worker of no lane, an API)', () => {
    assert.equal(
      backgroundNiceIncrement({ api: false, lanes: [], retryLanes: [], historyWriter: false }, 10),
      0,
    );
    assert.equal(
      backgroundNiceIncrement({ api: true, lanes: [], retryLanes: [], historyWriter: false }, 10),
      0,
    );
  });

  it('leaves alone every process that serves realtime traffic or the API', () => {
    assert.equal(backgroundNiceIncrement(ALL_ROLES, 10), 0);
    assert.equal(backgroundNiceIncrement({ api: false, lanes: ['realtime'], retryLanes: [] }, 10), 0);
    assert.equal(
      backgroundNiceIncrement({ api: false, lanes: ['realtime'], retryLanes: [], historyWriter: true }, 10),
      0,
    );
    assert.equal(
      backgroundNiceIncrement({ api: false, lanes: ['realtime', 'batch'], retryLanes: [] }, 10),
      0,
    );
    assert.equal(backgroundNiceIncrement({ api: true, lanes: [], retryLanes: [] }, 10), 0);
  });

  it('leaves retry workers alone (light, and by default they re-dispatch every lane)', () => {
    assert.equal(backgroundNiceIncrement({ api: false, lanes: [], retryLanes: ['batch'] }, 10), 0);
  });

  it('does nothing when switched off with 0', () => {
    assert.equal(backgroundNiceIncrement({ api: false, lanes: ['batch'], retryLanes: [] }, 0), 0);
  });
});
