import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, roleAllows, type Role } from '../../shared/auth/roles.js';
import { operationNames, operations, type OperationName } from '../../shared/operations/index.js';
import { invoke } from '../../electron/core/services/dispatch.js';
import { buildServer } from '../../electron/core/http/server.js';
import { newApiToken, sha256Hex, tokenPrefix } from '../../electron/core/auth/callers.js';
import { buildWorld, checksum, fixtures, type World } from './support/auth-world.js';
import type { AddressInfo } from 'node:net';

const codeOf = (e: unknown) => (e as { code?: string }).code;

/**
 * Every operation × every role, through the one dispatcher (the IPC path) and over HTTP with each
 * role's API token: allowed calls succeed, the others get 403 FORBIDDEN and leave every table as it was.
 */
describe('permission matrix: every operation × every role', () => {
  let w: World;
  beforeAll(async () => {
    w = await buildWorld();
  });
  afterAll(async () => w.store.close());

  it('knows every operation of the table and every role', () => {
    expect(operationNames.length).toBeGreaterThan(40);
    expect(ROLES).toEqual(['admin', 'organizer', 'clerk', 'seller', 'door']);
    // A read without a fixture is still checked (with an empty input: 403 comes before validation);
    // every mutating one has a fixture, so its allowed calls must really succeed.
    expect(operationNames.filter((n) => !fixtures[n] && operations[n].mutates)).toEqual([]);
  });

  for (const name of operationNames) {
    for (const role of ROLES) {
      const allowed = roleAllows(role, operations[name].permission);
      it(`${name} as ${role}: ${allowed ? 'allowed' : '403'}`, async () => {
        const input = fixtures[name] ? await fixtures[name]!(w, role) : {};
        const before = await checksum(w.store);
        const call = invoke(w.ctx, w.callers[role], name as OperationName, input);
        if (allowed) {
          if (fixtures[name]) await expect(call).resolves.toBeDefined();
          else await call.catch((e: unknown) => expect(codeOf(e)).not.toMatch(/^(FORBIDDEN|UNAUTHORIZED)$/));
        } else {
          await expect(call).rejects.toMatchObject({ code: 'FORBIDDEN', status: 403 });
          expect(await checksum(w.store)).toBe(before);
        }
      });
    }
  }
});

describe('permission matrix over HTTP (each role’s API token)', () => {
  let w: World;
  let base: string;
  let close: () => Promise<void>;
  const tokens = {} as Record<Role, string>;
  beforeAll(async () => {
    w = await buildWorld();
    await w.store.write(async (trx) => {
      for (const role of ROLES) {
        tokens[role] = newApiToken();
        await trx
          .insertInto('api_tokens')
          .values({ user_id: w.users[role], name: role, token_sha256: sha256Hex(tokens[role]), prefix: tokenPrefix(tokens[role]), created_at: new Date().toISOString(), last_used_at: null, revoked_at: null })
          .execute();
      }
    });
    const { app } = buildServer({ ctx: { store: w.store, version: 'test' }, token: 'unused-server-token-0123456789' });
    await app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    close = async () => {
      await app.close();
      await w.store.close();
    };
  });
  afterAll(async () => close());

  it('refuses each role every operation its role lacks with 403, changing nothing', async () => {
    let refused = 0;
    for (const name of operationNames) {
      const def = operations[name];
      for (const role of ROLES) {
        if (roleAllows(role, def.permission)) continue;
        // Path parameters only need to be well-formed: the permission is checked before anything is read.
        const path = def.http.path.replace(/:(\w+)/g, (_m, p: string) => (p === 'code' ? 'MQ-AAAA-BBBB' : p === 'report' ? 'revenue' : '1'));
        const before = await checksum(w.store);
        const hasBody = def.http.method !== 'GET' && def.http.method !== 'DELETE';
        const res = await fetch(base + '/api/v1' + path, {
          method: def.http.method,
          headers: { authorization: `Bearer ${tokens[role]}`, ...(hasBody ? { 'content-type': def.http.body === 'csv' ? 'text/csv' : 'application/json' } : {}) },
          body: hasBody ? (def.http.body === 'csv' ? 'a,b\n' : '{}') : undefined,
        });
        expect({ name, role, status: res.status }).toEqual({ name, role, status: 403 });
        expect((await res.json()) as unknown).toMatchObject({ error: { code: 'FORBIDDEN' } });
        expect(await checksum(w.store)).toBe(before);
        refused++;
      }
    }
    expect(refused).toBeGreaterThan(50);
  });

  it('lets each role reach what it is allowed (whoAmI answers with its role)', async () => {
    for (const role of ROLES) {
      const res = await fetch(`${base}/api/v1/auth/me`, { headers: { authorization: `Bearer ${tokens[role]}` } });
      const body = (await res.json()) as { user: { role: string } };
      expect(body.user.role).toBe(role);
    }
  });
});
