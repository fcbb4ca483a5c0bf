import { Type } from 'typebox';
import { type BoundName, REMOTE_CONFIG_BOUNDS } from '../../config/remote-config-bounds.ts';

/** A vendor id in the remote config: lower-case letters, digits, dot, dash and underscore. */
export const VENDOR_ID = '^[a-z0-9][a-z0-9._-]{0,63}$';

/**
 * A number's range from remote-config-bounds.ts, with its unit and why in the description, so the
 * OpenAPI document says what each setting means and allows.
 */
export function range(name: BoundName): { minimum: number; maximum: number; description: string } {
  const bound = REMOTE_CONFIG_BOUNDS[name];
  return {
    minimum: bound.min,
    maximum: bound.max,
    description: `${bound.min}..${bound.max} ${bound.unit}: ${bound.why}`,
  };
}

/** An integer setting within its bound, described as `what` plus its range. */
export const Bounded = (name: BoundName, what: string) => {
  const { description, ...limits } = range(name);
  return Type.Integer({ ...limits, description: `${what}. ${description}` });
};
