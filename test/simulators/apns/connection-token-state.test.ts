import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ConnectionTokenState,
  MIN_TOKEN_UPDATE_INTERVAL_MS,
} from '../../../src/simulators/apns/connection-token-state.ts';

describe('ConnectionTokenState', () => {
  it('refuses a new token within 20 min of the last switch, and takes it after', () => {
    const connection = new ConnectionTokenState();
    assert.equal(connection.accept('apns', 't1', 0), true);
    assert.equal(connection.accept('apns', 't1', 5_000), true);
    assert.equal(connection.accept('apns', 't2', MIN_TOKEN_UPDATE_INTERVAL_MS - 1), false);
    // The refused token did not become the connection's: the old one still works.
    assert.equal(connection.accept('apns', 't1', MIN_TOKEN_UPDATE_INTERVAL_MS - 1), true);
    assert.equal(connection.accept('apns', 't2', MIN_TOKEN_UPDATE_INTERVAL_MS), true);
    assert.equal(connection.accept('apns', 't3', MIN_TOKEN_UPDATE_INTERVAL_MS + 1), false);
  });

  it('keeps each vendor (team) apart on one connection', () => {
    const connection = new ConnectionTokenState();
    assert.equal(connection.accept('apns', 't1', 0), true);
    assert.equal(connection.accept('apns-b', 'u1', 1), true);
  });
});
