import type { KakaoButton } from '../../core/domain/message.ts';

/**
 * An AlimTalk button as SENS takes it (sens-alimtalk-send, messages[].buttons[]):
 * {type: DS|WL|AL|BK|MD|AC, name, linkMobile, linkPc, schemeIos, schemeAndroid}.
 */
export interface SensButton {
  readonly type: string;
  readonly name: string;
  readonly linkMobile?: string;
  readonly linkPc?: string;
  readonly schemeIos?: string;
  readonly schemeAndroid?: string;
}

/**
 * The fields each button type needs (vendor-contracts.md §4.C from the SENS send doc: WL both
 * links, AL both app schemes; DS delivery tracking, BK bot keyword, MD message relay and AC add
 * channel carry a name only).
 */
const REQUIRED_FIELDS: Readonly<Record<string, readonly (keyof SensButton)[]>> = {
  DS: [],
  WL: ['linkMobile', 'linkPc'],
  AL: ['schemeIos', 'schemeAndroid'],
  BK: [],
  MD: [],
  AC: [],
};

/** What is wrong with a button for SENS, or undefined when nothing is. */
export function sensButtonProblem(button: Partial<SensButton>, index: number): string | undefined {
  const required = typeof button.type === 'string' ? REQUIRED_FIELDS[button.type] : undefined;
  if (required === undefined)
    return `buttons[${index}].type must be one of ${Object.keys(REQUIRED_FIELDS).join(', ')}`;
  if (typeof button.name !== 'string' || button.name === '') return `buttons[${index}].name is required`;
  const missing = required.filter((field) => typeof button[field] !== 'string' || button[field] === '');
  return missing.length === 0
    ? undefined
    : `buttons[${index}] of type ${button.type} needs ${missing.join(' and ')}`;
}

/** herald's button as SENS' wire form: only the fields the button has. */
export function toSensButton(button: KakaoButton): SensButton {
  return {
    type: button.type,
    name: button.name,
    ...(button.linkMobile ? { linkMobile: button.linkMobile } : {}),
    ...(button.linkPc ? { linkPc: button.linkPc } : {}),
    ...(button.schemeIos ? { schemeIos: button.schemeIos } : {}),
    ...(button.schemeAndroid ? { schemeAndroid: button.schemeAndroid } : {}),
  };
}
