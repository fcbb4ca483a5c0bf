import { fitContentToChannel } from '../channel-limits.ts';
import type { ContentRule } from './content-under-check.ts';
import { renderedFor } from './content-under-check.ts';

/** The channel's size limits in its own unit, an SMS measured as an LMS when it will be upgraded. */
export const channelSize: ContentRule = {
  name: 'channel size',
  judges: 'whole text',
  check(content) {
    const fit = fitContentToChannel(content.channel, content, {
      smsAutoUpgrade: content.smsAutoUpgrade,
      source: content.source,
      renderedFor: renderedFor(content),
    });
    return fit.ok ? undefined : fit.error;
  },
};
