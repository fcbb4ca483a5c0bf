import { Type } from 'typebox';
import {
  canonicalToken,
  checkDeviceRegistration,
  checkUserId,
} from '../../core/devices/device-registration.ts';
import { HeraldError } from '../../core/domain/errors.ts';
import { hashRecipient } from '../../core/identity/recipient-privacy.ts';
import type { DeviceRegistry } from '../../ports/device-registry.ts';
import { callerOf } from '../auth-hook.ts';
import { AUTHENTICATED_ERROR_RESPONSES } from '../schemas/common.ts';
import {
  DeviceTokenParams,
  DeviceViewResponse,
  PutDeviceBody,
  UserDevicesParams,
  UserDevicesResponse,
} from '../schemas/devices.ts';
import type { TypeBoxApp } from '../typebox-app.ts';

export type DeviceStore = Pick<DeviceRegistry, 'put' | 'remove' | 'listForUser'>;

export interface DeviceRoutesOptions {
  readonly devices: DeviceStore;
  readonly recipientHashSecret: string;
  /** The clock of createdAt, updatedAt; default Date.now. */
  readonly now?: () => number;
}

const security = [{ bearerAuth: [] }];
const tags = ['devices'];

/**
 * The caller's push devices: PUT registers a token (for a user, so `{"userId"}` recipients reach
 * it), DELETE forgets it, GET lists a user's devices. A token is looked up by its keyed hash and
 * only ever answered masked; it travels in clear only in the PUT body and the DELETE path, and the
 * request log redacts that path (observability/redact-url.ts).
 */
export function registerDeviceRoutes(app: TypeBoxApp, options: DeviceRoutesOptions): void {
  const { devices, recipientHashSecret } = options;
  const now = options.now ?? Date.now;

  app.put(
    '/devices',
    {
      schema: {
        summary: "Register a device's push token, or update it (live again, moved to this user)",
        tags,
        security,
        body: PutDeviceBody,
        response: { 200: DeviceViewResponse, 201: DeviceViewResponse, ...AUTHENTICATED_ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const registration = checkDeviceRegistration(
        callerOf(request).clientId,
        request.body,
        recipientHashSecret,
      );
      const { outcome, device } = await devices.put(registration, now());
      return reply.status(outcome === 'created' ? 201 : 200).send(device);
    },
  );

  app.delete(
    '/devices/:token',
    {
      schema: {
        summary: 'Forget a push token (the app logged out or was uninstalled)',
        tags,
        security,
        params: DeviceTokenParams,
        response: { 204: Type.Null({ description: 'Removed' }), ...AUTHENTICATED_ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const tokenHash = hashRecipient(canonicalToken(request.params.token), recipientHashSecret);
      if (!(await devices.remove(callerOf(request).clientId, tokenHash))) {
        throw new HeraldError('HERALD_NOT_FOUND', 'no device with this token for your client', {
          field: 'token',
        });
      }
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/users/:userId/devices',
    {
      schema: {
        summary: "A user's devices, live and dead, tokens masked",
        tags,
        security,
        params: UserDevicesParams,
        response: { 200: UserDevicesResponse, ...AUTHENTICATED_ERROR_RESPONSES },
      },
    },
    async (request) => {
      checkUserId(request.params.userId, 'userId');
      return { devices: await devices.listForUser(callerOf(request).clientId, request.params.userId) };
    },
  );
}
