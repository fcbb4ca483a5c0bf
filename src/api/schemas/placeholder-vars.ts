import { Type } from 'typebox';

/** Values for #{name} placeholders: per recipient, and for an AlimTalk template. */
export const PlaceholderVars = Type.Record(Type.String(), Type.String({ maxLength: 4000 }), {
  maxProperties: 100,
  description: 'Values for #{name} placeholders',
});
