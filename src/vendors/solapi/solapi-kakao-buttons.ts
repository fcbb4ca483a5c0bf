import type { KakaoButton } from '../../core/domain/message.ts';
import type { SolapiButton } from './solapi-send.ts';

/**
 * herald's Kakao button <-> SOLAPI's (solapi-nodejs src/models/base/kakao/kakaoButton.ts): WL
 * carries linkMo (and linkPc), AL linkAnd and linkIos, the other types (DS, BK, MD, AC, BC, BT)
 * a name only.
 */
export function toSolapiButton(button: KakaoButton): SolapiButton {
  return {
    buttonName: button.name,
    buttonType: button.type,
    ...(button.linkMobile ? { linkMo: button.linkMobile } : {}),
    ...(button.linkPc ? { linkPc: button.linkPc } : {}),
    ...(button.schemeAndroid ? { linkAnd: button.schemeAndroid } : {}),
    ...(button.schemeIos ? { linkIos: button.schemeIos } : {}),
  };
}

export function fromSolapiButton(button: Partial<SolapiButton>): KakaoButton {
  return {
    type: button.buttonType ?? '',
    name: button.buttonName ?? '',
    ...(button.linkMo ? { linkMobile: button.linkMo } : {}),
    ...(button.linkPc ? { linkPc: button.linkPc } : {}),
    ...(button.linkAnd ? { schemeAndroid: button.linkAnd } : {}),
    ...(button.linkIos ? { schemeIos: button.linkIos } : {}),
  };
}

/** `name` or `#{name}` -> `#{name}`, the key form kakaoOptions.variables takes (kakaoOption.ts). */
export function variableKey(name: string): string {
  return /^#\{.+\}$/.test(name) ? name : `#{${name}}`;
}
